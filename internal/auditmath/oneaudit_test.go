package auditmath

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/contest"
)

type oneAuditFile struct {
	Cases []struct {
		Name       string   `json:"name"`
		Candidates []string `json:"candidates"`
		RiskLimit  float64  `json:"risk_limit"`
		Ballots    int64    `json:"ballots"`
		Stations   []struct {
			ID       string  `json:"id"`
			Trusted  bool    `json:"trusted"`
			Reported []int64 `json:"reported"`
			True     []int64 `json:"true"`
		} `json:"stations"`
		Sample []struct {
			Station string   `json:"station"`
			Marks   []string `json:"marks"`
		} `json:"sample"`
		Assertions []struct {
			BatchValues   map[string]float64 `json:"batch_values"`
			BatchDraws    []string           `json:"batch_draws"`
			BatchP        float64            `json:"batch_p"`
			BatchPHistory []float64          `json:"batch_p_history"`
			Says          string             `json:"says"`
			Margin        float64            `json:"margin"`
			U             float64            `json:"u"`
			Eta           float64            `json:"eta"`
			PoolMeans     map[string]float64 `json:"pool_means"`
			Values        []float64          `json:"values"`
			P             float64            `json:"p"`
			PHistory      []float64          `json:"p_history"`
		} `json:"assertions"`
	} `json:"cases"`
}

// stationTotals is a station's figures [v_1..v_k, blank, null] as Totals.
func stationTotals(fig []int64) contest.Totals {
	k := len(fig) - 2
	t := contest.Totals{Votes: append([]int64{}, fig[:k]...), Blank: fig[k], Null: fig[k+1]}
	for _, v := range fig {
		t.Ballots += v
	}
	return t
}

// TestOneAuditSHANGRLA holds ONEAudit to SHANGRLA's own ONEAudit
// (testdata/shangrla/oneaudit.json, written by gen_oneaudit.py from
// SHANGRLA's Audit.py and NonnegMean.py; the README names the commit):
// each pool's ONE CVR, the margin v, the test's upper bound and η, every
// drawn ballot's overstatement assorter value, and the ALPHA p-value and
// its history, within 1e-9 relative.
func TestOneAuditSHANGRLA(t *testing.T) {
	var f oneAuditFile
	bpLoad(t, "shangrla/oneaudit.json", &f)
	if len(f.Cases) != 3 {
		t.Fatalf("%d cases", len(f.Cases))
	}
	plur, _ := contest.Parse("plurality seats=1")
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			var pools []Pool
			for _, s := range c.Stations {
				pools = append(pools, Pool{ID: s.ID, Totals: stationTotals(s.Reported), Trusted: s.Trusted})
			}
			o, err := NewOneAudit(plur, pools, c.RiskLimit)
			if err != nil {
				t.Fatal(err)
			}
			if o.Assertions.Ballots != c.Ballots {
				t.Fatalf("ballots %d, want %d", o.Assertions.Ballots, c.Ballots)
			}
			idx := map[string]int{}
			for i, x := range c.Candidates {
				idx[x] = i
			}
			sample := make([]OneDraw, len(c.Sample))
			for i, d := range c.Sample {
				b := Ballot{}
				switch {
				case len(d.Marks) == 1 && d.Marks[0] == "null":
					b.Null = true
				default:
					for _, m := range d.Marks {
						b.Marks = append(b.Marks, idx[m])
					}
				}
				sample[i] = OneDraw{Pool: d.Station, Ballot: b}
			}
			risk, each, err := o.Risk(sample)
			if err != nil {
				t.Fatal(err)
			}
			var maxP float64
			for _, want := range c.Assertions {
				w, l, _ := strings.Cut(want.Says, " v ")
				says := fmt.Sprintf("c%d beats c%d", idx[w], idx[l])
				k := -1
				for i, a := range o.Assertions.Assorters {
					if a.Says == says {
						k = i
					}
				}
				if k < 0 {
					t.Fatalf("no assertion %q (%s)", says, want.Says)
				}
				if !near(o.Margin(k), want.Margin) {
					t.Errorf("%s: margin %v, want %v", want.Says, o.Margin(k), want.Margin)
				}
				test, _ := o.test(k)
				if !near(test.U, want.U) || !near(test.Eta, want.Eta) {
					t.Errorf("%s: u %v η %v, want %v %v", want.Says, test.U, test.Eta, want.U, want.Eta)
				}
				for id, m := range want.PoolMeans {
					p := o.poolOf[id]
					if id == "untrusted" {
						p = len(o.pools) - 1
					}
					if !near(o.cvr[k][p], m) {
						t.Errorf("%s: pool %s mean %v, want %v", want.Says, id, o.cvr[k][p], m)
					}
				}
				x := make([]float64, len(sample))
				for i, d := range sample {
					if x[i], err = o.Value(k, d); err != nil {
						t.Fatal(err)
					}
					if !near(x[i], want.Values[i]) {
						t.Fatalf("%s: draw %d value %v, want %v", want.Says, i+1, x[i], want.Values[i])
					}
				}
				p, hist, err := test.PValues(x)
				if err != nil {
					t.Fatal(err)
				}
				if !near(p, want.P) || !near(each[k], want.P) {
					t.Errorf("%s: p %v (Risk %v), want %v", want.Says, p, each[k], want.P)
				}
				for i := range hist {
					if !near(hist[i], want.PHistory[i]) {
						t.Fatalf("%s: p history %d: %v, want %v", want.Says, i+1, hist[i], want.PHistory[i])
					}
				}
				maxP = math.Max(maxP, want.P)

				// Batch-level comparison: every station counted whole.
				hand := map[string]contest.Totals{}
				for _, st := range c.Stations {
					hand[st.ID] = stationTotals(st.True)
					got, err := o.BatchValue(k, st.ID, hand[st.ID])
					if err != nil || !near(got, want.BatchValues[st.ID]) {
						t.Errorf("%s: station %s batch value %v (%v), want %v", want.Says, st.ID, got, err, want.BatchValues[st.ID])
					}
				}
				bt, _ := o.batchTest(k)
				bx := make([]float64, len(want.BatchDraws))
				for i, id := range want.BatchDraws {
					bx[i], _ = o.BatchValue(k, id, hand[id])
				}
				bp, bhist, err := bt.PValues(bx)
				if err != nil || !near(bp, want.BatchP) {
					t.Errorf("%s: batch p %v (%v), want %v", want.Says, bp, err, want.BatchP)
				}
				for i := range bhist {
					if !near(bhist[i], want.BatchPHistory[i]) {
						t.Fatalf("%s: batch p history %d: %v, want %v", want.Says, i+1, bhist[i], want.BatchPHistory[i])
					}
				}
				_, beach, err := o.BatchRisk(want.BatchDraws, hand)
				if err != nil || !near(beach[k], want.BatchP) {
					t.Errorf("%s: BatchRisk %v (%v), want %v", want.Says, beach, err, want.BatchP)
				}
			}
			if !near(risk, maxP) {
				t.Errorf("risk %v, want %v", risk, maxP)
			}
		})
	}
}

// closeRace is a two-candidate race over n stations of about 400 ballots
// with the winner ahead by lead of the ballots, and the stations whose
// acta is missing, unsigned or disputed every step-th one.
func closeRace(n, step int, lead float64, seed uint64) ([]Pool, []contest.Totals) {
	rng := rand.New(rand.NewPCG(seed, 1))
	var pools []Pool
	var truth []contest.Totals
	for i := range n {
		ballots := int64(350 + rng.IntN(100))
		share := min(0.95, max(0.05, 0.5+lead/2+0.6*(rng.Float64()-0.5)))
		w := int64(float64(ballots-10) * share)
		t := contest.Totals{Votes: []int64{w, ballots - 10 - w}, Blank: 6, Null: 4, Ballots: ballots}
		pools = append(pools, Pool{ID: fmt.Sprintf("m%d", i+1), Totals: t, Trusted: step == 0 || i%step != 0})
		truth = append(truth, t)
	}
	return pools, truth
}

// TestOneAuditUnsignedStations: a race won by 2% of the ballots over
// 2,000 stations, 4% of them (80) without a valid signed acta. Today's
// batch comparison cannot audit them: MACRO counts their 32,000 ballots as
// ballots in no batch that could all be for the loser, more than the
// 16,000-ballot margin, and calls for a full hand count. The stratified
// ONEAudit compares ballots of the signed stations with their actas and
// polls the unsigned ones in the same sample: it asks for about 1% of the
// 800,000 ballots (ballot polling alone: about 5%), and a sample drawn from the true ballots confirms
// the outcome, while a sample from a population where the 80 unsigned
// stations' figures were invented (the loser truly won there by enough
// to win overall) does not.
func TestOneAuditUnsignedStations(t *testing.T) {
	pools, truth := closeRace(2000, 25, 0.02, 7)
	plur, _ := contest.Parse("plurality seats=1")
	// Today: MACRO over the signed stations; the unsigned ones' ballots
	// are in no batch.
	c := Contest{ID: "c", Votes: map[string]int64{"w": 0, "l": 0}, NumWinners: 1}
	reported := map[string]BatchResult{}
	for _, p := range pools {
		c.Votes["w"] += p.Totals.Votes[0]
		c.Votes["l"] += p.Totals.Votes[1]
		c.Ballots += p.Totals.Ballots
		if p.Trusted {
			reported[p.ID] = BatchResult{Ballots: p.Totals.Ballots, Votes: map[string]map[string]int64{"c": {"w": p.Totals.Votes[0], "l": p.Totals.Votes[1]}}}
		}
	}
	macro, err := MacroSampleSize(0.05, []Contest{c}, reported, map[string]BatchResult{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if macro != int64(len(reported)) {
		t.Errorf("MACRO with the unsigned stations out: %d draws, want a full hand count (%d)", macro, len(reported))
	}
	o, err := NewOneAudit(plur, pools, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if o.Untrusted != 80 {
		t.Fatalf("%d untrusted stations", o.Untrusted)
	}
	est, err := o.SampleSize(0.05)
	if err != nil {
		t.Fatal(err)
	}
	N := o.Assertions.Ballots
	t.Logf("%d ballots, margin %.2f%%, ONEAudit estimate %d ballots (%.2f%%); ballot polling alone %d", N, 100*o.Margin(0), est, 100*float64(est)/float64(N), must(o.Assertions.SampleSize(0.05)))
	if est <= 0 || est > N/20 {
		t.Fatalf("estimate %d of %d ballots", est, N)
	}
	// The invented stations: in truth the loser had 85% there.
	fake := make([]contest.Totals, len(truth))
	for i, tt := range truth {
		fake[i] = tt
		if !pools[i].Trusted {
			v := tt.Ballots - 10
			fake[i] = contest.Totals{Votes: []int64{v * 15 / 100, v - v*15/100}, Blank: 6, Null: 4, Ballots: tt.Ballots}
		}
	}
	var sw, sl int64
	for _, tt := range fake {
		sw, sl = sw+tt.Votes[0], sl+tt.Votes[1]
	}
	if sw >= sl {
		t.Fatalf("the invented figures do not change the outcome: %d, %d", sw, sl)
	}
	for name, pop := range map[string][]contest.Totals{"true": truth, "invented": fake} {
		// Three times the estimate, the median of simulated audits: the
		// ballots drawn to confirm have a long right tail.
		sample := drawPools(pools, pop, 3*est, rand.New(rand.NewPCG(11, uint64(len(name)))))
		risk, _, err := o.Risk(sample)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s figures, %d ballots drawn: risk %.4g", name, len(sample), risk)
		if (risk <= 0.05) != (name == "true") {
			t.Errorf("%s figures: risk %v", name, risk)
		}
	}
}

func must(n int64, err error) int64 {
	if err != nil {
		panic(err)
	}
	return n
}

// drawPools draws n ballots uniformly without replacement from the pools
// whose true figures are truth.
func drawPools(pools []Pool, truth []contest.Totals, n int64, rng *rand.Rand) []OneDraw {
	type cat struct {
		pool  int
		b     Ballot
		count int64
	}
	var cats []cat
	var total int64
	for i, t := range truth {
		for j, v := range t.Votes {
			cats = append(cats, cat{i, Ballot{Marks: []int{j}}, v})
		}
		cats = append(cats, cat{i, Ballot{}, t.Blank}, cat{i, Ballot{Null: true}, t.Null})
		total += t.Ballots
	}
	out := make([]OneDraw, 0, n)
	for range n {
		k := rng.Int64N(total)
		for i := range cats {
			if k < cats[i].count {
				cats[i].count--
				out = append(out, OneDraw{Pool: pools[cats[i].pool].ID, Ballot: cats[i].b})
				break
			}
			k -= cats[i].count
		}
		total--
	}
	return out
}

// TestBatchValueRefused: a hand count that finds more ballots than its
// station reported, or a station not in the contest, is refused with the
// reason; fewer ballots count the missing ones as 0.
func TestBatchValueRefused(t *testing.T) {
	plur, _ := contest.Parse("plurality seats=1")
	rep := stationTotals([]int64{60, 30, 10, 0, 0})
	o, err := NewOneAudit(plur, []Pool{{ID: "a", Totals: rep, Trusted: true}, {ID: "b", Totals: rep}}, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.BatchValue(0, "a", stationTotals([]int64{61, 30, 10, 0, 0})); !errors.Is(err, ErrMoreBallots) || !strings.Contains(err.Error(), "station a: the hand count finds more ballots than the station reported (101, reported 100)") {
		t.Errorf("more ballots: %v", err)
	}
	if _, err := o.BatchValue(0, "z", rep); err == nil || !strings.Contains(err.Error(), `no station "z" in the contest`) {
		t.Errorf("unknown station: %v", err)
	}
	full, _ := o.BatchValue(0, "a", rep)
	short, _ := o.BatchValue(0, "a", stationTotals([]int64{50, 30, 10, 0, 0})) // 10 of A's ballots not found
	if !(short < full) || full != 1/(2-o.Margin(0)) {
		t.Errorf("values %v (as reported) and %v (10 ballots missing)", full, short)
	}
	if _, _, err := o.BatchRisk([]string{"a", "b"}, map[string]contest.Totals{"a": rep}); err == nil || !strings.Contains(err.Error(), "draw 2: station b has no hand count") {
		t.Errorf("a draw without its count: %v", err)
	}
}
