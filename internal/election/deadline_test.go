package election

import (
	"strings"
	"testing"
	"time"
)

// A definition may name once the deadline for the stations' final actas
// to be in the log, an RFC 3339 time to the second in its one canonical
// form; it is written back as read.
func TestDeadlineLine(t *testing.T) {
	const head = "triplicate election v1\nid e1\nname E\nlevels state\ntimezone America/Caracas\n"
	const rest = "contest c * C\ncandidate c a A\ncandidate c b B\narea 1 One\nstation 1.1 1 10 -\n"
	caracas := time.FixedZone("", -4*3600)
	for _, tc := range []struct {
		line string
		want time.Time
		err  string
	}{
		{"", time.Time{}, ""},
		{"deadline 2024-07-29T06:00:00-04:00\n", time.Date(2024, 7, 29, 6, 0, 0, 0, caracas), ""},
		{"deadline 2024-07-29T10:00:00Z\n", time.Date(2024, 7, 29, 10, 0, 0, 0, time.UTC), ""},
		{"deadline 2024-07-29T10:00:00+00:00\n", time.Time{}, "not a time in the form"},
		{"deadline 2024-07-29T10:00:00.5Z\n", time.Time{}, "not a time in the form"},
		{"deadline 2024-07-29 10:00:00Z\n", time.Time{}, "not a time in the form"},
		{"deadline 2024-07-29\n", time.Time{}, "not a time in the form"},
		{"deadline 0001-01-01T00:00:00Z\n", time.Time{}, "not a time in the form"},
		{"deadline \n", time.Time{}, "not a time in the form"},
		{"deadline 2024-07-29T10:00:00Z\ndeadline 2024-07-29T10:00:00Z\n", time.Time{}, `repeated "deadline" line`},
	} {
		d, err := Parse([]byte(head + tc.line + rest))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.line, err)
		}
		if !d.Deadline.Equal(tc.want) {
			t.Errorf("%q: Deadline %v, want %v", tc.line, d.Deadline, tc.want)
		}
		if !strings.Contains(string(d.Marshal()), tc.line) {
			t.Errorf("%q: written back as\n%s", tc.line, d.Marshal())
		}
	}
}
