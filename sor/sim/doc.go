// Package sim simulates the top of book of one stock traded on several
// venues and writes it as Databento MBP-1 CSV, so that order-routing code
// can be tried on a market where routing matters.
//
// # Why a simulator
//
// Real multi-venue Level-1 data is licensed and cannot be shipped, and a
// single venue makes routing trivial. The model here is small enough to read
// in one sitting: it is the queue model of Cont and de Larrard ("Price
// dynamics in a Markovian limit order market", 2013) run on K venues at
// once, tied together by a common efficient price, a common factor in the
// order flow and the rule that the consolidated book never locks or crosses.
//
// # State
//
// Each venue v keeps only its best bid and best ask: a price (in cents, the
// tick) and a queue of resting orders in time priority, each with an order id
// that is unique in the run. Levels behind the best are not tracked; when a
// best queue empties, the next level is drawn afresh, as in Cont and de
// Larrard.
//
// # Order flow
//
// On each side of each venue three kinds of events arrive as Poisson
// processes:
//
//	limit orders        rate λ_v = s_v · AddRate      join the back of the best queue
//	cancel attempts     rate θ_v = s_v · CancelRate   remove a random order of the queue
//	market orders       rate μ_v = s_v · MarketRate   take liquidity from the front
//
// where s_v is the venue's Share of the market-wide flow. A cancel attempt
// at a queue of n orders succeeds with probability min(1, n/(2·D_v)), D_v
// being the venue's Depth: below 2·D_v orders every order is cancelled at
// its own rate θ_v/(2·D_v), so queues revert towards D_v orders instead of
// wandering off.
//
// Sizes: limit and market orders draw their size from LimitSizes and
// MarketSizes (round lots of 100 are the most common, odd lots frequent).
// With probability LargeProb a limit order is instead a large resting quote
// of LargeMin to LargeMax shares; cancellations spare it with probability
// LargeStickiness, so such walls rest a while.
//
// # The common factor
//
// Order flow is correlated across venues, as when one participant's orders
// fan out over all of them. Every stream of kind k (say market buys) at
// venue v is the sum of two independent parts:
//
//   - an idiosyncratic Poisson stream of rate (1-α)·s_v·Λ_k, and
//   - the venue's share of a market-wide common stream of rate α·s_max·Λ_k:
//     each common event reaches venue v with probability s_v/s_max,
//     independently across venues, a few microseconds apart
//     (SweepLatencyMean); the largest venue always receives it.
//
// Venue v therefore still sees rate s_v·Λ_k in total, a fraction α = Alpha of
// it common. Counts N_v and N_w of one kind in any window then have
//
//	corr(N_v, N_w) = α · sqrt(s_v · s_w) / s_max
//
// which is α itself when venues have equal shares (Cont and Kukanov's
// illustration uses α = 0.6, the default here).
//
// # The efficient price
//
// All venues follow one efficient price p*, an arithmetic random walk with
// the Volatility of the stock:
//
//	p*(t+dt) = p*(t) + p0 · σ_annual · sqrt(dt / (252 · 6.5 h)) · N(0, 1)
//
// When p* sits x ticks above venue v's mid, order flow leans upwards: an
// event that would push the price down (a market sell, a limit sell, a
// cancelled bid) is turned into its mirror image (a market buy, a cancelled
// ask, a limit buy) with probability min(MaxPull, Pull·x); symmetrically
// below. This is how news reaches the book: through order flow, not by
// moving quotes by decree. The book lags p* a little: with the defaults the
// consolidated mid is about 3 ticks (root mean square) from p*.
//
// # Price moves
//
// A price moves only when a best queue empties, through cancellations or
// market orders (Cont and de Larrard's rule):
//
//   - the emptied side steps one tick away (an empty ask at a moves to a+1)
//     with a fresh queue of 1 + Poisson(D_v - 1) orders;
//   - with probability GapFillProb a new order on the other side takes the
//     vacated price (the bid moves up to a), so the venue's spread stays one
//     tick; otherwise the spread widens by a tick;
//   - while a venue's spread is two ticks or more, a limit order is placed
//     one tick inside it with probability ImproveProb.
//
// # Venues never lock or cross
//
// Before any quote moves towards the other side (a gap fill, an improving
// order), it is checked against every other venue: a bid must stay strictly
// below every other venue's ask and an ask strictly above every other
// venue's bid; a move that would lock or cross is not made. Quotes that move
// away from the other side cannot cross. So at every instant
//
//	max_v bid_v < min_v ask_v,
//
// the consolidated book is never locked or crossed, and since each venue's
// own spread stays narrow, all venues quote within a few ticks of each other,
// following p*. A market order sent to a venue that is not at the consolidated
// best is routed to one that is (chosen in proportion to the shares), as
// order protection requires, so no trade goes through a better price shown
// elsewhere.
//
// # Output
//
// Every event produces one or more MBP-1 rows (see Row and Writer): an add
// (action A), a cancel (C) or one trade row per resting order filled (T,
// side the aggressor: B for a buy, A for a sell), each carrying the venue's
// best bid and ask, sizes and order counts after the row. A price move adds
// a row for the gap-filling order. The last row of an event has flag 128
// (F_LAST). ts_event is the matching-engine time, ts_recv = ts_event +
// latency (never decreasing from row to row), ts_in_delta = ts_recv -
// ts_event. The run is deterministic in its seed: one PCG generator, no
// goroutines, no map iteration.
//
// The same run can also be written order by order as Databento MBO (see MBO,
// RunMBO and GenerateMBO): every add, cancel and fill of every resting order,
// by id, with the timestamps and sequence number of the MBP-1 row of its
// event, so that the book rebuilt from the MBO records has, after each MBP-1
// row's records, exactly that row's top of book. Order ids and the MBO
// records use no random draw: the MBP-1 output is the same with or without
// them. Because levels behind the best are not tracked, the MBO view shows
// the orders left behind when a quote moves to a new price as cancelled, and
// a level revealed when the best empties as newly added orders.
//
// # Calibration
//
// DefaultParams describes a liquid US large cap near $220: one-cent tick,
// six venues with rough lit market shares (XNAS, ARCX, EDGX, BATS, MEMX,
// IEXG), illustrative taker fees and maker rebates in the spirit of their
// public fee schedules, a few hundred shares at each venue's best, rare
// walls of thousands, and 25% annual volatility. Event rates are scaled down
// about 30 times from a real large cap so that nine minutes fit in a few
// megabytes; with seed 1 the sample has about 138 rows a second. The
// stylized facts that the tests check are listed in facts_test.go.
//
// # Many days, several symbols
//
// WriteDays writes trading days (weekdays) of several symbols for trying a
// sweep without licensed data: symbol s is ForSymbol(s) (its own name,
// instrument id and price), and day d of symbol s an independent run with
// seed DaySeed(seed, d, s); a day's file holds every symbol, rows merged in
// ts_recv order (GenerateSymbols), or one file a day and symbol.
package sim
