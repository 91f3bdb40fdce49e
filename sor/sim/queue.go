package sim

// queue is the best bid or best ask of one venue: a price and the orders
// resting there in time priority (front first). Levels behind the best are
// not tracked: when the best empties, the next level is drawn afresh (see
// Sim.reveal), as in Cont and de Larrard's model.
type queue struct {
	px     int64   // price in cents
	orders []int32 // order sizes, oldest first
	size   int64   // sum of orders
}

func (q *queue) count() int32 { return int32(len(q.orders)) }

func (q *queue) empty() bool { return len(q.orders) == 0 }

// push appends an order at the back of the queue.
func (q *queue) push(size int32) {
	q.orders = append(q.orders, size)
	q.size += int64(size)
}

// remove deletes the i-th order and returns its size.
func (q *queue) remove(i int) int32 {
	s := q.orders[i]
	q.orders = append(q.orders[:i], q.orders[i+1:]...)
	q.size -= int64(s)
	return s
}

// take fills up to want shares against the front order and returns the
// filled quantity; a fully filled order leaves the queue.
func (q *queue) take(want int32) int32 {
	f := q.orders[0]
	if want < f {
		q.orders[0] -= want
		q.size -= int64(want)
		return want
	}
	q.remove(0)
	return f
}

// reset empties the queue and moves it to price px.
func (q *queue) reset(px int64) {
	q.px = px
	q.orders = q.orders[:0]
	q.size = 0
}
