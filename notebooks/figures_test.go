package notebooks

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// No figure in the prose that no test checks (issue 11): every number a
// notebook's markdown quotes must appear in what the executed notebook
// printed or displayed (its streams, text and HTML tables), or in its code
// (a parameter the prose restates), or be listed here with the reason it
// is neither.
//
// A quoted decimal matches a printed number that starts with the same
// digits (220.013 matches 220.013194: the prose may truncate, never round
// or make up); an integer matches a printed number with the same integer
// part. Thousands separators are ignored on both sides ("5,000", LaTeX's
// "5{,}000" and 5000 are one figure).
var allowedFigures = map[string]map[string]string{
	"04-fill-realism.ipynb": {"20": "the value of -markets in a command line to copy"},
	"05-cont-kukanov.ipynb": {"2017": "the year of the paper cited"},
}

// checkFigures fails for every figure of nb's markdown that its outputs and
// code do not hold and allowed does not list.
func checkFigures(t *testing.T, nb notebook, allowed map[string]string) {
	t.Helper()
	var outputs, code strings.Builder
	for _, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		code.WriteString(string(c.Source) + "\n")
		for _, o := range c.Outputs {
			outputs.WriteString(string(o.Text) + "\n")
			outputs.WriteString(string(o.Data["text/plain"]) + "\n")
			outputs.WriteString(htmlText(string(o.Data["text/html"])) + "\n")
		}
	}
	out, src := withoutSeparators(outputs.String()), withoutSeparators(code.String())
	for i, c := range nb.Cells {
		if c.CellType != "markdown" {
			continue
		}
		for _, f := range figures(string(c.Source)) {
			if _, ok := allowed[f.text]; ok || quotes(out, f.text) || quotes(src, f.text) {
				continue
			}
			t.Errorf("cell %d quotes %s, which no output or code of the run holds: %q", i+1, f.text, f.line)
		}
	}
}

var tag = regexp.MustCompile(`<[^>]*>`)

// htmlText is the text of an HTML fragment, cells separated by spaces.
func htmlText(h string) string {
	return html.UnescapeString(tag.ReplaceAllString(h, " "))
}

var separator = regexp.MustCompile(`(\d),(\d{3})`)

// withoutSeparators removes thousands separators: 1,234,567 → 1234567.
func withoutSeparators(s string) string {
	for {
		t := separator.ReplaceAllString(s, "$1$2")
		if t == s {
			return s
		}
		s = t
	}
}

// figure is a number quoted in markdown and the line it is on.
type figure struct {
	text string // without thousands separators
	line string
}

var linkTarget = regexp.MustCompile(`\]\([^)]*\)`)

// figures returns the numbers md quotes: each run of digits (with thousands
// separators and a decimal part) that does not continue a word or a number
// ("A2" and "L_1" are names, "x^2" quotes 2), outside headings and link
// targets. A number followed by "-" and a letter is part of a name
// ("02-static-allocator").
func figures(md string) []figure {
	var out []figure
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		s := strings.ReplaceAll(linkTarget.ReplaceAllString(line, "]"), "{,}", ",")
		for i := 0; i < len(s); i++ {
			if !isDigit(s[i]) || (i > 0 && (isWord(s[i-1]) || s[i-1] == '.' || s[i-1] == '\\')) {
				continue
			}
			j := i
			for j < len(s) && (isDigit(s[j]) || s[j] == ',' && j+1 < len(s) && isDigit(s[j+1])) {
				j++
			}
			if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
				for j++; j < len(s) && isDigit(s[j]); j++ {
				}
			}
			name := j+1 < len(s) && s[j] == '-' && isLetter(s[j+1])
			if !name {
				out = append(out, figure{strings.ReplaceAll(s[i:j], ",", ""), strings.TrimSpace(line)})
			}
			i = j
		}
	}
	return out
}

// quotes reports whether hay holds the figure f: a number starting with f's
// digits when f has decimals, with f's integer part otherwise.
func quotes(hay, f string) bool {
	for from := 0; ; {
		k := strings.Index(hay[from:], f)
		if k < 0 {
			return false
		}
		k += from
		end := k + len(f)
		before := k == 0 || !(isDigit(hay[k-1]) || hay[k-1] == '.')
		after := strings.Contains(f, ".") || end == len(hay) || !isDigit(hay[end])
		if before && after {
			return true
		}
		from = k + 1
	}
}

func isDigit(b byte) bool  { return '0' <= b && b <= '9' }
func isLetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }
func isWord(b byte) bool   { return isDigit(b) || isLetter(b) || b == '_' }

// TestFigures checks the rules above on hand-made text, without Jupyter.
func TestFigures(t *testing.T) {
	md := "# 05 · Title\n" +
		"Pays \\$220.013 a share, 0.009 bps, 5{,}000 shares and 1,700 more;\n" +
		"see [02-static-allocator](02-static-allocator.ipynb), assumption A2, L_1, x^2 and 13:36:32.600181.\n"
	var got []string
	for _, f := range figures(md) {
		got = append(got, f.text)
	}
	want := []string{"220.013", "0.009", "5000", "1700", "2", "13", "36", "32.600181"}
	if !slices.Equal(got, want) {
		t.Errorf("figures = %q, want %q", got, want)
	}
	out := withoutSeparators("best_ask 220.013194 | 5,000 | 0.0090 | 1,700.5 | 12 13:36:32.600181")
	for f, want := range map[string]bool{
		"220.013": true, "220.0131": true, "220.01319": true, "220.014": false, // truncated, not rounded
		"5000": true, "1700": true, "170": false, "0.009": true, "0.01": false,
		"13": true, "3": false, "32.600181": true, "600181": false, "2": false,
	} {
		if got := quotes(out, f); got != want {
			t.Errorf("quotes(%q) = %v, want %v", f, got, want)
		}
	}
}
