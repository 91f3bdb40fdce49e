package notebooks

// This file runs the project's notebooks (projectNotebooks: 01 to 08)
// headlessly, three times in a row (runs), with docker/run-notebooks.sh, and
// checks what they produced: no errors, a PNG under every chart cell in
// every run, the prose's figures against the first run's outputs
// (figures_test.go), and 03-backtest's summary and result files equal to
// the command-line tool's. Same skip rule as runner_test.go. One top-level
// test with subtests, so that the notebooks run only once per test (24
// notebook runs, several minutes: the runner prints each one's wall and CPU
// time) and their output folder lives until every check is done.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// projectNotebooks are the notebooks under test, in reading order.
var projectNotebooks = []string{
	"01-market-data.ipynb", "02-static-allocator.ipynb", "03-backtest.ipynb",
	"04-fill-realism.ipynb", "05-cont-kukanov.ipynb", "06-placement.ipynb", "07-sweep.ipynb", "08-queue-models.ipynb",
}

// notebook is the part of an .ipynb file the checks read.
type notebook struct {
	Cells []struct {
		CellType string           `json:"cell_type"`
		Source   multiline        `json:"source"`
		Outputs  []notebookOutput `json:"outputs"`
	} `json:"cells"`
}

type notebookOutput struct {
	OutputType string               `json:"output_type"`
	Name       string               `json:"name"` // stream: stdout or stderr
	Text       multiline            `json:"text"`
	Data       map[string]multiline `json:"data"`
	EName      string               `json:"ename"`
	EValue     string               `json:"evalue"`
}

// multiline is nbformat's string-or-list-of-strings.
type multiline string

func (m *multiline) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = multiline(s)
		return nil
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	*m = multiline(strings.Join(parts, ""))
	return nil
}

func readNotebook(t *testing.T, path string) notebook {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return nb
}

func firstLine(s multiline) string { return strings.SplitN(string(s), "\n", 2)[0] }

// runs is how many times TestProjectNotebooks runs the notebooks in a row.
const runs = 3

// TestProjectNotebooks runs every notebook three times in a row and checks
// that each run was clean, that each cell drawing a chart shows its images
// every time, that the prose quotes only figures the run printed, and that
// 03-backtest's results match the CLI's. The times are logged, not asserted
// (README: measured with the runner).
func TestProjectNotebooks(t *testing.T) {
	requireNotebookTools(t)
	res := runNotebooksN(t, runs, projectNotebooks...)
	if res.code != 0 {
		t.Errorf("run-notebooks.sh exit status %d", res.code)
	}
	for _, name := range projectNotebooks {
		t.Run(strings.TrimSuffix(name, ".ipynb"), func(t *testing.T) {
			for run := 1; run <= runs; run++ {
				m := regexp.MustCompile(`notebooks/` + regexp.QuoteMeta(name) + `: (\w+) in ([0-9.]+)s \(run ` + strconv.Itoa(run) + ` `).FindStringSubmatch(res.output)
				if m == nil || m[1] != "ok" {
					t.Errorf("run %d: the runner did not report %s as ok", run, name)
				} else {
					t.Logf("run %d: %s ran in %ss", run, name, m[2])
				}
				nb := readNotebook(t, filepath.Join(res.outDir, fmt.Sprintf("run-%d", run), name))
				if charts := checkCells(t, run, nb); charts == 0 && name != "02-static-allocator.ipynb" {
					t.Errorf("no chart cell found (cells calling nb.Plot)")
				}
				if run == 1 {
					checkFigures(t, nb, allowedFigures[name])
				}
			}
		})
	}
	t.Run("03-backtest matches the CLI", func(t *testing.T) { checkBacktestResults(t, filepath.Join(res.outDir, "run-1")) })
}

// drawCall is how a cell draws a chart; imagesMarker overrides the count
// (as in docker/check_notebook.py).
var (
	drawCall     = regexp.MustCompile(`\bnb\.(?:Plot|Interact)\(`)
	imagesMarker = regexp.MustCompile(`(?m)^\s*//nb:images\s+(\d+)\s*$`)
)

// checkCells fails on every error output and on every chart cell with fewer
// image/png outputs than it draws charts; it returns the number of chart
// cells.
func checkCells(t *testing.T, run int, nb notebook) (charts int) {
	t.Helper()
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		images := 0
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				t.Errorf("run %d, cell %d (%s): error output %s: %s", run, i+1, firstLine(c.Source), o.EName, o.EValue)
			}
			if _, ok := o.Data["image/png"]; ok {
				images++
			}
		}
		want := len(drawCall.FindAllString(string(c.Source), -1))
		if m := imagesMarker.FindStringSubmatch(string(c.Source)); m != nil {
			want, _ = strconv.Atoi(m[1])
		}
		if want > 0 {
			charts++
		}
		if images < want {
			t.Errorf("run %d, cell %d (%s) draws %d chart(s) but shows %d image(s)", run, i+1, firstLine(c.Source), want, images)
		}
	}
	return charts
}

// checkBacktestResults checks that the last cell of 03-backtest printed
// exactly the CLI's JSON summary and wrote the same results.json into the
// output folder, and that results.png is a PNG of a sensible size.
func checkBacktestResults(t *testing.T, outDir string) {
	nb := readNotebook(t, filepath.Join(outDir, "03-backtest.ipynb"))
	last := -1
	for i, c := range nb.Cells {
		if c.CellType == "code" {
			last = i
		}
	}
	if last < 0 {
		t.Fatal("03-backtest has no code cell")
	}
	var stdout strings.Builder
	for _, o := range nb.Cells[last].Outputs {
		if o.OutputType == "stream" && o.Name == "stdout" {
			stdout.WriteString(string(o.Text))
		}
	}

	cliOut := t.TempDir()
	bin := filepath.Join(t.TempDir(), "backtest")
	build := exec.Command("go", "build", "-o", bin, "./sor/cmd/backtest")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./sor/cmd/backtest: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-out", cliOut)
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("backtest CLI: %v\n%s", err, stderr.Bytes())
	}
	if !json.Valid(want) {
		t.Fatalf("the CLI printed invalid JSON:\n%s", want)
	}

	if got := stdout.String(); got != string(want) {
		t.Errorf("the last cell of 03-backtest printed\n%s\nwant the CLI's output\n%s", got, want)
	}
	gotJSON, err := os.ReadFile(filepath.Join(outDir, "results.json"))
	if err != nil {
		t.Fatalf("03-backtest wrote no results.json to SORLAB_OUT: %v", err)
	}
	if !bytes.Equal(gotJSON, want) {
		t.Errorf("results.json differs from the CLI's output:\n%s", gotJSON)
	}
	cliJSON, err := os.ReadFile(filepath.Join(cliOut, "results.json"))
	if err != nil || !bytes.Equal(cliJSON, want) {
		t.Errorf("the CLI's own results.json differs from what it printed (err %v)", err)
	}

	pngBytes, err := os.ReadFile(filepath.Join(outDir, "results.png"))
	if err != nil {
		t.Fatalf("03-backtest wrote no results.png to SORLAB_OUT: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatalf("results.png: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 300 {
		t.Errorf("results.png is %dx%d, want at least 600x300", b.Dx(), b.Dy())
	}
}

// TestNotebookSourcesAreClean checks that the committed notebooks hold
// sources only: no outputs, no execution counts, and the gonb kernelspec.
func TestNotebookSourcesAreClean(t *testing.T) {
	all, err := filepath.Glob("[0-9]*.ipynb")
	if err != nil || !slices.Equal(all, projectNotebooks) {
		t.Fatalf("found notebooks %v (%v), want projectNotebooks, %v", all, err, projectNotebooks)
	}
	for _, name := range all {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var raw struct {
			Cells []struct {
				CellType       string            `json:"cell_type"`
				ExecutionCount *int              `json:"execution_count"`
				Outputs        []json.RawMessage `json:"outputs"`
			} `json:"cells"`
			Metadata struct {
				Kernelspec struct {
					Name string `json:"name"`
				} `json:"kernelspec"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if raw.Metadata.Kernelspec.Name != "gonb" {
			t.Errorf("%s: kernelspec %q, want gonb", name, raw.Metadata.Kernelspec.Name)
		}
		if len(raw.Cells) == 0 || raw.Cells[0].CellType != "markdown" {
			t.Errorf("%s: does not open with a markdown cell", name)
		}
		for i, c := range raw.Cells {
			if len(c.Outputs) > 0 || c.ExecutionCount != nil {
				t.Errorf("%s: cell %d has outputs or an execution count; save notebooks clean", name, i+1)
			}
		}
	}
}
