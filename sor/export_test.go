package sor

// SetRunRows sets the rows of an external sort's in-memory run and returns
// the function that restores it.
func SetRunRows(n int) (restore func()) {
	old := runRows
	runRows = n
	return func() { runRows = old }
}
