package check

import (
	"fmt"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// Deadline returns the definition's deadline as the phone shows it, in the
// election's time zone ("2024-07-29 06:00 -04"), or "" if it has none.
func Deadline(def *election.Definition) string {
	if def.Deadline.IsZero() {
		return ""
	}
	return when(def, def.Deadline)
}

// when gives a time in the election's time zone, with its offset from UTC
// as the time zone database writes it for zones without a letter
// abbreviation: "2024-07-29 06:00 -04", "2024-07-29 15:30 +0530". It gives
// UTC ("2024-07-29 10:00 UTC") for a definition that names no zone, or a
// zone at UTC at that time, or one whose offset is not known (zoneOffset).
// The phone reads offsets from the browser's time zone database, native
// programs from Go's: both write the offset, never a zone's letter
// abbreviation (which only Go's database has), so they write the same
// words where the two databases give the zone the same offset at t. They
// may not where the zone's rules changed and one database is older, or
// where the browser does not know the zone (UTC then); the instant
// written is right either way, since its offset is written with it.
func when(def *election.Definition, t time.Time) string {
	off, ok := 0, false
	if def.TimeZone != "" {
		off, ok = zoneOffset(def.TimeZone, t)
	}
	if !ok || off == 0 {
		return t.UTC().Format("2006-01-02 15:04") + " UTC"
	}
	return t.In(time.FixedZone("", off)).Format("2006-01-02 15:04 ") + offsetName(off)
}

// offsetName writes an offset from UTC in hours, and minutes if it has
// any: "-04", "+0530".
func offsetName(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	h, m := off/3600, off%3600/60
	if m == 0 {
		return fmt.Sprintf("%c%02d", sign, h)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}
