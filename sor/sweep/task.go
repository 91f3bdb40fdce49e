package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sorlab/sorlab/sor"
)

// Task is one run: one file, one instrument.
type Task struct {
	File string `json:"file"`
	// The instrument, by id when ByID, else by Symbol; neither when the
	// file holds one instrument and the input named none.
	ByID         bool   `json:"by_id,omitempty"`
	InstrumentID uint32 `json:"instrument_id,omitempty"`
	Symbol       string `json:"symbol,omitempty"`
}

// String names the task in messages: the file and the instrument.
func (t Task) String() string {
	switch {
	case t.ByID && t.Symbol != "":
		return t.File + " instrument " + strconv.FormatUint(uint64(t.InstrumentID), 10) + " (" + t.Symbol + ")"
	case t.ByID:
		return t.File + " instrument " + strconv.FormatUint(uint64(t.InstrumentID), 10)
	case t.Symbol != "":
		return t.File + " symbol " + t.Symbol
	}
	return t.File
}

// key identifies the task: the file and what selects the instrument.
func (t Task) key() string {
	switch {
	case t.ByID:
		return t.File + "\x00id\x00" + strconv.FormatUint(uint64(t.InstrumentID), 10)
	case t.Symbol != "":
		return t.File + "\x00symbol\x00" + t.Symbol
	}
	return t.File + "\x00only"
}

// Name is the base name of the task's result file: readable parts (the data
// file's name, the instrument) and 12 hex digits of the SHA-256 of the task's
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

// tasks lists a file's tasks from its selection; for all instruments the
// census (the file's instruments, as sor.ScanInstruments lists them) gives
// them.
func (f File) tasks(census []sor.Instrument) []Task {
	var ts []Task
	switch {
	case f.Instruments.All:
		for _, in := range census {
			t := Task{File: f.Path, Symbol: in.Symbol}
			if in.ID != 0 {
				t.ByID, t.InstrumentID = true, in.ID
			}
			ts = append(ts, t)
		}
	case len(f.Instruments.Symbols) > 0:
		for _, s := range f.Instruments.Symbols {
			ts = append(ts, Task{File: f.Path, Symbol: s})
		}
	case len(f.Instruments.IDs) > 0:
		for _, id := range f.Instruments.IDs {
			ts = append(ts, Task{File: f.Path, ByID: true, InstrumentID: id})
		}
	default:
		ts = append(ts, Task{File: f.Path})
	}
	return ts
}

// shardFiles returns the files of shard i of n: those at positions k with
// k mod n = i.
func (p *Plan) shardFiles(i, n int) []File {
	var fs []File
	for k := i; k < len(p.Files); k += n {
		fs = append(fs, p.Files[k])
	}
	return fs
}
