package phone_test

import (
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/web/phone/check"
)

// The phone's WebAssembly has no time zone database: it reads a zone's
// offsets from the browser's (Intl). It writes every deadline as Go does
// with its own database, in summer and winter, in zones of whole hours and
// of minutes, and in UTC.
func TestDeadlineZoneInBrowser(t *testing.T) {
	url, _, _ := server(t, electiontest.New(electiontest.Options{}))
	ctx := openApp(t, url, "en")
	for _, tc := range []struct{ zone, deadline string }{
		{"", "2024-07-29T06:00:00-04:00"},
		{"UTC", "2024-07-29T06:00:00-04:00"},
		{"America/Caracas", "2024-07-29T06:00:00-04:00"},
		{"America/La_Paz", "2019-10-20T23:59:59-04:00"},
		{"America/Sao_Paulo", "2018-10-28T17:00:00-03:00"},
		{"America/New_York", "2024-07-29T06:00:00-04:00"},
		{"America/New_York", "2024-11-06T06:00:00-05:00"},
		{"Asia/Kolkata", "2024-07-29T06:00:00-04:00"},
		{"Asia/Kathmandu", "2024-07-29T06:00:00-04:00"},
		{"Europe/London", "2024-01-10T06:00:00-04:00"},
		{"Europe/London", "2024-07-29T06:00:00-04:00"},
	} {
		f := electiontest.New(electiontest.Options{TimeZone: tc.zone, Deadline: tc.deadline})
		var got struct {
			OK       bool
			Deadline string
			Error    string
		}
		js := fmt.Sprintf(`triplicate.definition(Uint8Array.from(atob(%q), (c) => c.charCodeAt(0)))`, base64.StdEncoding.EncodeToString(f.Text))
		if err := chromedp.Run(ctx, chromedp.Evaluate(js, &got)); err != nil {
			t.Fatal(err)
		}
		if want := check.Deadline(f.Def); !got.OK || got.Deadline != want {
			t.Errorf("deadline %s in %q: the browser says %q (%s), Go %q", tc.deadline, tc.zone, got.Deadline, got.Error, want)
		}
	}
}
