package boards

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// FuzzEntry sends the entry form whatever body: the page never fails
// (500) nor panics, every answer is a redirect (kept) or a refusal, and an
// entry kept is one the audit reads back as the member's.
func FuzzEntry(f *testing.F) {
	fx := electiontest.New(electiontest.Options{Seed: "boards", Stations: 40, Registered: 500})
	s := testServer(f, fx, audit.MACRO, f.TempDir())
	if code, _ := post(f, s, s.AdminPath()+"/launch", url.Values{"boards": {"2"}}); code != http.StatusSeeOther {
		f.Fatalf("launch: %d", code)
	}
	b := s.bs.Round(1).Boards[0]
	p := s.BoardPath(b.Name) + "/member/1"
	f.Add(handCount(1, b.Items[0].Station, honest).Encode())
	over := handCount(1, b.Items[0].Station, honest)
	over.Set("f:president.ALBA", "300")
	f.Add(over.Encode())
	f.Add(handCount(1, "100.99", honest).Encode())
	f.Add("round=1&station=100.1&ballot=x&f:ballots=%00")
	f.Add("round=99999999999999999999&station=&ballot=0")
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", p, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusSeeOther, http.StatusBadRequest, http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		if rec.Code == http.StatusSeeOther {
			form, _ := url.ParseQuery(body)
			it := audit.Item{Station: form.Get("station")}
			got := s.bs.Round(1).Boards[0].Entries[0][it]
			n, err := strconv.Atoi(strings.TrimSpace(form.Get("f:ballots")))
			if got == nil || err != nil || got["ballots"] != strconv.Itoa(n) {
				t.Fatalf("kept %q, but the audit has %v", body, got)
			}
		}
	})
}
