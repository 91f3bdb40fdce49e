package sor

// PublisherInfo is one entry of Databento's publisher list: a publisher is
// one venue as seen through one dataset, so the same venue appears under
// several ids (Nasdaq is 2 in XNAS.ITCH, 52 in EQUS.PLUS, 81 in XNAS.BASIC…).
type PublisherInfo struct {
	ID          int
	Dataset     string // Databento dataset, e.g. "XNAS.ITCH"
	Venue       string // ISO 10383 MIC, or a four-letter code Databento assigned, e.g. "XNAS"
	Description string
}

// Publisher returns Databento's publisher with this id, from the built-in
// copy of the list. The venue name is what a file's publisher_id means when
// no venue table names it (see Venues.Name); fees are never in it.
func Publisher(id int) (PublisherInfo, bool) {
	if id < 1 || id > len(publishers) {
		return PublisherInfo{}, false
	}
	p := publishers[id-1]
	return PublisherInfo{ID: id, Dataset: p.dataset, Venue: p.venue, Description: p.description}, true
}

// publishers is Databento's publisher list, ids 1 to 107 in order, as of
// github.com/NimbleMarkets/dbn-go v0.9.1's table (released 2026-04-02; its
// publishers.go is adapted from Databento's own dbn crate, publishers.rs):
// the same ids, datasets and venues, which package sor/dbn's tests check
// against dbn-go, and dbn-go's descriptions. Databento only appends to the
// list; an id beyond the table is simply unknown (Publisher returns false).
var publishers = [...]struct{ dataset, venue, description string }{
	{"GLBX.MDP3", "GLBX", "CME Globex MDP 3.0"},
	{"XNAS.ITCH", "XNAS", "Nasdaq TotalView-ITCH"},
	{"XBOS.ITCH", "XBOS", "Nasdaq BX TotalView-ITCH"},
	{"XPSX.ITCH", "XPSX", "Nasdaq PSX TotalView-ITCH"},
	{"BATS.PITCH", "BATS", "Cboe BZX Depth"},
	{"BATY.PITCH", "BATY", "Cboe BYX Depth"},
	{"EDGA.PITCH", "EDGA", "Cboe EDGA Depth"},
	{"EDGX.PITCH", "EDGX", "Cboe EDGX Depth"},
	{"XNYS.PILLAR", "XNYS", "NYSE Integrated"},
	{"XCIS.PILLAR", "XCIS", "NYSE National Integrated"}, // 10
	{"XASE.PILLAR", "XASE", "NYSE American Integrated"},
	{"XCHI.PILLAR", "XCHI", "NYSE Texas Integrated"},
	{"XCIS.BBO", "XCIS", "NYSE National BBO"},
	{"XCIS.TRADES", "XCIS", "NYSE National Trades"},
	{"MEMX.MEMOIR", "MEMX", "MEMX Memoir Depth"},
	{"EPRL.DOM", "EPRL", "MIAX Pearl Depth"},
	{"XNAS.NLS", "FINN", "FINRA/Nasdaq TRF Carteret"},
	{"XNAS.NLS", "FINC", "FINRA/Nasdaq TRF Chicago"},
	{"XNYS.TRADES", "FINY", "FINRA/NYSE TRF"},
	{"OPRA.PILLAR", "AMXO", "OPRA - NYSE American Options"}, // 20
	{"OPRA.PILLAR", "XBOX", "OPRA - BOX Options"},
	{"OPRA.PILLAR", "XCBO", "OPRA - Cboe Options"},
	{"OPRA.PILLAR", "EMLD", "OPRA - MIAX Emerald"},
	{"OPRA.PILLAR", "EDGO", "OPRA - Cboe EDGX Options"},
	{"OPRA.PILLAR", "GMNI", "OPRA - Nasdaq GEMX"},
	{"OPRA.PILLAR", "XISX", "OPRA - Nasdaq ISE"},
	{"OPRA.PILLAR", "MCRY", "OPRA - Nasdaq MRX"},
	{"OPRA.PILLAR", "XMIO", "OPRA - MIAX Options"},
	{"OPRA.PILLAR", "ARCO", "OPRA - NYSE Arca Options"},
	{"OPRA.PILLAR", "OPRA", "OPRA - Options Price Reporting Authority"}, // 30
	{"OPRA.PILLAR", "MPRL", "OPRA - MIAX Pearl"},
	{"OPRA.PILLAR", "XNDQ", "OPRA - Nasdaq Options"},
	{"OPRA.PILLAR", "XBXO", "OPRA - Nasdaq BX Options"},
	{"OPRA.PILLAR", "C2OX", "OPRA - Cboe C2 Options"},
	{"OPRA.PILLAR", "XPHL", "OPRA - Nasdaq PHLX"},
	{"OPRA.PILLAR", "BATO", "OPRA - Cboe BZX Options"},
	{"OPRA.PILLAR", "MXOP", "OPRA - MEMX Options"},
	{"IEXG.TOPS", "IEXG", "IEX TOPS"},
	{"DBEQ.BASIC", "XCHI", "DBEQ Basic - NYSE Texas"},
	{"DBEQ.BASIC", "XCIS", "DBEQ Basic - NYSE National"}, // 40
	{"DBEQ.BASIC", "IEXG", "DBEQ Basic - IEX"},
	{"DBEQ.BASIC", "EPRL", "DBEQ Basic - MIAX Pearl"},
	{"ARCX.PILLAR", "ARCX", "NYSE Arca Integrated"},
	{"XNYS.BBO", "XNYS", "NYSE BBO"},
	{"XNYS.TRADES", "XNYS", "NYSE Trades"},
	{"XNAS.QBBO", "XNAS", "Nasdaq QBBO"},
	{"XNAS.NLS", "XNAS", "Nasdaq Trades"},
	{"EQUS.PLUS", "XCHI", "Databento US Equities Plus - NYSE Texas"},
	{"EQUS.PLUS", "XCIS", "Databento US Equities Plus - NYSE National"},
	{"EQUS.PLUS", "IEXG", "Databento US Equities Plus - IEX"}, // 50
	{"EQUS.PLUS", "EPRL", "Databento US Equities Plus - MIAX Pearl"},
	{"EQUS.PLUS", "XNAS", "Databento US Equities Plus - Nasdaq"},
	{"EQUS.PLUS", "XNYS", "Databento US Equities Plus - NYSE"},
	{"EQUS.PLUS", "FINN", "Databento US Equities Plus - FINRA/Nasdaq TRF Carteret"},
	{"EQUS.PLUS", "FINY", "Databento US Equities Plus - FINRA/NYSE TRF"},
	{"EQUS.PLUS", "FINC", "Databento US Equities Plus - FINRA/Nasdaq TRF Chicago"},
	{"IFEU.IMPACT", "IFEU", "ICE Europe Commodities"},
	{"NDEX.IMPACT", "NDEX", "ICE Endex"},
	{"DBEQ.BASIC", "DBEQ", "Databento US Equities Basic - Consolidated"},
	{"EQUS.PLUS", "EQUS", "EQUS Plus - Consolidated"}, // 60
	{"OPRA.PILLAR", "SPHR", "OPRA - MIAX Sapphire"},
	{"EQUS.ALL", "XCHI", "Databento US Equities (All Feeds) - NYSE Texas"},
	{"EQUS.ALL", "XCIS", "Databento US Equities (All Feeds) - NYSE National"},
	{"EQUS.ALL", "IEXG", "Databento US Equities (All Feeds) - IEX"},
	{"EQUS.ALL", "EPRL", "Databento US Equities (All Feeds) - MIAX Pearl"},
	{"EQUS.ALL", "XNAS", "Databento US Equities (All Feeds) - Nasdaq"},
	{"EQUS.ALL", "XNYS", "Databento US Equities (All Feeds) - NYSE"},
	{"EQUS.ALL", "FINN", "Databento US Equities (All Feeds) - FINRA/Nasdaq TRF Carteret"},
	{"EQUS.ALL", "FINY", "Databento US Equities (All Feeds) - FINRA/NYSE TRF"},
	{"EQUS.ALL", "FINC", "Databento US Equities (All Feeds) - FINRA/Nasdaq TRF Chicago"}, // 70
	{"EQUS.ALL", "BATS", "Databento US Equities (All Feeds) - Cboe BZX"},
	{"EQUS.ALL", "BATY", "Databento US Equities (All Feeds) - Cboe BYX"},
	{"EQUS.ALL", "EDGA", "Databento US Equities (All Feeds) - Cboe EDGA"},
	{"EQUS.ALL", "EDGX", "Databento US Equities (All Feeds) - Cboe EDGX"},
	{"EQUS.ALL", "XBOS", "Databento US Equities (All Feeds) - Nasdaq BX"},
	{"EQUS.ALL", "XPSX", "Databento US Equities (All Feeds) - Nasdaq PSX"},
	{"EQUS.ALL", "MEMX", "Databento US Equities (All Feeds) - MEMX"},
	{"EQUS.ALL", "XASE", "Databento US Equities (All Feeds) - NYSE American"},
	{"EQUS.ALL", "ARCX", "Databento US Equities (All Feeds) - NYSE Arca"},
	{"EQUS.ALL", "LTSE", "Databento US Equities (All Feeds) - Long-Term Stock Exchange"}, // 80
	{"XNAS.BASIC", "XNAS", "Nasdaq Basic - Nasdaq"},
	{"XNAS.BASIC", "FINN", "Nasdaq Basic - FINRA/Nasdaq TRF Carteret"},
	{"XNAS.BASIC", "FINC", "Nasdaq Basic - FINRA/Nasdaq TRF Chicago"},
	{"IFEU.IMPACT", "XOFF", "ICE Europe - Off-Market Trades"},
	{"NDEX.IMPACT", "XOFF", "ICE Endex - Off-Market Trades"},
	{"XNAS.NLS", "XBOS", "Nasdaq NLS - Nasdaq BX"},
	{"XNAS.NLS", "XPSX", "Nasdaq NLS - Nasdaq PSX"},
	{"XNAS.BASIC", "XBOS", "Nasdaq Basic - Nasdaq BX"},
	{"XNAS.BASIC", "XPSX", "Nasdaq Basic - Nasdaq PSX"},
	{"EQUS.SUMMARY", "EQUS", "Databento Equities Summary"}, // 90
	{"XCIS.TRADESBBO", "XCIS", "NYSE National Trades and BBO"},
	{"XNYS.TRADESBBO", "XNYS", "NYSE Trades and BBO"},
	{"XNAS.BASIC", "EQUS", "Nasdaq Basic - Consolidated"},
	{"EQUS.ALL", "EQUS", "Databento US Equities (All Feeds) - Consolidated"},
	{"EQUS.MINI", "EQUS", "Databento US Equities Mini"},
	{"XNYS.TRADES", "EQUS", "NYSE Trades - Consolidated"},
	{"IFUS.IMPACT", "IFUS", "ICE Futures US"},
	{"IFUS.IMPACT", "XOFF", "ICE Futures US - Off-Market Trades"},
	{"IFLL.IMPACT", "IFLL", "ICE Europe Financials"},
	{"IFLL.IMPACT", "XOFF", "ICE Europe Financials - Off-Market Trades"}, // 100
	{"XEUR.EOBI", "XEUR", "Eurex EOBI"},
	{"XEEE.EOBI", "XEEE", "European Energy Exchange EOBI"},
	{"XEUR.EOBI", "XOFF", "Eurex EOBI - Off-Market Trades"},
	{"XEEE.EOBI", "XOFF", "European Energy Exchange EOBI - Off-Market Trades"},
	{"XCBF.PITCH", "XCBF", "Cboe Futures Exchange"},
	{"XCBF.PITCH", "XOFF", "Cboe Futures Exchange - Off-Market Trades"},
	{"OCEA.MEMOIR", "OCEA", "Blue Ocean ATS MEMOIR"},
}
