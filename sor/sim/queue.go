package sim

// queue is the best bid or best ask of one venue: a price and the orders
// resting there in time priority (front first). Levels behind the best are
// not tracked: when the best empties, the next level is drawn afresh (see
// Sim.reveal), as in Cont and de Larrard's model.
type queue struct {
	px     int64   // price in cents
	orders []order // oldest first
	size   int64   // sum of the orders' sizes
}

// order is one resting order. Its id is unique within a run and never
// changes, so the MBO output can name it from its add to its last share.
type order struct {
	id   uint64
	size int32
}

func (q *queue) count() int32 { return int32(len(q.orders)) }

func (q *queue) empty() bool { return len(q.orders) == 0 }

// push appends an order at the back of the queue.
func (q *queue) push(id uint64, size int32) {
	q.orders = append(q.orders, order{id, size})
	q.size += int64(size)
}

// remove deletes the i-th order and returns it.
func (q *queue) remove(i int) order {
	o := q.orders[i]
	q.orders = append(q.orders[:i], q.orders[i+1:]...)
	q.size -= int64(o.size)
	return o
}

// take fills up to want shares against the front order and returns that
// order's id and the filled quantity; a fully filled order leaves the queue.
func (q *queue) take(want int32) (id uint64, filled int32) {
	if o := &q.orders[0]; want < o.size {
		o.size -= want
		q.size -= int64(want)
		return o.id, want
	}
	o := q.remove(0)
	return o.id, o.size
}

// reset empties the queue and moves it to price px.
func (q *queue) reset(px int64) {
	q.px = px
	q.orders = q.orders[:0]
	q.size = 0
}
