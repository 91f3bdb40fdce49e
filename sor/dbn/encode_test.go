package dbn

// A small DBN encoder for the tests, written from the DBN layout (Databento's
// "DBN encoding" documentation): dbn-go decodes records but cannot encode
// them, and its metadata encoder writes version 2 for version 3. Its output
// is checked against dbn-go's decoder (TestEncodeRecordRoundTrip) and
// against dbn-go's metadata encoder where that one is right
// (TestEncodeMetadataMatchesDbnGo).

import (
	"bytes"
	"encoding/binary"

	dbngo "github.com/NimbleMarkets/dbn-go"
)

// encodeMetadata writes a metadata header of version m.VersionNum: dbn-go's
// encoder for versions 1 and 2, this file's for version 3.
func encodeMetadata(m *dbngo.Metadata) []byte {
	if m.VersionNum == 3 {
		return appendMetadata(nil, m)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		panic(err) // writes to a bytes.Buffer cannot fail
	}
	return buf.Bytes()
}

// appendMetadata encodes m in the layout of DBN version 2 or 3 (the same but
// for the version byte and the padding of version 3's header to a multiple
// of 8 bytes).
func appendMetadata(b []byte, m *dbngo.Metadata) []byte {
	const cstr = dbngo.MetadataV2_SymbolCstrLen
	le := binary.LittleEndian
	var body []byte
	body = appendCstr(body, m.Dataset, dbngo.Metadata_DatasetCstrLen)
	body = le.AppendUint16(body, uint16(m.Schema))
	body = le.AppendUint64(body, m.Start)
	body = le.AppendUint64(body, m.End)
	body = le.AppendUint64(body, m.Limit)
	body = append(body, byte(m.StypeIn), byte(m.StypeOut), m.TsOut)
	body = le.AppendUint16(body, cstr)
	body = append(body, make([]byte, dbngo.MetadataV2_ReservedLen)...)
	body = le.AppendUint32(body, uint32(len(m.SchemaDefinition)))
	body = append(body, m.SchemaDefinition...)
	for _, list := range [][]string{m.Symbols, m.Partial, m.NotFound} {
		body = le.AppendUint32(body, uint32(len(list)))
		for _, s := range list {
			body = appendCstr(body, s, cstr)
		}
	}
	body = le.AppendUint32(body, uint32(len(m.Mappings)))
	for _, mp := range m.Mappings {
		body = appendCstr(body, mp.RawSymbol, cstr)
		body = le.AppendUint32(body, uint32(len(mp.Intervals)))
		for _, iv := range mp.Intervals {
			body = le.AppendUint32(body, iv.StartDate)
			body = le.AppendUint32(body, iv.EndDate)
			body = appendCstr(body, iv.Symbol, cstr)
		}
	}
	if m.VersionNum >= 3 {
		for len(body)%8 != 0 {
			body = append(body, 0)
		}
	}
	b = append(b, 'D', 'B', 'N', m.VersionNum)
	b = le.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}

func appendCstr(b []byte, s string, n int) []byte {
	if len(s) >= n {
		panic("symbol too long for its field: " + s)
	}
	b = append(b, s...)
	return append(b, make([]byte, n-len(s))...)
}

// appendMbp encodes an MBP-1 record, or an MBP-10 record when levels holds
// ten levels. The length byte is hd.Length when set (to write a record that
// lies about its length), else the record's true length.
func appendMbp(b []byte, m *dbngo.Mbp1Msg, levels []dbngo.BidAskPair) []byte {
	le := binary.LittleEndian
	length := m.Header.Length
	if length == 0 {
		length = uint8((dbngo.RHeader_Size + 32 + len(levels)*dbngo.BidAskPair_Size) / 4)
	}
	b = append(b, length, byte(m.Header.RType))
	b = le.AppendUint16(b, m.Header.PublisherID)
	b = le.AppendUint32(b, m.Header.InstrumentID)
	b = le.AppendUint64(b, m.Header.TsEvent)
	b = le.AppendUint64(b, uint64(m.Price))
	b = le.AppendUint32(b, m.Size)
	b = append(b, m.Action, m.Side, m.Flags, m.Depth)
	b = le.AppendUint64(b, m.TsRecv)
	b = le.AppendUint32(b, uint32(m.TsInDelta))
	b = le.AppendUint32(b, m.Sequence)
	for _, l := range levels {
		b = le.AppendUint64(b, uint64(l.BidPx))
		b = le.AppendUint64(b, uint64(l.AskPx))
		b = le.AppendUint32(b, l.BidSz)
		b = le.AppendUint32(b, l.AskSz)
		b = le.AppendUint32(b, l.BidCt)
		b = le.AppendUint32(b, l.AskCt)
	}
	return b
}
