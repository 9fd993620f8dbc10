package verify_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// signedOf is the center's signed announcement of station 100.1 at a log
// size, with ALBA's votes as given (and ballots to match), by key.
func signedOf(t *testing.T, f *electiontest.Fixture, size uint64, alba int, by *electiontest.Fixture) []byte {
	t.Helper()
	a := &announced.Announcement{Election: "test", Definition: f.Def.Digest(), Size: size, Root: sha256.Sum256([]byte{byte(size)}),
		Station: "100.1", Index: 1, Registered: 500, Ballots: alba + 4,
		Contests: []announced.Contest{{ID: "president", Candidates: []announced.Candidate{{ID: "ALBA", Votes: alba}, {ID: "BRUNO", Votes: 3}, {ID: "CORA", Votes: 0}}, Null: 1}}}
	msg, err := announced.Sign(a, by.Center)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// machineActa is station 100.1's final acta, 6 for ALBA, signed by its
// machine and cosigned by pa.
func machineActa(t *testing.T, f *electiontest.Fixture) []byte {
	t.Helper()
	st := f.Def.Station("100.1")
	a := &acta.Acta{Election: "test", Station: "100.1", Kind: acta.Final, Machine: st.Machine,
		Opened: time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC), Closed: time.Date(2024, 7, 28, 18, 0, 0, 0, time.UTC),
		Registered: 500, Ballots: 10, Records: acta.Digest(nil), Contests: acta.Blank(f.Def.Ballot(st))}
	a.Contests[0].Candidates[0].Votes, a.Contests[0].Candidates[1].Votes, a.Contests[0].Null = 6, 3, 1
	msg, err := acta.Sign(a, f.Machines["100.1"])
	if err != nil {
		t.Fatal(err)
	}
	if msg, err = acta.Cosign(msg, f.Def, f.Witness["pa"]); err != nil {
		t.Fatal(err)
	}
	return msg
}

// A center that signs other figures than the machine's acta is charged
// with altered-at-center, the finding citing its signature and carrying
// the signed note as evidence; the same figures signed are no finding.
func TestSignedAnnouncedAltered(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	for _, tc := range []struct {
		name  string
		alba  int
		found bool
	}{{"same", 6, false}, {"altered", 60, true}} {
		t.Run(tc.name, func(t *testing.T) {
			v := verify.New(f.Def)
			note := signedOf(t, f, 3, tc.alba, f)
			v.ReadAnnounced("signed.note", note)
			v.AddCopies("copies", write(t, machineActa(t, f)))
			r := v.Report(context.Background())
			var altered []verify.Finding
			for _, x := range r.Findings {
				if x.Check == verify.CheckAltered {
					altered = append(altered, x)
				}
			}
			if !tc.found {
				if len(altered) != 0 {
					t.Fatalf("findings %+v", altered)
				}
				return
			}
			if len(altered) != 1 || !altered[0].Proven || altered[0].Station != "100.1" ||
				!strings.Contains(altered[0].Summary, "the center signed this announcement (announcement 1 (station 100.1, signed by the center at log size 3)), so it cannot deny it") {
				t.Fatalf("findings %+v", r.Findings)
			}
			var cited bool
			for _, e := range altered[0].Evidence {
				if e.Kind == "announced-signed" {
					sa, err := announced.Open([]byte(e.Announcement), f.Def)
					cited = err == nil && bytes.Equal(sa.Msg, note)
				}
			}
			if !cited {
				t.Errorf("the evidence does not carry the center's signed note: %+v", altered[0].Evidence)
			}
		})
	}
}

// A center that signs two different announcements of one station at one
// log size, or two roots of one size, is found out: a split view, both
// notes the evidence. The same note twice, or two sizes, is none.
func TestSignedAnnouncedEquivocation(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	splits := func(notes ...[]byte) []verify.Finding {
		v := verify.New(f.Def)
		v.ReadAnnounced("signed.notes", bytes.Join(notes, nil))
		var out []verify.Finding
		for _, x := range v.Report(context.Background()).Findings {
			if x.Check == verify.CheckSplitView {
				out = append(out, x)
			}
		}
		return out
	}
	got := splits(signedOf(t, f, 3, 6, f), signedOf(t, f, 3, 60, f))
	if len(got) != 1 || got[0].Station != "100.1" || !got[0].Proven || len(got[0].Evidence) != 2 ||
		!strings.Contains(got[0].Summary, "the center signed two different announcements of station 100.1 at log size 3") {
		t.Fatalf("two announcements at one size: %+v", got)
	}
	for _, e := range got[0].Evidence {
		if _, err := announced.Open([]byte(e.Announcement), f.Def); err != nil || e.Kind != "announced-signed" {
			t.Errorf("evidence %+v: %v", e, err)
		}
	}
	if got := splits(signedOf(t, f, 3, 6, f), signedOf(t, f, 3, 6, f)); len(got) != 0 {
		t.Errorf("the same note twice: %+v", got)
	}
	if got := splits(signedOf(t, f, 3, 6, f), signedOf(t, f, 4, 6, f)); len(got) != 0 {
		t.Errorf("two sizes: %+v", got)
	}
}

// Notes the center did not sign — altered by a relay, signed by another
// key, another election's — are problems naming them, never figures: the
// verifier claims nothing from them.
func TestSignedAnnouncedForged(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	other := electiontest.New(electiontest.Options{Seed: "other election"})
	honest := signedOf(t, f, 3, 6, f)
	for name, tc := range map[string]struct {
		note []byte
		want string
	}{
		"altered by a relay":     {bytes.Replace(honest, []byte("candidate ALBA 6\n"), []byte("candidate ALBA 60\n"), 1), "announcement not signed by the center: invalid signature"},
		"signed by a stolen key": {signedOf(t, f, 3, 60, electiontest.New(electiontest.Options{Seed: "thief"})), "no signature by the center's key"},
		"another election's":     {signedOf(t, other, 3, 60, other), "no signature by the center's key"},
		"a note cut short":       {honest[:len(honest)-20], "a signature line with no newline"},
	} {
		t.Run(name, func(t *testing.T) {
			v := verify.New(f.Def)
			v.ReadAnnounced("signed.note", tc.note)
			v.AddCopies("copies", write(t, machineActa(t, f)))
			r := v.Report(context.Background())
			for _, x := range r.Findings {
				if x.Check == verify.CheckAltered {
					t.Errorf("a finding from a note the center did not sign: %+v", x)
				}
			}
			var named bool
			for _, p := range r.Problems {
				named = named || (p.Source == "signed.note" && strings.Contains(p.String(), tc.want))
			}
			if !named {
				t.Errorf("problems %v, want one of signed.note saying %q", r.Problems, tc.want)
			}
		})
	}
}
