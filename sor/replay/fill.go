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
// tracked with Model (RiskAverseQueue when nil), and makes market orders
// leave the shares other buyers just took (the package documentation's
// pending_v).
type Queue struct{ Model QueueModel }

func (q Queue) queue() QueueModel {
	if q.Model == nil {
		return RiskAverseQueue{}
	}
	return q.Model
}

func (q Queue) String() string { return "queue_" + q.queue().String() }
