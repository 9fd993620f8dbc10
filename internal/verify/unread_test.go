package verify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestUnreachableCenter verifies against a center that does not answer: its
// log and announcement are unread, and the report claims nothing from their
// absence: no station is missing, no contest is weighed, and it is not
// clean.
func TestUnreachableCenter(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Stations: 3})
	v := verify.New(fx.Def)
	v.AddAnnounced(context.Background(), "http://127.0.0.1:1/v1/announced", nil)
	v.AddLog(context.Background(), verify.LogSource{Location: "http://127.0.0.1:1/log/"})
	r := v.Report(context.Background())
	checkUnread(t, r, 2, "http://127.0.0.1:1/log/: checkpoint: cannot read the checkpoint")
}

// TestStallingCenter verifies against a center that accepts the connection
// and then sends nothing (or stops in the middle of a body): with a short
// timeout, its sources are unread after that time, not after forever.
func TestStallingCenter(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/announced") {
			// Headers and the first bytes, then nothing.
			w.Write([]byte(`{"election": `))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)

	fx := electiontest.New(electiontest.Options{Stations: 3})
	client := tally.HTTPClient(100 * time.Millisecond)
	v := verify.New(fx.Def)
	start := time.Now()
	v.AddAnnounced(context.Background(), srv.URL+"/v1/announced", client)
	v.AddLog(context.Background(), verify.LogSource{Location: srv.URL + "/log/", Client: client})
	r := v.Report(context.Background())
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("gave up after %v", d)
	}
	checkUnread(t, r, 2, "sent nothing for 100ms")
	for _, p := range r.Unread() {
		if !strings.Contains(p.What, "sent nothing for 100ms") {
			t.Errorf("%s: want it to say the server sent nothing", p)
		}
	}
}

func checkUnread(t *testing.T, r *verify.Report, n int, want string) {
	t.Helper()
	var all []string
	for _, p := range r.Unread() {
		all = append(all, p.String())
	}
	t.Logf("unread:\n%s", strings.Join(all, "\n"))
	if len(all) != n || !strings.Contains(strings.Join(all, "\n"), want) {
		t.Errorf("unread sources:\n%s\nwant %d, one saying %q", strings.Join(all, "\n"), n, want)
	}
	if r.Clean() {
		t.Error("the report is clean")
	}
	for _, f := range r.Findings {
		t.Errorf("a finding from unread sources: %s", f.Summary)
	}
	if len(r.Outcomes) != 0 {
		t.Errorf("%d contests weighed from unread sources", len(r.Outcomes))
	}
	var b strings.Builder
	r.WriteText(&b, 10)
	text := b.String()
	if !strings.Contains(text, "COULD NOT READ: 2 sources; nothing is claimed from them") || strings.Contains(text, "missing") || strings.Contains(text, "decisive") {
		t.Errorf("text says:\n%s", text)
	}
}
