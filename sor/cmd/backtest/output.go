package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/cmd/internal/interrupt"
)

// interrupts is replaced by main with a Guard that catches SIGINT and
// SIGTERM; tests that call run directly catch nothing.
var interrupts = &interrupt.Guard{}

// checkOutDir tells a missing folder from a file in the way.
func checkOutDir(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("-out: folder %s does not exist", dir)
	case err != nil:
		return fmt.Errorf("-out: %w", err)
	case !info.IsDir():
		return fmt.Errorf("-out: %s is not a folder", dir)
	}
	return nil
}

// pngTagKey names the PNG text chunk in which results.png carries the
// SHA-256 of the results.json it was drawn with.
const pngTagKey = "sorlab results.json sha256"

// writeResults writes results.json and results.png into dir as one set with
// sor.WriteFiles, and the summary to stdout once both are written and
// before either replaces its old version: if stdout fails (a full disk, a
// closed pipe) the old files stay. The folder's lock keeps concurrent runs
// apart, so the pair left is always one run's. The JSON is renamed first and
// the PNG, which carries the JSON's SHA-256 in a text chunk, last: a run
// killed between the two renames leaves a new JSON beside an old PNG whose
// hash no longer matches (or beside none).
func writeResults(dir string, summary, png []byte, stdout io.Writer) error {
	tagged, err := tagPNG(png, pngTagKey, hashHex(summary))
	if err != nil {
		return err
	}
	return interrupts.Write(func(ctx context.Context) error {
		return sor.WriteFiles(ctx, func() error {
			_, err := stdout.Write(summary)
			return err
		},
			sor.File{Path: filepath.Join(dir, "results.json"), Data: summary},
			sor.File{Path: filepath.Join(dir, "results.png"), Data: tagged},
		)
	})
}

func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
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
