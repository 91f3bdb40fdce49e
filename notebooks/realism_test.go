package notebooks

// This file runs the notebooks on fill realism and the Cont-Kukanov model
// (04 and 05) headlessly, once, and checks that they ran cleanly and that
// every chart cell shows a PNG. Same skip rule as runner_test.go
// (requireNotebookTools). The notebooks should take well under two minutes
// each; their wall times are logged, not asserted.

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// realismNotebooks are the notebooks under test, in reading order.
var realismNotebooks = []string{"04-fill-realism.ipynb", "05-cont-kukanov.ipynb"}

func TestRealismNotebooks(t *testing.T) {
	requireNotebookTools(t)
	res := runNotebooks(t, realismNotebooks...)
	if res.code != 0 {
		t.Errorf("run-notebooks.sh exit status %d", res.code)
	}
	for _, name := range realismNotebooks {
		t.Run(strings.TrimSuffix(name, ".ipynb"), func(t *testing.T) {
			m := regexp.MustCompile(`notebooks/` + regexp.QuoteMeta(name) + `: (\w+) in ([0-9.]+)s`).FindStringSubmatch(res.output)
			if m == nil || m[1] != "ok" {
				t.Errorf("the runner did not report %s as ok", name)
			}
			if m != nil {
				t.Logf("%s: %s in %ss (budget: about 120 s)", name, m[1], m[2])
			}
			nb := readNotebook(t, filepath.Join(res.outDir, name))
			charts := 0
			for i, c := range nb.Cells {
				if c.CellType != "code" {
					continue
				}
				hasPNG := false
				for _, o := range c.Outputs {
					if o.OutputType == "error" {
						t.Errorf("cell %d (%s): error output %s: %s", i+1, firstLine(c.Source), o.EName, o.EValue)
					}
					if _, ok := o.Data["image/png"]; ok {
						hasPNG = true
					}
				}
				if strings.Contains(string(c.Source), "nb.Plot(") {
					charts++
					if !hasPNG {
						t.Errorf("cell %d (%s) draws a chart but has no image/png output", i+1, firstLine(c.Source))
					}
				}
			}
			if charts == 0 {
				t.Errorf("no chart cell found (cells calling nb.Plot)")
			}
		})
	}
}
