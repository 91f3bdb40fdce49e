// Package dbn teaches package sor to read Databento's binary format, DBN,
// the default of Databento's downloads (.dbn, or .dbn.zst compressed).
// Import it for its side effect, with sor/zstd for compressed files:
//
//	import (
//		_ "github.com/sorlab/sorlab/sor/dbn"
//		_ "github.com/sorlab/sorlab/sor/zstd"
//	)
//
// after which sor.OpenRows and sor.ReadFile read DBN files as they read CSV:
// the file's first bytes ("DBN" and a version byte, after any compression)
// decide, not its name. It lives apart from package sor so that the model
// itself has no third-party dependencies. The decoding of the metadata header
// and of the records is github.com/NimbleMarkets/dbn-go's; this package cuts
// the stream into records itself, checking each record's length byte against
// its schema, because dbn-go's scanner trusts that byte: a 0 makes it panic,
// and a length longer than the record's is accepted, after which every record
// is read from the wrong place.
//
// # What is read
//
// DBN versions 1, 2 and 3, schemas MBP-1 and MBP-10 (their records are the
// same in all three versions). A DBN stream is a metadata header (dataset,
// schema, symbol mappings…) followed by fixed-width little-endian records,
// each starting with its length in 4-byte words and its record type. Every
// record becomes one sor.Row, the row that Databento's CSV export of the
// same record gives when package sor reads it:
//
//	Line          record number + 1 (the CSV line of the record: the header is line 1)
//	TsRecv        ts_recv, nanoseconds since the Unix epoch
//	TsEvent       ts_event (from the record header)
//	PublisherID   publisher_id (from the record header)
//	InstrumentID  instrument_id (from the record header)
//	Action, Side  action, side
//	Price, Size   price, size
//	BidPx, AskPx  bid_px_00, ask_px_00 (level 0 of the book)
//	BidSz, AskSz  bid_sz_00, ask_sz_00
//	Symbol        the symbol the metadata's mappings give the instrument on the
//	              UTC date of ts_recv, or "" when they give none
//
// DBN prices are already sor.Money's unit (int64 counts of 1e-9 dollars), so
// Info reports sor.PriceFixed and nothing is guessed. Databento's undefined
// price (2^63 − 1) is sor.NoPrice; any other price must be > 0, and a
// timestamp must fit an int64 (Databento's undefined timestamp does not), as
// the CSV reader demands of the same values in text.
//
// # Order by order
//
// The mbo schema (market by order: every add, cancel, modify, clear, trade
// and fill of every order, by order id) is read by sor.OpenMBO, for the
// exact queue of package sor/mbo (queuescore -mbo): each record becomes the
// sor.MBO that Databento's CSV export of it gives (ts_recv, ts_event,
// publisher_id, instrument_id, action, side, price, size, channel_id,
// order_id, flags, ts_in_delta, sequence and the mapped symbol; an
// undefined price, as on a clear, is sor.NoPrice; actions and sides are
// checked as the CSV reader checks them). A quotes file given as MBO, or an
// MBO file given as quotes, is refused with the schema it has.
//
// # Errors
//
// Bad input stops reading with one *Error naming the file, the byte offset in
// the (decompressed) stream, the record number and, when one is to blame,
// the field: a stream that is not DBN, a version other than 1-3, a schema
// other than MBP-1 and MBP-10 for quotes (trades, mbo, ohlcv-1m… are named; so is
// tbbo, whose records have MBP-1's layout but are trades with the book before
// them; and mixed, the schema of live data), metadata or a record cut short,
// a record whose length byte disagrees with its schema's record size, a
// record of another type, and errors of the decompressor (zstd garbage).
// Offsets count bytes of the decompressed stream; for a compressed file the
// error adds how many compressed bytes had been read when the data proved
// cut short or corrupt (sor.DecompressError). A file that does not start
// with "DBN" is not this package's: package sor refuses binary content that
// no format claims ("neither DBN nor CSV text"), and reads text as CSV.
// Nothing panics on any input (FuzzReader).
//
// Reading streams: memory stays constant whatever the file's size.
package dbn
