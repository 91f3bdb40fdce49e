// Package notebooks holds the project's GoNB notebooks (*.ipynb). This test
// file checks the headless runner, docker/run-notebooks.sh, on the fixture
// notebooks in testdata/: a clean notebook passes, and a Go panic, an
// os.Exit(1), a failing `!` shell command and a chart cell without its image
// each make the runner fail and name the cell. It also checks the rules of
// docker/check_notebook.py on hand-made executed notebooks (python3 only).
//
// The tests need Jupyter (nbconvert) and the gonb kernel, both installed by
// docker/setup.sh. Without them they skip, unless SORLAB_REQUIRE_NOTEBOOKS=1
// (set by CI), in which case they fail.
package notebooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cellTimeout is the runner's per-cell timeout for the fixtures, in seconds.
// The first cell of ok.ipynb compiles gonum/plot, which on a cold build
// cache takes a while on 2 cores.
const cellTimeout = "600"

// requireNotebookTools skips (or, with SORLAB_REQUIRE_NOTEBOOKS=1, fails)
// the test when Jupyter's nbconvert or the gonb kernel are missing.
func requireNotebookTools(t *testing.T) {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("SORLAB_REQUIRE_NOTEBOOKS") == "1" {
			t.Fatalf("SORLAB_REQUIRE_NOTEBOOKS=1 but "+format+"; run docker/setup.sh", args...)
		}
		t.Skipf("skipping notebook runner test: "+format+
			" (run docker/setup.sh to install; set SORLAB_REQUIRE_NOTEBOOKS=1 to make this a failure)", args...)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		missing("bash not found")
	}
	jupyter := "/usr/bin/jupyter" // Debian's, as docker/env.sh prefers
	if _, err := os.Stat(jupyter); err != nil {
		if jupyter, err = exec.LookPath("jupyter"); err != nil {
			missing("jupyter not found")
		}
	}
	out, err := exec.Command(jupyter, "kernelspec", "list", "--json").Output()
	if err != nil {
		missing("`jupyter kernelspec list` failed: %v", err)
	}
	var specs struct {
		Kernelspecs map[string]json.RawMessage `json:"kernelspecs"`
	}
	if err := json.Unmarshal(out, &specs); err != nil {
		missing("cannot parse `jupyter kernelspec list --json`: %v", err)
	}
	if _, ok := specs.Kernelspecs["gonb"]; !ok {
		missing("the gonb Jupyter kernel is not registered")
	}
	if err := exec.Command(jupyter, "nbconvert", "--version").Run(); err != nil {
		missing("jupyter nbconvert is not installed: %v", err)
	}
}

// runResult is the outcome of one docker/run-notebooks.sh invocation.
type runResult struct {
	code   int    // exit status
	output string // stdout and stderr
	outDir string
}

// runNotebooks runs docker/run-notebooks.sh on the given notebooks
// (paths relative to this directory) with a fresh output directory.
func runNotebooks(t *testing.T, notebooks ...string) runResult {
	t.Helper()
	return runNotebooksN(t, 1, notebooks...)
}

// runNotebooksN runs them n times in a row (the runner's -n).
func runNotebooksN(t *testing.T, n int, notebooks ...string) runResult {
	t.Helper()
	outDir := t.TempDir()
	args := append([]string{filepath.Join("..", "docker", "run-notebooks.sh"),
		"-o", outDir, "-t", cellTimeout, "-n", strconv.Itoa(n)}, notebooks...)
	cmd := exec.Command("bash", args...)
	cmd.Env = append(os.Environ(), "SORLAB_OUT=") // -o decides, not the caller's env
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	start := time.Now()
	err := cmd.Run()
	res := runResult{output: buf.String(), outDir: outDir}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
	default:
		t.Fatalf("running %v: %v", args, err)
	}
	t.Logf("run-notebooks.sh %s: exit %d after %v\n%s",
		strings.Join(notebooks, " "), res.code, time.Since(start).Round(time.Millisecond), res.output)
	return res
}

func TestRunnerOK(t *testing.T) {
	requireNotebookTools(t)
	res := runNotebooks(t, "testdata/ok.ipynb")
	if res.code != 0 {
		t.Fatalf("runner failed on ok.ipynb: exit status %d", res.code)
	}
	executed, err := os.ReadFile(filepath.Join(res.outDir, "ok.ipynb"))
	if err != nil {
		t.Fatalf("executed notebook missing: %v", err)
	}
	// The Go cell imports github.com/sorlab/sorlab/sor (through the go.work
	// preamble) and gonum.org/v1/plot (required by go.mod, no go get), then prints.
	if want := "ok fixture: imported sorlab/sor and gonum plot"; !bytes.Contains(executed, []byte(want)) {
		t.Errorf("executed ok.ipynb lacks the output %q", want)
	}
	for _, name := range []string{"ok.html", "ok.log", "ok-fixture.json"} {
		// ok-fixture.json is written by the notebook to $SORLAB_OUT.
		if _, err := os.Stat(filepath.Join(res.outDir, name)); err != nil {
			t.Errorf("runner output %s missing: %v", name, err)
		}
	}
	if !strings.Contains(res.output, "notebooks/testdata/ok.ipynb: ok in ") {
		t.Errorf("runner output lacks the per-notebook wall time line")
	}
}

// TestRunnerCatchesFailures checks that each failing fixture makes the
// runner exit 1 and report the notebook, the cell position, the cell's
// first source line and the error text.
func TestRunnerCatchesFailures(t *testing.T) {
	requireNotebookTools(t)
	for _, tc := range []struct {
		notebook  string
		cell      string // position, as the runner prints it
		firstLine string
		errText   string
	}{
		{"panic", "cell #2 of 3", "// fixture: this cell panics", "panic: fixture: deliberate panic"},
		{"exit", "cell #2 of 3", "// fixture: this cell calls os.Exit(1)", "exit status 1"},
		{"shellfail", "cell #2 of 3", `!echo "fixture: shell command about to exit 3"; exit 3`, "exit status 3"},
		{"nochart", "cell #2 of 3", "// fixture: this cell draws no chart", "draws 1 chart(s) but shows 0 image(s)"},
	} {
		t.Run(tc.notebook, func(t *testing.T) {
			path := "testdata/" + tc.notebook + ".ipynb"
			res := runNotebooks(t, path)
			if res.code != 1 {
				t.Fatalf("runner exit status = %d, want 1", res.code)
			}
			want := "FAIL notebooks/" + path + ": " + tc.cell + " "
			line := ""
			for l := range strings.SplitSeq(res.output, "\n") {
				if strings.HasPrefix(l, want) {
					line = l
					break
				}
			}
			if line == "" {
				t.Fatalf("runner output has no line starting with %q", want)
			}
			for _, s := range []string{"`" + tc.firstLine + "`", tc.errText} {
				if !strings.Contains(line, s) {
					t.Errorf("failure line %q lacks %q", line, s)
				}
			}
			if !strings.Contains(res.output, "1 of 1 notebook(s) failed: notebooks/"+path) {
				t.Errorf("runner output does not name the failing notebook at the end")
			}
			// The executed notebook and its HTML export are kept for debugging.
			for _, ext := range []string{".ipynb", ".html"} {
				if _, err := os.Stat(filepath.Join(res.outDir, tc.notebook+ext)); err != nil {
					t.Errorf("runner output %s%s missing: %v", tc.notebook, ext, err)
				}
			}
		})
	}
}

// TestRunnerKeepsGoing checks that a failure does not stop the remaining
// notebooks, and that the exit status still reports it.
func TestRunnerKeepsGoing(t *testing.T) {
	requireNotebookTools(t)
	res := runNotebooks(t, "testdata/shellfail.ipynb", "testdata/ok.ipynb")
	if res.code != 1 {
		t.Fatalf("runner exit status = %d, want 1", res.code)
	}
	if _, err := os.Stat(filepath.Join(res.outDir, "ok-fixture.json")); err != nil {
		t.Errorf("ok.ipynb did not run after the failing notebook: %v", err)
	}
	if !strings.Contains(res.output, "1 of 2 notebook(s) failed: notebooks/testdata/shellfail.ipynb") {
		t.Errorf("runner output does not name exactly the failing notebook")
	}
}

// TestRunnerRunsRepeatedly checks -n: every run into its own folder, each
// notebook reported per run, and the total.
func TestRunnerRunsRepeatedly(t *testing.T) {
	requireNotebookTools(t)
	res := runNotebooksN(t, 2, "testdata/ok.ipynb")
	if res.code != 0 {
		t.Fatalf("runner failed: exit status %d", res.code)
	}
	for run := 1; run <= 2; run++ {
		for _, name := range []string{"ok.ipynb", "ok.html", "ok-fixture.json"} {
			if _, err := os.Stat(filepath.Join(res.outDir, fmt.Sprintf("run-%d", run), name)); err != nil {
				t.Errorf("run %d: %s missing: %v", run, name, err)
			}
		}
		if want := fmt.Sprintf("notebooks/testdata/ok.ipynb: ok in "); !strings.Contains(res.output, want) ||
			!strings.Contains(res.output, fmt.Sprintf("(run %d of 2)", run)) {
			t.Errorf("runner output lacks run %d's line", run)
		}
	}
	if !strings.Contains(res.output, "all 2 notebook run(s) (2 runs of 1) passed") {
		t.Errorf("runner output lacks the total")
	}
	bad := exec.Command("bash", filepath.Join("..", "docker", "run-notebooks.sh"), "-n", "0", "testdata/ok.ipynb")
	if out, err := bad.CombinedOutput(); exitCode(err) != 2 || !strings.Contains(string(out), "-n wants a positive number of runs, got '0'") {
		t.Errorf("-n 0: exit %d, output %q; want 2 and the reason", exitCode(err), out)
	}
}

func exitCode(err error) int {
	var e *exec.ExitError
	if errors.As(err, &e) {
		return e.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestCheckNotebookRules runs docker/check_notebook.py on hand-made
// executed notebooks, one rule at a time.
func TestCheckNotebookRules(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	png := map[string]any{"output_type": "display_data", "data": map[string]any{"image/png": "iVBORw0KGgo="}, "metadata": map[string]any{}}
	html := map[string]any{"output_type": "display_data", "data": map[string]any{"text/html": "<table></table>"}, "metadata": map[string]any{}}
	text := map[string]any{"output_type": "display_data", "data": map[string]any{"text/plain": "a line\n"}, "metadata": map[string]any{}}
	stdout := map[string]any{"output_type": "stream", "name": "stdout", "text": "printed\n"}
	for _, tc := range []struct {
		name    string
		source  string
		outputs []any
		fail    string // "" when the cell passes
	}{
		{"chart with its image", "%%\ncheck(nb.Plot(chart.Results(o)))", []any{png}, ""},
		{"chart without image", "%%\ncheck(nb.Plot(chart.Results(o)))", nil, "draws 1 chart(s) but shows 0 image(s)"},
		{"two charts, one image", "%%\nnb.Plot(a)\nnb.Plot(b)", []any{png}, "draws 2 chart(s) but shows 1 image(s)"},
		{"interact without image", "%%\nnb.Interact(draw, s)", nil, "draws 1 chart(s) but shows 0 image(s)"},
		{"marker overrides the count", "//nb:images 3\n%%\nfor range 3 { nb.Plot(f) }", []any{png, png}, "draws 3 chart(s) but shows 2 image(s)"},
		{"marker of zero", "//nb:images 0\nfunc draw() { nb.Plot(f) }", nil, ""},
		{"a name merely containing Plot", "%%\nmynb.Plotter(x)", nil, ""},
		{"stdout and a table", "%%\nfmt.Println(1)\nnb.Table(df, 0)", []any{stdout, html}, "prints to stdout and displays"},
		{"nb text and a table", "%%\nnb.Printf(\"1\")\nnb.Table(df, 0)", []any{text, html}, ""},
		{"stdout only", "%%\nfmt.Println(1)", []any{stdout}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nb := map[string]any{"cells": []any{map[string]any{
				"cell_type": "code", "source": tc.source, "outputs": tc.outputs, "execution_count": 1, "metadata": map[string]any{},
			}}}
			b, _ := json.Marshal(nb)
			path := filepath.Join(t.TempDir(), "x.ipynb")
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(python, filepath.Join("..", "docker", "check_notebook.py"), path, "x").CombinedOutput()
			switch code := exitCode(err); {
			case tc.fail == "" && code != 0:
				t.Errorf("exit %d, want 0:\n%s", code, out)
			case tc.fail != "" && (code != 1 || !strings.Contains(string(out), "FAIL x: cell #1 of 1 (In [1])") || !strings.Contains(string(out), tc.fail)):
				t.Errorf("exit %d, want 1 and %q:\n%s", code, tc.fail, out)
			}
		})
	}
}
