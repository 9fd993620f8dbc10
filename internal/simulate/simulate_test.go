package simulate_test

import (
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/simulate"
)

func TestEmbeddedData(t *testing.T) {
	e, err := simulate.VE2024(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The sums data/README.md states for the slice.
	var reg, eg, nm int
	for i, tb := range e.Tables {
		st := e.Def.Stations[i]
		if st.ID != tb.Station {
			t.Fatalf("table %d is %s, station %s", i, tb.Station, st.ID)
		}
		reg += st.Registered
		eg += tb.Votes["EG"]
		nm += tb.Votes["NM"]
	}
	if len(e.Tables) != 1534 || reg != 1210692 || eg != 462138 || nm != 230649 {
		t.Fatalf("%d tables, RE %d, EG %d, NM %d; want 1534, 1210692, 462138, 230649", len(e.Tables), reg, eg, nm)
	}
}

// TestStations runs real terminals for a few tables and checks that each
// final acta, cosigned by every party, has the table's real counts.
func TestStations(t *testing.T) {
	e, err := simulate.VE2024(5, nil)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	for _, tb := range e.Tables {
		_, final, err := e.Station(filepath.Join(dir, tb.Station), tb, rnd)
		if err != nil {
			t.Fatal(err)
		}
		if final, err = e.Cosign(final); err != nil {
			t.Fatal(err)
		}
		sa, err := acta.Open(final, e.Def)
		if err != nil {
			t.Fatal(err)
		}
		if len(sa.Signatures) != 4 {
			t.Errorf("%s: %d signatures, want 4", tb.Station, len(sa.Signatures))
		}
		got := sa.Contests[0]
		for _, c := range got.Candidates {
			if c.Votes != tb.Votes[c.Candidate] {
				t.Errorf("%s: %s has %d votes, the sheet %d", tb.Station, c.Candidate, c.Votes, tb.Votes[c.Candidate])
			}
		}
		if got.Null != tb.Null || sa.Ballots != tb.Ballots() {
			t.Errorf("%s: null %d ballots %d, the sheet %d and %d", tb.Station, got.Null, sa.Ballots, tb.Null, tb.Ballots())
		}
	}
}

// TestCloseRace makes the Distrito Capital a race decided by exactly 728
// votes, with about 550,000 ballots, every table still possible.
func TestCloseRace(t *testing.T) {
	e, err := simulate.VE2024(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.CloseRace(728, 0.77, rand.New(rand.NewPCG(2024, 1)))
	var eg, nm, ballots int
	for i, tb := range e.Tables {
		eg += tb.Votes["EG"]
		nm += tb.Votes["NM"]
		ballots += tb.Ballots()
		if tb.Ballots() > e.Def.Stations[i].Registered || tb.Votes["EG"] < 0 || tb.Votes["NM"] < 0 {
			t.Fatalf("table %s: %d ballots of %d registered, EG %d, NM %d", tb.Station, tb.Ballots(), e.Def.Stations[i].Registered, tb.Votes["EG"], tb.Votes["NM"])
		}
	}
	if eg-nm != 728 {
		t.Errorf("EG %d, NM %d: margin %d, want 728", eg, nm, eg-nm)
	}
	if ballots < 530_000 || ballots > 570_000 {
		t.Errorf("%d ballots, want about 550,000", ballots)
	}
}
