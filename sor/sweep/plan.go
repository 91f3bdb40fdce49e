package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/internal/runflags"
)

// Manifest is what a sweep runs: the data and the settings of every run.
type Manifest struct {
	Inputs []Input `json:"inputs"`
	// Args are the backtest command's flags for every task, such as
	// ["-order-size", "1000", "-venues", "venues.csv"]. The instrument is
	// chosen per input instead of by -symbol or -instrument; -data, -out and
	// -markets have no place here.
	Args []string `json:"args,omitempty"`
	// Settings, when given, multiply the tasks: every file and instrument
	// runs once per setting, with Args followed by the setting's own args
	// (which win where both give a flag): a grid over order sizes, fill
	// models or latencies in one sweep and one table.
	Settings []Setting `json:"settings,omitempty"`
}

// Setting is one named set of backtest flags of a manifest's settings.
type Setting struct {
	// Name tells the setting's rows apart in the table (column setting);
	// names are unique and not empty.
	Name string   `json:"name"`
	Args []string `json:"args"`
}

// Input is one entry of a manifest: data files and the instruments to run
// in each. At most one of AllInstruments, Symbols and InstrumentIDs may be
// given; with none, a file must hold one instrument.
type Input struct {
	// Data is a file, or a glob of files (filepath.Match syntax), relative
	// to the manifest's folder unless absolute.
	Data           string   `json:"data"`
	AllInstruments bool     `json:"all_instruments,omitempty"`
	Symbols        []string `json:"symbols,omitempty"`
	InstrumentIDs  []uint32 `json:"instrument_ids,omitempty"`
}

// MaxManifest is the largest manifest file ReadManifest takes, in bytes:
// far above any list of inputs and flags, and small enough that /dev/zero
// or a data file given as a manifest fails at once, in little memory.
const MaxManifest = 16 << 20

// ReadManifest reads a manifest from a JSON file of at most MaxManifest
// bytes. Unknown fields are refused, so that a misspelt one is not silently
// ignored.
func ReadManifest(path string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxManifest+1))
	if err != nil {
		return Manifest{}, err
	}
	if len(b) > MaxManifest {
		return Manifest{}, fmt.Errorf("%s: larger than %d MiB: not a sweep manifest", path, MaxManifest>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("%s: %w", path, jsonError(b, err))
	}
	if dec.More() {
		return Manifest{}, fmt.Errorf("%s: more than one JSON value", path)
	}
	return m, nil
}

// jsonError adds the line and column to a JSON syntax or type error, and
// to an unknown field's error (at the field's first place as a key).
func jsonError(b []byte, err error) error {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		// encoding/json's only word on it is this message, without a place.
		name, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
		if !ok {
			return err
		}
		if name, uerr := strconv.Unquote(name); uerr == nil {
			if off = keyOffset(b, name); off >= 0 {
				break
			}
		}
		return err
	}
	off = min(off, int64(len(b)))
	line := 1 + bytes.Count(b[:off], []byte{'\n'})
	col := off - int64(bytes.LastIndexByte(b[:off], '\n'))
	return fmt.Errorf("line %d, column %d: %w", line, col, err)
}

// keyOffset is the byte offset of the first object key name in the JSON b
// (the key's opening quote), or -1.
func keyOffset(b []byte, name string) int64 {
	dec := json.NewDecoder(bytes.NewReader(b))
	type frame struct{ object, wantKey bool }
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return -1
		}
		d, delim := tok.(json.Delim)
		if delim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].object {
			if stack[n-1].wantKey {
				if tok == name {
					return int64(bytes.LastIndexByte(b[:dec.InputOffset()-1], '"'))
				}
				stack[n-1].wantKey = false
				continue
			}
			stack[n-1].wantKey = true // this token begins the key's value
		}
		if delim {
			stack = append(stack, frame{object: d == '{', wantKey: d == '{'})
		}
	}
}

// Plan is a manifest made concrete: its files found, its flags checked and
// its hash computed. Its JSON is what sweep.json holds.
type Plan struct {
	// Hash is the hex SHA-256 of this JSON with Hash empty.
	Hash string   `json:"hash"`
	Args []string `json:"args"`
	// VenuesSHA256 is the SHA-256 of the venue table's bytes, so that a
	// table edited in place makes another plan.
	VenuesSHA256 string `json:"venues_sha256,omitempty"`
	// Settings are the manifest's settings, in its order, their args in
	// canonical form; none when it has none.
	Settings []PlanSetting `json:"settings,omitempty"`
	Files    []File        `json:"files"`

	runs map[string]runflags.Run // by setting name; "" without settings
}

// PlanSetting is a setting of a plan.
type PlanSetting struct {
	Name string `json:"name"`
	// Args are the setting's own flags, canonical (-name=value, by name).
	Args []string `json:"args"`
	// VenuesSHA256 is that of the setting's venue table when it names one
	// of its own.
	VenuesSHA256 string `json:"venues_sha256,omitempty"`
}

// File is one data file of a plan and the instruments to run in it.
type File struct {
	Path        string    `json:"path"`
	Size        int64     `json:"size"`
	Instruments Selection `json:"instruments"`
}

// Selection says which instruments of a file to run; the zero value means
// the file's only one.
type Selection struct {
	All     bool     `json:"all,omitempty"`
	Symbols []string `json:"symbols,omitempty"`
	IDs     []uint32 `json:"ids,omitempty"`
}

// NewPlan checks a manifest and expands it; relative paths (data globs and
// -venues) are taken from dir ("" for the current folder). It reads file
// names, sizes and the venue table, no data.
func NewPlan(m Manifest, dir string) (*Plan, error) {
	args, run, venues, err := parseArgs(m.Args, dir)
	if err != nil {
		return nil, fmt.Errorf("args: %w", err)
	}
	p := &Plan{Args: args, VenuesSHA256: venues, runs: map[string]runflags.Run{"": run}}
	if len(m.Settings) > 0 {
		delete(p.runs, "")
	}
	for i, st := range m.Settings {
		where := fmt.Sprintf("settings %d (%s)", i+1, st.Name)
		switch _, dup := p.runs[st.Name]; {
		case st.Name == "":
			return nil, fmt.Errorf("settings %d: no name", i+1)
		case dup:
			return nil, fmt.Errorf("%s: the name is given twice", where)
		}
		_, ownFlags, err := readArgs(st.Args)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		own := ownFlags.Args()
		if len(own) == 0 {
			return nil, fmt.Errorf("%s: no args: a setting sets at least one flag", where)
		}
		_, run, venues, err := parseArgs(append(slices.Clone(m.Args), st.Args...), dir)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		ps := PlanSetting{Name: st.Name, Args: own}
		if venues != p.VenuesSHA256 {
			ps.VenuesSHA256 = venues
		}
		p.Settings = append(p.Settings, ps)
		p.runs[st.Name] = run
	}
	if len(m.Inputs) == 0 {
		return nil, errors.New("no inputs: give at least one data file or glob")
	}
	seen := map[string]int{}
	for i, in := range m.Inputs {
		sel, err := in.selection()
		if err != nil {
			return nil, fmt.Errorf("input %d (%s): %w", i+1, in.Data, err)
		}
		pattern := in.Data
		if dir != "" && !filepath.IsAbs(pattern) {
			pattern = filepath.Join(dir, pattern)
		}
		paths, err := filepath.Glob(pattern)
		if err != nil {
			return nil, fmt.Errorf("input %d: %q: %w", i+1, in.Data, err)
		}
		if len(paths) == 0 {
			return nil, fmt.Errorf("input %d: no file matches %s", i+1, pattern)
		}
		for _, path := range paths {
			path = filepath.Clean(path)
			info, err := os.Stat(path)
			if err != nil {
				return nil, fmt.Errorf("input %d: %w", i+1, err)
			}
			if info.IsDir() {
				return nil, fmt.Errorf("input %d: %s is a folder, not a data file", i+1, path)
			}
			if j, ok := seen[path]; ok {
				return nil, fmt.Errorf("%s is in inputs %d and %d: give each file once", path, j, i+1)
			}
			seen[path] = i + 1
			p.Files = append(p.Files, File{Path: path, Size: info.Size(), Instruments: sel})
		}
	}
	slices.SortFunc(p.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	p.Hash = hashOf(b)
	return p, nil
}

func (in Input) selection() (Selection, error) {
	n := 0
	for _, given := range []bool{in.AllInstruments, len(in.Symbols) > 0, len(in.InstrumentIDs) > 0} {
		if given {
			n++
		}
	}
	if n > 1 {
		return Selection{}, errors.New("give one of all_instruments, symbols and instrument_ids")
	}
	if in.Data == "" {
		return Selection{}, errors.New("data is empty")
	}
	for _, s := range in.Symbols {
		if s == "" {
			return Selection{}, errors.New("an empty symbol")
		}
	}
	sel := Selection{All: in.AllInstruments, Symbols: slices.Clone(in.Symbols), IDs: slices.Clone(in.InstrumentIDs)}
	slices.Sort(sel.Symbols)
	slices.Sort(sel.IDs)
	sel.Symbols, sel.IDs = slices.Compact(sel.Symbols), slices.Compact(sel.IDs)
	return sel, nil
}

// readArgs reads backtest flags for a sweep's tasks, refusing those that
// have no place in a sweep.
func readArgs(args []string) (*flag.FlagSet, *runflags.Flags, error) {
	fs := flag.NewFlagSet("manifest", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	flags := runflags.Add(fs)
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if fs.NArg() > 0 {
		return nil, nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, name := range []string{"symbol", "instrument"} {
		if flags.Set(name) {
			return nil, nil, fmt.Errorf("-%s: choose instruments per input (symbols, instrument_ids, all_instruments)", name)
		}
	}
	if flags.Set("markets") {
		return nil, nil, errors.New("-markets compares simulated markets, not the sweep's data: run it once with the backtest command")
	}
	return fs, flags, nil
}

// parseArgs checks backtest flags for a sweep's tasks and returns them in
// canonical form, the run they set up, and the SHA-256 of the venue table
// they name ("" for none); a relative -venues is taken from dir.
func parseArgs(args []string, dir string) ([]string, runflags.Run, string, error) {
	fs, flags, err := readArgs(args)
	if err != nil {
		return nil, runflags.Run{}, "", err
	}
	if v := fs.Lookup("venues").Value.String(); v != "" && dir != "" && !filepath.IsAbs(v) {
		if err := fs.Set("venues", filepath.Join(dir, v)); err != nil {
			return nil, runflags.Run{}, "", err
		}
	}
	run, err := flags.Run()
	if err != nil {
		return nil, runflags.Run{}, "", err
	}
	canon := flags.Args()
	if canon == nil {
		canon = []string{}
	}
	var venues string
	if run.VenuesPath != "" {
		b, err := os.ReadFile(run.VenuesPath)
		if err != nil {
			return nil, runflags.Run{}, "", err
		}
		venues = hashOf(b)
	}
	return canon, run, venues, nil
}

// settingNames are the names of the plan's settings in order: "" alone
// when it has none.
func (p *Plan) settingNames() []string {
	if len(p.Settings) == 0 {
		return []string{""}
	}
	names := make([]string, len(p.Settings))
	for i, st := range p.Settings {
		names[i] = st.Name
	}
	return names
}

// settingArgs are the canonical args of a task's setting, all of them:
// the plan's and the setting's own after them.
func (p *Plan) settingArgs(name string) []string {
	for _, st := range p.Settings {
		if st.Name == name {
			return append(slices.Clone(p.Args), st.Args...)
		}
	}
	return p.Args
}

// ownArgs are the setting's own args, space-separated (the table's
// setting_args column): "" without settings.
func (p *Plan) ownArgs(name string) string {
	for _, st := range p.Settings {
		if st.Name == name {
			return strings.Join(st.Args, " ")
		}
	}
	return ""
}

// Config is the exercise's set-up of the tasks (of the first setting,
// when there are settings).
func (p *Plan) Config() sor.Config { return p.runs[p.settingNames()[0]].Config }

// JSON is the plan as sweep.json holds it.
func (p *Plan) JSON() []byte {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		panic(err) // strings and numbers only
	}
	return append(b, '\n')
}
