// Package zstd teaches sor.Open to read zstd-compressed files, the
// compression Databento uses for its downloads. Import it for its side
// effect:
//
//	import _ "github.com/sorlab/sorlab/sor/zstd"
//
// It lives apart from package sor so that the model itself has no
// third-party dependencies.
package zstd

import (
	"io"

	"github.com/klauspost/compress/zstd"
	"github.com/sorlab/sorlab/sor"
)

func init() {
	sor.RegisterDecompressor("zstd", []byte{0x28, 0xb5, 0x2f, 0xfd}, func(r io.Reader) (io.ReadCloser, error) {
		d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, err
		}
		return d.IOReadCloser(), nil
	})
}
