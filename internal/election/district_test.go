package election_test

import (
	"slices"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// TestBallotDistricts: a station's ballot has the contests of every
// district it is in, by name or by area, and no others.
func TestBallotDistricts(t *testing.T) {
	ar, err := txtar.ParseFile("../../doc/spec/vectors/election/ok-district.txt")
	if err != nil {
		t.Fatal(err)
	}
	def, err := election.Parse(ar.Files[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(station string) []string {
		var out []string
		for _, c := range def.Ballot(def.Station(station)) {
			out = append(out, c.ID)
		}
		return out
	}
	if got := ids("100.1"); !slices.Equal(got, []string{"president", "mayor", "council"}) {
		t.Errorf("ballot of 100.1: %v, want president, mayor, council", got)
	}
	if got := ids("100.2"); !slices.Equal(got, []string{"president", "council"}) {
		t.Errorf("ballot of 100.2: %v, want president, council", got)
	}
	// A district made in code, with no index, answers the same.
	d := &election.District{ID: "d1", Stations: []string{"100.1"}}
	if !d.Has(def.Station("100.1")) || d.Has(def.Station("100.2")) {
		t.Error("a district made in code does not hold its station")
	}
}
