package queuescore

import (
	"fmt"
	"io"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/sim"
)

// Market is one market seen two ways: its MBP-1 rows, which the models
// read, and its MBO records, from which the truth follows. Both must
// describe the same events (the book the records build has, after the
// records of each event, the top of book of that event's row).
type Market struct {
	Name string
	MBP  sor.Source
	// MBO plays the records in file order: it calls apply with each, the
	// record valid only during the call, and stops at apply's first error,
	// which it returns.
	MBO func(apply func(*sor.MBO) error) error
}

// SimulatedMarkets are n markets of the sample's model (sim.DefaultParams)
// with seeds 1..n, as replay.SimulatedMarkets has them (seed 1 is the
// shipped sample), each with its MBO records: both streamed, never held.
func SimulatedMarkets(n int) ([]Market, error) {
	p := sim.DefaultParams()
	ms := make([]Market, n)
	for i := range ms {
		seed := uint64(i + 1)
		src, err := sim.NewSource(p, seed)
		if err != nil {
			return nil, err
		}
		ms[i] = Market{
			Name: fmt.Sprintf("sim seed %d", seed),
			MBP:  src,
			MBO:  func(apply func(*sor.MBO) error) error { return sim.StreamOrders(p, seed, apply) },
		}
	}
	return ms, nil
}

// OpenMarket is a market of two Databento files of the same instrument
// and day: mbp, MBP-1 (CSV or, with package sor/dbn imported, DBN) opened
// with opt, and mbo, MBO (CSV or, with sor/dbn, DBN). The MBO records are filtered to the MBP
// source's instrument when it has an id (a file may hold several); every
// record is read, whatever opt's window, since the book must be built from
// the file's start. Both files are streamed.
func OpenMarket(mbp, mbo string, opt sor.SourceOptions) (Market, error) {
	src, err := sor.OpenSource(mbp, opt)
	if err != nil {
		return Market{}, err
	}
	f, err := sor.OpenMBO(mbo, opt.Read)
	if err != nil {
		return Market{}, err
	}
	f.Close() // a file that is no MBO file failed to open, before any work
	id := src.Instrument().ID
	return Market{
		Name: mbp + " and " + mbo,
		MBP:  src,
		MBO: func(apply func(*sor.MBO) error) error {
			f, err := sor.OpenMBO(mbo, opt.Read)
			if err != nil {
				return err
			}
			defer f.Close()
			for {
				rec, err := f.Read()
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
				if id != 0 && rec.InstrumentID != 0 && rec.InstrumentID != id {
					continue
				}
				if err := apply(&rec); err != nil {
					return err
				}
			}
		},
	}, nil
}
