package replay

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// cancelled is the queue ahead after m.Cancel from ahead.
func cancelled(m QueueModel, ahead float64, before, after int64, r *rand.Rand) float64 {
	q := QueuePos{Ahead: ahead}
	m.Cancel(&q, before, after, r)
	return q.Ahead
}

// TestQueueModelsCancelled checks the cancellation updates against values
// worked out by hand. front = ahead, back = before − ahead, d = before − after.
func TestQueueModelsCancelled(t *testing.T) {
	cases := []struct {
		name          string
		m             QueueModel
		ahead         float64
		before, after int64
		want          float64
		how           string
	}{
		{"risk averse keeps its place", RiskAverseQueue{}, 300, 500, 400, 300, "min(300, 400)"},
		{"risk averse capped by display", RiskAverseQueue{}, 300, 500, 200, 200, "min(300, 200)"},
		{"power1 proportional", ProbQueue{Prob: PowerProb{1}}, 300, 500, 400, 240,
			"p = 300/(300+200) = 0.6; 300 − 0.6·100 = 240; back 200 absorbs 40"},
		{"power2", ProbQueue{Prob: PowerProb{2}}, 300, 500, 400, 300 - 100*90000.0/130000,
			"p = 300²/(300²+200²) = 9/13; 300 − 100·9/13 = 230.769…"},
		{"log", ProbQueue{Prob: LogProb{}}, 300, 500, 400, 300 - 100*math.Log(301)/(math.Log(301)+math.Log(201)),
			"p = ln301/(ln301+ln201) = 5.70711/11.01042 = 0.518338; 300 − 51.8338 = 248.166"},
		{"power3", ProbQueue{Prob: PowerProb{3}}, 300, 500, 400, 300 - 100*27.0/35,
			"p = 300³/(300³+200³) = 27/35; 300 − 100·27/35 = 222.857…"},
		{"log2", ProbQueue{Prob: Log2Prob{}}, 300, 500, 400, 300 - 100*(1-math.Log(201)/math.Log(501)),
			"p = 1 − ln201/ln501 = 1 − 5.30330/6.21661 = 0.146914; 300 − 14.6914 = 285.309"},
		{"log2 empty queue", ProbQueue{Prob: Log2Prob{}}, 0, 0, 0, 0, "d = 0: nothing moves"},
		{"func2 power2", ProbQueue{Prob: PowerProb2{2}}, 300, 500, 400, 216,
			"share from behind (200/500)² = 0.16 (hftbacktest's PowerProbQueueFunc2(2).prob(300, 200)), p = 0.84; 300 − 84 = 216"},
		{"func3 power2", ProbQueue{Prob: PowerProb3{2}}, 300, 500, 400, 264,
			"share from behind 1 − (300/500)² = 0.64 (PowerProbQueueFunc3(2).prob(300, 200)), p = 0.36; 300 − 36 = 264"},
		{"func2 power1 is power1", ProbQueue{Prob: PowerProb2{1}}, 300, 500, 400, 240, "1 − 200/500 = 0.6"},
		{"func3 power1 is power1", ProbQueue{Prob: PowerProb3{1}}, 300, 500, 400, 240, "300/500 = 0.6"},
		{"func3 power3 back overflows", ProbQueue{Prob: PowerProb3{3}}, 450, 500, 100, 100,
			"p = 0.9³ = 0.729: front gives 291.6, back's share 108.4 > back 50, so 58.4 more from front: 450 − 350 = 100 = after"},
		{"log back overflows", ProbQueue{Prob: LogProb{}}, 450, 500, 100, 100,
			"p = ln451/(ln451+ln51) = 0.6085; front gives 243.4, back's share 156.6 > back 50, so 106.6 more from front: 450 − 350 = 100 = after"},
		{"power1 alone at the back", ProbQueue{Prob: PowerProb{1}}, 200, 200, 150, 150,
			"back = 0, p = 1: 200 − 50"},
		{"power1 at the front", ProbQueue{Prob: PowerProb{1}}, 0, 200, 150, 0,
			"front = 0, p = 0: the whole decrease is behind us"},
	}
	for _, c := range cases {
		got := cancelled(c.m, c.ahead, c.before, c.after, nil)
		if !near(got, c.want) {
			t.Errorf("%s: got %.6f, want %.6f (%s)", c.name, got, c.want, c.how)
		}
	}
}

// TestSampledProbQueue: a sampled update is one of the two whole outcomes and
// averages to the expected update.
func TestSampledProbQueue(t *testing.T) {
	q := ProbQueue{Prob: PowerProb{1}, Sampled: true}
	r := rand.New(rand.NewPCG(1, 2))
	// front 300, back 200, d 100, p = 0.6: 200 (in front) or 300 (behind);
	// the mean is 0.6·200 + 0.4·300 = 240, the expected update.
	var sum float64
	n := 20000
	for range n {
		got := cancelled(q, 300, 500, 400, r)
		if got != 200 && got != 300 {
			t.Fatalf("sampled update %v, want 200 or 300", got)
		}
		sum += got
	}
	if mean := sum / float64(n); math.Abs(mean-240) > 2 { // sd of the mean ≈ 49/√20000 ≈ 0.35
		t.Errorf("mean sampled update %.2f, want ≈ 240", mean)
	}
	// back 50 < d 400: the behind outcome takes 350 from the front: 450 − 350 = 100.
	for range 100 {
		if got := cancelled(q, 450, 500, 100, r); got != 50 && got != 100 {
			t.Fatalf("got %v, want 50 (450 − 400) or 100 (450 − (400 − 50))", got)
		}
	}
}

// TestQueueModelNames: the named models, as reports and flags call them.
func TestQueueModelNames(t *testing.T) {
	var names []string
	for _, m := range QueueModels() {
		names = append(names, m.String())
	}
	if got := strings.Join(names, " "); got != "risk_averse prob_power1 prob_power2 prob_power3 prob_log prob_log2 prob_func2_power2 prob_func2_power3 prob_func3_power2 prob_func3_power3" {
		t.Errorf("names %q", got)
	}
	// p_front for front 0 and back 0 (an empty queue) is 1/2 under every
	// function; for a back of 0 it is 1, for a front of 0 it is 0.
	for _, f := range []ProbFunc{PowerProb{1}, PowerProb{2}, LogProb{}, Log2Prob{}, PowerProb2{2}, PowerProb3{2}} {
		q := ProbQueue{Prob: f}
		if a, b, c := q.FrontProb(0, 0), q.FrontProb(100, 0), q.FrontProb(0, 100); a != 0.5 || b != 1 || c != 0 {
			t.Errorf("%v: p_front(0,0) = %v, (100,0) = %v, (0,100) = %v; want 0.5, 1, 0", f, a, b, c)
		}
	}
}

func TestAdvance(t *testing.T) {
	cases := []struct {
		ahead      float64
		size, ours int64
		wantAhead  float64
		wantFilled int64
		how        string
	}{
		{300, 100, 200, 200, 0, "300 − 100 ahead remain"},
		{50, 100, 200, 0, 50, "100 − 50 beyond the queue fill us"},
		{0, 500, 200, 0, 200, "capped by our 200"},
		{12.4, 20, 100, 0, 7, "floor(20 − 12.4) = 7"},
		{100, 100, 50, 0, 0, "exactly the queue: nothing for us"},
		{99.4, 100, 100, 0, 0, "floor(0.6) = 0, as hftbacktest with a lot of one share: rounding would fill 1"},
		{99.6, 101, 100, 0, 1, "floor(1.4) = 1"},
	}
	for _, c := range cases {
		a, f := Advance(c.ahead, c.size, c.ours)
		if !near(a, c.wantAhead) || f != c.wantFilled {
			t.Errorf("Advance(%v, %d, %d) = %v, %d; want %v, %d (%s)", c.ahead, c.size, c.ours, a, f, c.wantAhead, c.wantFilled, c.how)
		}
	}
}
