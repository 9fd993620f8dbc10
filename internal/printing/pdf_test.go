package printing

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
)

// spanishDef returns the fixture's definition with names outside ASCII, as
// real ones are.
func spanishDef(t testing.TB, f *electiontest.Fixture) *election.Definition {
	t.Helper()
	text := strings.NewReplacer(
		"name Test election", "name Elección presidencial 2024",
		"Candidate ALBA", "Edmundo González Urrutia",
		"Candidate BRUNO", "Nicolás Maduro Moros",
		"Party PA", "Plataforma Unitaria Democrática",
		"area 1 North", "area 1 DTTO. CAPITAL",
	).Replace(string(f.Text))
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// TestPDFSameBytes renders actas of one to many codes again and again: the
// bytes must not change. (fpdf orders some resources by map iteration; one
// render in four differed when the codes were images.)
func TestPDFSameBytes(t *testing.T) {
	for _, contests := range []int{1, 40} {
		f := electiontest.New(electiontest.Options{Contests: contests})
		sa := printtest.SignedActa(t, f, 10, 3)
		first, err := PDF(sa, f.Def, English)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(first, []byte("/CreationDate (D:20240728180431)")) {
			t.Error("the PDF's creation date is not the acta's closing time")
		}
		reps := 10
		if printtest.Race {
			reps = 3
		}
		for range reps {
			again, err := PDF(sa, f.Def, English)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, first) {
				t.Fatalf("%d contests: two renders of the same acta differ", contests)
			}
		}
	}
}

func TestPDFAnotherElection(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	other := electiontest.New(electiontest.Options{Seed: "other", Contests: 2})
	if _, err := PDF(printtest.SignedActa(t, f, 10, 1), other.Def, English); !notThisElection(err) {
		t.Errorf("printing against another election: %v, want the keys are not the election's", err)
	}
}

// notThisElection reports whether err is acta.Open's for an acta signed by
// keys of another election.
func notThisElection(err error) bool {
	return errors.Is(err, acta.ErrUnknownSigner) || errors.Is(err, acta.ErrNotEnrolled)
}

// zeroAndHand returns a signed zero tape (version 2, with the software
// and the definition) and a signed hand count of station 100.1.
func zeroAndHand(t *testing.T, f *electiontest.Fixture) (zero, hand *acta.Signed) {
	t.Helper()
	st := f.Def.Station("100.1")
	z := &acta.Acta{
		Election: f.Def.ID, Station: st.ID, Kind: acta.Zero, Machine: st.Machine,
		Opened:     time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Registered: st.Registered, Records: acta.Digest(nil),
		Contests:   acta.Blank(f.Def.Ballot(st)),
		Definition: f.Def.Digest(), Software: "triplicate v0.9.0 rev 1234abcd",
	}
	h := &acta.Acta{
		Election: f.Def.ID, Station: st.ID, Kind: acta.Hand, Machine: st.Machine,
		Auditor: f.Auditor.Public, Counted: time.Date(2024, 7, 29, 10, 30, 0, 0, time.UTC),
		Registered: st.Registered, Ballots: 1,
		Contests: acta.Blank(f.Def.Ballot(st)),
	}
	h.Contests[0].Candidates[2].Votes = 1
	open := func(a *acta.Acta, key *keys.Key) *acta.Signed {
		msg, err := acta.Sign(a, key)
		if err != nil {
			t.Fatal(err)
		}
		sa, err := acta.Open(msg, f.Def)
		if err != nil {
			t.Fatal(err)
		}
		return sa
	}
	return open(z, f.Machines[st.ID]), open(h, f.Auditor)
}

// TestPDFKinds prints a zero tape and a hand count, whose sheets show other
// times and signers than a final acta's.
func TestPDFKinds(t *testing.T) {
	printtest.NeedPdftoppm(t)
	f := electiontest.New(electiontest.Options{})
	zero, hand := zeroAndHand(t, f)
	for _, tc := range []struct {
		sa   *acta.Signed
		want []string
	}{
		{zero, []string{"Zero count at opening", "Opened 2024-07-28 06:00:00 UTC", "Ballots cast 0", "The machine of station 100.1",
			"Software triplicate v0.9.0 rev 1234abcd", fmt.Sprintf("Definition %x", f.Def.Digest())[:len("Definition ")+16]}},
		{hand, []string{"Hand count of the paper vouchers", "Counted 2024-07-29 10:30:00 UTC", "Auditor test/auditor/1", "Vouchers in the box 1"}},
	} {
		sa := tc.sa
		pdf, err := PDF(sa, f.Def, English)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
		for _, want := range tc.want {
			if !strings.Contains(text, want) {
				t.Errorf("%s acta: PDF text lacks %q", sa.Kind, want)
			}
		}
	}
}

// pdfText returns the text of a PDF, by pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "acta.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

func TestPDFText(t *testing.T) {
	printtest.NeedPdftoppm(t)
	f := electiontest.New(electiontest.Options{})
	def := spanishDef(t, f)
	sa := printtest.SignedActa(t, f, 10, 3)
	pdf, err := PDF(sa, def, English)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.ArtifactDir()
	if err := os.WriteFile(filepath.Join(dir, "acta.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{
		"COPY FOR THE WITNESS OF PLATAFORMA UNITARIA DEMOCRÁTICA",
		"COPY FOR THE WITNESS OF PARTY PB",
		"COPY FOR THE TALLYING CENTER",
		"Elección presidencial 2024",
		"Edmundo González Urrutia",
		"DTTO. CAPITAL (1)",
		"part 1/3", "part 2/3", "part 3/3", "any 2 of them give it back",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	printtest.Save(t, filepath.Join(dir, "page1.png"), printtest.Render(t, pdf, 200, 1, 1)[0], 0)
}
