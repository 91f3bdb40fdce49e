package zstd_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/sorlab/sorlab/sor"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

func TestOpenReadsZstd(t *testing.T) {
	const csv = "ts_event,publisher_id,ask_px_00,ask_sz_00\n1,2,10.5,3\n2,5,10.25,7\n"
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "q.csv.zst")
	if err := os.WriteFile(path, enc.EncodeAll([]byte(csv), nil), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := sor.ReadFile(path, sor.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1].AskPx != 1025*sor.Cent || rows[1].PublisherID != 5 {
		t.Errorf("got %+v", rows)
	}
}

func TestCorruptZstdIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.csv.zst")
	os.WriteFile(path, []byte{0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff}, 0o644)
	if _, err := sor.ReadFile(path, sor.ReadOptions{}); err == nil {
		t.Error("corrupt zstd read without error")
	}
}

// A venue table compressed as Databento compresses its data reads like the
// plain one.
func TestReadVenuesFileReadsZstd(t *testing.T) {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "venues.csv.zst")
	if err := os.WriteFile(path, enc.EncodeAll([]byte("publisher_id,name,fee,rebate\n2,XNAS,0.003,0.002\n"), nil), 0o644); err != nil {
		t.Fatal(err)
	}
	vs, err := sor.ReadVenuesFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if v := vs.Get(2); len(vs) != 1 || v.Name != "XNAS" || v.Fee != 3*sor.Dollar/1000 || v.Rebate != 2*sor.Dollar/1000 {
		t.Errorf("got %+v", vs)
	}
}
