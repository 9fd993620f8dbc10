package auditmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/contest"
)

// fenwick is an urn of categories drawn without replacement in O(log k).
type fenwick struct {
	tree  []int64
	total int64
}

func newFenwick(counts []int64) *fenwick {
	f := &fenwick{tree: make([]int64, len(counts)+1)}
	for i, c := range counts {
		f.add(i, c)
	}
	return f
}

func (f *fenwick) add(i int, c int64) {
	f.total += c
	for i++; i < len(f.tree); i += i & -i {
		f.tree[i] += c
	}
}

// take draws one item: the category of the k-th remaining item, k uniform.
func (f *fenwick) take(rng *rand.Rand) int {
	k := rng.Int64N(f.total)
	pos := 0
	for step := 1 << 30; step > 0; step >>= 1 {
		if next := pos + step; next < len(f.tree) && f.tree[next] <= k {
			pos = next
			k -= f.tree[next]
		}
	}
	f.add(pos, -1)
	return pos
}

// figureElection is stations of about 370 ballots with two candidates,
// the winner ahead by margin of the ballots overall and each station's
// share spread ±20 points around it; 1% of the ballots blank or null.
func figureElection(stations int, margin float64, seed uint64) []Pool {
	rng := rand.New(rand.NewPCG(seed, 2))
	pools := make([]Pool, stations)
	for i := range pools {
		n := int64(320 + rng.IntN(100))
		other := n / 100
		share := min(0.97, max(0.03, 0.5+margin/2+0.4*(rng.Float64()-0.5)))
		w := int64(float64(n-other) * share)
		pools[i] = Pool{ID: fmt.Sprintf("s%d", i), Trusted: true,
			Totals: contest.Totals{Votes: []int64{w, n - other - w}, Blank: other / 2, Null: other - other/2, Ballots: n}}
	}
	return pools
}

// simulateBallots runs trials audits of ballots drawn without replacement
// from the pools' figures (the truth is the report) and returns the mean
// ballots drawn until value's ALPHA test reaches riskLimit.
func simulateBallots(pools []Pool, test Alpha, value func(pool int, b Ballot) float64, riskLimit float64, trials int, rng *rand.Rand) float64 {
	var counts []int64
	for _, p := range pools {
		counts = append(counts, p.Totals.Votes[0], p.Totals.Votes[1], p.Totals.Blank, p.Totals.Null)
	}
	ballots := []Ballot{{Marks: []int{0}}, {Marks: []int{1}}, {}, {Null: true}}
	var sum float64
	for range trials {
		urn := newFenwick(counts)
		r, err := test.start()
		if err != nil {
			panic(err)
		}
		n := test.N
		for j := int64(1); j <= test.N; j++ {
			c := urn.take(rng)
			if math.Min(1, 1/r.feed(value(c/4, ballots[c%4]), j == test.N)) <= riskLimit {
				n = j
				break
			}
		}
		sum += float64(n)
	}
	return sum / float64(trials)
}

// BenchmarkMethodFigures prints, for two-candidate elections of 1,500
// stations (about 550,000 ballots) by margin, at risk limit 5%, the
// ballots or stations each method needs when the reported figures are
// right: BRAVO's ASN (ballots, with replacement), ALPHA ballot polling
// (SHANGRLA's estimate and the mean of simulated audits, without
// replacement), ONEAudit against every station's acta (estimate and
// simulated mean), MACRO's station draws (PPEB) and ALPHA's batch-level
// comparison's station draws (PPS), with the ballots those stations hold
// on average. Run it once:
//
//	go test -run '^$' -bench MethodFigures -benchtime 1x ./internal/auditmath
func BenchmarkMethodFigures(b *testing.B) {
	plur, _ := contest.Parse("plurality seats=1")
	margins := []float64{0.20, 0.10, 0.05, 0.02, 0.01}
	trials := map[float64]int{0.20: 200, 0.10: 100, 0.05: 50, 0.02: 20, 0.01: 10}
	for range b.N {
		var out strings.Builder
		fmt.Fprintf(&out, "risk limit 5%%, two candidates, 1,500 stations, ballots as below; station shares ±20 points around the overall\n")
		fmt.Fprintf(&out, "| margin | ballots | BRAVO ASN | ALPHA polling est. / sim. mean | ONEAudit est. / sim. mean | MACRO stations (≈ ballots) | ALPHA batch stations (≈ ballots) |\n|---|---|---|---|---|---|---|\n")
		for mi, m := range margins {
			pools := figureElection(1500, m, uint64(mi+1))
			o, err := NewOneAudit(plur, pools, 0.05)
			if err != nil {
				b.Fatal(err)
			}
			as := o.Assertions
			N := as.Ballots
			var tot contest.Totals
			for _, p := range pools {
				tot = contest.Sum(2, []contest.Totals{tot, p.Totals})
			}
			c := Contest{ID: "c", Votes: map[string]int64{"w": tot.Votes[0], "l": tot.Votes[1]}, Ballots: N, NumWinners: 1}
			reported := map[string]BatchResult{}
			for _, p := range pools {
				reported[p.ID] = BatchResult{Ballots: p.Totals.Ballots, Votes: map[string]map[string]int64{"c": {"w": p.Totals.Votes[0], "l": p.Totals.Votes[1]}}}
			}
			macro, err := MacroSampleSize(0.05, []Contest{c}, reported, map[string]BatchResult{}, nil)
			if err != nil {
				b.Fatal(err)
			}
			// MACRO draws stations proportional to their error bound,
			// about (v_w − v_l + b)/V: the ballots of a draw on average.
			var sumU, sumUB float64
			for _, p := range pools {
				u := float64(p.Totals.Votes[0] - p.Totals.Votes[1] + p.Totals.Ballots)
				sumU += u
				sumUB += u * float64(p.Totals.Ballots)
			}
			batch, err := o.BatchSampleSize(0.05)
			if err != nil {
				b.Fatal(err)
			}
			// PPS: a draw holds Σ N_p²/N ballots on average.
			var sumB2 float64
			for _, p := range pools {
				sumB2 += float64(p.Totals.Ballots) * float64(p.Totals.Ballots)
			}
			pollEst, err := as.SampleSize(0.05)
			if err != nil {
				b.Fatal(err)
			}
			oneEst, err := o.SampleSize(0.05)
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(2026, uint64(mi)))
			a := &as.Assorters[0]
			pollSim := simulateBallots(pools, as.test(a), func(_ int, bl Ballot) float64 { x, _ := a.Value(bl); return x }, 0.05, trials[m], rng)
			ot, _ := o.test(0)
			oneSim := simulateBallots(pools, ot, func(p int, bl Ballot) float64 { x, _ := a.Value(bl); return o.overstatement(0, p, x) }, 0.05, trials[m], rng)
			fmt.Fprintf(&out, "| %.1f%% | %d | %.0f | %d / %.0f | %d / %.0f | %d (%.0f) | %d (%.0f) |\n",
				100*float64(tot.Votes[0]-tot.Votes[1])/float64(N), N, BravoASN(c, 0.05), pollEst, pollSim, oneEst, oneSim,
				macro, float64(macro)*sumUB/sumU, batch, float64(batch)*sumB2/float64(N))
		}
		b.Log("\n" + out.String())
	}
}

// BenchmarkOneAudit470k times building the ONEAudit of a 470,000-station
// election (about 175 million ballots; a 4% margin, one station in 25
// without a signed acta) and estimating its sample size, and reports both.
//
//	go test -run '^$' -bench OneAudit470k -benchtime 1x ./internal/auditmath
func BenchmarkOneAudit470k(b *testing.B) {
	plur, _ := contest.Parse("plurality seats=1")
	pools := figureElection(470000, 0.04, 9)
	for i := range pools {
		pools[i].ID = fmt.Sprint(i)
		pools[i].Trusted = i%25 != 0
	}
	var o *OneAudit
	var n, batch int64
	for b.Loop() {
		var err error
		if o, err = NewOneAudit(plur, pools, 0.05); err != nil {
			b.Fatal(err)
		}
		if n, err = o.SampleSize(0.05); err != nil {
			b.Fatal(err)
		}
		if batch, err = o.BatchSampleSize(0.05); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(o.Assertions.Ballots), "ballots")
	b.ReportMetric(float64(len(o.Assertions.Assorters)), "assertions")
	b.ReportMetric(float64(n), "ballots-to-poll")
	b.ReportMetric(float64(batch), "stations-to-count")
}
