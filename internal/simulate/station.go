package simulate

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/machine"
)

// Station runs the voting terminal of one table for a whole day in the state
// directory dir: set up, open, one vote per ballot of the table in a random
// order, close. It returns the signed zero tape and final acta. The terminal
// does not flush to disk (machine.Options.NoSync): a simulation need not
// survive a power cut.
func (e *Election) Station(dir string, t Table, rnd *rand.Rand) (zero, final []byte, err error) {
	if err := machine.Setup(dir, e.Def, t.Station, e.Machines[t.Station]); err != nil {
		return nil, nil, err
	}
	term, err := machine.Load(dir, machine.Options{NoSync: true})
	if err != nil {
		return nil, nil, err
	}
	defer term.Close()
	if zero, err = term.Open(); err != nil {
		return nil, nil, err
	}
	ballots := make([]string, 0, t.Ballots())
	for c, n := range t.Votes {
		for range n {
			ballots = append(ballots, c)
		}
	}
	for range t.Null {
		ballots = append(ballots, "null")
	}
	// Map order varies: sort first, so that a seed gives one order.
	slices.Sort(ballots)
	rnd.Shuffle(len(ballots), func(i, j int) { ballots[i], ballots[j] = ballots[j], ballots[i] })
	contest := e.Def.Contests[0].ID
	for _, b := range ballots {
		if _, err := term.Vote(map[string]string{contest: b}); err != nil {
			return nil, nil, fmt.Errorf("station %s: %w", t.Station, err)
		}
	}
	if final, err = term.ClosePolls(); err != nil {
		return nil, nil, err
	}
	return zero, final, nil
}

// Cosign has every party's witness cosign a signed acta.
func (e *Election) Cosign(msg []byte) ([]byte, error) {
	var ws []note.Signer
	for _, p := range e.Def.Parties {
		ws = append(ws, e.Witness[p.ID])
	}
	return acta.Cosign(msg, e.Def, ws...)
}
