package nb

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Cache returns compute's value, computing it once per kernel session and
// reading it back in the cells that follow.
//
// GoNB runs every cell as a new program that evaluates all the
// package-level variables declared so far: a
//
//	var compared = must(replay.Evaluate(...))
//
// declared in one cell is computed again in every later cell. Declared as
//
//	var compared = must(nb.Cache("compared", func() ([]replay.Stats, error) { return replay.Evaluate(...) }))
//
// it is computed once and then decoded from disk (encoding/gob: the value's
// exported fields, which is all of sorlab's results) in a few milliseconds.
//
// A cached value is never stale. Its key is the name, the source of the
// package-level declaration that calls Cache (as GoNB composed it into the
// cell's program) with every package-level declaration it refers to,
// directly or not, and the size and modification time of every file of the
// sorlab module: editing the declaration, a helper or a parameter it uses,
// or the library, computes the value again. The files live in the kernel's
// temporary folder ($GONB_TMP_DIR), which a kernel restart replaces.
//
// Outside GoNB, when the key cannot be made, or for a value encoding/gob
// cannot write, Cache simply computes (the last case says so on standard
// error). An error from compute is returned and not cached.
func Cache[T any](name string, compute func() (T, error)) (T, error) {
	_, file, line, _ := runtime.Caller(1)
	dir, base, err := cachePath(name, file, line)
	if err != nil {
		return compute()
	}
	path := filepath.Join(dir, base)
	var v T
	if b, err := os.ReadFile(path); err == nil {
		if gob.NewDecoder(bytes.NewReader(b)).Decode(&v) == nil {
			return v, nil
		}
		var zero T
		v = zero // a partial decode must not leak into the computed value
	}
	v, err = compute()
	if err != nil {
		return v, err
	}
	if err := store(dir, base, v); err != nil {
		fmt.Fprintf(os.Stderr, "nb.Cache(%q): not cached: %v\n", name, err)
	}
	return v, nil
}

// store writes v's gob encoding to dir/base atomically and removes the
// files of the same name under other keys.
func store(dir, base string, v any) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	name := base[:len(base)-len("-0123456789abcdef.gob")]
	same := regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `-[0-9a-f]{16}\.gob$`)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != base && same.MatchString(e.Name()) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, base))
}

// unsafeName matches what may not appear in a cache file's name.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// cachePath is where the value named name, computed by the declaration at
// file:line, is kept: the folder $GONB_TMP_DIR/sorlab-cache and the file
// NAME-KEY.gob, KEY the first 16 hex digits of the key's SHA-256.
func cachePath(name, file string, line int) (dir, base string, err error) {
	tmp := os.Getenv("GONB_TMP_DIR")
	if tmp == "" {
		return "", "", fmt.Errorf("not in a GoNB kernel")
	}
	decls, err := declSource(file, line)
	if err != nil {
		return "", "", err
	}
	mod, err := moduleStamp()
	if err != nil {
		return "", "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s", name, decls, mod)
	key := hex.EncodeToString(h.Sum(nil))[:16]
	return filepath.Join(tmp, "sorlab-cache"), unsafeName.ReplaceAllString(name, "_") + "-" + key + ".gob", nil
}

// declSource returns the source of the package-level declaration of file
// that holds line, followed by every package-level declaration it refers to,
// directly or not (with a type, its methods), each printed without comments
// and in name order: what the value computed there can depend on in file.
func declSource(file string, line int) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return "", err
	}
	byName := map[string][]ast.Node{} // a var spec, type spec or function, by the names it declares
	var at ast.Node
	add := func(n ast.Node, names ...string) {
		for _, name := range names {
			byName[name] = append(byName[name], n)
		}
		if fset.Position(n.Pos()).Line <= line && line <= fset.Position(n.End()).Line {
			at = n
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				name = receiverType(d.Recv.List[0].Type) // a method goes with its type
			}
			add(d, name)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					var names []string
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
					add(s, names...)
				case *ast.TypeSpec:
					add(s, s.Name.Name)
				}
			}
		}
	}
	if at == nil {
		return "", fmt.Errorf("%s:%d: no package-level declaration there", file, line)
	}
	seen := map[ast.Node]bool{}
	queue := []ast.Node{at}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if seen[n] {
			continue
		}
		seen[n] = true
		ast.Inspect(n, func(x ast.Node) bool {
			if id, ok := x.(*ast.Ident); ok {
				queue = append(queue, byName[id.Name]...)
			}
			return true
		})
	}
	var parts []string
	for n := range seen {
		var b strings.Builder
		if err := printer.Fprint(&b, fset, n); err != nil {
			return "", err
		}
		parts = append(parts, b.String())
	}
	slices.Sort(parts)
	return strings.Join(parts, "\x00"), nil
}

// receiverType is the name of a method's receiver type: T for T, *T, T[P].
func receiverType(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

var (
	stampOnce sync.Once
	stamp     string
	stampErr  error
)

// moduleStamp lists the size and modification time of every Go file,
// go.mod, go.sum and data file of the module this package is built from
// (found from this file's path), so that editing the library invalidates
// cached values. Computed once per program.
func moduleStamp() (string, error) {
	stampOnce.Do(func() {
		_, self, _, _ := runtime.Caller(0)
		root := filepath.Dir(filepath.Dir(filepath.Dir(self))) // .../sor/nb/cache.go
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
			stampErr = fmt.Errorf("module root of %s not found: %w", self, err)
			return
		}
		h := sha256.New()
		stampErr = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if d.IsDir() {
				if rel != "." && (strings.HasPrefix(d.Name(), ".") || rel == "out" || rel == "notebooks") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(p, ".go") && rel != "go.mod" && rel != "go.sum" && !strings.HasPrefix(rel, "data"+string(filepath.Separator)) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			_, err = io.WriteString(h, fmt.Sprintf("%s %d %d\n", rel, info.Size(), info.ModTime().UnixNano()))
			return err
		})
		stamp = hex.EncodeToString(h.Sum(nil))
	})
	return stamp, stampErr
}
