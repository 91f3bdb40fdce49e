// Package sor is a small, exact model of smart order routing: it reads
// Level-1 quotes of several venues, turns them into decision points, and buys
// an order of S shares with the static Cont-Kukanov allocator and with three
// baselines, so that their costs can be compared to the cent.
//
// Data flows one way:
//
//	Databento CSV ─Reader→ []Row ─BuildSnapshots→ []Snapshot ─Backtest(Strategy)→ Result{Fills} ─→ Summary / charts / DataFrames
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
// RFC 3339 with up to nine fractional digits or integer nanoseconds; prices
// are decimal dollars or fixed-point integers (a file whose first price is an
// integer of 1e9 or more is fixed-point), and an empty price or Databento's
// undefined price 2^63−1 means "no quote on that side". Anything else that is
// wrong — a missing column, a negative or unparsable number, a price of zero —
// is a *ParseError naming file, line, column and text. Open reads gzip itself
// and zstd once package sor/zstd is imported.
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
//
// # Snapshots
//
// BuildSnapshots orders rows by ts_event (file order among equal times),
// keeps those inside the Window, and at each distinct ts_event keeps only the
// first row of each publisher. A venue's quote is its latest kept row; the
// snapshot at time t lists the venues whose quote has an ask price and a
// positive ask size. Every distinct ts_event is one snapshot.
//
// Depletion: shares a strategy takes from a venue are gone from its available
// size until the venue's next kept row replaces the quote (Quote.Seq tells
// them apart). Each strategy has its own book: they do not compete.
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
// SearchGrid runs the router for every (λ_under, λ_over, θ_queue) of a Grid
// (λ_under outermost, θ_queue innermost, each ascending), in parallel, and
// picks the point with the fewest unfilled shares, then the least cash, then
// the earliest. Run (RunRows, from rows and a window) adds the baselines;
// Outcome.Summary is the JSON report, where savings in basis points are
// (baseline avg − router avg)/baseline avg·10⁴, the venues are the publishers
// seen, and an average over no fills is null.
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
