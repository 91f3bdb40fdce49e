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
//	QueueModel    where cancellations come from     RiskAverseQueue, ProbQueue{PowerProb | LogProb}
//	LatencyModel  decision → venue delay            ConstantLatency, UniformLatency (nil: zero)
//	Strategy      what to send at each decision     CKRouter, Baseline{sor.BestAsk | sor.TWAP | sor.VWAP | …}
//	Evaluate, GridSearch                            many seeds → mean and 95% interval
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
// # Market orders
//
// A market order for x shares arriving at time a at venue v buys
//
//	exe = min(x, shown_v(a) − taken_v, S − filled)
//
// at the venue's ask at arrival, for exe·(ask + fee); the rest is cancelled
// (immediate or cancel). The slippage per share is ask(a) − ask(decision).
// Fills never take the order beyond its size S: the router is assumed to
// cancel everything the moment the order completes.
//
// # Limit orders and queues
//
// A limit buy at price p arriving at v: if p >= ask it first executes as a
// taker, like a market order, at the ask; the rest rests at p with the queue
// ahead of it
//
//	ahead = live size   if p = bid   (everything displayed and not yet traded is ahead of us)
//	ahead = 0           if p > bid   (a new level of our own)
//	ahead = unknown     if p < bid   (until our level is best again; then ≤ its size)
//
// Then every row of v moves it (the data were recorded without our order,
// so the displayed sizes never include it):
//
//  1. a trade of s shares at p that hit the bid (price <= previous bid, or
//     side 'A' when the price does not decide) removes s from the front:
//     ahead' = ahead − s; if s > ahead our order fills floor(s − ahead)
//     shares and ahead' = 0 (Advance);
//  2. a trade of s shares below p traded through our price: that seller
//     would have hit us first, so we fill min(s, ours);
//  3. a decrease of the displayed bid size at p from b to b' (d = b − b')
//     is first explained by the trades at the bid not yet matched by a
//     decrease, including the row's own (pending, u); the rest, c = d −
//     min(d, u), is a cancellation, and the QueueModel says how much of it
//     was ahead of us (with before = live + c, after = live). After the row
//     only the row's own trade can still be pending: a row always shows the
//     book after the earlier rows' events, and a trade row shows the book
//     after its own trade (as sor/sim writes it) or before it (as Databento
//     MBP does: the next row shows the decrease). Pending is cleared when
//     the bid price changes. Each traded share thus moves the queue once,
//     in rule 1, under either convention. The live size is the displayed
//     size less what is pending;
//  4. whatever the model says, 0 <= ahead <= live size at p; when the bid
//     falls below p nobody is ahead any more;
//  5. new ask size shown at or below p is sellers that would have met our
//     order: we fill min(new size, ours). New is the whole size of a level at
//     a new price (an ask that falls, or rises but stays at or below p: its
//     sellers were behind the old ask, and our order would have met them on
//     arrival or as they posted), or the increase of the same level.
//
// A maker fill of x shares costs x·(p − rebate) (sor.Fill with Fee = −rebate).
// Rules 2 and 5 fill only the size that traded or showed, not the whole
// order as in hftbacktest's trade-through rule: our orders are hundreds of
// shares against queues of a few hundred, so a full fill on a one-share
// print would be far too generous.
//
// The queue models (cancellation of d = b − b' shares, front = ahead,
// back = b − ahead):
//
//	RiskAverseQueue   ahead' = min(ahead, b')      (every cancellation is behind us)
//	ProbQueue{f}      p_front = f(front) / (f(front) + f(back))
//	                  ahead'  = front − p_front·d − max(0, (1 − p_front)·d − back)
//	                  (Sampled: the whole d is in front with probability p_front)
//	PowerProb{N}      f(x) = x^N   (N = 1: every displayed share equally likely)
//	LogProb           f(x) = log(1 + x)
//
// This is hftbacktest's ProbQueueModel, which writes the complementary
// probability f(back)/(f(back)+f(front)) for the share that comes from behind.
//
// # The dynamic Cont-Kukanov router
//
// CKRouter re-solves the paper's one-period problem every horizon T for
// that horizon's share of the order, with
//
//	S   = ⌈(order − filled − market in flight) / ⌊(last − t)/T⌋⌉
//	h   = (best ask − best bid)/2 over all venues,   f = fee of the cheapest ask + fee
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
package replay
