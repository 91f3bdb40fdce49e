package nb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// program is a cell program as GoNB composes it: every declaration so far,
// vars grouped, then main.
const program = `package main

import "fmt"

var (
	seeds    = []int{1, 2, 3}
	scale    = 2.0
	unused   = "not a dependency"
	compared = Cache("compared", func() (float64, error) { return total(seeds) * scale, nil })
)

type acc struct{ n float64 }

func (a *acc) add(v int) { a.n += float64(v) }

// total sums with the help of a type and its method.
func total(xs []int) float64 {
	var a acc
	for _, x := range xs {
		a.add(x)
	}
	return a.n
}

func main() {
	fmt.Println(compared)
}
`

// line is the 1-based line of program holding s.
func line(t *testing.T, src, s string) int {
	t.Helper()
	i := strings.Index(src, s)
	if i < 0 {
		t.Fatalf("%q not in the program", s)
	}
	return strings.Count(src[:i], "\n") + 1
}

func declKey(t *testing.T, src string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "main.go")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := declSource(f, line(t, src, `Cache("compared"`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCacheKeyFollowsDependencies: the key holds the declaration calling
// Cache and everything it uses (vars, functions, a type with its methods),
// and nothing else.
func TestCacheKeyFollowsDependencies(t *testing.T) {
	base := declKey(t, program)
	for _, want := range []string{"seeds = []int{1, 2, 3}", "scale = 2.0", "func total(", "acc struct{ n float64 }", "func (a *acc) add("} {
		if !strings.Contains(base, want) {
			t.Errorf("the key lacks %q:\n%s", want, base)
		}
	}
	for _, not := range []string{"not a dependency", "func main", "total sums"} {
		if strings.Contains(base, not) {
			t.Errorf("the key holds %q, which the value does not depend on", not)
		}
	}
	for _, edit := range []struct{ old, new string }{
		{"[]int{1, 2, 3}", "[]int{1, 2, 4}"},       // a var it uses
		{"a.n += float64(v)", "a.n -= float64(v)"}, // a method of a type it uses
		{"return total(seeds) * scale", "return total(seeds) / scale"},
	} {
		if declKey(t, strings.Replace(program, edit.old, edit.new, 1)) == base {
			t.Errorf("editing %q to %q keeps the key", edit.old, edit.new)
		}
	}
	for _, edit := range []struct{ old, new string }{
		{`"not a dependency"`, `"still not"`},
		{"fmt.Println(compared)", "fmt.Println(compared, 1)"},
		{"// total sums", "// total adds up"},
	} {
		if declKey(t, strings.Replace(program, edit.old, edit.new, 1)) != base {
			t.Errorf("editing %q to %q changes the key", edit.old, edit.new)
		}
	}
}

// TestCacheComputesOnce: in a GoNB kernel (GONB_TMP_DIR set) the second
// call from the same declaration reads the first one's value; an error is
// not cached; outside GoNB every call computes.
func TestCacheComputesOnce(t *testing.T) {
	calls := 0
	compute := func() ([]string, error) { calls++; return []string{"a", "b"}, nil }
	t.Setenv("GONB_TMP_DIR", "")
	Cache("x", compute)
	Cache("x", compute)
	if calls != 2 {
		t.Errorf("outside GoNB: %d computations, want 2", calls)
	}

	tmp := t.TempDir()
	t.Setenv("GONB_TMP_DIR", tmp)
	calls = 0
	for range 3 {
		v, err := Cache("x", compute)
		if err != nil || strings.Join(v, ",") != "a,b" {
			t.Fatalf("Cache = %v, %v", v, err)
		}
	}
	if calls != 1 {
		t.Errorf("in GoNB: %d computations, want 1", calls)
	}
	files, _ := filepath.Glob(filepath.Join(tmp, "sorlab-cache", "x-*.gob"))
	if len(files) != 1 {
		t.Errorf("cache files %v, want one", files)
	}

	boom := errors.New("boom")
	fails := 0
	for range 2 {
		if _, err := Cache("y", func() (int, error) { fails++; return 0, boom }); !errors.Is(err, boom) {
			t.Errorf("error %v, want boom", err)
		}
	}
	if fails != 2 {
		t.Errorf("a failed computation was cached (%d calls)", fails)
	}
}

// TestCacheKeepsWhatGobCannotWrite: a value gob refuses is returned, and
// computed again next time.
func TestCacheKeepsWhatGobCannotWrite(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	calls := 0
	for range 2 {
		f, err := Cache("f", func() (func() int, error) { calls++; return func() int { return 7 }, nil })
		if err != nil || f() != 7 {
			t.Fatalf("Cache = %v", err)
		}
	}
	if calls != 2 {
		t.Errorf("%d computations, want 2", calls)
	}
}
