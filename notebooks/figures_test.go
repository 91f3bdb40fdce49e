package notebooks

import (
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// No figure in the prose that no test checks (issue 11): every number a
// notebook's markdown quotes must be printed by the executed notebook (a
// stream, a text display or an HTML table of a code cell; never its source)
// in a code cell near the text (see nearCells), written as the prose writes
// it: the printed number rounded half up to the figure's decimals equals the
// figure (\$220.015 quotes 220.014572, \$220.014 does not; 2 quotes 2.4,
// not 2.6). Thousands separators are ignored on both sides ("5,000", LaTeX's
// "5{,}000" and 5000 are one figure); signs are not compared. A whole
// number up to 10 ("t = 3", "Proposition 3", "2/3") is too common to tell
// which cell it comes from: it must be printed by some cell of the notebook.
//
// A figure no cell prints is allowed only by an entry below: the text
// around it as the markdown writes it (it must cover the figure) and why
// no cell prints it, such as a setting the prose restates from the code or
// a command line to copy. An entry that allows nothing is an error too.
var allowedFigures = map[string][]allowance{
	"04-fill-realism.ipynb": {
		{"-markets 20", "the value of -markets in a command line to copy"},
		{"95%", "the confidence level of every interval (replay.Interval95)"},
	},
	"08-queue-models.ipynb": {
		{"95%", "the confidence level of every interval"},
	},
	"05-cont-kukanov.ipynb": {
		{"2017", "the year of the paper cited"},
		{"Section 4", "the section of the paper cited"},
		{"dotted 2% line", "a reference line chart.Convergence draws"},
		{"idle for 15 minutes", "nb.Interact's idle timeout, a setting of sor/nb"},
	},
}

// allowance lets the figures inside Quote (markdown, as written) stand
// without a printed value, for Reason.
type allowance struct{ Quote, Reason string }

// nearBefore and nearAfter are how many printing code cells (cells with
// an output) before and after a markdown cell may print the figures it
// quotes: the prose comments on the cells just above it, or introduces
// the ones below. The notebook's introduction and conclusion, the markdown
// before its first printing cell and after its last, may quote any cell.
const nearBefore, nearAfter = 3, 2

// checkFigures fails for every figure of nb's markdown that no code cell
// near it printed and allowed does not cover, and for every entry of
// allowed that covers no figure.
func checkFigures(t *testing.T, nb notebook, allowed []allowance) {
	t.Helper()
	for _, e := range figureErrors(nb, allowed) {
		t.Error(e)
	}
}

// figureErrors returns checkFigures' failures.
func figureErrors(nb notebook, allowed []allowance) (errs []string) {
	printed := map[int][]string{} // code cell index → the numbers it printed
	var code []int                // the printing code cells' indexes
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		if len(c.Outputs) > 0 {
			code = append(code, i)
		}
		var out strings.Builder
		for _, o := range c.Outputs {
			out.WriteString(string(o.Text) + "\n")
			out.WriteString(string(o.Data["text/plain"]) + "\n")
			out.WriteString(htmlText(string(o.Data["text/html"])) + "\n")
		}
		printed[i] = numbers(out.String())
	}
	used := make([]bool, len(allowed))
	for i, c := range nb.Cells {
		if c.CellType != "markdown" {
			continue
		}
		for _, f := range figures(string(c.Source)) {
			near := nearCells(code, i)
			if small(f.text) || len(code) > 0 && (i < code[0] || i > code[len(code)-1]) {
				near = code
			}
			if k := allowedAt(allowed, f); k >= 0 {
				used[k] = true
				continue
			}
			if slices.ContainsFunc(near, func(j int) bool { return printsFigure(printed[j], f.text) }) {
				continue
			}
			var far []string
			for _, j := range code {
				if printsFigure(printed[j], f.text) {
					far = append(far, strconv.Itoa(j+1))
				}
			}
			if far != nil {
				errs = append(errs, fmt.Sprintf("cell %d quotes %s, printed only by cell(s) %s, not by a cell near the text (%s): %q",
					i+1, f.text, strings.Join(far, ", "), cellList(near), f.line))
			} else {
				errs = append(errs, fmt.Sprintf("cell %d quotes %s, which no output of the run holds as written: %q", i+1, f.text, f.line))
			}
		}
	}
	for k, a := range allowed {
		if !used[k] {
			errs = append(errs, fmt.Sprintf("the allowed figure %q (%s) covers no figure of the markdown", a.Quote, a.Reason))
		}
	}
	return errs
}

// nearCells returns the printing cells (of code, ascending) near the markdown
// cell md: the nearBefore last before it and the nearAfter first after it.
func nearCells(code []int, md int) []int {
	k, _ := slices.BinarySearch(code, md)
	return code[max(0, k-nearBefore):min(len(code), k+nearAfter)]
}

// small reports whether f is a whole number up to 10.
func small(f string) bool {
	n, err := strconv.Atoi(f)
	return err == nil && n <= 10
}

func cellList(cells []int) string {
	var s []string
	for _, c := range cells {
		s = append(s, strconv.Itoa(c+1))
	}
	if s == nil {
		return "none"
	}
	return "cells " + strings.Join(s, ", ")
}

// allowedAt returns the index of the entry of allowed whose quote covers f
// in its line, or -1.
func allowedAt(allowed []allowance, f figure) int {
	for k, a := range allowed {
		q := markdownText(a.Quote)
		for from := 0; ; {
			j := strings.Index(f.text0[from:], q)
			if j < 0 {
				break
			}
			j += from
			if j <= f.at && f.at+f.width <= j+len(q) {
				return k
			}
			from = j + 1
		}
	}
	return -1
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

// figure is a number quoted in markdown: its text without thousands
// separators, and where it is.
type figure struct {
	text      string
	line      string // the markdown line, as written
	text0     string // the line as markdownText makes it
	at, width int    // the figure's place in text0
}

var linkTarget = regexp.MustCompile(`\]\([^)]*\)`)

// markdownText is a markdown line as figures reads it: link targets
// dropped, LaTeX's thousands separator {,} as a comma.
func markdownText(line string) string {
	return strings.ReplaceAll(linkTarget.ReplaceAllString(line, "]"), "{,}", ",")
}

// figures returns the numbers md quotes: each run of digits (with thousands
// separators and a decimal part) that does not continue a word or a number
// ("A2" and "L_1" are names, "x^2" quotes 2), outside headings and link
// targets. A number after a letter and "-", or followed by "-" and a
// letter, is part of a name ("MBP-10", "02-static-allocator").
func figures(md string) []figure {
	var out []figure
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		s := markdownText(line)
		for i := 0; i < len(s); i++ {
			if !isDigit(s[i]) || (i > 0 && (isWord(s[i-1]) || s[i-1] == '.' || s[i-1] == '\\')) ||
				(i > 1 && s[i-1] == '-' && isLetter(s[i-2])) {
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
				out = append(out, figure{strings.ReplaceAll(s[i:j], ",", ""), strings.TrimSpace(line), s, i, j - i})
			}
			i = j
		}
	}
	return out
}

var number = regexp.MustCompile(`\d+(?:\.\d+)?`)

// numbers returns the numbers in printed text, without thousands
// separators; digits that continue a name ("SIMX2", "prob_power1") are not
// numbers.
func numbers(text string) []string {
	s := withoutSeparators(text)
	var out []string
	for _, m := range number.FindAllStringIndex(s, -1) {
		if m[0] > 0 && (isWord(s[m[0]-1]) || s[m[0]-1] == '.') {
			continue
		}
		out = append(out, s[m[0]:m[1]])
	}
	return out
}

// printsFigure reports whether one of the printed numbers, rounded half up
// to f's decimals, is f; a number printed with fewer decimals than f does
// not quote it.
func printsFigure(printed []string, f string) bool {
	d := decimals(f)
	return slices.ContainsFunc(printed, func(p string) bool { return decimals(p) >= d && roundHalfUp(p, d) == f })
}

func decimals(n string) int {
	if k := strings.IndexByte(n, '.'); k >= 0 {
		return len(n) - k - 1
	}
	return 0
}

// roundHalfUp rounds the decimal number n (digits, at most one point) to d
// decimals, d at most n's: roundHalfUp("220.0145", 3) = "220.015".
func roundHalfUp(n string, d int) string {
	k := strings.IndexByte(n, '.')
	if k < 0 {
		return n
	}
	digits := []byte(n[:k] + n[k+1:k+1+d])
	if n[k+1+d:] != "" && n[k+1+d] >= '5' {
		i := len(digits) - 1
		for ; i >= 0 && digits[i] == '9'; i-- {
			digits[i] = '0'
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
			k++
		} else {
			digits[i]++
		}
	}
	if d == 0 {
		return string(digits)
	}
	return string(digits[:k]) + "." + string(digits[k:])
}

func isDigit(b byte) bool  { return '0' <= b && b <= '9' }
func isLetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }
func isWord(b byte) bool   { return isDigit(b) || isLetter(b) || b == '_' }

// TestFigures checks the rules above on hand-made text, without Jupyter.
func TestFigures(t *testing.T) {
	md := "# 05 · Title\n" +
		"Pays \\$220.013 a share, 0.009 bps, 5{,}000 shares and 1,700 more;\n" +
		"see [02-static-allocator](02-static-allocator.ipynb), assumption A2, L_1, MBP-10, x^2 and 13:36:32.600181.\n"
	var got []string
	for _, f := range figures(md) {
		got = append(got, f.text)
	}
	want := []string{"220.013", "0.009", "5000", "1700", "2", "13", "36", "32.600181"}
	if !slices.Equal(got, want) {
		t.Errorf("figures = %q, want %q", got, want)
	}
	out := numbers("best_ask 220.013194 | 5,000 | 0.0090 | 1,700.5 | 12 13:36:32.600181 SIMX2 prob_power1 | 9.996 0.0145")
	if want := []string{"220.013194", "5000", "0.0090", "1700.5", "12", "13", "36", "32.600181", "9.996", "0.0145"}; !slices.Equal(out, want) {
		t.Errorf("numbers = %q, want %q", out, want)
	}
	for f, want := range map[string]bool{
		"220.013": true, "220.0132": true, "220.01319": true, "220.01": true,
		"220.0": true, "220.014": false, "220.0131": false, "220.1": false, // rounded, not truncated
		"5000": true, "1700": false, "1701": true, "170": false, "0.009": true, "0.01": true, "0.0090": true,
		"0.00900": false, // more decimals than printed
		"13":      true, "3": false, "32.600181": true, "600181": false, "2": false,
		"10.00": true, "10.0": true, "10": true, "0.015": true, "0.014": false, // carries; half up
	} {
		if got := printsFigure(out, f); got != want {
			t.Errorf("printsFigure(%q) = %v, want %v", f, got, want)
		}
	}
	for _, tc := range []struct {
		n    string
		d    int
		want string
	}{{"0.5", 0, "1"}, {"0.49", 0, "0"}, {"99.95", 1, "100.0"}, {"7", 0, "7"}, {"1.250", 2, "1.25"}} {
		if got := roundHalfUp(tc.n, tc.d); got != tc.want {
			t.Errorf("roundHalfUp(%q, %d) = %q, want %q", tc.n, tc.d, got, tc.want)
		}
	}
}

var executed = flag.String("executed", "", "check the prose's figures against the executed notebooks in this `folder` (the runner's -o)")

// TestExecutedFigures checks the figures of the executed notebooks in the
// folder -executed names, without running them again: after
// `bash docker/run-notebooks.sh -o DIR`, edit the prose and run
// `go test ./notebooks -run TestExecutedFigures -executed DIR`.
func TestExecutedFigures(t *testing.T) {
	if *executed == "" {
		t.Skip("no -executed folder")
	}
	for _, name := range projectNotebooks {
		t.Run(strings.TrimSuffix(name, ".ipynb"), func(t *testing.T) {
			path := filepath.Join(*executed, name)
			if _, err := os.Stat(path); err != nil {
				t.Skip(err)
			}
			run := readNotebook(t, path)
			src := readNotebook(t, name)
			if len(src.Cells) != len(run.Cells) {
				t.Fatalf("%s has %d cells, %s %d: run it again", name, len(src.Cells), path, len(run.Cells))
			}
			for i := range src.Cells { // today's prose against that run's outputs
				if src.Cells[i].CellType == "markdown" {
					run.Cells[i].Source = src.Cells[i].Source
				}
			}
			checkFigures(t, run, allowedFigures[name])
		})
	}
}

// TestFigureErrors checks where a figure must be printed, and the
// allow-list, on a hand-made executed notebook.
func TestFigureErrors(t *testing.T) {
	var nb notebook
	add := func(kind, source string, printed ...string) {
		c := struct {
			CellType string           `json:"cell_type"`
			Source   multiline        `json:"source"`
			Outputs  []notebookOutput `json:"outputs"`
		}{CellType: kind, Source: multiline(source)}
		for _, p := range printed {
			c.Outputs = append(c.Outputs, notebookOutput{OutputType: "stream", Name: "stdout", Text: multiline(p)})
		}
		nb.Cells = append(nb.Cells, c)
	}
	add("markdown", "Intro: 4,321 shares, 3 venues.")          // 1: the introduction may quote any cell
	add("code", "const setting = 77")                          // 2: prints nothing: no printing cell
	add("code", "%%", "cost $12.3456\n")                       // 3
	add("code", "%%", "a 3\n")                                 // 4
	add("code", "%%", "b\n")                                   // 5
	add("code", "%%", "c\n")                                   // 6
	add("markdown", "Paid \\$12.35, set to 77 (`-n 77`).")     // 7: cell 3 is 4 printing cells back
	add("code", "%%", "4,321 left, 9.99%\n")                   // 8
	add("markdown", "Left 4,321; 10.0% and 9.99%; about 10%.") // 9
	add("code", "%%", "d\n")                                   // 10
	add("code", "%%", "e\n")                                   // 11
	add("code", "%%", "f\n")                                   // 12: the third printing cell after cell 9
	add("markdown", "In sum: \\$12.35.")                       // 13: the conclusion may quote any cell

	got := figureErrors(nb, []allowance{{"-n 77", "a flag"}, {"-n 78", "stale"}})
	want := []string{
		`cell 7 quotes 12.35, printed only by cell(s) 3, not by a cell near the text (cells 4, 5, 6, 8, 10): "Paid \\$12.35, set to 77 (` + "`-n 77`" + `)."`,
		`cell 7 quotes 77, which no output of the run holds as written: "Paid \\$12.35, set to 77 (` + "`-n 77`" + `)."`,
		`the allowed figure "-n 78" (stale) covers no figure of the markdown`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("figureErrors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
