package replay

// FillModel says how orders execute. Market orders take the displayed ask
// with the depletion rule under both models (Queue also leaves out the
// buys the rows do not show yet); the models differ in what happens to
// limit orders. The two models are Visible and Queue.
type FillModel interface {
	queue() QueueModel // nil: limit orders are refused
	String() string
}

// Visible is the exercise's rule: an order fills up to the displayed ask
// size at once, and nothing rests. Limit orders are refused with an error.
type Visible struct{}

func (Visible) queue() QueueModel { return nil }
func (Visible) String() string    { return "visible" }

// Queue adds resting limit orders whose place in the queue at their price is
// tracked with Model (DefaultQueueModel when nil), and makes market orders
// leave the shares other buyers just took (the package documentation's
// pending_v).
type Queue struct{ Model QueueModel }

func (q Queue) queue() QueueModel {
	if q.Model == nil {
		return DefaultQueueModel()
	}
	return q.Model
}

// DefaultQueueModel is the queue model of a Queue without one: the model
// that scored best against the exact FIFO queue (package sor/queuescore,
// go run ./sor/cmd/queuescore; the README has the scores), the
// probabilistic model with f(x) = log(1+x), sampled: a cancellation is
// drawn to be wholly in front of our order (with probability
// f(front)/(f(front)+f(back))) or wholly behind it. On the calibrated simulator every model scores
// within a few thousandths of a perfect Brier score; this one the best.
func DefaultQueueModel() QueueModel { return ProbQueue{Prob: LogProb{}, Sampled: true} }

func (q Queue) String() string { return "queue_" + q.queue().String() }
