package verify_test

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestMachineSigned: a station is backed by signed evidence when a final
// acta signed by its own machine is among the copies; not when its only
// acta is its zero tape, nor when the acta naming it was signed by another
// station's machine.
func TestMachineSigned(t *testing.T) {
	f := newForgeryFixture(t)
	st := f.def.Station("100.2")
	zero := &acta.Acta{Election: f.def.ID, Station: st.ID, Kind: acta.Zero, Machine: st.Machine,
		Opened: time.Date(2026, 10, 4, 7, 0, 0, 0, time.UTC), Registered: st.Registered, Records: acta.Digest(nil),
		Contests: []acta.Tally{{Contest: "president", Candidates: []acta.Count{{Candidate: "ALBA"}, {Candidate: "BRUNO"}, {Candidate: "CORA"}}}}}
	zmsg, err := acta.Sign(zero, f.fx.Machines[st.ID])
	if err != nil {
		t.Fatal(err)
	}
	set, problems := verify.MachineSigned(context.Background(), f.def, verify.Sources{Copies: write(t, f.real, zmsg)})
	if len(problems) > 0 {
		t.Errorf("problems: %+v", problems)
	}
	if !set["100.1"] || set["100.2"] || len(set) != 1 {
		t.Errorf("signed %v; want 100.1 alone (100.2 has only its zero tape)", set)
	}

	// 100.2's final acta, signed with 100.1's machine key.
	other := &acta.Acta{Election: f.def.ID, Station: st.ID, Kind: acta.Final, Machine: f.def.Station("100.1").Machine,
		Opened: time.Date(2026, 10, 4, 7, 0, 0, 0, time.UTC), Closed: time.Date(2026, 10, 4, 17, 0, 0, 0, time.UTC),
		Registered: st.Registered, Ballots: 20, Records: sha256.Sum256([]byte("other")),
		Contests: []acta.Tally{{Contest: "president", Candidates: []acta.Count{{Candidate: "ALBA", Votes: 10}, {Candidate: "BRUNO", Votes: 10}, {Candidate: "CORA"}}}}}
	omsg, err := acta.Sign(other, f.fx.Machines["100.1"])
	if err != nil {
		t.Fatal(err)
	}
	set, problems = verify.MachineSigned(context.Background(), f.def, verify.Sources{Copies: write(t, omsg)})
	if set["100.2"] || len(problems) != 1 {
		t.Errorf("signed %v, problems %+v; want 100.2 refused (a machine key not its own)", set, problems)
	}
}
