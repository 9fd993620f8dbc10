package check

import (
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// The deadline in the election's time zone, with the zone's offset at
// that time (summer and winter), in hours and minutes where it has them;
// in UTC without a zone, or at an offset of zero.
func TestDeadlineInZone(t *testing.T) {
	for _, tc := range []struct{ zone, deadline, want string }{
		{"", "2024-07-29T06:00:00-04:00", "2024-07-29 10:00 UTC"},
		{"UTC", "2024-07-29T06:00:00-04:00", "2024-07-29 10:00 UTC"},
		{"America/Caracas", "2024-07-29T06:00:00-04:00", "2024-07-29 06:00 -04"},
		{"America/New_York", "2024-07-29T06:00:00-04:00", "2024-07-29 06:00 -04"},
		{"America/New_York", "2024-11-06T06:00:00-04:00", "2024-11-06 05:00 -05"},
		{"Asia/Kolkata", "2024-07-29T06:00:00-04:00", "2024-07-29 15:30 +0530"},
		{"Asia/Kathmandu", "2024-07-29T06:00:00-04:00", "2024-07-29 15:45 +0545"},
		{"Europe/London", "2024-01-10T06:00:00-04:00", "2024-01-10 10:00 UTC"},
		{"Europe/London", "2024-07-29T06:00:00-04:00", "2024-07-29 11:00 +01"},
	} {
		f := electiontest.New(electiontest.Options{TimeZone: tc.zone, Deadline: tc.deadline})
		if got := Deadline(f.Def); got != tc.want {
			t.Errorf("deadline %s in %q: %q, want %q", tc.deadline, tc.zone, got, tc.want)
		}
	}
	if got := Deadline(electiontest.New(electiontest.Options{}).Def); got != "" {
		t.Errorf("no deadline: %q", got)
	}
}
