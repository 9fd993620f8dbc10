package verify

import (
	"slices"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

func TestLeaders(t *testing.T) {
	for _, tc := range []struct {
		votes         []int64
		first, second int
	}{
		{[]int64{5}, 0, 0},
		{[]int64{1, 2, 3}, 2, 1},
		{[]int64{3, 2, 1}, 0, 1},
		{[]int64{2, 3, 1}, 1, 0},
		{[]int64{2, 2, 1}, 0, 1}, // a tie goes to the earlier
		{[]int64{1, 3, 2}, 1, 2},
	} {
		f, s := leaders(tc.votes)
		if f != tc.first || s != tc.second {
			t.Errorf("leaders(%v) = %d, %d; want %d, %d", tc.votes, f, s, tc.first, tc.second)
		}
	}
}

// TestWeigh weighs a contest of four stations by hand: three counted, one
// missing, two announced with figures other than their actas.
func TestWeigh(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "weigh", Stations: 4, Registered: 500})
	v := New(fx.Def)
	machine := &Source{Name: "log", Kind: KindLog}
	ann := &Source{Name: "announced", Kind: KindAnnounced}
	fig := func(a, b, c int32) tally.Figures {
		return tally.Figures{Registered: 500, Ballots: a + b + c, Votes: []int32{a, b, c, 0, 0}}
	}
	best := []tally.Figures{fig(100, 90, 10), fig(100, 90, 10), fig(100, 90, 10)}
	announced := []tally.Figures{fig(80, 110, 10), fig(95, 95, 10), fig(100, 90, 10)}
	var ws []weighing
	for i, st := range fx.Def.Stations {
		w := weighing{station: st}
		if i < 3 {
			w.best = &Count{Source: machine, Figures: best[i]}
			w.strength = "machine"
			w.announced = &Count{Source: ann, Figures: announced[i]}
		}
		ws = append(ws, w)
	}
	o := v.weigh(fx.Def.Contests[0], ws)
	if o.AnnouncedFrom != "stations" || o.AnnouncedWinner != "BRUNO" || o.AnnouncedMargin != 20 {
		t.Errorf("announced %s %s by %d, want stations BRUNO by 20", o.AnnouncedFrom, o.AnnouncedWinner, o.AnnouncedMargin)
	}
	if o.CorrectedWinner != "ALBA" || o.RunnerUp != "BRUNO" || o.CorrectedMargin != 30 || !o.Flips {
		t.Errorf("corrected %s over %s by %d, flips %v; want ALBA over BRUNO by 30, flips", o.CorrectedWinner, o.RunnerUp, o.CorrectedMargin, o.Flips)
	}
	if o.Missing != 1 || o.MissingRegistered != 500 || o.Decided {
		t.Errorf("missing %d (%d registered), decided %v; want 1 (500), not decided", o.Missing, o.MissingRegistered, o.Decided)
	}
	// Station 1's correction alone (a swing of 40) undoes a lead of 20.
	if !slices.Equal(o.Decisive, []string{"100.1"}) {
		t.Errorf("decisive %v, want [100.1]", o.Decisive)
	}
	if o.Candidates[0].Announced != 275 || o.Candidates[0].Corrected != 300 || o.Evidence["machine"] != 3 {
		t.Errorf("candidates %+v, evidence %v", o.Candidates, o.Evidence)
	}

	// Honest announcement: no flip; the decisive set is the fewest stations
	// that, wholly false, could overturn the lead of 30: any one (a station's
	// worst case is 100 + 500 - 90 = 510).
	for i := range ws[:3] {
		ws[i].announced = ws[i].best
	}
	o = v.weigh(fx.Def.Contests[0], ws)
	if o.Flips || len(o.Decisive) != 1 {
		t.Errorf("flips %v, decisive %v; want no flip and one station", o.Flips, o.Decisive)
	}
}
