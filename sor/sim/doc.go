// Package sim simulates the top of book of one stock traded on several
// venues and writes it as Databento MBP-1 CSV, so that order-routing code
// can be tried on a market where routing matters.
//
// # Why a simulator
//
// Real multi-venue Level-1 data is licensed and cannot be shipped, and a
// single venue makes routing trivial. The model here is small enough to read
// in one sitting: it is the queue model of Cont and de Larrard ("Price
// dynamics in a Markovian limit order market", 2013), with intensities that
// react to the queues as in Huang, Lehalle and Rosenbaum's, run on K venues
// at once, tied together by a common efficient price, a common factor in the
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
// processes, their intensities depending on the queue they act on, as in
// Huang, Lehalle and Rosenbaum's queue-reactive model ("Simulating and
// analyzing order book data", 2015):
//
//	limit orders    λ_v = s_v · AddRate                              join the back of the best queue
//	cancellations   θ_v(n) = s_v · CancelRate · min(1, n/(c·D_v))    remove a random order of the queue
//	market orders   μ_v(Q) = s_v · MarketRate · Q_m/(Q_m + Q)        take liquidity from the front
//
// where s_v is the venue's Share of the market-wide flow, n the number of
// orders in the queue and Q its size in shares, D_v the venue's Depth,
// c = CancelSaturation and Q_m = MarketQueue. So every order is cancelled at
// a rate of its own, θ_v(n)/n, until the queue holds c·D_v orders (the
// cancel intensity rises with the queue, then saturates), and market orders
// come less often at long queues (at a queue of Q_m shares, half as often
// as at an empty one). The intensities are drawn by thinning: a cancel
// attempt at rate s_v·CancelRate succeeds with probability min(1, n/(c·D_v)),
// a market order is sent with probability Q_m/(Q_m+Q).
//
// Sizes: limit and market orders draw their size from LimitSizes and
// MarketSizes (round lots of 100 are the most common, odd lots frequent).
// With probability LargeProb a limit order is instead a large resting quote
// of LargeMin to LargeMax shares; cancellations spare it with probability
// LargeStickiness, so such walls rest a while (until the price moves past
// them: stale quotes are withdrawn whatever their size).
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
// News reaches the book through order flow, not by moving quotes by decree,
// in three ways:
//
//   - Stale quotes are withdrawn. While p* is above a venue's ask (or below
//     its bid), every order of that quote is cancelled at rate StaleRate, as
//     fast traders pull quotes that public information has made stale
//     (Budish, Cramton and Shim, "The high-frequency trading arms race",
//     2015), at every venue at once.
//   - Orders inside a venue's spread go p*'s way. While a venue's spread is
//     two ticks or more, limit orders arrive inside it at rate ImproveRate
//     (the same at every venue: it is how fast market makers close a gap):
//     a bid if p* is above the venue's mid, an ask if below, one tick inside
//     the venue's quote or straight at the consolidated best if the quote is
//     further behind, unless that would lock or cross another venue.
//   - Market orders lean towards p*: a market sell becomes a buy with
//     probability min(MaxPull, Pull·x) when p* is x ticks above the venue's
//     mid (the ask less half a tick), and a buy a sell symmetrically below,
//     so trades carry information and prices move the way they go.
//
// The consolidated mid then stays within about a tick of p* (0.65 tick root
// mean square with the defaults, against 3 ticks before stale quotes were
// withdrawn) and carries its volatility from a second up.
//
// # Price moves
//
// A price moves only when a best queue empties, through cancellations or
// market orders (Cont and de Larrard's rule), or when an order improves a
// wide spread:
//
//   - the emptied side steps one tick away (an empty ask at a moves to a+1)
//     with a fresh queue of 1 + Poisson(D_v - 1) orders;
//   - with probability GapFillProb a new order on the other side takes the
//     vacated price (the bid moves up to a), so the venue's spread stays one
//     tick; otherwise the spread widens by a tick;
//   - while a venue's spread is two ticks or more, in-spread orders (above)
//     close it.
//
// The events whose rates depend on a venue's state rather than on its share
// (stale-quote withdrawals, in-spread orders) are drawn with Gillespie's
// method: the rates are recomputed after every event, and the next event is
// drawn from them.
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
// DefaultParams describes a liquid US large cap near $220, in the morning:
// one-cent tick, six venues with rough lit market shares (XNAS, ARCX, EDGX,
// BATS, MEMX, IEXG), illustrative taker fees and maker rebates in the
// spirit of their public fee schedules, a few hundred shares at each
// venue's best, occasional walls of thousands, and 25% annual volatility.
// The stylized facts it is calibrated to are each tested in facts_test.go
// on three seeds; with seed 1 (the shipped sample, four minutes):
//
//	fact (source)                                          target               model
//	consolidated spread one tick (Bouchaud et al.,         almost always        0.999 of the time
//	  "Trades, Quotes and Prices", 2018: large-tick stocks)
//	each venue's own spread one tick (issue 13)            most of the time     0.76-0.78 (before: 0.50-0.59)
//	best queue: a few hundred shares in a few orders       36-421 shares        medians 100-200 shares
//	  (AAPL on XNAS, the exercise's file)
//	queue size at the best, in average event sizes (AES)   hump, long tail      hump at half an AES (a round lot),
//	  (Huang, Lehalle and Rosenbaum 2015; Bouchaud,                               mean 1.7 AES, 5% above 5 AES
//	  Mézard and Potters 2002)
//	cancel intensity rises with the queue (HLR)            rises                1.3-1.9 times from <0.75 to 2.5+ AES
//	market-order intensity falls with the queue (HLR)      falls                2.8-8.5 times less often
//	limit-order intensity about flat (HLR)                 flat                 within 9% (XNAS) to 26% (IEXG)
//	traded volume (AAPL ~55M shares a day, half lit,       ~2,500 shares/s      2,320 shares/s, 29 trade rows/s
//	  U-shaped day)                                                             (before: 1,280)
//	best ask moves one tick at a time, often (large tick)  several a second     4.4 a second, all one tick (before: 0.8)
//	mid's volatility from 1 s to 60 s (flat signature)     25%                  25%, 27%, 29% (before: 12% at 1 s)
//	response of the mid to a trade (Bouchaud et al. 2004)  positive, growing    0.05, 0.18, 0.17 tick at 10 ms, 1 s, 10 s
//
// What it does not reach: its queues are thinner in AES than Huang,
// Lehalle and Rosenbaum's European stocks (whose hump is at a few AES); at
// the two smallest venues cancellations are mostly stale quotes being
// withdrawn and their intensity is nearly flat in the queue; levels behind
// the best are not modelled, so a real feed carries more messages than the
// model's 308 rows a second (2.2 times the model before this calibration,
// whose doc put real rates 30 times higher; that figure had no source
// here and the model does not claim to match a full feed's count).
//
// The sample is four minutes long, so that it holds about as many rows as
// before (74,000, 1.9 MB compressed) while TWAP's 60-second buckets still
// number four and a 5,000-share order still needs many snapshots.
//
// # Many days, several symbols
//
// WriteDays writes trading days (weekdays) of several symbols for trying a
// sweep without licensed data: symbol s is ForSymbol(s) (its own name,
// instrument id and price), and day d of symbol s an independent run with
// seed DaySeed(seed, d, s); a day's file holds every symbol, rows merged in
// ts_recv order (GenerateSymbols), or one file a day and symbol.
package sim
