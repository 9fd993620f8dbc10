//go:build !js

package check

import "time"

// zoneOffset returns the offset from UTC, in seconds, of the named zone at
// t, from Go's time zone database (package election embeds it in native
// programs); ok is false if the zone does not load.
func zoneOffset(name string, t time.Time) (off int, ok bool) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return 0, false
	}
	_, off = t.In(loc).Zone()
	return off, true
}
