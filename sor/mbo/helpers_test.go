package mbo

import (
	"github.com/sorlab/sorlab/sor"
)

// The hand-made sequences below are at one venue, publisher 1, unless a
// record says otherwise; prices are in cents.
const pub = 1

// r is a record that is an event of its own (FlagLast).
func r(ts int64, action, side byte, cents int64, size int64, id uint64) sor.MBO {
	px := sor.NoPrice
	if cents > 0 {
		px = sor.Money(cents) * sor.Cent
	}
	return sor.MBO{TsEvent: ts, PublisherID: pub, Action: action, Side: side, Price: px, Size: size, OrderID: id, Flags: sor.FlagLast}
}

// seq numbers the records' lines from 2 and joins records into events:
// a record followed by one with the same ts_event loses its FlagLast.
func seq(recs ...sor.MBO) []sor.MBO {
	for i := range recs {
		recs[i].Line = i + 2
		if i+1 < len(recs) && recs[i+1].TsEvent == recs[i].TsEvent && recs[i+1].PublisherID == recs[i].PublisherID {
			recs[i].Flags &^= sor.FlagLast
		}
	}
	return recs
}

// sell is a market sell at one venue of size shares at cents, executing the
// resting bids ids in turn for the sizes given, in Databento's (and the
// simulator's) order: T, F, C per resting order.
func sell(ts int64, cents int64, fills ...[2]int64) []sor.MBO {
	var out []sor.MBO
	for _, f := range fills {
		id, n := uint64(f[0]), f[1]
		out = append(out, r(ts, 'T', 'A', cents, n, 0), r(ts, 'F', 'B', cents, n, id), r(ts, 'C', 'B', cents, n, id))
	}
	return out
}

// cat joins record lists.
func cat(parts ...[]sor.MBO) []sor.MBO {
	var out []sor.MBO
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func one(recs ...sor.MBO) []sor.MBO { return recs }

// base is the book every hand-made test starts from at t = 1: bids at
// 100.00 of order 1 (200 shares) then order 2 (100), an ask at 100.01 of
// order 10 (300), and a bid at 99.99 of order 5 (400).
func base() []sor.MBO {
	return one(
		r(1, 'A', 'B', 10000, 200, 1),
		r(1, 'A', 'B', 10000, 100, 2),
		r(1, 'A', 'A', 10001, 300, 10),
		r(1, 'A', 'B', 9999, 400, 5),
	)
}
