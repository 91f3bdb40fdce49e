package replay

import "strconv"

func itoa(x int64) string   { return strconv.FormatInt(x, 10) }
func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
