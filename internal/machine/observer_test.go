package machine_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/machine"
)

// A station of an observer's definition has no machine to set up.
func TestSetupObserverStation(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	st := f.Def.Station("100.1")
	obs, err := election.Parse([]byte(strings.Replace(string(f.Def.Marshal()), st.Machine, "-", 1)))
	if err != nil {
		t.Fatal(err)
	}
	err = machine.Setup(filepath.Join(t.TempDir(), "m"), obs, "100.1", f.Machines["100.1"].Private)
	if !errors.Is(err, election.ErrNoMachine) || !strings.Contains(err.Error(), "this is an observer's definition") {
		t.Errorf("Setup of a station with no machine: %v", err)
	}
}
