// Package replay is an event-driven backtest of a buy order in which limit
// orders wait in queues, messages take time to reach the venue and orders
// may never fill (issue 5, "Beyond the exercise"). Under the exercise's rules
// (package sor) every order fills up to the displayed size at once, so the
// Cont-Kukanov penalties never matter; here they do.
//
// The backtest is assembled from interchangeable parts, one small interface
// per concern:
//
//	sor.Source    rows ordered by ts_event          sor.OpenSource (a file, streamed), sor.NewStream (rows in memory), sim.NewSource
//	FillModel     how orders execute                Visible, Queue{QueueModel}
//	QueueModel    a resting order's queue life      RiskAverseQueue, ProbQueue{PowerProb | LogProb | Log2Prob | PowerProb2 | PowerProb3} (QueueModels)
//	LatencyModel  decision → venue delay            ConstantLatency, UniformLatency (nil: zero)
//	Strategy      what to send at each decision     CKRouter, Slicer{Variant}, Baseline{sor.BestAsk | sor.TWAP | sor.VWAP | …}
//	Evaluate, GridSearch                            many seeds → mean and 95% interval
//	CompareMarkets, Placement                       many markets, paired → mean and 95% interval
//	Protocol                                        the command line's experiments (ParseFill, ParseFillPower, ParseLatency, Check, SimulatedMarkets)
//
// Money stays exact: prices, fees and cash are sor.Money; floats appear only
// in queue estimates, probabilities and statistics.
//
// # Events and decisions
//
// The source is every row in the window, ordered by ts_event with file
// order kept among equal times (sor.Source). Every run of a strategy with a
// seed is an engine, a sor.Player: Evaluate, GridSearch and CompareMarkets
// play all their runs in one pass over the source, shared among the CPUs
// (sor.PlayParallel), each group of engines on its own sor.Book, so that a
// file of any size is read once and never held. Each venue has two views of
// its top of book, both kept by the sor.Book, the one home of the market's
// rules:
//
//   - the quote, which strategies see and market orders take from: the
//     venue's first row at the latest ts_event (Book.Quote), with the
//     exercise's depletion rule (shares this strategy took are gone until a
//     new row replaces the quote: Book.Take, Book.Available);
//   - the raw book, the venue's latest row (Book.Latest), which resting
//     orders follow row by row (every trade and size change counts).
//
// At each distinct ts_event t the engine applies the rows of t, delivers
// the messages that have arrived by t, asks the strategy to decide, and
// delivers what arrives at once. A message sent at t arrives at t + Delay
// (saturated at the largest int64 time, 2262-04-11); messages arriving
// between two rows are delivered, in order of arrival (ties: order of
// sending), against the book of the earlier row, and those still in flight
// when the data ends against the last book, whatever the delay. A cancel
// that arrives before its order (possible under a variable latency) is
// rejected, as a venue rejects a cancel for an order it does not know: it
// does not count in Result.Cancels (Result.Rejected counts it), the order
// arrives and rests, and View.Rejected tells the strategy at its next
// decision, so that it can cancel again. With the Visible model and no
// latency, the baselines give exactly the fills and cash of sor.Backtest (a
// test checks it on the sample).
//
// With Config.FeedDelay the strategy decides on ts_recv instead: a row is
// seen once its ts_recv has passed (or its ts_event, if later; a venue's
// rows in their order), decisions are made at each distinct such time on a
// view of the rows seen by then, and between two rows of the market the
// orders execute against the book as it was at ts_event. On the shipped
// sample it changes no figure: its rows reach the recorder 12 to 103 µs
// after they happen (ts_recv − ts_event), and the command line's replays
// (-fill queue, and -router ck) give the same results with and without
// -feed-delay; a real feed, later by milliseconds in busy markets, may
// not. With Config.Markouts the engine records the consolidated mid at
// times after each fill (see ConsolidatedMid).
//
// # Market orders
//
// A market order for x shares arriving at time a at venue v buys
//
//	exe = min(x, shown_v(a) − taken_v − pending_v, S − filled)
//
// at the venue's ask at arrival, for exe·(ask + fee); the rest is cancelled
// (immediate or cancel). pending_v is 0 under the Visible model (the
// exercise's rule); under a queue model it is the shares other buyers took
// at that ask that the rows do not show yet (a Databento trade row shows the
// book before its trade: see Feed). The slippage per share is ask(a) −
// ask(decision). Fills never take the order beyond its size S: the router is
// assumed to cancel everything the moment the order completes.
//
// # Limit orders and queues
//
// A limit buy at price p arriving at v: if p >= ask it first executes as a
// taker, like a market order, at the ask; the rest rests at p with the queue
// ahead of it (QueueModel.Join; FIFO for every model here)
//
//	ahead = live size   if p = bid   (everything displayed and not yet traded is ahead of us)
//	ahead = 0           if p > bid   (a new level of our own)
//	ahead = unknown     if p < bid   (until our level is best again; then ≤ its size)
//
// Then every row of v moves it (MoveQueue; the data were recorded without
// our order, so the displayed sizes never include it). Only sell prints,
// trades that hit the bids (TradeHitsBid), reach a resting buy: a buyer
// lifting an offer below our price did not trade with us.
//
//  1. a sell print of s shares at p removes s from the front:
//     ahead' = ahead − s; if s > ahead our order fills floor(s − ahead)
//     shares and ahead' = 0 (Advance); a sell print below p traded through
//     our price: that seller would have met us first, we fill min(s, ours);
//  2. a decrease of the displayed bid size at p from b to b' (d = b − b') is
//     first explained by the sells at the bid that no decrease has shown yet
//     (pending, see Feed: carried until the size changes); the rest, c, is a
//     cancellation, and the QueueModel's Cancel says how much of it was
//     ahead of us (with before = live + c, after = live). The live size is
//     the displayed size less what is pending;
//  3. the bid after the row: at p, 0 <= ahead <= live; below p, nobody is
//     ahead any more; no bid at all (a clear, action R, or an empty bid
//     side) keeps the estimate, capped by the live size when the level
//     shows again: the feed lost the level, the queue did not necessarily go;
//  4. new ask size shown at or below p is sellers that would have met our
//     order: we fill min(new size, ours). New is the whole size of a level at
//     a new price (an ask that falls, or rises but stays at or below p: its
//     sellers were behind the old ask, and our order would have met them on
//     arrival or as they posted), or the increase of the same level.
//
// Two of our orders at one venue meet a print (rule 1) or new sellers (rule
// 4) in price-time priority: the higher price first, then the earlier
// arrival, each taking its fill from the print before the next sees it; at
// one price the later order is never estimated nearer the front than the
// earlier one. A maker fill of x shares costs x·(p − rebate) (sor.Fill with
// Fee = −rebate).
//
// The queue models (cancellation of d = b − b' shares, front = ahead,
// back = b − ahead):
//
//	RiskAverseQueue   ahead' = min(ahead, b')      (every cancellation is behind us)
//	ProbQueue{f}      p_front = Prob.Front(front, back)
//	                  ahead'  = front − p_front·d − max(0, (1 − p_front)·d − back)
//	                  (Sampled: the whole d is in front with probability p_front)
//	PowerProb{N}      p_front = f(front)/(f(front) + f(back)), f(x) = x^N   (N = 1: every displayed share equally likely)
//	LogProb           p_front = f(front)/(f(front) + f(back)), f(x) = log(1 + x)
//	Log2Prob          p_front = 1 − f(back)/f(front + back),   f(x) = log(1 + x)
//	PowerProb2{N}     p_front = 1 − f(back)/f(front + back),   f(x) = x^N
//	PowerProb3{N}     p_front = f(front/(front + back)),       f(x) = x^N
//
// (PowerProb2{1} and PowerProb3{1} are PowerProb{1}. With front 300 and
// back 200, N = 2: PowerProb2 takes p_front = 1 − 0.4² = 0.84 of a
// cancellation from the front, PowerProb3 0.6² = 0.36.)
//
// Package sor/queuescore scores them against the exact FIFO queue of
// order-by-order data; Queue{} (no Model) uses the best scored,
// DefaultQueueModel.
//
// # Differences from hftbacktest
//
// The models are hftbacktest's RiskAdverseQueueModel and ProbQueueModel
// (with PowerProbQueueFunc, LogProbQueueFunc, LogProbQueueFunc2,
// PowerProbQueueFunc2 and PowerProbQueueFunc3; it writes the complementary
// probability, the share from behind), and its PartialFillExchange's rules,
// except:
//
//   - rounding: a print beyond the queue ahead fills floor(size − ahead)
//     whole shares (Advance) and the queue is set to 0. hftbacktest lets
//     the queue go negative, tests round(front/lot) < 0 and then fills
//     floor(−front/lot)·lot: the same floor with a lot of one share (a
//     queue of −0.6 fills nothing in both), whole lots with a larger lot
//     (here an order fills in shares, not lots). The fraction below one
//     share is dropped here and carried there, which changes nothing: the
//     next print fills min(print, left) in both;
//   - back with a pending trade: hftbacktest takes back = displayed size −
//     front, counting the traded shares the book does not show yet as
//     behind us; here back = live + cancelled − front leaves them out (they
//     traded at the front);
//   - a print or an offer through our price: hftbacktest fills the whole
//     order; here only the size that printed or showed (rules 1 and 4): our
//     orders are hundreds of shares against queues of a few hundred, so a
//     full fill on a one-share print would be far too generous;
//   - market orders: hftbacktest fills them walking the depth without
//     removing it (up to 100 ticks); here they take only the top of book
//     shown and not yet taken, the rest is cancelled;
//   - crossing limits: hftbacktest never lets a buy at or above the ask rest
//     (it fills the rest at its own price as a taker); here the part the ask
//     cannot fill rests at its price and rule 4 fills it as sellers show.
//
// # The dynamic Cont-Kukanov router
//
// CKRouter re-solves the paper's one-period problem every horizon T for
// that horizon's share of the order, with
//
//	S   = ⌈(order − filled − market in flight) / ⌊(last − t)/T⌋⌉
//	h   = (best ask − best bid)/2 over all venues (sides with a size > 0),   f = fee of the cheapest ask + fee
//	Q_k = bid size of venue k, for the venues at the best bid,   r_k their rebates
//	ξ_k = bid-queue outflow over T (ck.EstimateOutflows on the rows so far;
//	      Poisson while fewer than MinWindows windows are complete)
//
// and ck.Solve (Burnin 0.5) returns X = (M, L_1..L_K). It cancels the previous
// horizon's limit orders, sends round(M) as market orders to the cheapest
// asks (depth-limited; the rest is carried to later decision points of the
// horizon) and posts round(L_k) at venue k's bid. With less than T left it
// cancels and buys the remainder at the cheapest asks. When the book at the
// start of a horizon has no bid or no ask, or is locked or crossed (h <= 0,
// where the model does not apply), the router does not solve: it waits and
// starts the horizon at the next decision point. Parameters breaking
// A1-A3 at some decision make Run fail with the ck.AssumptionError naming
// the assumption (errors.Is(err, ck.ErrAssumption)) unless
// AllowAssumptionViolations is set.
//
// # The placement experiment
//
// Placement separates how a strategy buys each slice of an order from when
// it buys it: one schedule (Slicer), each slice executed three ways on the
// same market and seed: MarketOnly, CKSplit (the Cont-Kukanov split) and
// LimitOnly, the last two with a catch-up at the slice's end. It reports
// the savings of the split and of limit orders against market orders in
// basis points, paired, with 95% intervals over markets (or over seeds on a
// single market), the fill rate, maker and catch-up shares, the catch-up
// cost and the markouts, by venue and by maker or taker.
//
// # Evaluation
//
// Evaluate runs strategies over seeds (the seed drives latency draws,
// sampled queue models and the router's solver) and reports per strategy
// the mean cost per share Cash/Filled with a 95% interval mean ± t·sd/√n
// (Student's t, n − 1 degrees of freedom), the mean fill rate, maker share
// and slippage. GridSearch evaluates the router over a sor.Grid of
// (λ_u, λ_o, θ) and ranks the points by expected cost per share,
//
//	(Cash + Unfilled·(final cheapest ask + fee + UnfilledPenalty)) / order size,
//
// reporting the points whose parameters break an assumption as refused.
//
// # Numbers in the report
//
// Report (the "replay" section of the command line's JSON) writes numbers as
// package sor's summary does (sor.Decimal: exact digits, at most nine
// decimals). Each run's figures are exact fractions of Money and share
// counts, their means over the seeds are exact, and each is rounded once to
// the nearest 1e-9 of its unit, halves away from zero:
//
//	cost_per_share, expected_cost_per_share     dollars per share, mean over runs (cost: runs that filled)
//	slippage_per_taker_share                    dollars per share, mean over runs (0 for a run without taker fills)
//	fill_rate, maker_share                      fractions in [0, 1], means over runs (maker: runs that filled)
//	vs_reference_bps                            basis points, mean over markets of exact d_m
//	*_ci95                                      [mean − w, mean + w] with the exact mean and the float
//	                                            half-width w = t·sd/√n (sd from the exact squared deviations,
//	                                            so that equal runs give w = 0), rounded the same way
//	lambda_*, theta_queue                       dollars per share, exact
//
// A mean over no runs (a cost per share or maker share when nothing filled)
// is null; so are interval bounds without a mean. A rate is a mean of
// fractions each at most 1, computed exactly, so it is never above 1. The
// float fields of Stats and MarketStats are the same exact means rounded to
// float64, for charts and tables.
//
// The "placement" section (PlacementReport) gives each figure of a variant
// as {mean, ci95, n}: the mean over n units (markets, each market's seeds
// pooled, or seeds on a single market: see Placement; a unit without a value
// is left out of n) and ci95 = [mean − w, mean + w] as above, from the
// units' float64 figures, each number rounded once the same way:
//
//	expected_cost_per_share                    dollars per share (unfilled shares at the final price)
//	savings_vs_market_only_bps                 basis points, (c_market_only − c)/c_market_only · 10⁴ per unit; absent for market_only
//	savings_by_unit_bps                        the same savings of each unit, in unit order
//	fill_rate, maker_share, catch_up_share     fractions in [0, 1]; ci95 clipped to [0, 1]: the t interval truncated
//	                                           where it would pass a bound (coverage unchanged, no longer symmetric)
//	catch_up_cost_per_share                    dollars per catch-up share, above the cheapest ask + fee at its slice's start
//	markouts (all, maker, taker),              dollars per share, mid(t + h) − price, share-weighted,
//	markouts_by_venue                          one per horizon of markout_horizons
//
// n = 0 gives a null mean and null bounds (a markout with no fill, a
// catch-up cost with no catch-up); n = 1 an interval that is the point.
package replay
