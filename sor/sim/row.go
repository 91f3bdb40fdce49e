package sim

import (
	"math"

	"github.com/sorlab/sorlab/sor"
)

// UndefPrice marks an undefined price in a Row; it is written as an empty
// field.
const UndefPrice = math.MaxInt64

// Flag bits of a row, as in Databento's DBN encoding.
const (
	FlagLast = sor.FlagLast // last row of an event: the book is consistent after it
)

// Row is one MBP-1 record: an event at one venue and that venue's best bid
// and ask after it. Prices are in cents (the tick), times in nanoseconds
// since the Unix epoch.
type Row struct {
	TsRecv    int64  // capture time; never decreases from row to row
	TsEvent   int64  // matching-engine time; never decreases from row to row
	Venue     int    // index into Params.Venues
	Publisher uint16 // Databento publisher id of the venue
	Action    byte   // 'A' add, 'C' cancel, 'T' trade
	Side      byte   // 'B' bid, 'A' ask; for trades the aggressor: 'B' a buy, 'A' a sell
	Price     int64  // price of the event, in cents
	Size      int32  // shares added, cancelled or traded
	Flags     uint8  // FlagLast on the last row of an event
	TsInDelta int32  // ts_recv - ts_event, nanoseconds
	Sequence  uint32 // the venue's message sequence number
	BidPx     int64  // venue's best bid after the event, cents (UndefPrice if none)
	AskPx     int64  // venue's best ask after the event, cents (UndefPrice if none)
	BidSz     int32  // shares at the best bid
	AskSz     int32  // shares at the best ask
	BidCt     int32  // orders at the best bid
	AskCt     int32  // orders at the best ask
}
