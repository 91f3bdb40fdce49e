package sor

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// File is one file of a set written by WriteFiles: its path, and its content
// as bytes (Data) or as a function that writes it (Write, for content too
// large to hold in memory; Data is then ignored).
type File struct {
	Path  string
	Data  []byte
	Write func(io.Writer) error
}

// tmpInfix marks the temporary files of WriteFiles: ".NAME" + tmpInfix +
// random digits, beside NAME.
const tmpInfix = ".tmp-"

// WriteFiles writes files that belong together (a summary and its chart)
// into one folder so that a reader of the folder sees the old set or the new
// one, never half a file, and concurrent writers of the same names never
// leave a mixture. In order:
//
//  1. It takes the folder's lock (lockFolder), waiting for any other writer,
//     and removes the temporary files of writers that were killed (names
//     .NAME.tmp-*, for the names of files).
//  2. It writes each file to a temporary file in the folder and syncs it.
//  3. It calls ready, when not nil; an error from it (the command's
//     standard output is full, say) stops the writing.
//  4. It renames the temporary files over the files, in the order given, and
//     syncs the folder, so that the renames survive a crash.
//
// Until step 4 nothing is replaced: an error, or ctx ending (SIGINT), removes
// the temporary files and leaves the old files as they were. ctx is not
// looked at once step 4 starts. A process killed outright (kill -9) during
// step 4 leaves the files renamed so far beside the old rest: a caller that
// needs to tell puts the file that vouches for the others (a chart carrying
// the summary's hash) last. A folder in place of one of the files is refused
// before anything is written.
func WriteFiles(ctx context.Context, ready func() error, files ...File) (err error) {
	if len(files) == 0 {
		return nil
	}
	dir := filepath.Dir(files[0].Path)
	for _, f := range files {
		if filepath.Dir(f.Path) != dir {
			return fmt.Errorf("%s and %s are not in one folder", files[0].Path, f.Path)
		}
		// A folder in the way would make its rename fail after the
		// others succeeded: refuse before anything moves.
		if info, err := os.Stat(f.Path); err == nil && info.IsDir() {
			return fmt.Errorf("%s is a folder", f.Path)
		}
	}
	unlock, err := lockFolder(ctx, dir)
	if err != nil {
		return err
	}
	defer unlock()
	removeStale(dir, files)

	var tmps []string // written and not yet renamed
	defer func() {
		for _, t := range tmps {
			os.Remove(t)
		}
	}()
	for _, f := range files {
		tmp, err := writeTemp(ctx, f)
		if tmp != "" {
			tmps = append(tmps, tmp)
		}
		if err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if ready != nil {
		if err := ready(); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := os.Rename(tmps[0], f.Path); err != nil {
			return fmt.Errorf("replace %s: %w", f.Path, pathErr(err))
		}
		tmps = tmps[1:]
	}
	return syncFolder(dir)
}

// WriteFilesAtomic is WriteFiles without a context or a ready step.
func WriteFilesAtomic(files ...File) error { return WriteFiles(context.Background(), nil, files...) }

// WriteFileAtomic writes one file with WriteFiles' guarantees: readers see
// the old file or the whole new one.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	return WriteFilesAtomic(File{Path: path, Write: write})
}

// WriteBytesAtomic is WriteFileAtomic for data already in memory.
func WriteBytesAtomic(path string, data []byte) error {
	return WriteFilesAtomic(File{Path: path, Data: data})
}

// WriteOwnedBytes writes data to path atomically, like WriteBytesAtomic,
// for a file that no one else writes at the same time (a sweep's task
// result, say): a temporary file of a unique name beside it, synced and
// renamed into place, then the folder synced; no folder lock and no look
// for the temporary files of killed writers, so that its cost does not
// grow with the files in the folder. Such temporary files are named
// ".NAME.tmp-*": the owner of the folder removes them (IsTempName).
func WriteOwnedBytes(path string, data []byte) error {
	tmp, err := writeTemp(context.Background(), File{Path: path, Data: data})
	if err == nil {
		if err = os.Rename(tmp, path); err != nil {
			err = fmt.Errorf("replace %s: %w", path, pathErr(err))
		}
	}
	if err != nil {
		if tmp != "" {
			os.Remove(tmp)
		}
		return err
	}
	return syncFolder(filepath.Dir(path))
}

// IsTempName reports whether a file name is one of the temporary files
// that WriteFiles and WriteOwnedBytes write before renaming them.
func IsTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tmpInfix)
}

// writeTemp writes f to a new temporary file beside it and returns its path
// (also on error, when the file was created).
func writeTemp(ctx context.Context, f File) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), "."+filepath.Base(f.Path)+tmpInfix+"*")
	if err != nil {
		return "", fmt.Errorf("create %s: %w", f.Path, pathErr(err))
	}
	if f.Write != nil {
		bw := bufio.NewWriterSize(ctxWriter{ctx, tmp}, 64<<10)
		if err = f.Write(bw); err == nil {
			err = bw.Flush()
		}
	} else if err = ctx.Err(); err == nil {
		_, err = tmp.Write(f.Data)
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	return tmp.Name(), err
}

// ContextWriter returns a writer to w that fails with ctx's error once ctx
// has ended, so that a long write (a stream to standard output beside a set
// of files) stops soon after an interrupt, as WriteFiles' own writes do.
func ContextWriter(ctx context.Context, w io.Writer) io.Writer { return ctxWriter{ctx, w} }

// ctxWriter fails once ctx has ended, so that a long write stops soon after
// an interrupt.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// removeStale removes the temporary files that a killed writer of files left
// behind. Only the holder of the folder's lock may call it: no other writer
// is then between steps 1 and 4.
func removeStale(dir string, files []File) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return // the writing will report it
	}
	for _, e := range entries {
		for _, f := range files {
			if strings.HasPrefix(e.Name(), "."+filepath.Base(f.Path)+tmpInfix) {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
}

// pathErr is err without the path of a temporary or lock file, which would
// only confuse a user: the caller names the file meant.
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// lockName is the lock file lockFolder creates in a folder while it is
// held.
const lockName = ".sorlab.lock"

// ResultsTag names the PNG text chunk in which a results.png written by
// WriteResults carries the SHA-256 (hex) of the results.json it was drawn
// with.
const ResultsTag = "sorlab results.json sha256"

// WriteResults writes a run's results.json (summary) and results.png (png)
// into dir as one set with WriteFiles: ready (may be nil) runs once both are
// written and before either replaces its old version; results.json is
// renamed first and results.png, which carries the JSON's SHA-256 in a text
// chunk (ResultsTag), last. The folder's lock keeps concurrent writers
// apart, so the pair left is always one run's, and a writer killed between
// the two renames leaves a new JSON beside an old PNG whose hash no longer
// matches (or beside none).
func WriteResults(ctx context.Context, dir string, summary, png []byte, ready func() error) error {
	sum := sha256.Sum256(summary)
	tagged, err := tagPNG(png, ResultsTag, hex.EncodeToString(sum[:]))
	if err != nil {
		return err
	}
	return WriteFiles(ctx, ready,
		File{Path: filepath.Join(dir, "results.json"), Data: summary},
		File{Path: filepath.Join(dir, "results.png"), Data: tagged},
	)
}

// tagPNG returns png with a tEXt chunk key=text after its header chunk
// (PNG: 8-byte signature, then IHDR of 13 data bytes in a 25-byte chunk).
func tagPNG(png []byte, key, text string) ([]byte, error) {
	const ihdrEnd = 8 + 25
	if len(png) < ihdrEnd || !bytes.Equal(png[:8], []byte("\x89PNG\r\n\x1a\n")) || string(png[12:16]) != "IHDR" {
		return nil, errors.New("the chart is not a PNG")
	}
	data := append([]byte("tEXt"+key+"\x00"), text...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)-4))
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(data))
	out := make([]byte, 0, len(png)+len(chunk))
	out = append(out, png[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, png[ihdrEnd:]...), nil
}
