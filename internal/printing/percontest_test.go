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

// perContestActa returns a version 3 hand count of a definition whose
// president contest elects two: 7 vouchers, 1 blank, 9 votes, 3 unused.
func perContestActa(t *testing.T) (*acta.Signed, *election.Definition) {
	t.Helper()
	f := electiontest.New(electiontest.Options{Rules: map[string]string{"president": "plurality seats=2"}})
	def := f.Def
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
	return sa, def
}

// TestPerContestPrinted: a version 3 acta, as printed and on the sheet,
// shows each contest's own ballots and its undervotes.
func TestPerContestPrinted(t *testing.T) {
	sa, def := perContestActa(t)
	var b bytes.Buffer
	if err := WriteText(&b, sa, def, English); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings.Fields(b.String()), " ")
	for _, want := range []string{"ballots 7", "undervotes 3"} {
		if !strings.Contains(got, want) {
			t.Errorf("acta as printed lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := WriteText(&b, sa, def, Spanish); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(b.String()), " "); !strings.Contains(got, "votos no usados 3") {
		t.Errorf("the acta printed in Spanish lacks its undervotes:\n%s", b.String())
	}
	printtest.NeedPdftoppm(t)
	pdf, err := PDF(sa, def, English)
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
