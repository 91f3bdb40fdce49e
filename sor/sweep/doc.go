// Package sweep runs the exercise over many data files and instruments —
// days, symbols, settings — resumably, in parallel and in independent
// shards, and gathers the results into one table.
//
// # Manifest, plan and tasks
//
// A Manifest lists inputs (a data file or a glob of them, and which
// instruments to run in each: the file's only one, named symbols or
// instrument ids, or all of them one by one) and the settings of every run,
// written as the backtest command's flags ("-order-size", "-lambda-under",
// "-venues", "-fill", ...), and optionally named settings, each its own
// flags on top of those: a grid over order sizes, fill models or latencies
// (Manifest.Settings). NewPlan makes it concrete before any data is read:
// the globs are expanded, every flag is checked and the venue tables read,
// and the result is hashed:
//
//	hash = SHA-256 of the plan's JSON: the sorted files with their sizes and
//	       instrument selections, the flags in canonical form (-name=value,
//	       by name), the settings with theirs, and the SHA-256 of the venue
//	       tables' bytes.
//
// A task is one file, one instrument and one setting: one scan and one pass
// over the file, in which the whole penalty grid and the three baselines
// play (and, with replay flags, the replay: its router and baselines over
// the seeds). The tasks are the files in path order; within a file, its
// instruments in the order the selection lists them (for all instruments:
// ascending instrument id, or symbol when the file has no ids, found by a
// scan of the file, sor.ScanInstruments); within an instrument, the
// settings in the manifest's order.
//
// # Shards, resume and failures
//
// Shard i of n runs the k-th task of that list when k mod n = i, so that
// the tasks of one file spread over the shards too. The exception is a file
// whose input asks for all instruments: its tasks are known only once the
// file is scanned, so it counts as one entry of the list and all its tasks
// run in the shard it falls to (to spread such a file, name its symbols or
// instrument ids, or split it into a file per symbol). Two shards never
// write the same file. Within a shard, tasks run in parallel
// (Options.Workers).
//
// A run writes into its folder:
//
//	sweep.json                 the plan and its hash; a run or merge with another hash is refused
//	tasks/NAME.json            one task's result, NAME made of the file's name, the instrument, the setting and a hash of them
//	tasks/NAME.error.json      one task's failure, with its error
//	census/NAME.json           the instruments of a file whose input asks for all of them
//	census/NAME.error.json     why that scan failed
//
// Every file is written atomically (a temporary file renamed into place,
// without a lock of the folder: each file has one writer), so
// a run that is killed leaves whole results or none; running it again skips
// the tasks with a result (resume) and retries the failures. A task that fails
// is recorded and does not stop the others.
//
// # The table
//
// Merge reads sweep.json and every result, refuses a folder holding results
// of another plan, and writes results.csv and results.parquet with one row
// per task, grid point and strategy (router, best_ask, twap, vwap), in task
// order, then grid order (λ_under outermost, θ_queue innermost), then that
// strategy order. The baselines do not depend on the grid point: their rows
// repeat at every point so that each row compares the router at its point
// with one strategy. The columns, CSV text and Parquet types:
//
//	manifest         the plan's hash                                  string
//	file             the data file, as the plan names it              string
//	instrument_id    the instrument traded                            int64, null when the file has no ids
//	symbol           its symbol ("" when the file does not say)       string
//	date             UTC date of the first snapshot, 2006-01-02       DATE, null with no snapshot
//	setting          the setting's name ("" without settings)         string
//	setting_args     its own flags, canonical, space-separated        string
//	first_snapshot   RFC 3339 with nanoseconds                        TIMESTAMP(ns, UTC), null with no snapshot
//	last_snapshot    the same, last snapshot                          TIMESTAMP(ns, UTC), null with no snapshot
//	snapshots        decision points in the window                    int64
//	order_size       shares to buy                                    int64
//	grid_point       0-based index in grid order                      int32
//	lambda_under     $/share, exact decimal                           DECIMAL(18,9)
//	lambda_over      $/share, exact decimal                           DECIMAL(18,9)
//	theta_queue      $/share, exact decimal                           DECIMAL(18,9)
//	best             the task's best grid point (fewest unfilled, least cash, first)   boolean
//	strategy         router, best_ask, twap or vwap                   string
//	filled_shares    shares bought                                    int64
//	unfilled_shares  order_size − filled_shares                       int64
//	total_cash       dollars paid, fees included, exact decimal       DECIMAL(38,9) (Cash)
//	avg_fill_px      total_cash / filled_shares                       double, null when nothing filled
//	savings_bps      the router at this grid point against this strategy:
//	                 (avg_fill_px − router's)/avg_fill_px · 10⁴;
//	                 empty on router rows and when either filled nothing   double, optional
//	replay_cost_per_share, replay_cost_ci_low, replay_cost_ci_high, replay_fill_rate
//	                 with replay flags, on the best grid point's rows: the strategy's
//	                 mean cost per share over the seeds, its 95% interval and mean
//	                 fill rate (the router is the static router at these penalties,
//	                 or the ck router at its own grid's choice); empty otherwise   double, optional
//
// Empty CSV fields are nulls. The Parquet files also carry the plan's hash
// in their file-level key-value metadata (key ManifestKey). Both files are
// deterministic: the same results give the same bytes however many shards,
// workers or resumed runs made them.
//
// # The placement table
//
// With -experiment placement (and a queue fill model), each task also runs
// the placement experiment on its file (replay.Protocol.RunPlacement: the
// schedule held fixed, each slice bought with market orders only, the
// Cont-Kukanov split and limit orders only, intervals over the seeds), and
// Merge writes placement.csv and placement.parquet besides, deterministic
// in the same way, one row per task and way, in task order, then the
// experiment's order (market_only, ck_split, limit_only); with settings,
// the tasks of the settings that run the experiment:
//
//	manifest, file, instrument_id, symbol, date, setting, setting_args
//	                        as in the main table
//	slices                  slices of the schedule                            int64
//	seeds                   seeds the figures are over                        int64
//	variant                 market_only, ck_split or limit_only               string
//	expected_cost_per_share, cost_ci_low, cost_ci_high
//	                        $/share, mean over seeds and 95% interval          double, optional
//	savings_bps, savings_ci_low, savings_ci_high
//	                        saving against market_only, positive when
//	                        cheaper; null on market_only rows                  double, optional
//	seeds_cheaper           seeds where the way was cheaper than market_only  int64, optional
//	fill_rate, maker_share, catch_up_share
//	                        fractions, means over seeds                       double, optional
//	catch_up_cost_per_share $/share above the slice's opening ask              double, optional
//	markout_1s, markout_10s, markout_60s
//	                        $/share, mid after the fill − price, all fills    double, optional
//
// The task's JSON (tasks/NAME.json) keeps the experiment's whole report
// (markouts by maker and taker fills and by venue, the savings per seed).
package sweep
