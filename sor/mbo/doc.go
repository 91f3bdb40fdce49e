// Package mbo rebuilds order books from Databento market-by-order (MBO)
// records and, from them, the exact fills of hypothetical orders: the ground
// truth against which queue-position models that see only the top of book
// (MBP-1) can be scored.
//
// # The book
//
// Book keeps, for each venue (publisher id), every resting order by id, at
// its price level, in time priority. The records change it as Databento
// documents (sor.MBO):
//
//   - A adds an order at the back of its price level;
//   - C takes shares off an order (all of them: the order leaves);
//   - M changes an order: a new price or more shares send it to the back of
//     its level, fewer shares keep its place; an M for an unknown order adds
//     it;
//   - R clears the venue's book; the adds that follow it rebuild it, and an
//     order re-added with the id, side and price it had keeps its place;
//   - T (a trade) and F (the fill of a resting order) change nothing: the C
//     or M that follows every execution does.
//
// Top gives a venue's best bid and ask (price, shares, orders) after any
// record; after the last record of an event (sor.FlagLast) it is what an
// MBP-1 row of that event shows. A record that contradicts the book — a
// cancel of an unknown order or of more shares than it has, a second add of
// a resting id — is an error with the record's line.
//
// # Exact FIFO fills
//
// A hypothetical buy limit order of q shares at price p joins the back of
// venue v's bid queue at p at time t, after every record of v with
// ts_event <= t. It changes no one's behaviour: every real order arrives,
// leaves and trades exactly as recorded, and each hypothetical order is
// judged alone. Let ahead be the real shares at p at v that joined before
// us (time priority), less those reported filled in the current event. From
// the records of v after t:
//
//   - Orders ahead leave by cancellation or execution, both known by id.
//     Nobody passes us: a later order joins behind us, and an order that
//     loses its priority (M to a new price or a larger size) goes behind us.
//   - Behind: an execution (F) of s shares at p of an order behind us, when
//     ahead = 0, would have hit us first: we fill min(s, remaining). Under
//     FIFO an order behind us executes only when nothing is ahead; if a
//     venue breaks time priority (other allocation rules), an execution
//     behind us while ahead > 0 fills nothing. The execution of an order the
//     book does not know (a hidden order, which has no time priority over
//     displayed ones) counts as behind us.
//   - Through: a sell aggressor (T, side A) trading s shares at v at a price
//     below p would have met our better bid first: we fill min(s, remaining).
//   - Cross: a sell order at or below p — resting at v when we join, added
//     while we rest, or moved there by an M (new shares only) — would have
//     traded with our bid: we fill min(its shares, remaining).
//
// The fill's time is the record's ts_event (the join time for asks already
// there). An order may be cancelled at a time Until, after which nothing
// fills it. A clear does not cancel it: the venue's data restarts, and orders
// that come back with their ids keep their places ahead of us, while new ids
// join behind.
//
// So after a level empties in reality (everyone ahead and behind has gone),
// our order is alone at p, the best bid of our hypothetical world, and fills
// by Through and Cross: when sells reach the lower bids that remain, or a
// seller posts at p.
//
// Executions are read from F records (Databento's fills of resting orders,
// which the simulator writes); T records count only for Through. A file
// without F records shows executions at p as cancellations, and Behind then
// never fills. Trades at other venues never fill the order: the sellers
// chose those venues, and to send them to ours instead would change their
// behaviour.
//
// # Cost
//
// Truth follows any number of hypothetical orders in one pass: orders are
// indexed by venue and price, a cancellation costs nothing, an execution
// looks only at the orders at its price, and a sell at a lower price only at
// the prices above it. Fills are exact integers of shares, in time order.
package mbo
