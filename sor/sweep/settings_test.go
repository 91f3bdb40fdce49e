package sweep_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor/sweep"
)

// Settings multiply the tasks: each file and instrument runs once per
// setting, with the manifest's args and then the setting's, and the table
// names the setting and its own args. A setting that repeats the defaults
// gives the rows of a sweep without settings.
func TestSettingsAxis(t *testing.T) {
	args := []string{"-venues", "venues.csv", "-lambda-under", "0.1,0.01", "-lambda-over", "0.05", "-theta-queue", "0.001"}
	p, err := sweep.NewPlan(sweep.Manifest{
		Inputs: []sweep.Input{{Data: "market.csv"}},
		Args:   args,
		Settings: []sweep.Setting{
			{Name: "small", Args: []string{"-order-size", "1000"}},
			{Name: "default", Args: []string{"-order-size", "5000", "-lambda-under", "0.01,0.1"}},
		},
	}, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Settings) != 2 || !slices.Equal(p.Settings[1].Args, []string{"-lambda-under=0.01,0.1", "-order-size=5000"}) {
		t.Errorf("settings %+v", p.Settings)
	}
	dir := t.TempDir()
	rep := runAll(t, p, sweep.Options{Dir: dir})
	if rep.Tasks != 2 {
		t.Fatalf("%d tasks, want 1 file x 2 settings", rep.Tasks)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "tasks", "market.csv.only.set-*.json"))
	if len(names) != 2 {
		t.Errorf("task files %v", names)
	}
	csv, _ := merged(t, dir)
	lines := strings.Split(strings.TrimSuffix(string(csv), "\n"), "\n")
	if len(lines) != 1+2*2*4 {
		t.Fatalf("%d lines", len(lines))
	}
	cols := sweep.Columns()
	field := func(line, col string) string { return strings.Split(line, ",")[slices.Index(cols, col)] }
	for i, want := range []struct{ setting, args, order string }{
		{"small", "-order-size=1000", "1000"},
		{"default", `"-lambda-under=0.01,0.1 -order-size=5000"`, "5000"},
	} {
		line := lines[1+8*i]
		// setting_args is quoted in the CSV when it holds a comma.
		if got := strings.Split(line, ",")[5]; got != want.setting || !strings.Contains(line, ","+want.args+",") || field(strings.Replace(line, want.args, "x", 1), "order_size") != want.order {
			t.Errorf("setting %d: %s", i, line)
		}
	}

	// The default setting's rows are those of the sweep without settings
	// (here with the grid's points in the same order), but for the plan's
	// hash and the two setting columns.
	plain, err := sweep.NewPlan(sweep.Manifest{Inputs: []sweep.Input{{Data: "market.csv"}}, Args: append(slices.Clone(args), "-lambda-under", "0.01,0.1")}, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	pdir := t.TempDir()
	runAll(t, plain, sweep.Options{Dir: pdir})
	pcsv, _ := merged(t, pdir)
	plines := strings.Split(strings.TrimSuffix(string(pcsv), "\n"), "\n")
	for i := 1; i < len(plines); i++ {
		got := strings.Replace(strings.Replace(lines[8+i], p.Hash, plain.Hash, 1), `,default,"-lambda-under=0.01,0.1 -order-size=5000",`, ",,,", 1)
		if got != plines[i] {
			t.Errorf("line %d:\n got  %s\n want %s", i, got, plines[i])
		}
	}
	rows, err := sweep.ReadParquet(filepath.Join(dir, "results.parquet"))
	if err != nil || rows[0].Setting != "small" || rows[0].SettingArgs != "-order-size=1000" || rows[15].Setting != "default" {
		t.Errorf("parquet: %v, %+v", err, rows[0])
	}
}

// Shards deal out tasks, not files, when the plan knows them: the three
// named instruments of one file under two settings are 6 tasks, 2 in each
// of 3 shards; 1, 3 or 7 shards merge into the bytes of the whole sweep.
func TestShardsSplitTheTasksOfOneFile(t *testing.T) {
	p := plan(t, sweep.Manifest{
		Inputs:   []sweep.Input{{Data: filepath.Join(days(t), "2024-08-01.csv"), Symbols: []string{"SIMX3", "SIMX", "SIMX2"}}},
		Args:     []string{"-lambda-under", "0.01", "-lambda-over", "0.05", "-theta-queue", "0.001", "-twap-bucket", "5s"},
		Settings: []sweep.Setting{{Name: "a", Args: []string{"-order-size", "1000"}}, {Name: "b", Args: []string{"-order-size", "2000"}}},
	})
	whole := t.TempDir()
	runAll(t, p, sweep.Options{Dir: whole})
	csv, pq := merged(t, whole)
	for _, n := range []int{1, 3, 7} {
		dir := t.TempDir()
		for i := range n {
			rep := runAll(t, p, sweep.Options{Dir: dir, Shard: i, Of: n, Workers: 1})
			if want := (6 - i + n - 1) / n; rep.Tasks != want { // task k goes to shard k mod n
				t.Errorf("%d shards: shard %d ran %d tasks, want %d", n, i, rep.Tasks, want)
			}
		}
		c, q := merged(t, dir)
		if !bytes.Equal(c, csv) || !bytes.Equal(q, pq) {
			t.Errorf("%d shards: the merged table differs from the whole sweep's", n)
		}
	}
	// The tasks are in symbol order, each with settings a then b.
	lines := strings.Split(string(csv), "\n")
	var order []string
	for _, l := range lines[1 : len(lines)-1] {
		f := strings.Split(l, ",")
		if k := f[3] + "/" + f[5]; !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	if want := []string{"SIMX/a", "SIMX/b", "SIMX2/a", "SIMX2/b", "SIMX3/a", "SIMX3/b"}; !slices.Equal(order, want) {
		t.Errorf("task order %v, want %v", order, want)
	}
	os.RemoveAll(whole)
}
