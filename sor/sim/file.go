package sim

import (
	"context"
	"io"

	"github.com/sorlab/sorlab/sor"
)

// Encode generates the market with p and seed and writes it to w, compressed
// as the file name's extension asks (see Compress).
func Encode(w io.Writer, name string, p Params, seed uint64) (Stats, error) {
	return encode(w, name, p, seed, Generate)
}

// EncodeMBO is Encode for the order-level view (see GenerateMBO).
func EncodeMBO(w io.Writer, name string, p Params, seed uint64) (Stats, error) {
	return encode(w, name, p, seed, GenerateMBO)
}

func encode(w io.Writer, name string, p Params, seed uint64, generate func(io.Writer, Params, uint64) (Stats, error)) (Stats, error) {
	cw, err := Compress(w, name)
	if err != nil {
		return Stats{}, err
	}
	st, err := generate(cw, p, seed)
	if cerr := cw.Close(); err == nil {
		err = cerr
	}
	return st, err
}

// WriteFile generates the market with p and seed into the file at path,
// compressed by extension (.csv plain, .csv.gz gzip, .csv.zst zstd). The
// file is written with sor.WriteFiles: to a temporary file in the same
// folder, renamed over path only when complete; when ctx ends first (an
// interrupt), the temporary file is removed and path is left as it was.
func WriteFile(ctx context.Context, path string, p Params, seed uint64) (Stats, error) {
	return writeMarket(ctx, path, p, seed, Encode)
}

// WriteMBOFile is WriteFile for the order-level view: the same market as
// Databento MBO CSV (see GenerateMBO), compressed by extension, written
// atomically.
func WriteMBOFile(ctx context.Context, path string, p Params, seed uint64) (Stats, error) {
	return writeMarket(ctx, path, p, seed, EncodeMBO)
}

// writeMarket writes a market encoded by encode to path with sor.WriteFiles.
func writeMarket(ctx context.Context, path string, p Params, seed uint64, encode func(io.Writer, string, Params, uint64) (Stats, error)) (Stats, error) {
	if err := p.Validate(); err != nil {
		return Stats{}, err
	}
	if err := CheckName(path); err != nil {
		return Stats{}, err
	}
	var st Stats
	err := sor.WriteFiles(ctx, nil, sor.File{Path: path, Write: func(w io.Writer) (err error) {
		st, err = encode(w, path, p, seed)
		return err
	}})
	return st, err
}

// EncodeVenues writes the venue table (see WriteVenues) to w, compressed as
// the file name's extension asks (see Compress).
func EncodeVenues(w io.Writer, name string, venues []Venue) error {
	cw, err := Compress(w, name)
	if err != nil {
		return err
	}
	err = WriteVenues(cw, venues)
	if cerr := cw.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteVenuesFile writes the venue table (see WriteVenues) to path like
// WriteFile, compressed by extension.
func WriteVenuesFile(ctx context.Context, path string, venues []Venue) error {
	if err := CheckName(path); err != nil {
		return err
	}
	return sor.WriteFiles(ctx, nil, sor.File{Path: path, Write: func(w io.Writer) error { return EncodeVenues(w, path, venues) }})
}
