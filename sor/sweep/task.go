package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sorlab/sorlab/sor"
)

// Task is one run: one file, one instrument, one setting.
type Task struct {
	File string `json:"file"`
	// The instrument, by id when ByID, else by Symbol; neither when the
	// file holds one instrument and the input named none.
	ByID         bool   `json:"by_id,omitempty"`
	InstrumentID uint32 `json:"instrument_id,omitempty"`
	Symbol       string `json:"symbol,omitempty"`
	// Setting is the name of the manifest's setting, "" without settings.
	Setting string `json:"setting,omitempty"`
}

// String names the task in messages: the file, the instrument and the
// setting.
func (t Task) String() string {
	s := t.File
	switch {
	case t.ByID && t.Symbol != "":
		s += " instrument " + strconv.FormatUint(uint64(t.InstrumentID), 10) + " (" + t.Symbol + ")"
	case t.ByID:
		s += " instrument " + strconv.FormatUint(uint64(t.InstrumentID), 10)
	case t.Symbol != "":
		s += " symbol " + t.Symbol
	}
	if t.Setting != "" {
		s += " setting " + t.Setting
	}
	return s
}

// key identifies the task: the file, what selects the instrument, and the
// setting.
func (t Task) key() string {
	var k string
	switch {
	case t.ByID:
		k = t.File + "\x00id\x00" + strconv.FormatUint(uint64(t.InstrumentID), 10)
	case t.Symbol != "":
		k = t.File + "\x00symbol\x00" + t.Symbol
	default:
		k = t.File + "\x00only"
	}
	if t.Setting != "" {
		k += "\x00setting\x00" + t.Setting
	}
	return k
}

// Name is the base name of the task's result file: readable parts (the data
// file's name, the instrument, the setting) and 12 hex digits of the SHA-256 of the task's
// key, which tell apart files of the same name in different folders.
func (t Task) Name() string {
	var inst string
	switch {
	case t.ByID:
		inst = "id" + strconv.FormatUint(uint64(t.InstrumentID), 10)
	case t.Symbol != "":
		inst = "sym-" + safe(t.Symbol)
	default:
		inst = "only"
	}
	if t.Setting != "" {
		inst += ".set-" + safe(t.Setting)
	}
	return safe(filepath.Base(t.File)) + "." + inst + "." + shortHash(t.key())
}

// censusName is the base name of the census file of a data file.
func censusName(path string) string {
	return safe(filepath.Base(path)) + "." + shortHash(path)
}

func shortHash(s string) string { return hashString(s)[:12] }

// hashString is the hex SHA-256 of s.
func hashString(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// safe keeps letters, digits, '-', '_' and '.' (not leading) and replaces
// anything else by '_', for a file name on any system; it is cut to 60 bytes.
func safe(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.' && i > 0:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 60 {
			break
		}
	}
	return b.String()
}

// fileTasks lists a file's tasks: its instruments from its selection (for
// all instruments, the census: the file's instruments as
// sor.ScanInstruments lists them), each with every setting in the plan's
// order.
func (p *Plan) fileTasks(f File, census []sor.Instrument) []Task {
	var ins []Task
	switch {
	case f.Instruments.All:
		for _, in := range census {
			t := Task{File: f.Path, Symbol: in.Symbol}
			if in.ID != 0 {
				t.ByID, t.InstrumentID = true, in.ID
			}
			ins = append(ins, t)
		}
	case len(f.Instruments.Symbols) > 0:
		for _, s := range f.Instruments.Symbols {
			ins = append(ins, Task{File: f.Path, Symbol: s})
		}
	case len(f.Instruments.IDs) > 0:
		for _, id := range f.Instruments.IDs {
			ins = append(ins, Task{File: f.Path, ByID: true, InstrumentID: id})
		}
	default:
		ins = append(ins, Task{File: f.Path})
	}
	var ts []Task
	for _, t := range ins {
		for _, name := range p.settingNames() {
			t.Setting = name
			ts = append(ts, t)
		}
	}
	return ts
}

// shard returns what shard i of n runs: the tasks that the plan knows
// without reading any data, and the files for all instruments, whose tasks
// a census of the file finds (all of them in this shard, so that one shard
// scans the file). Both are dealt in turn, in task order, a file for all
// instruments counting as one task: the k-th goes to shard k mod n.
func (p *Plan) shard(i, n int) (tasks []Task, census []File) {
	k := 0
	for _, f := range p.Files {
		if f.Instruments.All {
			if k%n == i {
				census = append(census, f)
			}
			k++
			continue
		}
		for _, t := range p.fileTasks(f, nil) {
			if k%n == i {
				tasks = append(tasks, t)
			}
			k++
		}
	}
	return tasks, census
}
