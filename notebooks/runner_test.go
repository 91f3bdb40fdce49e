// Package notebooks holds the project's GoNB notebooks (*.ipynb). This test
// file checks the headless runner, docker/run-notebooks.sh, on the fixture
// notebooks in testdata/: a clean notebook passes, and a Go panic, an
// os.Exit(1) and a failing `!` shell command each make the runner fail and
// name the cell.
//
// The tests need Jupyter (nbconvert) and the gonb kernel, both installed by
// docker/setup.sh. Without them they skip, unless SORLAB_REQUIRE_NOTEBOOKS=1
// (set by CI), in which case they fail.
package notebooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
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
	outDir := t.TempDir()
	args := append([]string{filepath.Join("..", "docker", "run-notebooks.sh"),
		"-o", outDir, "-t", cellTimeout}, notebooks...)
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
	// preamble) and gonum.org/v1/plot (pinned with !*go get), then prints.
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
