// Package sor is a small, exact model of smart order routing: it reads
// Level-1 quotes of several venues, turns them into decision points, and buys
// an order of S shares with the static Cont-Kukanov allocator and with three
// baselines, so that their costs can be compared to the cent.
//
// Data flows one way, and streams: nothing holds the file's rows.
//
//	file ─OpenSource (scan, then rows in ts_event order)→ Source ─Play→ Book → Players (Trader(Strategy)) → Result{Fills} ─→ Summary / charts / DataFrames
//
// # Money
//
// Prices, fees, rebates, penalties and cash are Money: int64 counts of 1e-9
// dollars, the unit of Databento's fixed-point prices. Sums are exact, so two
// splits tie only when they really cost the same, and tie-breaking rules are
// meaningful. Floats appear only in charts and tables; the JSON report
// writes exact decimals (see "Numbers in the JSON report").
//
// # Input
//
// A Reader takes Databento MBP-1 or MBP-10 CSV: a header, then one row per
// message. It needs ts_event, publisher_id, ask_px_00 and ask_sz_00, finds
// them by name, keeps a few others (ts_recv, bid_px_00, bid_sz_00, action,
// side, price, size, symbol, instrument_id) and skips the rest. Timestamps are
// RFC 3339 with up to nine fractional digits or integer nanoseconds; an empty
// price or Databento's undefined price 2^63−1 means "no quote on that side".
// Prices are decimal dollars or Databento fixed-point integers (1e-9
// dollars), decided per file by evidence that cannot mislead: a price with a
// decimal point means dollars, an integer of 1e9 or more means fixed point
// ($1 or more). An integer below 1e9 proves nothing ("500000000" is $0.50 in
// fixed point and $500,000,000 in dollars), so rows wait for a price that
// decides (at most MaxPriceLookahead); a file that never decides is refused,
// asking for the format (ReadOptions.Prices, -prices). Anything else that is
// wrong — a missing column, a negative or unparsable number, a price of zero,
// a line longer than MaxLine (1 MiB: /dev/zero, a file without line breaks)
// — is a *ParseError naming file, line, column and text (cut short), in
// data files and venue tables (ReadVenues) alike. Decompress reads
// gzip itself and zstd once package sor/zstd is imported; OpenRows and
// NewRowReader also read any format registered with RegisterFormat: package
// sor/dbn registers Databento's DBN, recognised by its first bytes.
//
// An MBOReader takes Databento MBO (market-by-order) CSV by the same rules,
// with the columns ts_event, publisher_id, action, side, price, size and
// order_id required: one MBO record per event of one order. Package sor/mbo
// rebuilds each venue's book from them and gives the exact FIFO fills of
// hypothetical orders.
//
// A venue table (ReadVenues) gives each publisher a taker fee and a maker
// rebate in dollars per share; publishers not in it pay and earn nothing.
// Like a data file it may start with a UTF-8 byte order mark and be gzip- or
// zstd-compressed; a publisher listed twice is an error naming both lines.
// Venues.Name shows a publisher by the table's name, else by its venue in
// Databento's publisher list (Publisher: XNAS for 2), else by its id.
//
// # Sources: a file in two passes
//
// A Source is a market's rows in the exercise's order — ts_event, file order
// among equal times — cut to a Window and one instrument, read in chunks
// (Chunks) and described before they are read (Span: first and last
// ts_event, rows, publishers). OpenSource makes one of a file in two passes.
// The scan reads only ts_event, publisher_id and instrument_id (the prices
// until their format is decided) and learns the span, the instruments, the
// price format and how far ts_event is out of order. A file holding several
// instruments is refused, listing them with their rows, unless
// SourceOptions picks one by id or symbol. Databento files are in ts_recv
// order, where ts_event runs late by a few rows: the scan counts, for every
// row, the earlier rows with a later ts_event, and the play holds exactly
// the largest such count in a reorder buffer (none for a sorted file), which
// releases rows in the exact order of a stable sort. A file further out of
// order than MaxReorder rows is sorted externally instead (runs of rows
// sorted in memory, written to temporary files and merged; SortExternal
// always does so, SortBuffer refuses such a file naming its first late
// row). CSV is parsed in parallel, in blocks of whole lines. Stream is the
// Source of rows already in memory (NewStream sorts a copy).
//
// # The market: one Book
//
// Book is the one place where the market's rules live; snapshots,
// backtests, the replay engine of package sor/replay and the notebooks'
// tables all read the market through it. Play replays a Source into a Book:
// for each row it calls every Player's Row, then applies the row; after the
// rows of each distinct ts_event it calls every Player's Decide (a decision
// point). The rules:
//
//  1. at each distinct ts_event only the first row of each publisher counts:
//     it replaces the venue's quote (Latest keeps every row, for queue
//     models);
//  2. a venue quotes when its quote has an ask price and an ask size > 0;
//     the snapshot at time t lists the quoting venues in ascending
//     publisher id, and every distinct ts_event is one snapshot, even an
//     empty one;
//  3. depletion: shares a strategy takes from a venue are gone from its
//     available size until the venue's next counted row replaces the quote
//     (Taken; Quote.Seq tells quotes apart). Each strategy has its own
//     Taken: strategies do not compete;
//  4. the offers a strategy sees are the quoting venues with shares left to
//     it, with the venue's fee and rebate; the cheapest ask is the lowest
//     ask + fee, with the size shown at it across venues (Cheapest);
//  5. every all-in ask (ask + fee) must be a positive price that does not
//     overflow, and times the order size must fit far inside int64
//     (CashGuard), or the run stops with an error.
//
// Memory is a few dozen bytes per venue and per strategy, never per row: a
// run over a file holds the book, the strategies' fills (at most one per
// share bought) and the reading's buffers — about 40 MB whatever the size of
// the file or the number of venues.
//
// CollectRows and CollectSnapshots are the explicit collect step for
// notebooks and tests: they read a Source (a file opened with OpenSource)
// into memory, its rows (at most as many as asked) or what the book shows at
// each decision point; BuildSnapshots does the latter for rows already held.
// Backtest, Run and SearchGrid replay such snapshots through the same Book
// (SetQuotes).
//
// # The static allocator
//
// Allocate(rem, offers, params) splits rem shares across venues in lots of
// Step = 100. The candidates are the splits with q_v ∈ {0, 100, …} and
// q_v ≤ min(rem − Σ_{u<v} q_u, available_v) that add up to rem. A split costs
//
//	exe_v = min(q_v, available_v)
//	cash  = Σ_v exe_v·(ask_v + fee_v) − Σ_v (q_v − exe_v)·rebate_v
//	under = (rem − Σ exe_v)⁺,   over = (Σ exe_v − rem)⁺
//	cost  = cash + θ_queue·(under + over) + λ_under·under + λ_over·over
//
// and the answer is the cheapest candidate, ties going to the first one the
// enumeration meets (the lexicographically smallest in venue order). With no
// candidate — too little displayed size in whole lots — there is no trade.
//
// AllocateBrute enumerates, as the textbook pseudocode does. Allocate gets
// the identical answer in linear time from one observation: because every
// candidate sends each venue at most what it shows and exactly rem in total,
// under and over are always zero, nothing rests, and the cost is the linear
// Σ q_v·(ask_v + fee_v). So the cheapest venues fill first, and λ_under,
// λ_over and θ_queue cannot change the answer. Package sor/ck holds the
// paper's full model, where they do.
//
// # Strategies
//
// A Strategy sees, at each snapshot, the venues with shares available to it
// and returns how many to take from each; Backtest executes x shares at a
// venue for x·(ask + fee), applies depletion and stops when S shares are
// bought. The four strategies:
//
//   - Router: Allocate(remaining, offers, params) at every snapshot.
//   - BestAsk: everything it can from the lowest ask + fee (ties: lower id).
//   - TWAP: n = ⌊(t_N − t_0)/B⌋ + 1 buckets of B = 60 s from the first
//     snapshot; by the end of bucket k it aims at T_k = ⌊S·(k+1)/n⌋ shares
//     and buys like BestAsk up to T_k − bought, so shortfalls carry over.
//   - VWAP: q = min(remaining, Σ available); venue v gets
//     ⌊q·available_v/Σ available⌋ and the rounding leftovers go one share at a
//     time by (ask + fee, publisher id), cycling, within available sizes.
//
// # Grid search and report
//
// RunSource plays the exercise on a source in one pass: a router for every
// (λ_under, λ_over, θ_queue) of a Grid (λ_under outermost, θ_queue
// innermost, each ascending; at most MaxGridPoints) and the three baselines
// decide at the same decision points of one Book. The best point has the
// fewest unfilled shares, then the least cash, then comes first. RunRows
// runs rows held in memory; Run and SearchGrid, snapshots built earlier.
// Config.Check refuses a configuration before any data is read.
// Outcome.Summary is the JSON report: what was read (the instrument, the
// price format, the venue table), the venues (the publishers seen, with
// their names), the best point, each strategy's result and the grid, where
// savings in basis points are (baseline avg − router avg)/baseline avg·10⁴
// and an average over no fills is null.
//
// # Numbers in the JSON report
//
// Every number in the report is written with exactly its digits (type
// Decimal), never as the float64 nearest to it:
//
//	counts (order_size, snapshots, venues,       integers
//	  filled_shares, unfilled_shares)
//	money (total_cash) and penalties             dollars, exact: every digit of the Money (at most 9 decimals)
//	  (lambda_*, theta_queue)
//	avg_fill_px                                  Cash/Filled in dollars per share, rounded to 1e-9 dollars
//	savings_vs_baselines_bps                     (1 − (c_r·f_b)/(f_r·c_b))·10⁴ from each strategy's cash c and
//	                                             filled shares f, rounded to 1e-9 bps
//
// Rounded numbers are computed exactly from Money and share counts (integer
// fractions, Money.Rat) and rounded once to the nearest multiple of 1e-9,
// halves away from zero (RoundDecimal): 220.012998 is exactly
// 1,100,064.99/5,000, and 5.990415335 is 60/10.016 = 5.9904153354… rounded.
// Trailing zeros are dropped (10.01, 1). A number that does not exist (an
// average over no fills, savings against a baseline that filled nothing) is
// null. Package sor/replay's report section follows the same rules.
//
// # Output files
//
// WriteFiles is the one writer of output files (the commands' results and
// simulated markets, the notebooks' results): under a lock on the folder
// (flock, released by the kernel even when its holder is killed; none on
// systems without flock), it removes the temporary files killed writers
// left, writes each file to a temporary file beside it and syncs it, calls
// the caller's last step (printing the summary), renames the files in the
// order given and syncs the folder. Until the renames nothing is replaced,
// and an error or an interrupt removes the temporary files.
package sor
