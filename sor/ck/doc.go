// Package ck implements the order placement model of R. Cont and
// A. Kukanov, "Optimal order placement in limit order markets",
// Quantitative Finance 17(1), 2017 (arXiv:1210.1625): how to split an order
// to buy S shares between a market order and limit orders at the best bids
// of K venues. It uses only the Go standard library.
//
// # The problem in plain words
//
// A trader must buy S shares within a short horizon T (seconds to
// minutes). She can
//
//   - send a market order of M shares now: it fills surely, but pays the
//     half-spread h above the mid price plus the exchange fee f;
//   - post a limit order of L_k shares at the best bid of venue k: if it
//     fills it earns the half-spread h and the venue's rebate r_k, but it
//     sits behind a queue of Q_k shares and only fills if enough of that
//     queue leaves (is traded against or cancelled) before T.
//
// The amount that leaves the queue of venue k during [0, T] is the random
// outflow xi_k. Our limit order fills for the part of the outflow that goes
// beyond the queue ahead of it:
//
//	filled_k = min( (xi_k - Q_k)+ , L_k ),      (y)+ = max(y, 0)
//	A(X, xi) = M + sum_k filled_k               (total executed)
//
// If A < S the trader is short of her target and pays a penalty lambda_u
// per missing share (she will have to catch up later, at a worse price);
// if A > S she has bought too much and pays lambda_o per extra share.
// The impact coefficient theta adds a further cost per share of mismatch.
// With X = (M, L_1, ..., L_K), the realised cost, measured against the mid
// price at time 0, is
//
//	v(X, xi) = (h + f) M
//	         - sum_k (h + r_k) min((xi_k - Q_k)+, L_k)
//	         + (lambda_u + theta) (S - A)+
//	         + (lambda_o + theta) (A - S)+
//
// and the trader minimises the expected cost V(X) = E[v(X, xi)]. On the
// impact term: this package charges theta on the absolute mismatch |A - S|,
// as in the exercise code of the issue; with a single venue the optimum has
// M + L = S, and then this convention and one charging theta on the posted
// size plus the catch-up order, theta (M + sum L_k + (S - A)+), differ by
// the constant theta S, so
// the closed form below is the same under both readings. For K > 1 they
// differ (the second makes over-booking more expensive).
//
// # Convexity: only in part
//
// v is not convex in X, and neither is V, so a local minimum need not be
// global. The executed amount A(X, xi) is concave in X (a sum of minima of
// affine functions). Hence in v the market term is linear, the limit term
// -(h + r_k) min((xi_k - Q_k)+, L_k) is convex when h + r_k >= 0, and the
// shortfall term (lambda_u + theta)(S - A)+ is convex (the positive part of
// a convex function); but the over-fill term (lambda_o + theta)(A - S)+ is
// the positive part of a concave function, which is not convex. Example
// (TestCostIsNotConvex): K = 1, S = 100, h = 0.01, f = 0.003, r = 0.002,
// lambda_u = lambda_o = 0.05, theta = 0, Q = 0, M = 50, xi = 75: the cost
// is 0.05, 1 and 1 at L = 50, 75 and 100, so the midpoint L = 75 lies above
// the chord (0.525). The expectation does not repair it: with K = 2,
// Q = 0, xi_1, xi_2 independent Poisson(75), M = 50 and L_2 = 50, V is
// 1.950 at L_1 = 50, 2.769 at L_1 = 75 and 2.900 at L_1 = 100 (chord
// midpoint 2.425).
//
// What is convex: v restricted to totals M + sum_k L_k <= S. There A <= S,
// the over-fill term vanishes and
//
//	v = const + (h + f - lambda_u - theta) M
//	          - sum_k (h + r_k + lambda_u + theta) min((xi_k - Q_k)+, L_k),
//
// convex when every h + r_k + lambda_u + theta >= 0 (true under A1-A2).
// With one venue the optimum lies on M + L = S (Proposition 1), where V is
// then convex, so the closed form of SingleVenue is a global minimum (when
// h + r + lambda_u + theta < 0, possible only without A2, V is concave on
// that line instead, and SingleVenue compares its two ends). With
// several venues the optimum may over-book (total above S), where V need
// not be convex: the stochastic approximation of Solve then carries no
// guarantee of reaching the global minimum (the paper's O(1/sqrt(N))
// convergence argument assumes convexity; without it one can hope at best
// for a point where no feasible direction decreases V). What the tests
// show: on three K = 2 cases (TestSolveNearBruteForceOnTwoVenues, 20,000
// iterations) the solver's expected cost is within 4% (of |V|) of the
// minimum over a grid of step 2 shares, measured 3.3%, 0.0% and 0.2%; and
// TestSolveMatchesClosedFormFromAnyStart finds it within 2% of the closed
// form for K = 1.
//
// # Assumptions (Params.Validate)
//
//	A1  2h + f + r_k > 0   a filled limit order is cheaper than a market order
//	A2  lambda_u > h + f   missing a share is worse than buying it now
//	A3  lambda_o > h + r_k an extra share costs more than a limit fill earns
//
// Validate reports which one fails; set Params.AllowAssumptionViolations to
// explore outside them.
//
// # Where the optimum lies (Proposition 1)
//
// Under A2-A3 the optimal X* satisfies
//
//	0 <= M* <= S,   0 <= L*_k <= S - M*,   S <= M* + sum_k L*_k <= K S.
//
// Reasons: a total below S always leaves a shortfall, and one more market
// share lowers the cost by lambda_u + theta - (h + f) > 0 (A2); a market
// order above S only adds over-fill; a limit order above S - M could only
// add shares beyond S, which cost lambda_o + theta - (h + r_k) > 0 each (A3).
// The solver projects onto the box-and-total set
// C = {0 <= M, L_k <= S, S <= M + sum L_k <= K S} (Params.Project), which
// contains these points. Note that the upper bound K S allows posting more
// than S in total: over-booking across venues is a feature of the optimum,
// because not every limit order will fill.
//
// # One venue: the closed form (Proposition 3, SingleVenue)
//
// With K = 1 the optimum has M + L = S. Writing F for the distribution
// function of the outflow xi, the slope of V in L (with M = S - L) is
//
//	dV/dL = (h + r + lambda_u + theta) F(Q + L) - (2h + f + r),
//
// nondecreasing in L under A1-A2 (which make h + r + lambda_u + theta > 0).
// So the optimal limit order is the smallest L with F(Q + L) >= p*, where
//
//	p* = (2h + f + r) / (h + r + lambda_u + theta),
//	L* = min(S, max(0, F^{-1}(p*) - Q)),   M* = S - L*.
//
// Three regimes follow:
//
//	market order only  if F(Q) >= p*,      i.e. lambda_u >= (2h+f+r)/F(Q)      - (h+r+theta)
//	limit order only   if F((Q+S)-) < p*,  i.e. lambda_u <  (2h+f+r)/F((Q+S)-) - (h+r+theta)
//	both               otherwise, with L* = F^{-1}(p*) - Q.
//
// F((Q+S)-) = P(xi < Q+S) is the left limit of F at Q+S: L* = S needs
// F(x) < p* for every x < Q+S, and for a discrete law with an atom at Q+S
// it is smaller than F(Q+S) (the two agree for a continuous law).
//
// In words: keep adding shares to the limit order while the chance that the
// next share fills, P(xi > Q + L), exceeds 1 - p*, and buy the rest now. A
// long queue (F(Q) large) or a high under-fill penalty pushes to market
// orders; a short queue pushes everything to the limit order. ExpectedCost
// evaluates V exactly for K = 1 by summing over the atoms of a discrete
// law, and SingleVenueThresholds returns p* and the two lambda_u
// thresholds.
//
// # Many venues: stochastic approximation (Section 4, Solve)
//
// For K > 1 there is no closed form; V is minimised with a projected
// stochastic subgradient method using outflow scenarios xi^1, xi^2, ...
// (simulated or resampled from history). The gradient of v(., xi), where v
// is differentiable (a subgradient where it is convex), is
//
//	pen  = -(lambda_u + theta) 1{A < S} + (lambda_o + theta) 1{A > S}
//	g_M  = h + f + pen
//	g_Lk = ( -(h + r_k) + pen ) 1{ xi_k > Q_k + L_k }
//
// (one more share at venue k only matters if it would have filled). The
// iteration is
//
//	X_{n+1} = Pi_C( X_n - gamma g(X_n, xi^n) ),   n = 0, ..., N-1,
//
// with the constant step of robust stochastic approximation
// gamma = sqrt(K) S / (G sqrt(N)) (G bounds the size of g, see
// Params.DefaultStep), and the answer is the average of the iterates,
// Xbar_N = (1/N) sum X_n. For a convex V its expected cost would be within
// O(S G / sqrt(N)) of the optimum; V is not convex in general (see above),
// so this is a guide, not a guarantee. Options.Burnin leaves the first iterates out of the average
// (0 = the paper's plain average); 0.5 removes the bias of a poor starting
// point, which the plain average keeps for many iterations when the start
// posts limit orders too deep to fill (then g_L = 0 and only M moves).
//
// A caveat for reading solutions: a limit share posted deeper than any
// outflow can reach never fills and so costs nothing in this model, hence
// V is flat in such L_k and the optimum is not unique there. The solver
// then leaves those L_k where the start put them (g_Lk = 0); compare
// costs, not allocations, and judge over-booking only where fills occur.
//
// Outflow scenarios come from a Sampler: Independent (one Distribution per
// venue, e.g. Poisson), CorrelatedPoisson (a common factor with weight
// alpha, Poisson marginals kept) or History (rows of jointly observed
// outflows resampled whole, which keeps their cross-venue correlation).
// EstimateOutflows builds such a History from Level-1 bid events: the
// outflow of a bid queue over a window is the volume traded at the bid,
// plus its size decreases at an unchanged price not explained by those
// trades (cancellations), plus, when the bid price drops, the whole queue
// that was left. Each traded share is counted once whether a trade's quote
// shows the book before the trade (Databento) or after it (sor/sim).
//
// Randomness is seeded (math/rand/v2 PCG): results are reproducible.
package ck
