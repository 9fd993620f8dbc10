package acta_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// An observer's definition enrols no machine: an acta of such a station,
// however signed, is refused with the reason.
func TestOpenObserverStation(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	msg, err := acta.Sign(finalActa(f), f.Machines["100.1"])
	if err != nil {
		t.Fatal(err)
	}
	if msg, err = acta.Cosign(msg, f.Def, f.Witness["pa"]); err != nil {
		t.Fatal(err)
	}
	st := f.Def.Station("100.1")
	text := strings.Replace(string(f.Def.Marshal()), st.Machine, "-", 1)
	obs, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	_, err = acta.Open(msg, obs)
	if !errors.Is(err, acta.ErrNotEnrolled) || !errors.Is(err, election.ErrNoMachine) ||
		!strings.Contains(err.Error(), "station 100.1 has no enrolled machine: this is an observer's definition") {
		t.Errorf("Open against an observer's definition: %v", err)
	}
	if _, _, err := acta.OpenUnverified(msg, obs); !errors.Is(err, election.ErrNoMachine) {
		t.Errorf("OpenUnverified against an observer's definition: %v", err)
	}
}
