package replay

// FillModel says how orders execute. Market orders execute the same way
// under every model (against the displayed ask with the depletion rule);
// the models differ in what happens to limit orders. The two models are
// Visible and Queue.
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
// tracked with Model (RiskAverseQueue when nil).
type Queue struct{ Model QueueModel }

func (q Queue) queue() QueueModel {
	if q.Model == nil {
		return RiskAverseQueue{}
	}
	return q.Model
}

func (q Queue) String() string { return "queue_" + q.queue().String() }
