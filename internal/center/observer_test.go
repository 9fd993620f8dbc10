package center_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// A center ingests only actas that machines sign: a definition with a
// station that enrols none (an observer's) is refused, with the reason.
func TestOpenObserverDefinition(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	st := f.Def.Station("100.2")
	obs, err := election.Parse([]byte(strings.Replace(string(f.Def.Marshal()), st.Machine, "-", 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = center.Open(context.Background(), center.Config{Election: obs, Key: f.Center, Dir: t.TempDir()})
	if !errors.Is(err, election.ErrNoMachine) || !strings.Contains(err.Error(), "station 100.2 has no enrolled machine: this is an observer's definition") {
		t.Errorf("Open with an observer's definition: %v", err)
	}
}
