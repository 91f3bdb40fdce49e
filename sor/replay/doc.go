// Package replay is an event-driven backtest of a buy order in which limit
// orders wait in queues, messages take time to reach the venue and orders
// may never fill (issue 5, "Beyond the exercise").
package replay
