package check

import (
	"strconv"
	"syscall/js"
	"time"
)

// zoneOffset returns the offset from UTC, in seconds, of the named zone at
// t, from the browser's time zone database by way of Intl.DateTimeFormat:
// the phone's WebAssembly carries none of its own (election.ValidTimeZone
// says why). It writes t as a wall clock in the zone and takes the
// difference. ok is false if the browser does not know the zone (Intl
// throws a RangeError) or writes something else than numbers.
func zoneOffset(name string, t time.Time) (off int, ok bool) {
	defer func() {
		if recover() != nil {
			off, ok = 0, false
		}
	}()
	format := js.Global().Get("Intl").Get("DateTimeFormat").New("en-US", map[string]any{
		"timeZone": name, "hourCycle": "h23",
		"year": "numeric", "month": "numeric", "day": "numeric",
		"hour": "numeric", "minute": "numeric", "second": "numeric",
	})
	t = t.Truncate(time.Second)
	parts := format.Call("formatToParts", js.Global().Get("Date").New(float64(t.UnixMilli())))
	wall := map[string]int{}
	for i := range parts.Length() {
		p := parts.Index(i)
		switch kind := p.Get("type").String(); kind {
		case "year", "month", "day", "hour", "minute", "second":
			n, err := strconv.Atoi(p.Get("value").String())
			if err != nil {
				return 0, false
			}
			wall[kind] = n
		}
	}
	if len(wall) != 6 {
		return 0, false
	}
	w := time.Date(wall["year"], time.Month(wall["month"]), wall["day"], wall["hour"], wall["minute"], wall["second"], 0, time.UTC)
	return int(w.Unix() - t.Unix()), true
}
