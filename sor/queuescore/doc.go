// Package queuescore scores the replay's queue models against the exact
// queue: for many hypothetical limit buys it compares when each model says
// they fill, seeing only the top of book (MBP-1), with when they fill in
// the order-by-order book (MBO) of the same market, where nothing has to be
// guessed.
//
// # The orders
//
// On each market, Setup.Orders hypothetical orders are drawn from
// Setup.Seed: a join time t uniform in [first, last − H] (first and last
// are the times of the market's first and last MBP-1 rows, H the longest
// horizon, so that every order is followed for the whole of H), a size from
// Setup.Sizes, and a uniform u in [0, 1) that picks the venue: at t, among
// the venues showing a bid (ascending publisher id, n of them), the one at
// index ⌊u·n⌋. The order joins the back of that venue's best bid queue, at
// the bid price, after every row of the market with ts_event <= t. It is
// cancelled at t + H or, unless Setup.KeepOutbid, after the first event
// that shows a better bid at its venue: a router cancels an order no longer
// at the touch, and on simulated markets the truth of an outbid order would
// be wrong (the simulator does not keep the levels behind the best; its MBO
// view cancels their orders, which would put ours at the front). Both
// cancellations are decided from the MBP-1 rows and apply to the truth and
// the models alike. So queue sizes, venues and times vary as the market
// does; an order that finds no bid anywhere is skipped, and so is an order
// whose venue's MBO book does not show the bid (price and size) the MBP-1
// rows placed it at: the two files disagree there (both are counted; a
// market where more than a tenth of the placed orders disagree, or none is
// placed, is an error: its files are not of one market).
//
// # Truth and prediction
//
// The truth is package mbo's: Truth over the market's MBO records gives each
// order's exact FIFO fills (everyone ahead is known by id; cancellations
// ahead and behind are told apart). Each order is judged alone, as if the
// others did not exist.
//
// A model's prediction is the replay's: replay.Feed turns the MBP-1 rows
// into queue events and replay.MoveQueue moves the order through its
// venue's events with the model, from the queue it joined behind
// (QueueModel.Join with the live bid size). Each order is moved alone too.
//
// An order is filled when all of its shares are. Its time to fill τ is the
// time of the event that filled its last share minus t; an order not filled
// before it was cancelled has τ = ∞ (censored: the truth and the models
// follow every order for the same time, so censoring treats both alike).
//
// # Deterministic and sampled models
//
// RiskAverseQueue and the expected ProbQueue (Sampled false) are
// deterministic: one run, and their "probability" that an order fills within
// T is 0 or 1. A sampled ProbQueue draws where each cancellation came from;
// it is run with seeds 1..Setup.Seeds (each run its own generator), and its
// probability is the fraction of the runs in which the order filled within
// T, k/K. Models of other types are run with every seed, in case they draw.
//
// # Scores
//
// For n orders, truth o_i = 1 when order i filled within T (τ_i <= T), and
// a model's k_i of its K runs filled within T:
//
//	Brier(T)   = (1/n) Σ (k_i/K − o_i)²                  0 is perfect; a model that is always wrong scores 1
//	base(T)    = r·(1 − r),  r = (1/n) Σ o_i              the Brier of always saying r (a reference that knows r)
//	KS         = max over t in [0, H] of |F(t) − G(t)|   F(t) = (1/n) #{i: τ_i <= t},  G(t) = (1/nK) #{runs: τ <= t}
//
// F and G are the time-to-fill distributions with the orders not filled
// within H as a mass beyond H: they need not reach 1, and the distance is
// that of the censored times min(τ, H+). KS is 0 when a model's times to
// fill have the truth's distribution (not necessarily order by order); for
// a model that never fills, it is the truth's fill rate within H.
//
// Calibration: the orders are put in ten bins by k/K, [0, 0.1), [0.1,
// 0.2), …, [0.9, 1] (a deterministic model fills only the first and the
// last), and each bin gives its count, the mean k/K and the observed
// frequency of o. A calibrated model's bins lie on the diagonal.
//
// Brier scores are computed exactly (integer counts) and reported rounded to
// 1e-9; with several markets each horizon's Brier also has a 95% interval
// over the markets (replay.Interval95 of the per-market scores), and so has
// its difference from the best model's, paired market by market
// (Result.VsBest). The best model has the lowest mean Brier over the
// horizons; ties go to the lower KS, then to the earlier model.
//
// # Cost
//
// One pass over the MBP-1 rows moves every run of every model (the runs
// split among the CPUs, sor.PlayParallel), one pass over the MBO records
// gives the truth; neither holds the market. Work grows with rows × orders
// resting at the row's venue × runs; on the simulated markets generating
// the rows and records costs more than the models (BenchmarkScore against
// BenchmarkTruthOnly).
package queuescore
