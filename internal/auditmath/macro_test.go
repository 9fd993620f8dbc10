package auditmath

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// ---- Arlo's reference values (testdata/macro) ----

// macroSpec sets one contest's figures in one batch or a range of batches:
// Names is a batch id, or a fmt pattern with %d for i in [From, To).
type macroSpec struct {
	Names   string           `json:"names"`
	From    *int             `json:"from"`
	To      *int             `json:"to"`
	Contest string           `json:"contest"`
	Votes   map[string]int64 `json:"votes"`
	Ballots *int64           `json:"ballots"`
}

func (s macroSpec) names() []string {
	if s.From == nil {
		return []string{s.Names}
	}
	var out []string
	for i := *s.From; i < *s.To; i++ {
		out = append(out, fmt.Sprintf(s.Names, i))
	}
	return out
}

func (s macroSpec) apply(m map[string]BatchResult) {
	for _, name := range s.names() {
		b := m[name]
		if b.Votes == nil {
			b.Votes = map[string]map[string]int64{}
		}
		votes := map[string]int64{}
		for k, v := range s.Votes {
			votes[k] = v
		}
		b.Votes[s.Contest] = votes
		if s.Ballots != nil {
			if b.ContestBallots == nil {
				b.ContestBallots = map[string]int64{}
			}
			b.ContestBallots[s.Contest] = *s.Ballots
		}
		m[name] = b
	}
}

type macroArloFile struct {
	Source   map[string]string `json:"source"`
	Contests map[string]struct {
		Votes      map[string]int64 `json:"votes"`
		Ballots    int64            `json:"ballots"`
		NumWinners int              `json:"numWinners"`
	} `json:"contests"`
	BatchSets map[string]struct {
		Base  string      `json:"base"`
		Specs []macroSpec `json:"specs"`
	} `json:"batchSets"`
	Samples map[string]struct {
		Base       string      `json:"base"`
		Audited    []macroSpec `json:"audited"`
		Draws      []macroSpec `json:"draws"`
		AuditedAll bool        `json:"auditedAll"`
		DrawAll    int         `json:"drawAll"`
	} `json:"samples"`
	Cases []macroArloCase `json:"cases"`
}

type macroArloCase struct {
	Test      string     `json:"test"`
	Kind      string     `json:"kind"`
	RiskLimit float64    `json:"riskLimit"`
	Contest   string     `json:"contest"`
	Reported  string     `json:"reported"`
	Sample    string     `json:"sample"`
	Batches   *macroSpec `json:"batches"`
	Want      *float64   `json:"want"`
	Tolerance float64    `json:"tolerance"`
	WantSize  *int64     `json:"wantSize"`
	WantErr   string     `json:"wantErr"`
	WantPow   *struct {
		Num, Den, Pow int64
	} `json:"wantPow"`
	Confirmed     *bool    `json:"confirmed"`
	Above         *float64 `json:"above"`
	Snapshot      string   `json:"snapshot"`
	SnapshotField string   `json:"snapshotField"`
	GreaterThan   string   `json:"greaterThan"`
	ArloExpected  string   `json:"arloExpected"`
}

func macroReadJSON(t testing.TB, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "macro", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func (f *macroArloFile) contest(t *testing.T, id string) Contest {
	c, ok := f.Contests[id]
	if !ok {
		t.Fatalf("no contest %q", id)
	}
	return Contest{ID: id, Votes: c.Votes, Ballots: c.Ballots, NumWinners: c.NumWinners}
}

func (f *macroArloFile) batches(t *testing.T, name string) map[string]BatchResult {
	set, ok := f.BatchSets[name]
	if !ok {
		t.Fatalf("no batch set %q", name)
	}
	m := map[string]BatchResult{}
	if set.Base != "" {
		m = f.batches(t, set.Base)
	}
	for _, s := range set.Specs {
		s.apply(m)
	}
	return m
}

func (f *macroArloFile) sample(t *testing.T, name string, reported map[string]BatchResult) (map[string]BatchResult, []string) {
	s, ok := f.Samples[name]
	if !ok {
		t.Fatalf("no sample %q", name)
	}
	audited, draws := map[string]BatchResult{}, []string(nil)
	if s.Base != "" {
		audited, draws = f.sample(t, s.Base, reported)
	}
	if s.AuditedAll {
		for k, b := range reported {
			audited[k] = b
		}
	}
	for i := 0; i < s.DrawAll; i++ {
		draws = append(draws, macroKeys(reported)...)
	}
	for _, a := range s.Audited {
		a.apply(audited)
	}
	for _, d := range s.Draws {
		draws = append(draws, d.names()...)
	}
	return audited, draws
}

// macroArloPerContest reproduces Arlo's per-contest view of a sample: a draw
// counts for contest c only if the audit board's results for the drawn batch
// include c (Arlo audits each contest apart; a batch drawn for another
// contest may not have been counted for this one). MacroRisk refuses a draw
// of a batch that reports c without a hand count of c, so the harness drops
// those hand counts and their draws, as Arlo ignores them.
func macroArloPerContest(c string, reported, audited map[string]BatchResult, draws []string) (map[string]BatchResult, []string) {
	a := map[string]BatchResult{}
	for k, b := range audited {
		if reported[k].reports(c) && !b.reports(c) {
			continue
		}
		a[k] = b
	}
	var d []string
	for _, k := range draws {
		if _, ok := a[k]; ok {
			d = append(d, k)
		}
	}
	return a, d
}

// macroRound28 returns x rounded to 28 significant digits, half to even, as
// Python's Decimal in its default context.
func macroRound28(x *big.Rat) *big.Rat {
	f := new(big.Float).SetPrec(512).SetRat(x)
	r, ok := new(big.Rat).SetString(f.Text('e', 27))
	if !ok {
		panic("macroRound28")
	}
	return r
}

func macroRatPow(num, den, pow int64) *big.Rat {
	e := big.NewInt(pow)
	return new(big.Rat).SetFrac(new(big.Int).Exp(big.NewInt(num), e, nil), new(big.Int).Exp(big.NewInt(den), e, nil))
}

func TestMacroArlo(t *testing.T) {
	var f macroArloFile
	macroReadJSON(t, "arlo_test_macro.json", &f)
	var snap struct {
		Source    map[string]string          `json:"source"`
		Snapshots map[string]json.RawMessage `json:"snapshots"`
	}
	macroReadJSON(t, "arlo_snap_test_macro.json", &snap)
	snapshot := func(t *testing.T, name, field string, v any) {
		t.Helper()
		raw, ok := snap.Snapshots[name]
		if !ok {
			t.Fatalf("no snapshot %q", name)
		}
		if field != "" {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			if raw, ok = m[field]; !ok {
				t.Fatalf("no field %q in snapshot %q", field, name)
			}
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.Cases) < 60 {
		t.Fatalf("only %d cases in arlo_test_macro.json", len(f.Cases))
	}
	for i, tc := range f.Cases {
		name := fmt.Sprintf("%02d_%s/%s/%s", i, tc.Test, tc.Kind, tc.Contest)
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			c := f.contest(t, tc.Contest)
			contests := []Contest{c}
			reported := f.batches(t, tc.Reported)
			var audited map[string]BatchResult
			var draws []string
			if tc.Sample != "" {
				audited, draws = f.sample(t, tc.Sample, reported)
				audited, draws = macroArloPerContest(c.ID, reported, audited, draws)
			}
			switch tc.Kind {
			case "errorBound":
				for _, b := range tc.Batches.names() {
					got := MacroErrorBound(contests, reported[b])
					if math.Abs(got-*tc.Want) >= tc.Tolerance {
						t.Errorf("%s: u_p = %v, want %v ± %v", b, got, *tc.Want, tc.Tolerance)
					}
				}
			case "sampleSize":
				got, err := MacroSampleSize(tc.RiskLimit, contests, reported, audited, draws)
				switch {
				case tc.WantErr == "all audited":
					if !errors.Is(err, ErrAllAudited) {
						t.Errorf("MacroSampleSize = %d, %v; want ErrAllAudited", got, err)
					}
				case err != nil:
					t.Errorf("MacroSampleSize: %v", err)
				case got != *tc.WantSize:
					t.Errorf("MacroSampleSize = %d, want %d", got, *tc.WantSize)
				}
			case "risk":
				risk, ok := MacroRisk(tc.RiskLimit, contests, reported, audited, draws)
				if tc.Confirmed != nil && ok != *tc.Confirmed {
					t.Errorf("confirmed = %v, want %v (risk %v)", ok, *tc.Confirmed, risk)
				}
				if tc.Want != nil && risk != *tc.Want {
					t.Errorf("risk = %v, want %v", risk, *tc.Want)
				}
				if tc.Above != nil && !(risk > *tc.Above) {
					t.Errorf("risk = %v, want > %v", risk, *tc.Above)
				}
				if tc.Snapshot != "" {
					var want float64
					snapshot(t, tc.Snapshot, tc.SnapshotField, &want)
					if risk != want {
						t.Errorf("risk = %v, want %v (snapshot %s %s)", risk, want, tc.Snapshot, tc.SnapshotField)
					}
				}
				if p := tc.WantPow; p != nil {
					want := macroRatPow(p.Num, p.Den, p.Pow)
					wf, _ := want.Float64()
					if math.Abs(risk-wf) >= tc.Tolerance {
						t.Errorf("risk = %v, want %v ± %v", risk, wf, tc.Tolerance)
					}
					// Exactly, too.
					a, err := newMacroAudit(contests, reported)
					if err != nil {
						t.Fatal(err)
					}
					res, err := a.measure(audited, draws)
					if err != nil || res.infinite || res.p.Cmp(want) != 0 {
						t.Errorf("P = %v (%v, infinite %v), want exactly (%d/%d)^%d", res.p, err, res.infinite, p.Num, p.Den, p.Pow)
					}
				}
			case "macroU":
				a, err := newMacroAudit(contests, reported)
				if err != nil {
					t.Fatal(err)
				}
				var s string
				snapshot(t, tc.Snapshot, tc.SnapshotField, &s)
				want, _ := new(big.Rat).SetString(s)
				if got := macroRound28(a.m); got.Cmp(want) != 0 {
					t.Errorf("U = %s (%s), want Decimal('%s')", a.m.FloatString(30), a.m, s)
				}
				if tc.GreaterThan != "" {
					other := strings.SplitN(tc.GreaterThan, "/", 2)
					b, err := newMacroAudit([]Contest{f.contest(t, other[0])}, f.batches(t, other[1]))
					if err != nil {
						t.Fatal(err)
					}
					if a.m.Cmp(b.m) <= 0 {
						t.Errorf("U = %s, want more than %s", a.m, b.m)
					}
				}
			default:
				t.Fatalf("unknown kind %q", tc.Kind)
			}
		})
	}
}

// ---- small elections, worked by hand or exhaustively ----

// macroTwo returns a two-candidate contest "c" (w beats l) and its batches,
// one per (w, l, ballots) triple, named b0, b1, ...
func macroTwo(triples ...[3]int64) (Contest, map[string]BatchResult) {
	c := Contest{ID: "c", Votes: map[string]int64{}, NumWinners: 1}
	reported := map[string]BatchResult{}
	for i, t := range triples {
		reported[fmt.Sprintf("b%d", i)] = BatchResult{Ballots: t[2], Votes: map[string]map[string]int64{"c": {"w": t[0], "l": t[1]}}}
		c.Votes["w"] += t[0]
		c.Votes["l"] += t[1]
		c.Ballots += t[2]
	}
	return c, reported
}

func macroCount(w, l int64) BatchResult {
	return BatchResult{Votes: map[string]map[string]int64{"c": {"w": w, "l": l}}}
}

// macroForty is a two-candidate contest over 40 batches of different sizes
// and margins, some won by the loser, with 2% blank ballots.
func macroForty() (Contest, map[string]BatchResult) {
	var t [][3]int64
	for i := range int64(40) {
		b := 200 + 13*i
		w := b*(48+(i*7)%13)/100 + 2
		l := b - b/50 - w
		t = append(t, [3]int64{w, l, b})
	}
	return macroTwo(t...)
}

func TestMacroCleanDrawsLowerRisk(t *testing.T) {
	c, reported := macroForty()
	contests := []Contest{c}
	a, err := newMacroAudit(contests, reported)
	if err != nil {
		t.Fatal(err)
	}
	q := new(big.Rat).Quo(new(big.Rat).Sub(a.m, big.NewRat(1, 1)), a.m)
	keys := macroKeys(reported)
	audited := map[string]BatchResult{}
	var draws []string
	prevRisk := 1.0
	prevSize, err := MacroSampleSize(0.1, contests, reported, audited, draws)
	if err != nil {
		t.Fatal(err)
	}
	if prevSize < 5 || prevSize >= 40 {
		t.Fatalf("first sample size %d: want a test that needs a few draws", prevSize)
	}
	for k := 1; k <= 30; k++ {
		b := keys[(k*7)%len(keys)]
		audited[b] = reported[b] // no discrepancy
		draws = append(draws, b)
		risk, ok := MacroRisk(0.1, contests, reported, audited, draws)
		if !(risk < prevRisk) {
			t.Fatalf("after %d clean draws risk %v, before %v: want it lower", k, risk, prevRisk)
		}
		res, _ := a.measure(audited, draws)
		e := big.NewInt(int64(k))
		if want := new(big.Rat).SetFrac(new(big.Int).Exp(q.Num(), e, nil), new(big.Int).Exp(q.Denom(), e, nil)); res.p.Cmp(want) != 0 {
			t.Fatalf("after %d clean draws P = %v, want (1 − 1/M)^%d = %v", k, res.p, k, want)
		}
		size, err := MacroSampleSize(0.1, contests, reported, audited, draws)
		if err != nil {
			t.Fatal(err)
		}
		wantSize := max(prevSize-1, 0)
		if ok {
			wantSize = 0
		}
		if size != wantSize && !(prevSize == 2 && size == 0) {
			t.Fatalf("after %d clean draws sample size %d, before %d", k, size, prevSize)
		}
		if ok != (size == 0) {
			t.Fatalf("after %d draws confirmed %v with sample size %d", k, ok, size)
		}
		prevRisk, prevSize = risk, size
	}
	if prevSize != 0 {
		t.Errorf("30 clean draws did not confirm at 10%%")
	}
}

// TestMacroSampleSizeExact checks the formula at a point where ln α / ln q
// is an integer: U = 2, so q = 1/2, and α = 1/4 needs exactly 2 draws.
func TestMacroSampleSizeExact(t *testing.T) {
	var tr [][3]int64
	for range 10 {
		tr = append(tr, [3]int64{10, 0, 10})
	}
	c, reported := macroTwo(tr...)
	contests := []Contest{c}
	if u := MacroErrorBound(contests, reported["b0"]); u != 0.2 {
		t.Fatalf("u_p = %v, want 0.2", u)
	}
	audited := map[string]BatchResult{}
	for i, want := range []int64{3, 2, 0} {
		var draws []string
		for j := range i {
			draws = append(draws, fmt.Sprintf("b%d", j))
			audited[fmt.Sprintf("b%d", j)] = reported[fmt.Sprintf("b%d", j)]
		}
		got, err := MacroSampleSize(0.25, contests, reported, audited, draws)
		if err != nil || got != want {
			t.Errorf("after %d clean draws MacroSampleSize = %d, %v; want %d", i, got, err, want)
		}
		risk, ok := MacroRisk(0.25, contests, reported, audited, draws)
		if wantRisk := math.Pow(0.5, float64(i)); risk != wantRisk || ok != (i == 2) {
			t.Errorf("after %d clean draws MacroRisk = %v, %v; want %v, %v", i, risk, ok, wantRisk, i == 2)
		}
	}
}

// macroSequences calls f on every sequence of draws of length 1 to n from
// keys, depth first; f returns false to cut the sequences that extend this one.
func macroSequences(keys []string, n int, f func([]string) bool) {
	var rec func([]string)
	rec = func(s []string) {
		if len(s) == n {
			return
		}
		for _, k := range keys {
			t := append(slices.Clone(s), k)
			if f(t) {
				rec(t)
			}
		}
	}
	rec(nil)
}

// TestMacroWrongOutcomeNeverConfirmed: when the hand counts show the
// reported outcome wrong with the error spread over every batch in
// proportion to its bound, every draw has taint at least 1/U, so no
// sequence of draws, of any length, confirms.
func TestMacroWrongOutcomeNeverConfirmed(t *testing.T) {
	c, reported := macroTwo([3]int64{6, 4, 10}, [3]int64{6, 4, 10}, [3]int64{6, 4, 10}, [3]int64{6, 4, 10})
	contests := []Contest{c}
	for _, truth := range []BatchResult{macroCount(5, 5), macroCount(4, 6), macroCount(0, 10)} {
		n := 0
		macroSequences(macroKeys(reported), 5, func(draws []string) bool {
			n++
			audited := map[string]BatchResult{}
			for _, k := range draws {
				audited[k] = truth
			}
			risk, ok := MacroRisk(0.25, contests, reported, audited, draws)
			if ok || risk != 1 {
				t.Fatalf("truth %v, draws %v: risk %v, confirmed %v; want 1, false", truth.Votes, draws, risk, ok)
			}
			size, err := MacroSampleSize(0.25, contests, reported, audited, draws)
			if len(audited) == len(reported) {
				// A full hand count, which shows the outcome wrong.
				if !errors.Is(err, ErrAllAudited) {
					t.Fatalf("truth %v, draws %v: sample size %d, %v; want ErrAllAudited", truth.Votes, draws, size, err)
				}
			} else if err != nil || size == 0 {
				t.Fatalf("truth %v, draws %v: sample size %d, %v", truth.Votes, draws, size, err)
			}
			return true
		})
		if n != 4+16+64+256+1024 {
			t.Fatalf("%d sequences", n)
		}
	}
}

// macroScenario is a true count of every batch, and whether it makes the
// reported outcome wrong.
type macroScenario struct {
	name  string
	truth map[string]BatchResult
	wrong bool
}

// macroRiskLimitExhaustive computes, over every sequence of up to 8 PPEB
// draws with its exact probability, the chance that a sequential audit
// (stopping at the first confirmation) confirms, and checks that it is at
// most alpha for a wrong outcome, and at least 0.9 for a right one.
func macroRiskLimitExhaustive(t *testing.T, alpha float64, c Contest, reported map[string]BatchResult, scenarios []macroScenario) {
	t.Helper()
	contests := []Contest{c}
	keys := macroKeys(reported)
	var total, ballots float64
	weight := map[string]float64{}
	for _, k := range keys {
		weight[k] = MacroErrorBound(contests, reported[k])
		total += weight[k]
		ballots += float64(reported[k].ballots(c.ID))
	}
	unaccounted := c.Ballots - int64(ballots)
	for _, tc := range scenarios {
		// Wrong: some reported loser is not beaten by some reported
		// winner once the unaccounted ballots all go to the loser.
		wrong := false
		for _, w := range c.Winners() {
			for _, l := range c.Losers() {
				var m int64
				for _, b := range tc.truth {
					m += b.Votes[c.ID][w] - b.Votes[c.ID][l]
				}
				wrong = wrong || m-unaccounted <= 0
			}
		}
		if wrong != tc.wrong {
			t.Fatalf("%s: wrong = %v", tc.name, wrong)
		}
		var pConfirm float64
		macroSequences(keys, 8, func(draws []string) bool {
			audited := map[string]BatchResult{}
			for _, k := range draws {
				audited[k] = tc.truth[k]
			}
			// When every batch has been drawn, MacroRisk sees a full count,
			// which finds the truth.
			full := len(audited) == len(keys)
			_, ok := MacroRisk(alpha, contests, reported, audited, draws)
			if full && ok == tc.wrong {
				t.Fatalf("%s, draws %v: full count confirmed = %v", tc.name, draws, ok)
			}
			if ok {
				p := 1.0
				for _, k := range draws {
					p *= weight[k] / total
				}
				pConfirm += p
			}
			return !ok && !full
		})
		t.Logf("%s: P(confirm within 8 draws) = %.4f", tc.name, pConfirm)
		if tc.wrong && pConfirm > alpha {
			t.Errorf("%s: a wrong outcome is confirmed with probability %.4f > %v", tc.name, pConfirm, alpha)
		}
		if !tc.wrong && pConfirm < 0.9 {
			t.Errorf("%s: a right outcome is confirmed with probability only %.4f", tc.name, pConfirm)
		}
	}
}

// TestMacroRiskLimitExhaustive: wrong outcomes are confirmed with
// probability at most α (here 1/2, so that confirmation is possible within
// a few draws), exactly over all draw sequences.
func TestMacroRiskLimitExhaustive(t *testing.T) {
	t.Run("two candidates", func(t *testing.T) {
		c, reported := macroTwo([3]int64{60, 20, 80}, [3]int64{30, 30, 60}, [3]int64{25, 15, 40})
		macroRiskLimitExhaustive(t, 0.5, c, reported, []macroScenario{
			{"all in b0", map[string]BatchResult{"b0": macroCount(35, 45), "b1": macroCount(30, 30), "b2": macroCount(25, 15)}, true},
			{"spread", map[string]BatchResult{"b0": macroCount(48, 32), "b1": macroCount(25, 35), "b2": macroCount(17, 23)}, true},
			{"all in b1", map[string]BatchResult{"b0": macroCount(60, 20), "b1": macroCount(5, 55), "b2": macroCount(25, 15)}, true},
			{"b1 and b2", map[string]BatchResult{"b0": macroCount(60, 20), "b1": macroCount(15, 45), "b2": macroCount(10, 30)}, true},
			{"loser wins", map[string]BatchResult{"b0": macroCount(30, 50), "b1": macroCount(20, 40), "b2": macroCount(20, 20)}, true},
			{"right", map[string]BatchResult{"b0": macroCount(59, 21), "b1": macroCount(30, 30), "b2": macroCount(25, 15)}, false},
		})
	})
	// Three candidates and 4 ballots in no batch: the margins shrink by
	// different proportions (V' = 26 and 36 for V = 30 and 40), so r =
	// 30/26 > 1 and the taints are scaled by it.
	t.Run("three candidates, unaccounted ballots", func(t *testing.T) {
		count := func(w, l, x int64) BatchResult {
			return BatchResult{Votes: map[string]map[string]int64{"c": {"w": w, "l": l, "x": x}}}
		}
		reported := map[string]BatchResult{
			"b0": {Ballots: 100, Votes: map[string]map[string]int64{"c": {"w": 50, "l": 10, "x": 40}}},
			"b1": {Ballots: 70, Votes: map[string]map[string]int64{"c": {"w": 40, "l": 10, "x": 20}}},
			"b2": {Ballots: 60, Votes: map[string]map[string]int64{"c": {"w": 10, "l": 50, "x": 0}}},
		}
		c := Contest{ID: "c", Votes: map[string]int64{"w": 100, "l": 70, "x": 60}, Ballots: 234, NumWinners: 1}
		a, err := newMacroAudit([]Contest{c}, reported)
		if err != nil || a.r.Cmp(big.NewRat(30, 26)) != 0 {
			t.Fatalf("r = %v, %v; want 30/26", a.r, err)
		}
		clean := func(k string) BatchResult { return reported[k] }
		macroRiskLimitExhaustive(t, 0.5, c, reported, []macroScenario{
			{"l ties w in b0", map[string]BatchResult{"b0": count(37, 23, 40), "b1": clean("b1"), "b2": clean("b2")}, true},
			{"x ties w in b2", map[string]BatchResult{"b0": clean("b0"), "b1": clean("b1"), "b2": count(0, 34, 26)}, true},
			{"x wins in b2", map[string]BatchResult{"b0": clean("b0"), "b1": clean("b1"), "b2": count(0, 24, 36)}, true},
			{"l ties w in b1", map[string]BatchResult{"b0": clean("b0"), "b1": count(27, 23, 20), "b2": clean("b2")}, true},
			{"spread", map[string]BatchResult{"b0": count(45, 15, 40), "b1": count(32, 18, 20), "b2": count(8, 52, 0)}, true},
			{"right", map[string]BatchResult{"b0": clean("b0"), "b1": clean("b1"), "b2": clean("b2")}, false},
		})
	})
}

func TestMacroUnderstatementHelps(t *testing.T) {
	c, reported := macroForty()
	contests := []Contest{c}
	clean := map[string]BatchResult{"b3": reported["b3"]}
	rv := reported["b3"].Votes["c"]
	under := map[string]BatchResult{"b3": macroCount(rv["w"]+2, rv["l"]-2)}
	over := map[string]BatchResult{"b3": macroCount(rv["w"]-2, rv["l"]+2)}
	draws := []string{"b3", "b3"}
	rc, _ := MacroRisk(0.1, contests, reported, clean, draws)
	ru, _ := MacroRisk(0.1, contests, reported, under, draws)
	ro, _ := MacroRisk(0.1, contests, reported, over, draws)
	if !(ru < rc && rc < ro) {
		t.Errorf("risk with understatement %v, clean %v, overstatement %v: want increasing", ru, rc, ro)
	}
	sc, _ := MacroSampleSize(0.1, contests, reported, clean, draws)
	su, _ := MacroSampleSize(0.1, contests, reported, under, draws)
	so, _ := MacroSampleSize(0.1, contests, reported, over, draws)
	if !(su <= sc && sc <= so && su < so) {
		t.Errorf("sample size with understatement %d, clean %d, overstatement %d", su, sc, so)
	}
	// An understatement in one pair does not help if another pair is
	// overstated or exact: e_p is the largest pair's.
	three := Contest{ID: "c", Votes: map[string]int64{"w": 500, "l": 300, "x": 200}, Ballots: 1000, NumWinners: 1}
	rep := map[string]BatchResult{
		"p": {Ballots: 500, Votes: map[string]map[string]int64{"c": {"w": 250, "l": 150, "x": 100}}},
		"q": {Ballots: 500, Votes: map[string]map[string]int64{"c": {"w": 250, "l": 150, "x": 100}}},
	}
	aud := map[string]BatchResult{"p": {Votes: map[string]map[string]int64{"c": {"w": 250, "l": 148, "x": 100}}}}
	r1, _ := MacroRisk(0.1, []Contest{three}, rep, aud, []string{"p"})
	aud["p"] = rep["p"]
	r0, _ := MacroRisk(0.1, []Contest{three}, rep, aud, []string{"p"})
	if r1 != r0 {
		t.Errorf("understatement of one pair of three: risk %v, clean %v; want equal", r1, r0)
	}
}

// TestMacroAcrossContests works MACRO over two contests by hand. Contest X
// (600–400 of 1,000, V = 200) is in both batches, contest Y (300–200 of 500,
// V = 100) in p1 only:
//
//	u_1 = max((300−200+500)/200, (300−200+500)/100) = 6, u_2 = 3, U = 9.
func TestMacroAcrossContests(t *testing.T) {
	x := Contest{ID: "X", Votes: map[string]int64{"w": 600, "l": 400}, Ballots: 1000, NumWinners: 1}
	y := Contest{ID: "Y", Votes: map[string]int64{"w": 300, "l": 200}, Ballots: 500, NumWinners: 1}
	contests := []Contest{x, y}
	reported := map[string]BatchResult{
		"p1": {Ballots: 500, Votes: map[string]map[string]int64{"X": {"w": 300, "l": 200}, "Y": {"w": 300, "l": 200}}},
		"p2": {Ballots: 500, Votes: map[string]map[string]int64{"X": {"w": 300, "l": 200}}},
	}
	if u1, u2 := MacroErrorBound(contests, reported["p1"]), MacroErrorBound(contests, reported["p2"]); u1 != 6 || u2 != 3 {
		t.Fatalf("u = %v, %v; want 6, 3", u1, u2)
	}
	if u := MacroErrorBound([]Contest{x}, reported["p1"]); u != 3 {
		t.Fatalf("u_1 for X alone = %v, want 3", u)
	}
	count := func(xw, xl, yw, yl int64) BatchResult {
		return BatchResult{Votes: map[string]map[string]int64{"X": {"w": xw, "l": xl}, "Y": {"w": yw, "l": yl}}}
	}
	for _, tc := range []struct {
		name  string
		count BatchResult
		want  *big.Rat
	}{
		// Y overstated by 20 votes: e = 20/100, τ = 0.2/6 = 1/30;
		// P = (8/9)/(29/30) = 80/87.
		{"Y overstated", count(300, 200, 290, 210), big.NewRat(80, 87)},
		// X by 30 (e = 0.15) too: the maximum is still Y's.
		{"Y more than X", count(285, 215, 290, 210), big.NewRat(80, 87)},
		// X by 50 (e = 0.25) dominates: τ = 1/24, P = (8/9)/(23/24) = 64/69.
		{"X more than Y", count(275, 225, 290, 210), big.NewRat(64, 69)},
		// Clean: P = 8/9.
		{"clean", count(300, 200, 300, 200), big.NewRat(8, 9)},
		// Both understated: e = max(−10/200, −10/100) = −0.05, τ = −1/120;
		// P = (8/9)/(121/120) = 320/363.
		{"understated", count(305, 195, 305, 195), big.NewRat(320, 363)},
	} {
		audited := map[string]BatchResult{"p1": tc.count}
		risk, ok := MacroRisk(0.05, contests, reported, audited, []string{"p1"})
		want, _ := tc.want.Float64()
		if risk != want || ok {
			t.Errorf("%s: MacroRisk = %v, %v; want %v (%v), false", tc.name, risk, ok, want, tc.want)
		}
	}
	// A hand count of a contest the batch did not report counts like any
	// other: Y against the winner by 5 in p2 (u_2 = 3 from X) gives
	// e = 5/100, τ = 1/60, P = (8/9)/(59/60) = 160/177.
	audited := map[string]BatchResult{"p2": {Votes: map[string]map[string]int64{"X": {"w": 300, "l": 200}, "Y": {"w": 0, "l": 5}}}}
	if risk, _ := MacroRisk(0.05, contests, reported, audited, []string{"p2"}); risk != 160.0/177 {
		t.Errorf("unreported contest in p2: MacroRisk = %v, want 160/177", risk)
	}
	// A batch with none of the contests (u_p = 0), which PPEB never draws,
	// is skipped if drawn anyway, unless its hand count shows an
	// overstatement: then the error bound was wrong.
	reported["p3"] = BatchResult{Ballots: 10, Votes: map[string]map[string]int64{"Z": {"a": 10}}}
	audited = map[string]BatchResult{"p3": reported["p3"], "p2": reported["p2"]}
	if risk, _ := MacroRisk(0.05, contests, reported, audited, []string{"p3", "p2"}); risk != 8.0/9 {
		t.Errorf("draws p3 (u_p = 0) and p2: risk %v, want 8/9", risk)
	}
	audited["p3"] = BatchResult{Votes: map[string]map[string]int64{"Z": {"a": 10}, "Y": {"w": 0, "l": 5}}}
	if risk, ok := MacroRisk(0.05, contests, reported, audited, []string{"p3", "p2"}); risk != 1 || ok {
		t.Errorf("overstatement in a batch with u_p = 0: MacroRisk = %v, %v; want 1, false", risk, ok)
	}
}

func TestMacroContestBallots(t *testing.T) {
	// Batch ballots are b_cp unless ContestBallots says otherwise.
	c := Contest{ID: "c", Votes: map[string]int64{"w": 60, "l": 40}, Ballots: 100, NumWinners: 1}
	b := BatchResult{Ballots: 400, Votes: map[string]map[string]int64{"c": {"w": 60, "l": 40}}}
	if u := MacroErrorBound([]Contest{c}, b); u != 420.0/20 {
		t.Errorf("u_p = %v, want 21", u)
	}
	b.ContestBallots = map[string]int64{"c": 100}
	if u := MacroErrorBound([]Contest{c}, b); u != 6 {
		t.Errorf("u_p = %v, want 6", u)
	}
	if u := MacroErrorBound([]Contest{c}, BatchResult{Ballots: 400}); u != 0 {
		t.Errorf("u_p of a batch without the contest = %v, want 0", u)
	}
	tied := Contest{ID: "c", Votes: map[string]int64{"w": 50, "l": 50}, Ballots: 100, NumWinners: 1}
	if u := MacroErrorBound([]Contest{tied}, b); !math.IsInf(u, 1) {
		t.Errorf("u_p in a tied contest = %v, want +Inf", u)
	}
}

func TestMacroFullCount(t *testing.T) {
	c, reported := macroTwo([3]int64{60, 40, 100}, [3]int64{50, 45, 100}, [3]int64{40, 50, 100})
	contests := []Contest{c}
	all := func(counts ...BatchResult) map[string]BatchResult {
		m := map[string]BatchResult{}
		for i, b := range counts {
			m[fmt.Sprintf("b%d", i)] = b
		}
		return m
	}
	for _, tc := range []struct {
		name    string
		audited map[string]BatchResult
		risk    float64
		ok      bool
	}{
		{"as reported", all(macroCount(60, 40), macroCount(50, 45), macroCount(40, 50)), 0, true},
		{"closer", all(macroCount(55, 45), macroCount(50, 45), macroCount(40, 50)), 0, true},
		{"tie", all(macroCount(55, 45), macroCount(45, 50), macroCount(40, 50)), 1, false},
		{"overturned", all(macroCount(40, 60), macroCount(50, 45), macroCount(40, 50)), 1, false},
	} {
		risk, ok := MacroRisk(0.05, contests, reported, tc.audited, nil)
		if risk != tc.risk || ok != tc.ok {
			t.Errorf("%s: MacroRisk = %v, %v; want %v, %v", tc.name, risk, ok, tc.risk, tc.ok)
		}
		if _, err := MacroSampleSize(0.05, contests, reported, tc.audited, nil); !errors.Is(err, ErrAllAudited) {
			t.Errorf("%s: MacroSampleSize error %v, want ErrAllAudited", tc.name, err)
		}
	}
	// Ballots in no batch count for the loser: 10 unaccounted ballots
	// against a hand-counted margin of 10 leave a possible tie.
	c.Ballots += 10
	if risk, ok := MacroRisk(0.05, []Contest{c}, reported, all(macroCount(55, 45), macroCount(50, 45), macroCount(40, 45)), nil); risk != 1 || ok {
		t.Errorf("margin 10 with 10 unaccounted: MacroRisk = %v, %v; want 1, false", risk, ok)
	}
}

func TestMacroUnaccountedBallots(t *testing.T) {
	// The batches must overstate V' = min(V, Σ_p (v_w − v_l)) − N votes.
	c, reported := macroTwo([3]int64{60, 40, 100}, [3]int64{50, 45, 100}, [3]int64{40, 50, 100})
	margin := func(c Contest) *big.Rat {
		a, err := newMacroAudit([]Contest{c}, reported)
		if err != nil {
			t.Fatal(err)
		}
		if a.tied {
			return nil
		}
		return a.m
	}
	// V = 15, B = 300: U = Σ (d_p + b_p)/V = (120 + 105 + 90)/15 = 21.
	if m := margin(c); m.Cmp(big.NewRat(21, 1)) != 0 {
		t.Errorf("M = %v, want 21", m)
	}
	// 5 ballots in no batch: V' = 10, M = 315/10.
	c.Ballots += 5
	if m := margin(c); m.Cmp(big.NewRat(63, 2)) != 0 {
		t.Errorf("M = %v, want 63/2", m)
	}
	// Contest totals with a wider margin than the batches: V' = 15 − 5.
	c.Votes["w"] += 5
	if m := margin(c); m.Cmp(big.NewRat(63, 2)) != 0 {
		t.Errorf("M = %v, want 63/2", m)
	}
	// As many unaccounted ballots as the margin: only a full count can tell.
	c.Ballots += 10
	if m := margin(c); m != nil {
		t.Errorf("M = %v, want a tie", m)
	}
	if n, err := MacroSampleSize(0.05, []Contest{c}, reported, nil, nil); err != nil || n != 3 {
		t.Errorf("MacroSampleSize = %d, %v; want 3 (all batches)", n, err)
	}
}

func TestMacroInvalid(t *testing.T) {
	c, reported := macroForty()
	contests := []Contest{c}
	audited := map[string]BatchResult{"b1": reported["b1"]}
	for _, tc := range []struct {
		name      string
		riskLimit float64
		contests  []Contest
		reported  map[string]BatchResult
		audited   map[string]BatchResult
		draws     []string
		err       error
	}{
		{"risk limit 0", 0, contests, reported, audited, []string{"b1"}, nil},
		{"risk limit 1", 1, contests, reported, audited, []string{"b1"}, nil},
		{"no contests", 0.1, nil, reported, audited, []string{"b1"}, nil},
		{"unknown batch drawn", 0.1, contests, reported, audited, []string{"b1", "zz"}, nil},
		{"drawn batch not counted", 0.1, contests, reported, audited, []string{"b2"}, nil},
		{"drawn batch without the contest's count", 0.1, contests, reported, map[string]BatchResult{"b1": {Votes: map[string]map[string]int64{"other": {}}}}, []string{"b1"}, nil},
		{"more votes than ballots", 0.1, contests, map[string]BatchResult{"b1": {Ballots: 5, Votes: map[string]map[string]int64{"c": {"w": 6}}}, "b2": {}}, map[string]BatchResult{"b1": macroCount(6, 0)}, []string{"b1"}, nil},
		{"negative count", 0.1, contests, reported, map[string]BatchResult{"b1": macroCount(-1, 0)}, []string{"b1"}, nil},
		{"no losers", 0.1, []Contest{{ID: "c", Votes: map[string]int64{"w": 10}, Ballots: 10, NumWinners: 1}}, reported, audited, []string{"b1"}, ErrNoLosers},
	} {
		risk, ok := MacroRisk(tc.riskLimit, tc.contests, tc.reported, tc.audited, tc.draws)
		n, err := MacroSampleSize(tc.riskLimit, tc.contests, tc.reported, tc.audited, tc.draws)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: MacroSampleSize = %d, %v; want %v", tc.name, n, err, tc.err)
			}
			continue
		}
		if risk != 1 || ok {
			t.Errorf("%s: MacroRisk = %v, %v; want 1, false", tc.name, risk, ok)
		}
		if err == nil {
			t.Errorf("%s: MacroSampleSize = %d, want an error", tc.name, n)
		}
	}
	// No losers: nothing can be wrong.
	if risk, ok := MacroRisk(0.1, []Contest{{ID: "c", Votes: map[string]int64{"w": 10}, Ballots: 10, NumWinners: 1}}, reported, audited, []string{"b1"}); risk != 0 || !ok {
		t.Errorf("no losers: MacroRisk = %v, %v; want 0, true", risk, ok)
	}
}

// ---- the figures: a two-candidate race of 1,534 stations ----

// macroStations returns a two-candidate race over n stations of 300 to 700
// ballots, every ballot a vote for w or l, with shares that vary ±10 points
// from station to station, and w ahead by round(margin·ballots) votes.
func macroStations(n int, margin float64, r *rand.Rand) (Contest, map[string]BatchResult) {
	sizes := make([]int64, n)
	var total int64
	for i := range sizes {
		sizes[i] = 300 + r.Int64N(401)
		total += sizes[i]
	}
	v := int64(math.Round(margin * float64(total)))
	if (total+v)%2 != 0 {
		v++
	}
	target := (total + v) / 2 // votes for w
	w := make([]int64, n)
	var sum int64
	for i, b := range sizes {
		share := (1+margin)/2 + (r.Float64()-0.5)/5
		w[i] = min(max(int64(math.Round(share*float64(b))), 0), b)
		sum += w[i]
	}
	for i := 0; sum != target; i = (i + 1) % n {
		if sum < target && w[i] < sizes[i] {
			w[i]++
			sum++
		} else if sum > target && w[i] > 0 {
			w[i]--
			sum--
		}
	}
	c := Contest{ID: "president", Votes: map[string]int64{"w": target, "l": total - target}, Ballots: total, NumWinners: 1}
	reported := make(map[string]BatchResult, n)
	for i, b := range sizes {
		reported[fmt.Sprintf("station %04d", i)] = BatchResult{Ballots: b, Votes: map[string]map[string]int64{"president": {"w": w[i], "l": b - w[i]}}}
	}
	return c, reported
}

// macroFigure is one row of the table.
type macroFigure struct {
	margin, u       float64
	paper, size     int64
	seq             float64 // mean draws until MacroRisk ≤ α, sequentially
	stations, votes float64 // mean distinct stations and ballots in a round of size draws
}

// macroFigures simulates, for each margin, audits drawing PPEB with
// replacement from a seeded math/rand/v2 source, with no discrepancy:
// seqTrials sequential audits, and trials rounds of MacroSampleSize draws.
func macroFigures(alpha float64, stations int, margins []float64, trials, seqTrials int) []macroFigure {
	var out []macroFigure
	for mi, margin := range margins {
		r := rand.New(rand.NewPCG(1534, uint64(mi)))
		c, reported := macroStations(stations, margin, r)
		contests := []Contest{c}
		keys := macroKeys(reported)
		f := macroFigure{margin: float64(c.Votes["w"]-c.Votes["l"]) / float64(c.Ballots)}
		f.u = 1 + 1/f.margin // U = Σ (d_p + b_p)/V = (V + B)/V
		// The paper's zero-taint sample size, ⌈ln α / ln(1 − 1/U)⌉.
		f.paper = int64(math.Ceil(math.Log(alpha) / math.Log1p(-1/f.u)))
		size, err := MacroSampleSize(alpha, contests, reported, nil, nil)
		if err != nil {
			panic(err)
		}
		f.size = size
		cum := make([]float64, len(keys))
		var total float64
		for i, k := range keys {
			total += MacroErrorBound(contests, reported[k])
			cum[i] = total
		}
		draw := func() string {
			x := r.Float64() * total
			return keys[sort.Search(len(cum), func(i int) bool { return cum[i] > x })]
		}
		for range seqTrials {
			// Sequential: draw until MacroRisk confirms (no discrepancy:
			// each hand count equals the report). Draws are checked in
			// doubling steps, then the first confirming prefix is found by
			// bisection; with no discrepancy the risk falls with each draw.
			audited := map[string]BatchResult{}
			var draws []string
			confirms := func(k int) bool {
				_, ok := MacroRisk(alpha, contests, reported, audited, draws[:k])
				return ok
			}
			hi := 16
			for {
				for len(draws) < hi {
					k := draw()
					draws = append(draws, k)
					audited[k] = reported[k]
				}
				if len(audited) == len(reported) {
					// Every station drawn: a full count. Not reached here.
					panic("full count in the sequential simulation")
				}
				if confirms(hi) {
					break
				}
				hi *= 2
			}
			lo := hi / 2 // does not confirm (or 0 draws)
			for hi-lo > 1 {
				if mid := (lo + hi) / 2; confirms(mid) {
					hi = mid
				} else {
					lo = mid
				}
			}
			f.seq += float64(hi)
		}
		for range trials {
			// One round of size draws, as Arlo's sampler makes it: size ≥
			// the number of stations means every station once.
			seen := map[string]bool{}
			if size >= int64(len(keys)) {
				for _, k := range keys {
					seen[k] = true
				}
			} else {
				for range size {
					seen[draw()] = true
				}
			}
			f.stations += float64(len(seen))
			for k := range seen {
				f.votes += float64(reported[k].Ballots)
			}
		}
		f.seq /= float64(seqTrials)
		f.stations /= float64(trials)
		f.votes /= float64(trials)
		out = append(out, f)
	}
	return out
}

func printMacroFigures(figs []macroFigure) {
	fmt.Println("margin  U          paper  size  sequential  stations  ballots")
	for _, f := range figs {
		fmt.Printf("%5.2f%%  %-9.2f  %5d  %4d  %10.1f  %8.1f  %7.0f\n", 100*f.margin, f.u, f.paper, f.size, f.seq, f.stations, f.votes)
	}
}

// ExampleMacroSampleSize prints, for a two-candidate race of 1,534 stations
// at risk limit 5% with no discrepancies:
//   - paper: the MACRO paper's zero-taint sample size ⌈ln α / ln(1 − 1/U)⌉,
//     computed here from its formula, with U = 1 + 1/margin (a
//     two-candidate race with no blank ballots: Σ_p (d_p + b_p)/V = (V + B)/V);
//   - size: MacroSampleSize before any draw (Arlo's: paper + 1, at most the
//     number of stations, which means a full hand count, as at 0.13%);
//   - sequential: the mean number of PPEB draws with replacement (seeded
//     math/rand/v2 PCG) until MacroRisk confirms, over 2 simulated audits
//     (with no discrepancy it is the same every time: the paper's count);
//   - stations, ballots: the mean distinct stations and ballots to hand count
//     in a round of "size" draws, over 100 simulated rounds.
func ExampleMacroSampleSize() {
	printMacroFigures(macroFigures(0.05, 1534, []float64{0.20, 0.10, 0.05, 0.01, 0.0013}, 100, 2))
	// Output:
	// margin  U          paper  size  sequential  stations  ballots
	// 20.00%  6.00          17    18        17.0      17.9     9450
	// 10.00%  11.00         32    33        32.0      32.6    17098
	//  5.00%  21.00         62    63        62.0      61.5    32364
	//  1.00%  100.99       302   303       302.0     273.2   143712
	//  0.13%  770.06      2306  1534      2306.0    1534.0   759063
}

// BenchmarkMacroFigures prints the table from more simulated audits (2,000
// rounds and 20 sequential audits per margin):
// go test -run '^$' -bench MacroFigures -benchtime 1x ./internal/auditmath
func BenchmarkMacroFigures(b *testing.B) {
	for range b.N {
		printMacroFigures(macroFigures(0.05, 1534, []float64{0.20, 0.10, 0.05, 0.01, 0.0013}, 2000, 20))
	}
}
