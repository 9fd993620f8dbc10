package auditmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/contest"
)

type shangrlaFile struct {
	Contests []struct {
		Name       string     `json:"name"`
		Rule       string     `json:"rule"`
		Candidates []string   `json:"candidates"`
		Votes      []int64    `json:"votes"`
		Blank      int64      `json:"blank"`
		Null       int64      `json:"null"`
		Ballots    int64      `json:"ballots"`
		RiskLimit  float64    `json:"risk_limit"`
		Sample     [][]string `json:"sample"`
		Assertions []struct {
			Says       string             `json:"says"`
			Triplicate string             `json:"triplicate_says"`
			Upper      float64            `json:"upper"`
			Mean       float64            `json:"mean"`
			Values     map[string]float64 `json:"values"`
			P          float64            `json:"p"`
			SampleSize int64              `json:"sample_size"`
		} `json:"assertions"`
	} `json:"contests"`
}

// shangrlaBallot reads a ballot as gen_assertions.py writes it: the
// candidates marked, none for blank, ["null"] for a null ballot.
func shangrlaBallot(cands []string, marks []string) Ballot {
	if len(marks) == 1 && marks[0] == "null" {
		return Ballot{Null: true}
	}
	var b Ballot
	for _, m := range marks {
		b.Marks = append(b.Marks, slices.Index(cands, m))
	}
	return b
}

// shangrlaSays maps SHANGRLA's name of an assertion ("A v B", "A v
// ALL_OTHERS") to internal/contest's ("c0 beats c1", "c0 over 60%").
func shangrlaSays(cands []string, rule contest.Rule, name string) string {
	w, l, _ := strings.Cut(name, " v ")
	wi := slices.Index(cands, w)
	if l == "ALL_OTHERS" {
		win := 50
		if rule.Method == contest.Threshold {
			win = rule.Win / 100
		}
		return fmt.Sprintf("c%d over %d%%", wi, win)
	}
	return fmt.Sprintf("c%d beats c%d", wi, slices.Index(cands, l))
}

// TestShangrlaAssertions holds the assorters built from internal/contest's
// assertions, their ALPHA risks on a sample and their polling sample sizes
// to SHANGRLA's own code (testdata/shangrla/assertions.json, written by
// gen_assertions.py): plurality with one and two seats (every winner ×
// loser pair), the supermajority assertion of the threshold and majority
// rules, and a runoff's: the top two beat the rest (SHANGRLA's plurality
// with two winners) and neither has more than f of the valid votes
// (SHANGRLA's supermajority of everyone else over 1 − f).
func TestShangrlaAssertions(t *testing.T) {
	var f shangrlaFile
	bpLoad(t, "shangrla/assertions.json", &f)
	if len(f.Contests) < 5 {
		t.Fatalf("%d contests", len(f.Contests))
	}
	for _, c := range f.Contests {
		rule, err := contest.Parse(c.Rule)
		if err != nil {
			t.Fatal(err)
		}
		tot := contest.Totals{Votes: c.Votes, Blank: c.Blank, Null: c.Null, Ballots: c.Ballots}
		s, err := NewAssertions(rule, tot, c.RiskLimit)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		sample := make([]Ballot, len(c.Sample))
		for i, m := range c.Sample {
			sample[i] = shangrlaBallot(c.Candidates, m)
		}
		risk, each, err := s.Risk(sample)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		maxP := 0.0
		for _, want := range c.Assertions {
			says := shangrlaSays(c.Candidates, rule, want.Says)
			if want.Triplicate != "" {
				says = want.Triplicate
			}
			k := slices.IndexFunc(s.Assorters, func(a Assorter) bool { return a.Says == says })
			if k < 0 {
				t.Errorf("%s: no assertion %q (SHANGRLA's %q) among %d", c.Name, says, want.Says, len(s.Assorters))
				continue
			}
			a := &s.Assorters[k]
			if !near(a.Upper, want.Upper) || math.Abs(a.Mean-want.Mean) > 1e-12 {
				t.Errorf("%s %s: upper %v, mean %v; SHANGRLA %v, %v", c.Name, says, a.Upper, a.Mean, want.Upper, want.Mean)
			}
			for cat, v := range want.Values {
				b := shangrlaBallot(c.Candidates, strings.Split(cat, "|"))
				if cat == "blank" {
					b = Ballot{}
				}
				if got, err := a.Value(b); err != nil || math.Abs(got-v) > 1e-15 {
					t.Errorf("%s %s: ballot %s: %v, %v; SHANGRLA %v", c.Name, says, cat, got, err, v)
				}
			}
			if !near(each[k], want.P) {
				t.Errorf("%s %s: risk %v, SHANGRLA %v", c.Name, says, each[k], want.P)
			}
			maxP = math.Max(maxP, want.P)
			if want.SampleSize > 0 {
				n, err := sampleSize([]Assorter{*a}, tot, c.RiskLimit)
				if err != nil || n != want.SampleSize {
					t.Errorf("%s %s: sample size %d, %v; SHANGRLA %d", c.Name, says, n, err, want.SampleSize)
				}
			}
		}
		if risk < maxP*(1-1e-9) {
			t.Errorf("%s: audit risk %v below SHANGRLA's largest %v", c.Name, risk, maxP)
		}
	}
}

// shangrlaRules are the rules of internal/contest's benchmark, one of each
// method.
var shangrlaRules = []string{
	"plurality seats=1",
	"plurality seats=3",
	"majority base=valid",
	"majority base=valid+blank",
	"threshold win=45 or=40 lead=10 base=valid",
	"dhondt seats=7 threshold=3 base=valid+blank",
	"sainte-lague seats=5 first=1.4 threshold=4 base=valid",
	"hare seats=10 threshold=5 base=valid",
	"referendum turnout=50 approval=25",
}

// TestAssorterMeanIsAssertion: for every assertion of every conjunction of
// random outcomes, the assorter built from the reported figures has, over
// any other figures with the same ballots (and roll), a mean above 1/2
// exactly when the assertion holds on those figures — SHANGRLA's
// reduction, checked for each rule by brute force.
func TestAssorterMeanIsAssertion(t *testing.T) {
	rng := rand.New(rand.NewPCG(19111035, 1))
	for _, text := range shangrlaRules {
		rule, err := contest.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		k := 2 + rng.IntN(4)
		if rule.Method == contest.Referendum {
			k = 2
		}
		random := func(ballots int64) contest.Totals {
			tt := contest.Totals{Votes: make([]int64, k), Ballots: ballots, Registered: ballots * 2}
			left := ballots
			for i := range k {
				v := rng.Int64N(left + 1)
				tt.Votes[i], left = v, left-v
			}
			tt.Blank = rng.Int64N(left + 1)
			tt.Null = left - tt.Blank
			return tt
		}
		checked := 0
		for range 400 {
			ballots := 1 + rng.Int64N(40)
			rep := random(ballots)
			o := contest.Decide(rule, rep)
			for _, conj := range o.Rests {
				for _, as := range conj {
					a, err := newAssorter(as, rep, 1)
					if err != nil {
						t.Fatal(err)
					}
					for range 5 {
						tru := random(ballots)
						holds := as.Holds(&tru)
						if a.Certain {
							if !holds {
								t.Fatalf("%s: %q certain on %+v but fails on %+v", text, as.Says, rep, tru)
							}
							continue
						}
						if a.Unconfirmable {
							continue
						}
						var sum float64
						for i, v := range tru.Votes {
							x, _ := a.Value(Ballot{Marks: []int{i}})
							sum += x * float64(v)
						}
						xb, _ := a.Value(Ballot{})
						xn, _ := a.Value(Ballot{Null: true})
						sum += xb*float64(tru.Blank) + xn*float64(tru.Null)
						mean := sum / float64(ballots)
						v := as.Value(&tru)
						if math.Abs(mean-0.5) < 1e-9 {
							if v != 0 {
								t.Fatalf("%s: %q: mean %v but value %d", text, as.Says, mean, v)
							}
						} else if (mean > 0.5) != (v > 0) {
							t.Fatalf("%s: %q on %+v: assorter mean %v, assertion value %d", text, as.Says, tru, mean, v)
						}
						checked++
					}
				}
			}
		}
		if checked < 200 {
			t.Errorf("%s: only %d checks", text, checked)
		}
	}
}

func TestShangrlaEdges(t *testing.T) {
	plur, _ := contest.Parse("plurality seats=1")
	tie := contest.Totals{Votes: []int64{50, 50, 10}, Ballots: 120}
	if _, err := NewAssertions(plur, tie, 0.05); err != ErrTie {
		t.Errorf("tie: %v", err)
	}
	for _, bad := range []contest.Totals{
		{Votes: []int64{5, 3}, Ballots: 0},
		{Votes: []int64{5, 3}, Ballots: 7},
		{Votes: []int64{5, -3}, Ballots: 10},
	} {
		if _, err := NewAssertions(plur, bad, 0.05); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if _, err := NewAssertions(plur, contest.Totals{Votes: []int64{5, 3}, Ballots: 10}, 1); err == nil {
		t.Error("risk limit 1 accepted")
	}
	s, err := NewAssertions(plur, contest.Totals{Votes: []int64{60, 30, 5}, Blank: 5, Ballots: 100}, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Assorters) != 2 {
		t.Fatalf("%d assertions for one winner and two losers", len(s.Assorters))
	}
	for _, b := range []Ballot{{Marks: []int{3}}, {Marks: []int{0, 1}}, {Marks: []int{-1}}} {
		if _, _, err := s.Risk([]Ballot{{Marks: []int{0}}, b}); err == nil || !strings.Contains(err.Error(), "ballot 2") {
			t.Errorf("ballot %v: %v", b, err)
		}
	}
	if _, _, err := s.Risk(make([]Ballot, 101)); err == nil {
		t.Error("101 ballots drawn from 100 accepted")
	}
	// Nothing drawn: risk 1. Every ballot drawn: the count decides.
	if r, _, _ := s.Risk(nil); r != 1 {
		t.Errorf("no sample: risk %v", r)
	}
	all := func(w, l int) []Ballot {
		var bs []Ballot
		for range w {
			bs = append(bs, Ballot{Marks: []int{0}})
		}
		for range l {
			bs = append(bs, Ballot{Marks: []int{1}})
		}
		for len(bs) < 100 {
			bs = append(bs, Ballot{})
		}
		return bs
	}
	if r, _, _ := s.Risk(all(60, 30)); r != 0 {
		t.Errorf("full count confirming: risk %v", r)
	}
	if r, _, _ := s.Risk(all(30, 60)); r != 1 {
		t.Errorf("full count contradicting: risk %v", r)
	}
	// A missing ballot counts against every assertion.
	drawn := all(60, 30)[:40]
	r1, _, _ := s.Risk(drawn)
	drawn[0] = Ballot{Missing: true}
	if r2, _, _ := s.Risk(drawn); !(r2 > r1) {
		t.Errorf("a missing ballot: risk %v, before %v", r2, r1)
	}
	// A referendum void for turnout rests on the count of ballots alone.
	ref, _ := contest.Parse("referendum turnout=50")
	v, err := NewAssertions(ref, contest.Totals{Votes: []int64{30, 10}, Ballots: 40, Registered: 100}, 0.05)
	if err != nil || v.Outcome.Kind != contest.Void {
		t.Fatalf("%v, %v", v.Outcome.Kind, err)
	}
	if n, err := v.SampleSize(0.05); n != 0 || err != nil {
		t.Errorf("void by turnout: sample size %d, %v", n, err)
	}
	if r, _, _ := v.Risk(nil); r != 0 {
		t.Errorf("void by turnout: risk %v", r)
	}
}

// FuzzShangrlaRisk: any sample, read from bytes as ballots (a kind byte,
// then marks), gets a risk in [0, 1] or an error naming the ballot, never
// a panic, under every rule.
func FuzzShangrlaRisk(f *testing.F) {
	f.Add(uint8(0), []byte{1, 0, 1, 1, 0, 2, 1, 0, 0})
	f.Add(uint8(4), []byte{3, 2, 0, 1, 1, 5, 2, 9})
	f.Add(uint8(8), []byte{1, 0, 1, 1})
	f.Fuzz(func(t *testing.T, ruleIdx uint8, data []byte) {
		rule, err := contest.Parse(shangrlaRules[int(ruleIdx)%len(shangrlaRules)])
		if err != nil {
			t.Fatal(err)
		}
		tot := contest.Totals{Votes: []int64{400, 300, 150, 50}, Blank: 60, Null: 40, Ballots: 1000, Registered: 1500}
		if rule.Method == contest.Referendum {
			tot.Votes = tot.Votes[:2]
			tot.Blank, tot.Null = 200, 100
		}
		s, err := NewAssertions(rule, tot, 0.05)
		if err != nil {
			t.Skip(err)
		}
		var sample []Ballot
		for i := 0; i < len(data) && len(sample) < 1000; {
			kind := data[i]
			i++
			switch kind % 4 {
			case 0:
				sample = append(sample, Ballot{})
			case 1:
				sample = append(sample, Ballot{Null: true})
			case 2:
				sample = append(sample, Ballot{Missing: true})
			default:
				n := int(kind/4) % 4
				var b Ballot
				for ; n > 0 && i < len(data); n-- {
					b.Marks = append(b.Marks, int(int8(data[i])))
					i++
				}
				sample = append(sample, b)
			}
		}
		risk, each, err := s.Risk(sample)
		if err != nil {
			if !strings.Contains(err.Error(), "ballot ") {
				t.Fatalf("error names no ballot: %v", err)
			}
			return
		}
		if !(risk >= 0 && risk <= 1) || len(each) != len(s.Assorters) {
			t.Fatalf("risk %v, %d of %d", risk, len(each), len(s.Assorters))
		}
	})
}
