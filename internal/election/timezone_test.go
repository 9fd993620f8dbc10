package election

import (
	"strings"
	"testing"
)

// A definition may name its time zone once, an IANA name; it is written
// back as read, and a definition without one is written without one.
func TestTimeZoneLine(t *testing.T) {
	const head = "triplicate election v1\nid e1\nname E\nlevels state\n"
	const rest = "contest c * C\ncandidate c a A\ncandidate c b B\narea 1 One\nstation 1.1 1 10 -\n"
	for _, tc := range []struct {
		line, want, err string
	}{
		{"", "", ""},
		{"timezone America/Caracas\n", "America/Caracas", ""},
		{"timezone UTC\n", "UTC", ""},
		{"timezone Mars/Olympus\n", "", "not an IANA time zone name"},
		{"timezone \n", "", "not an IANA time zone name"},
		{"timezone Local\n", "", "not an IANA time zone name"},
		{"timezone UTC\ntimezone UTC\n", "", `repeated "timezone" line`},
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
		if d.TimeZone != tc.want {
			t.Errorf("%q: TimeZone %q, want %q", tc.line, d.TimeZone, tc.want)
		}
		again, err := Parse(d.Marshal())
		if err != nil || again.TimeZone != tc.want || strings.Contains(string(d.Marshal()), "timezone") != (tc.want != "") {
			t.Errorf("%q: written back as\n%s(%v)", tc.line, d.Marshal(), err)
		}
	}
}
