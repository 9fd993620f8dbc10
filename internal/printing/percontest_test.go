package printing

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
)

// TestPerContestPrinted: a version 3 acta, as printed and on the sheet,
// shows each contest's own ballots and its undervotes.
func TestPerContestPrinted(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	text := strings.Replace(string(f.Text), "candidate president CORA Candidate CORA\n", "candidate president CORA Candidate CORA\nrule president plurality seats=2\n", 1)
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	st := def.Station("100.1")
	a := &acta.Acta{
		Election: def.ID, Definition: def.Digest(), Station: st.ID, Kind: acta.Hand, Machine: st.Machine,
		Auditor: f.Auditor.Public, Counted: time.Date(2024, 7, 29, 10, 30, 0, 0, time.UTC),
		Registered: st.Registered, Ballots: 7, Contests: acta.Blank(def.Ballot(st)),
	}
	a.Contests[0].Candidates[0].Votes, a.Contests[0].Candidates[1].Votes, a.Contests[0].Blank = 5, 4, 1
	a.CountPerContest(def.Ballot(st))
	msg, err := acta.Sign(a, f.Auditor)
	if err != nil {
		t.Fatal(err)
	}
	sa, err := acta.Open(msg, def)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteText(&b, sa, def); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings.Fields(b.String()), " ")
	for _, want := range []string{"ballots 7", "undervotes 3"} {
		if !strings.Contains(got, want) {
			t.Errorf("acta as printed lacks %q:\n%s", want, b.String())
		}
	}
	printtest.NeedPdftoppm(t)
	pdf, err := PDF(sa, def)
	if err != nil {
		t.Fatal(err)
	}
	sheet := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	for _, want := range []string{"Undervotes 3", "Ballots in this contest 7"} {
		if !strings.Contains(sheet, want) {
			t.Errorf("sheet lacks %q", want)
		}
	}
}
