package replay

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// LatencyModel is the time, in nanoseconds, between a strategy's decision and
// the arrival of its order (or cancel) at the venue. Nil means zero.
type LatencyModel interface {
	Delay(r *rand.Rand) int64
	String() string
}

// ConstantLatency delays every message by the same duration.
type ConstantLatency time.Duration

func (c ConstantLatency) Delay(*rand.Rand) int64 { return int64(c) }
func (c ConstantLatency) String() string         { return "constant " + time.Duration(c).String() }

// UniformLatency draws each delay uniformly from [Min, Max].
type UniformLatency struct{ Min, Max time.Duration }

func (u UniformLatency) Delay(r *rand.Rand) int64 {
	if u.Max <= u.Min {
		return int64(u.Min)
	}
	// Uint64N draws as Int64N does, and takes the span + 1 of [0, MaxInt64].
	return int64(u.Min) + int64(r.Uint64N(uint64(u.Max-u.Min)+1))
}

func (u UniformLatency) String() string { return fmt.Sprintf("uniform [%v, %v]", u.Min, u.Max) }

func checkLatency(l LatencyModel) error {
	switch l := l.(type) {
	case ConstantLatency:
		if l < 0 {
			return fmt.Errorf("negative latency %v", time.Duration(l))
		}
	case UniformLatency:
		if l.Min < 0 || l.Max < l.Min {
			return fmt.Errorf("bad latency range [%v, %v]", l.Min, l.Max)
		}
	}
	return nil
}
