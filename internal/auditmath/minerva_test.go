package auditmath

import (
	"errors"
	"math"
	"testing"
)

type minervaCase struct {
	Name       string             `json:"name"`
	Votes      map[string]int64   `json:"votes"`
	Ballots    int64              `json:"ballots"`
	NumWinners int                `json:"num_winners"`
	RiskLimit  float64            `json:"risk_limit"`
	Sizes      map[string]int64   `json:"sizes"`
	Triplicate map[string]int64   `json:"triplicate"` // where triplicate departs from Arlo
	Exact      map[string]int64   `json:"exact_bisection"`
	Error      any                `json:"error"`
	RoundSizes []int64            `json:"round_sizes"`
	Sample     []map[string]int64 `json:"sample"`
	Risk       float64            `json:"risk"`
	Confirmed  bool               `json:"confirmed"`
	Slow       bool               `json:"slow"`
}

func (m minervaCase) contest() Contest {
	return Contest{ID: m.Name, Votes: m.Votes, Ballots: m.Ballots, NumWinners: m.NumWinners}
}

type minervaArloFile struct {
	FirstRound []minervaCase `json:"first_round"`
	NextRound  []minervaCase `json:"next_round"`
	Risk       []minervaCase `json:"risk"`
}

func TestMinervaArloFirstRound(t *testing.T) {
	var f minervaArloFile
	bpLoad(t, "minerva/arlo_test_minerva.json", &f)
	for _, tc := range f.FirstRound {
		got, err := MinervaSampleSizes(tc.contest(), tc.RiskLimit, nil, nil)
		if tc.Error != nil {
			if !errors.Is(err, bpErrName[tc.Error.(string)]) {
				t.Errorf("%s: %v, %v; want error %v", tc.Name, got, err, tc.Error)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.Name, err)
			continue
		}
		want := tc.Sizes
		if tc.Triplicate != nil {
			want = tc.Triplicate
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %q = %d, want %d (Arlo %d)", tc.Name, k, got[k], v, tc.Sizes[k])
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", tc.Name, got, want)
		}
	}
}

// TestMinervaExactBisection checks the exact first-round search where Arlo's
// test names its result (0.4% margin, which Arlo approximates).
func TestMinervaExactBisection(t *testing.T) {
	if testing.Short() {
		t.Skip("about a second")
	}
	var f minervaArloFile
	bpLoad(t, "minerva/arlo_test_minerva.json", &f)
	for _, tc := range f.FirstRound {
		for k, v := range tc.Exact {
			var q float64
			switch k {
			case "0.7":
				q = 0.7
			case "0.8":
				q = 0.8
			case "0.9":
				q = 0.9
			}
			got, err := MinervaFirstRoundSize(tc.contest(), tc.RiskLimit, q)
			if err != nil {
				t.Fatal(err)
			}
			// The chance of stopping is a sawtooth in the round size (odd and
			// even sizes alternate), so a bisection's answer depends on its
			// path: Arlo's numbers came from another Athena version's path.
			// Both answers must be bracket ends, n with P(n) > q ≥ P(n−1), and
			// close to each other.
			vw, vl := tc.Votes["a"], tc.Votes["b"]
			for _, n := range []int64{got, v} {
				_, p := MinervaStopProb(vw, vl, n, tc.RiskLimit)
				_, p1 := MinervaStopProb(vw, vl, n-1, tc.RiskLimit)
				if !(p > q && p1 <= q) {
					t.Errorf("%s: %s: size %d has P = %v, size %d has %v; want a bracket end", tc.Name, k, n, p, n-1, p1)
				}
			}
			if math.Abs(float64(got-v)) > 0.001*float64(v) {
				t.Errorf("%s: exact %s = %d, Athena's bisection %d", tc.Name, k, got, v)
			}
			if got != v {
				t.Logf("%s: %s: %d, Athena's bisection (another version) %d", tc.Name, k, got, v)
			}
		}
	}
}

func TestMinervaArloNextRound(t *testing.T) {
	var f minervaArloFile
	bpLoad(t, "minerva/arlo_test_minerva.json", &f)
	for _, tc := range f.NextRound {
		got, err := MinervaSampleSizes(tc.contest(), tc.RiskLimit, tc.RoundSizes, tc.Sample)
		if err != nil || len(got) != 1 || got["0.9"] != tc.Sizes["0.9"] {
			t.Errorf("%s: %v, %v; Arlo %v", tc.Name, got, err, tc.Sizes)
		}
	}
}

func TestMinervaArloRisk(t *testing.T) {
	var f minervaArloFile
	bpLoad(t, "minerva/arlo_test_minerva.json", &f)
	for _, tc := range f.Risk {
		if tc.Slow && testing.Short() {
			continue
		}
		risk, ok := MinervaRisk(tc.contest(), tc.RiskLimit, tc.RoundSizes, tc.Sample)
		if tc.Error != nil {
			if CheckMinervaRounds(tc.RoundSizes, tc.Sample) == nil || risk != 1 || ok {
				t.Errorf("%s: %v, %v; want an input error, risk 1, not confirmed", tc.Name, risk, ok)
			}
			continue
		}
		if ok != tc.Confirmed {
			t.Errorf("%s: confirmed %v, Arlo %v (risk %v)", tc.Name, ok, tc.Confirmed, risk)
		}
		diff := math.Abs(risk - tc.Risk)
		if tc.Risk != 0 {
			diff /= tc.Risk
		}
		if diff > 1e-9 {
			t.Errorf("%s: risk %.17g, Arlo %.17g (difference %.2g)", tc.Name, risk, tc.Risk, diff)
		}
	}
}

func TestMinervaR2B2Kmins(t *testing.T) {
	var f struct {
		Tests []struct {
			Votes     [2]int64 `json:"votes"`
			RiskLimit float64  `json:"risk_limit"`
			Schedule  []int64  `json:"schedule"`
			Kmins     []*int64 `json:"kmins"`
		} `json:"tests"`
	}
	bpLoad(t, "minerva/r2b2_test_minerva.json", &f)
	for _, tc := range f.Tests {
		kmins, pstop := MinervaKmins(tc.Votes[0], tc.Votes[1], tc.RiskLimit, tc.Schedule)
		for i, want := range tc.Kmins {
			w := int64(-1)
			if want != nil {
				w = *want
			}
			if kmins[i] != w {
				t.Errorf("%v at %v, schedule %v: round %d k_min %d, r2b2 %d", tc.Votes, tc.RiskLimit, tc.Schedule, i+1, kmins[i], w)
			}
		}
		total := 0.0
		for _, p := range pstop {
			total += p
		}
		if total > 1+1e-12 {
			t.Errorf("stopping probabilities sum to %v", total)
		}
	}
}

// TestMinervaRiskLimit checks the risk limit itself: for a tied true
// outcome, the chance that Minerva confirms over a round schedule is at most
// α, computed exactly from the thresholds (the null's stopping mass).
func TestMinervaRiskLimit(t *testing.T) {
	for _, alpha := range []float64{0.05, 0.1, 0.2} {
		m := newMinervaPair(550, 450, alpha)
		var risk float64
		for _, n := range []int64{100, 250, 500, 1000} {
			r := m.advance(n)
			if r.found {
				risk += r.t0(r.kmin)
			}
		}
		if risk > alpha {
			t.Errorf("alpha %v: chance of confirming a tie %v", alpha, risk)
		}
	}
	// The decision (k ≥ k_min) and the p-value (σ ≤ α) agree in later rounds too.
	for _, v := range [][2]int64{{600, 400}, {510, 490}, {900, 100}} {
		m := newMinervaPair(v[0], v[1], 0.1)
		for _, n := range []int64{50, 120, 300, 301, 700} {
			r := m.advance(n)
			for k := n / 2; k <= n; k++ {
				if stop, low := r.found && k >= r.kmin, r.pValue(k) <= 0.1; stop != low && r.ta(k) > 0 {
					t.Errorf("%v, n=%d, k=%d: k_min %d (found %v) but σ = %v", v, n, k, r.kmin, r.found, r.pValue(k))
				}
			}
		}
	}
}

func TestMinervaEdgeCases(t *testing.T) {
	c := Contest{Votes: map[string]int64{"a": 600, "b": 400}, Ballots: 1000, NumWinners: 1}
	if r, ok := MinervaRisk(c, 0.1, []int64{10}, nil); r != 1 || ok {
		t.Errorf("mismatched rounds: %v, %v", r, ok)
	}
	if r, ok := MinervaRisk(c, 0.1, []int64{10}, []map[string]int64{{"a": -1}}); r != 1 || ok {
		t.Errorf("negative votes: %v, %v", r, ok)
	}
	if r, ok := MinervaRisk(c, 1.5, []int64{10}, []map[string]int64{{"a": 10}}); r != 1 || ok {
		t.Errorf("risk limit 1.5: %v, %v", r, ok)
	}
	// A tie is never confirmed.
	tie := Contest{Votes: map[string]int64{"a": 500, "b": 500}, Ballots: 1000, NumWinners: 1}
	if r, ok := MinervaRisk(tie, 0.1, []int64{100}, []map[string]int64{{"a": 100}}); r != 1 || ok {
		t.Errorf("tie: %v, %v", r, ok)
	}
	// Rounds after the confirming one are ignored.
	r1, ok1 := MinervaRisk(c, 0.1, []int64{120}, []map[string]int64{{"a": 80, "b": 40}})
	r2, ok2 := MinervaRisk(c, 0.1, []int64{120, 50}, []map[string]int64{{"a": 80, "b": 40}, {"b": 50}})
	if !ok1 || !ok2 || r1 != r2 {
		t.Errorf("rounds after confirmation: %v %v, %v %v", r1, ok1, r2, ok2)
	}
	// A loser with no reported votes: exact p = 1.
	if k, p := MinervaStopProb(100, 0, 4, 0.1); k != 4 || p != 1 {
		t.Errorf("p = 1, n = 4: k_min %d, stop %v", k, p)
	}
	if k, p := MinervaStopProb(100, 0, 3, 0.1); k != -1 || p != 0 {
		t.Errorf("p = 1, n = 3: k_min %d, stop %v", k, p)
	}
	if r, ok := MinervaRisk(Contest{Votes: map[string]int64{"a": 100, "b": 0}, Ballots: 100, NumWinners: 1}, 0.1,
		[]int64{4}, []map[string]int64{{"a": 4}}); r != 1.0/16 || !ok {
		t.Errorf("p = 1, 4 votes for the winner: %v, %v; want 1/16, true", r, ok)
	}
	if _, err := MinervaFirstRoundSize(c, 0.1, 1); err == nil {
		t.Error("stopping probability 1 accepted")
	}
}
