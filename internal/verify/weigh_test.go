package verify

import (
	"encoding/json"
	"slices"
	"strings"
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
	// The missing station's 500 voters could give BRUNO the lead back: no
	// flip is claimed while it is missing.
	if o.CorrectedWinner != "ALBA" || o.RunnerUp != "BRUNO" || o.CorrectedMargin != 30 || o.Flips {
		t.Errorf("corrected %s over %s by %d, flips %v; want ALBA over BRUNO by 30, no flip", o.CorrectedWinner, o.RunnerUp, o.CorrectedMargin, o.Flips)
	}
	if o.Missing != 1 || o.MissingRegistered != 500 || o.Decided {
		t.Errorf("missing %d (%d registered), decided %v; want 1 (500), not decided", o.Missing, o.MissingRegistered, o.Decided)
	}
	// With the fourth station counted (an empty box), the flip is decided.
	ws[3].best = &Count{Source: machine, Figures: fig(0, 0, 0)}
	ws[3].strength = "machine"
	o = v.weigh(fx.Def.Contests[0], ws)
	if !o.Flips || !o.Decided {
		t.Errorf("flips %v, decided %v; want both", o.Flips, o.Decided)
	}
	// Station 1's correction alone (a swing of 40) undoes a lead of 20.
	if !slices.Equal(o.Decisive, []string{"100.1"}) {
		t.Errorf("decisive %v, want [100.1]", o.Decisive)
	}
	if o.Candidates[0].Announced != 275 || o.Candidates[0].Corrected != 300 || o.Evidence["machine"] != 4 {
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

// TestWeighTie weighs contests whose totals tie: there is no winner, in the
// outcome, its JSON and its text, and a tie against an announced winner (or
// the reverse) changes the outcome.
func TestWeighTie(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "weigh", Stations: 2, Registered: 500})
	v := New(fx.Def)
	machine := &Source{Name: "log", Kind: KindLog}
	ann := &Source{Name: "announced", Kind: KindAnnounced}
	fig := func(a, b, c int32) tally.Figures {
		return tally.Figures{Registered: 500, Ballots: a + b + c, Votes: []int32{a, b, c, 0, 0}}
	}
	weigh := func(best, announced []tally.Figures) (Outcome, string) {
		var ws []weighing
		for i, st := range fx.Def.Stations {
			w := weighing{station: st, best: &Count{Source: machine, Figures: best[i]}, strength: "machine"}
			if announced != nil {
				w.announced = &Count{Source: ann, Figures: announced[i]}
			}
			ws = append(ws, w)
		}
		o := v.weigh(fx.Def.Contests[0], ws)
		var b strings.Builder
		o.writeText(&b)
		return o, b.String()
	}
	tie := []tally.Figures{fig(100, 90, 10), fig(90, 100, 10)}

	// Nothing announced: a tie of ALBA and BRUNO at 190.
	o, text := weigh(tie, nil)
	if !o.Tie || !slices.Equal(o.Tied, []string{"ALBA", "BRUNO"}) || o.CorrectedWinner != "" || o.RunnerUp != "" || o.Decided || o.Flips {
		t.Errorf("tie %v %v, winner %q, runner-up %q, decided %v, flips %v; want a tie of ALBA, BRUNO and no winner",
			o.Tie, o.Tied, o.CorrectedWinner, o.RunnerUp, o.Decided, o.Flips)
	}
	if o.Decisive != nil || !strings.Contains(o.Why, "tie") {
		t.Errorf("decisive %v: %s; want none, for a tie", o.Decisive, o.Why)
	}
	if !strings.Contains(text, "a tie of ALBA, BRUNO, no winner") || strings.Contains(text, "winner ALBA") || strings.Contains(text, "by 0") {
		t.Errorf("text says:\n%s", text)
	}
	data, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(data); !strings.Contains(s, `"corrected_winner":""`) || !strings.Contains(s, `"tie":true`) || !strings.Contains(s, `"tied":["ALBA","BRUNO"]`) {
		t.Errorf("JSON: %s", data)
	}

	// BRUNO announced the winner by 10; the actas tie: station 1's
	// correction (a swing of 10) undoes the lead.
	o, text = weigh(tie, []tally.Figures{fig(95, 95, 10), fig(90, 100, 10)})
	if o.AnnouncedWinner != "BRUNO" || o.AnnouncedMargin != 10 || !o.Tie || !o.Flips {
		t.Errorf("announced %s by %d, tie %v, flips %v; want BRUNO by 10, a tie, flips", o.AnnouncedWinner, o.AnnouncedMargin, o.Tie, o.Flips)
	}
	if !slices.Equal(o.Decisive, []string{"100.1"}) {
		t.Errorf("decisive %v, want [100.1]: %s", o.Decisive, o.Why)
	}
	if !strings.Contains(text, "announced winner BRUNO by 10; corrected: a tie of ALBA, BRUNO, no winner: THE OUTCOME CHANGES") {
		t.Errorf("text says:\n%s", text)
	}

	// A tie announced; the actas make ALBA the winner by 5.
	o, text = weigh([]tally.Figures{fig(100, 90, 10), fig(90, 95, 10)}, []tally.Figures{fig(95, 95, 10), fig(95, 95, 10)})
	if o.AnnouncedWinner != "" || !slices.Equal(o.AnnouncedTied, []string{"ALBA", "BRUNO"}) || o.Tie || o.CorrectedWinner != "ALBA" || !o.Flips {
		t.Errorf("announced %q %v, corrected %q, tie %v, flips %v; want an announced tie, ALBA corrected, flips",
			o.AnnouncedWinner, o.AnnouncedTied, o.CorrectedWinner, o.Tie, o.Flips)
	}
	if !slices.Equal(o.Decisive, []string{"100.1"}) {
		t.Errorf("decisive %v, want [100.1]: %s", o.Decisive, o.Why)
	}
	if !strings.Contains(text, "announced a tie of ALBA, BRUNO; corrected winner ALBA by 5 over BRUNO: THE OUTCOME CHANGES") {
		t.Errorf("text says:\n%s", text)
	}
}
