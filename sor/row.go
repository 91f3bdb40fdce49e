package sor

// Row is one message of a Databento MBP-1 or MBP-10 file: the event itself
// (action, side, price, size) and the venue's top of book after it. Only the
// columns the model uses are kept; deeper levels of an MBP-10 file are skipped.
type Row struct {
	Line         int   // line number in the file (the header is line 1)
	TsRecv       int64 // capture time, nanoseconds since the Unix epoch (0 if absent)
	TsEvent      int64 // matching-engine time, nanoseconds since the Unix epoch
	PublisherID  int   // the venue (Databento publisher id)
	InstrumentID uint32
	Action       byte  // 'A' add, 'C' cancel, 'M' modify, 'T' trade, 'F' fill, 'R' clear (0 if absent)
	Side         byte  // 'A' ask, 'B' bid, 'N' none (0 if absent)
	Price        Money // the event's price; NoPrice when undefined
	Size         int64 // the event's size
	BidPx        Money // best bid after the event; NoPrice when there is none
	AskPx        Money // best ask after the event; NoPrice when there is none
	BidSz        int64
	AskSz        int64
	Symbol       string
}

// HasAsk reports whether the row quotes a usable ask: a price and a size > 0.
func (r *Row) HasAsk() bool { return r.AskPx != NoPrice && r.AskSz > 0 }
