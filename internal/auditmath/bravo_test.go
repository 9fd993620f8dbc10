package auditmath

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bpContestJSON is a contest as the ballot-polling testdata files write it.
type bpContestJSON struct {
	Votes      map[string]int64 `json:"votes"`
	Ballots    int64            `json:"ballots"`
	NumWinners int              `json:"num_winners"`
}

func (c bpContestJSON) contest(id string) Contest {
	return Contest{ID: id, Votes: c.Votes, Ballots: c.Ballots, NumWinners: c.NumWinners}
}

// bpLoad reads a testdata file into v.
func bpLoad(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// bpErrName maps the testdata's error names to the package's errors.
var bpErrName = map[string]error{
	"no losers":   ErrNoLosers,
	"all audited": ErrAllAudited,
	"audit over":  ErrAuditOver,
}

type bravoArloFile struct {
	RiskLimit     float64                     `json:"risk_limit"`
	Contests      map[string]bpContestJSON    `json:"contests"`
	Round1Sample  map[string]map[string]int64 `json:"round1_sample"`
	Round1Size    map[string]int64            `json:"round1_size"`
	SizesRound0   map[string]bravoSizeCase    `json:"sample_sizes_round0"`
	SizesRound1   map[string]bravoSizeCase    `json:"sample_sizes_round1"`
	RiskRound1    map[string]bravoRiskCase    `json:"risk_round1"`
	RiskTolerance float64                     `json:"risk_tolerance"`
	RoundSizes    []bravoRoundSizeCase        `json:"bravo_sample_sizes"`
	ExpectedProb  []bravoExpectedProbCase     `json:"expected_prob"`
	Tied          struct {
		Contest       bpContestJSON    `json:"contest"`
		Round0Sizes   map[string]int64 `json:"round0_sizes"`
		FullCountSamp map[string]int64 `json:"full_count_sample"`
	} `json:"tied_contest"`
}

type bravoRoundSizeCase struct {
	PW          float64 `json:"p_w"`
	PR          float64 `json:"p_r"`
	SW          int64   `json:"sample_w"`
	SR          int64   `json:"sample_r"`
	PCompletion float64 `json:"p_completion"`
	Size        int64   `json:"size"`
}

type bravoExpectedProbCase struct {
	Alpha float64 `json:"alpha"`
	PW    float64 `json:"p_w"`
	PR    float64 `json:"p_r"`
	SW    int64   `json:"sample_w"`
	SR    int64   `json:"sample_r"`
	ASN   int64   `json:"asn"`
	Prob  float64 `json:"prob"`
}

type bravoSizeCase struct {
	Sizes   map[string]int64 `json:"sizes"`
	ASNProb *float64         `json:"asn_prob"`
	Error   string           `json:"error"`
}

type bravoRiskCase struct {
	Pairs     map[string]float64 `json:"pairs"`
	Confirmed bool               `json:"confirmed"`
}

func loadBravoArlo(t testing.TB) bravoArloFile {
	var f bravoArloFile
	bpLoad(t, "bravo/arlo_test_bravo.json", &f)
	return f
}

func TestBravoArloRoundSizes(t *testing.T) {
	f := loadBravoArlo(t)
	for _, r := range f.RoundSizes {
		got := bravoRoundSize(f.RiskLimit, r.PW, r.PR, r.SW, r.SR, r.PCompletion, 10000) // Arlo's tests pass total_ballots=10000
		if got != r.Size {
			t.Errorf("bravo_sample_sizes(p_w=%v, p_r=%v, %d, %d, %v) = %d, Arlo %d", r.PW, r.PR, r.SW, r.SR, r.PCompletion, got, r.Size)
		}
	}
	for _, e := range f.ExpectedProb {
		got := bravoExpectedProb(e.Alpha, e.PW, e.PR, e.SW, e.SR, e.ASN)
		if math.Round(got*100)/100 != e.Prob {
			t.Errorf("expected_prob(alpha=%v, asn=%d) = %v, Arlo %v (to 2 digits)", e.Alpha, e.ASN, got, e.Prob)
		}
	}
}

// bravoArloSample returns Arlo's round-1 sample with the ballots Arlo counts
// as drawn (the round size) but that have no vote in the sample, under a key
// that is not a candidate, as BravoSampleSizes counts ballots drawn.
func bravoArloSample(f bravoArloFile, name string) map[string]int64 {
	s := map[string]int64{}
	var votes int64
	for k, v := range f.Round1Sample[name] {
		s[k] = v
		votes += v
	}
	if extra := f.Round1Size[name] - votes; extra > 0 {
		s["_no_vote_"] = extra
	}
	return s
}

func TestBravoArloSampleSizes(t *testing.T) {
	f := loadBravoArlo(t)
	check := func(round, name string, c Contest, sample map[string]int64, want bravoSizeCase) {
		got, err := BravoSampleSizes(c, f.RiskLimit, sample)
		if want.Error != "" {
			if !errors.Is(err, bpErrName[want.Error]) {
				t.Errorf("%s %s: got %v, %v; Arlo raises %q", round, name, got, err, want.Error)
			}
			return
		}
		if err != nil {
			t.Errorf("%s %s: %v", round, name, err)
			return
		}
		if len(got) != len(want.Sizes) {
			t.Errorf("%s %s: %v, Arlo %v", round, name, got, want.Sizes)
		}
		for k, v := range want.Sizes {
			if got[k] != v {
				t.Errorf("%s %s: %q = %d, Arlo %d", round, name, k, got[k], v)
			}
		}
		if want.ASNProb != nil {
			p := BravoRoundProb(c, f.RiskLimit, sample, got["asn"])
			if math.Round(p*100)/100 != *want.ASNProb {
				t.Errorf("%s %s: asn prob %v, Arlo %v", round, name, p, *want.ASNProb)
			}
		}
	}
	for name, want := range f.SizesRound0 {
		check("round 0", name, f.Contests[name].contest(name), nil, want)
	}
	for name, want := range f.SizesRound1 {
		check("round 1", name, f.Contests[name].contest(name), bravoArloSample(f, name), want)
	}
	tc := f.Tied.Contest.contest("tied")
	got, err := BravoSampleSizes(tc, f.RiskLimit, nil)
	if err != nil || len(got) != 1 || got["all-ballots"] != f.Tied.Round0Sizes["all-ballots"] {
		t.Errorf("tied contest: %v, %v; Arlo %v", got, err, f.Tied.Round0Sizes)
	}
}

func TestBravoArloRisk(t *testing.T) {
	f := loadBravoArlo(t)
	for name, want := range f.RiskRound1 {
		c := f.Contests[name].contest(name)
		sample := f.Round1Sample[name]
		risk, confirmed := BravoRisk(c, f.RiskLimit, sample)
		if confirmed != want.Confirmed {
			t.Errorf("%s: confirmed %v, Arlo %v (risk %v)", name, confirmed, want.Confirmed, risk)
		}
		maxWant := 0.0
		for pair, w := range want.Pairs {
			maxWant = math.Max(maxWant, w)
			wl := strings.SplitN(pair, "|", 2)
			if wl[1] == "" || sampleDrawn(sample) >= c.Ballots {
				continue // no loser, or Arlo's full count: only the total is checked
			}
			got := bravoPairRisk(c.Votes[wl[0]], c.Votes[wl[1]], sample[wl[0]], sample[wl[1]])
			if math.Abs(got-w) >= f.RiskTolerance {
				t.Errorf("%s %s: risk %v, Arlo %v", name, pair, got, w)
			}
		}
		if math.Abs(risk-maxWant) >= f.RiskTolerance {
			t.Errorf("%s: risk %v, Arlo's largest pair risk %v", name, risk, maxWant)
		}
		// No sample: nothing measured yet.
		if r, ok := BravoRisk(c, f.RiskLimit, nil); r != 1 || ok {
			t.Errorf("%s with no sample: %v, %v; want 1, false", name, r, ok)
		}
	}
	// The GA pair Biden–Trump to more digits than Arlo asserts: Arlo's
	// Decimal result 2.035688053599178e-09 agrees with the exact value to
	// about 1e-10 relative.
	ga := f.Contests["test_ga_presidential"].contest("ga")
	s := f.Round1Sample["test_ga_presidential"]
	got := bravoPairRisk(ga.Votes["Biden"], ga.Votes["Trump"], s["Biden"], s["Trump"])
	if rel := math.Abs(got-2.035688053599178e-09) / 2.035688053599178e-09; rel > 1e-8 {
		t.Errorf("GA Biden–Trump: %v, Arlo 2.035688053599178e-09 (relative difference %g)", got, rel)
	}
	tc := f.Tied.Contest.contest("tied")
	if r, ok := BravoRisk(tc, f.RiskLimit, f.Tied.FullCountSamp); r != 0 || !ok {
		t.Errorf("tied contest after a full count: %v, %v; Arlo 0, true", r, ok)
	}
}

func TestBravoArloSnapshotNotFound(t *testing.T) {
	var f struct {
		RiskLimit float64            `json:"risk_limit"`
		Contest   bpContestJSON      `json:"contest"`
		Sample    map[string]int64   `json:"sample_with_not_found"`
		Pairs     map[string]float64 `json:"pairs"`
	}
	bpLoad(t, "bravo/arlo_snap_test_bravo.json", &f)
	c := f.Contest.contest("snap")
	maxWant := 0.0
	for pair, want := range f.Pairs {
		wl := strings.SplitN(pair, "|", 2)
		got := bravoPairRisk(c.Votes[wl[0]], c.Votes[wl[1]], f.Sample[wl[0]], f.Sample[wl[1]])
		if rel := math.Abs(got-want) / want; rel > 1e-12 {
			t.Errorf("%s: %v, Arlo %v (relative difference %g)", pair, got, want, rel)
		}
		maxWant = math.Max(maxWant, want)
	}
	risk, ok := BravoRisk(c, f.RiskLimit, f.Sample)
	if math.Abs(risk-maxWant) > 1e-12*maxWant || ok {
		t.Errorf("risk %v, %v; Arlo %v, false", risk, ok, maxWant)
	}
}

func TestBravoASNR2B2(t *testing.T) {
	var f struct {
		Tests []struct {
			Ballots int64   `json:"ballots"`
			Winner  int64   `json:"winner_ballots"`
			Alpha   float64 `json:"alpha"`
			ASN     int64   `json:"asn"`
		} `json:"tests"`
	}
	bpLoad(t, "bravo/r2b2_asn_tests.json", &f)
	for _, tc := range f.Tests {
		c := Contest{Votes: map[string]int64{"A": tc.Winner, "B": tc.Ballots - tc.Winner}, Ballots: tc.Ballots, NumWinners: 1}
		asn := BravoASN(c, tc.Alpha)
		if got := int64(math.Ceil(asn)); got != tc.ASN {
			t.Errorf("%d/%d at %v: ASN %v, r2b2 %d", tc.Winner, tc.Ballots, tc.Alpha, asn, tc.ASN)
		}
		// Arlo's rounded-up ASN is the same formula.
		if got, _, _, err := bravoExpectedSize(c, tc.Alpha, nil); got != tc.ASN || err != nil {
			t.Errorf("%d/%d at %v: Arlo-style ASN %d, %v; r2b2 %d", tc.Winner, tc.Ballots, tc.Alpha, got, err, tc.ASN)
		}
	}
}

func TestBravoEdgeCases(t *testing.T) {
	c := Contest{Votes: map[string]int64{"a": 600, "b": 400}, Ballots: 1000, NumWinners: 1}
	if _, err := BravoSampleSizes(c, 0, nil); err == nil {
		t.Error("risk limit 0 accepted")
	}
	if _, err := BravoSampleSizes(c, 1, nil); err == nil {
		t.Error("risk limit 1 accepted")
	}
	// A vote for a loser with no reported votes: the statistic is 0, risk 1.
	z := Contest{Votes: map[string]int64{"a": 600, "b": 400, "c": 0}, Ballots: 1000, NumWinners: 1}
	if r, ok := BravoRisk(z, 0.1, map[string]int64{"a": 100, "b": 10, "c": 1}); r != 1 || ok {
		t.Errorf("vote for a zero-vote loser: %v, %v; want 1, false", r, ok)
	}
	if got, err := BravoSampleSizes(z, 0.1, map[string]int64{"a": 100, "b": 10, "c": 1}); err != nil || got["asn"] <= 0 {
		t.Errorf("vote for a zero-vote loser: sizes %v, %v", got, err)
	}
	// Risk falls as the winner's votes pile up, and the decision flips at the limit.
	prev := 1.0
	for n := int64(0); n <= 60; n++ {
		r, ok := BravoRisk(c, 0.1, map[string]int64{"a": n})
		if r > prev {
			t.Fatalf("risk rose from %v to %v at %d votes for the winner", prev, r, n)
		}
		if ok != (r <= 0.1) {
			t.Fatalf("confirmed %v at risk %v", ok, r)
		}
		prev = r
	}
	if got := BravoASN(Contest{Votes: map[string]int64{"a": 5, "b": 5}, Ballots: 10, NumWinners: 1}, 0.1); !math.IsInf(got, 1) {
		t.Errorf("ASN of a tie: %v", got)
	}
	if got := BravoASN(Contest{Votes: map[string]int64{"a": 5}, Ballots: 10, NumWinners: 1}, 0.1); got != 0 {
		t.Errorf("ASN with no loser: %v", got)
	}
}

// bravoSimulate runs trials BRAVO audits of a two-candidate contest whose true
// shares are the reported ones (vw of ballots for the winner, the rest for
// the loser), drawing with replacement one ballot at a time, and returns the
// mean and standard deviation of the number of ballots drawn to confirm.
func bravoSimulate(vw, ballots int64, alpha float64, trials int, rng *rand.Rand) (mean, sd float64) {
	s := float64(vw) / float64(ballots)
	up, down := math.Log(2*s), math.Log(2-2*s)
	goal := math.Log(1 / alpha)
	var sum, sum2 float64
	for range trials {
		logT, n := 0.0, 0
		for logT < goal {
			n++
			if rng.Int64N(ballots) < vw {
				logT += up
			} else {
				logT += down
			}
		}
		sum += float64(n)
		sum2 += float64(n) * float64(n)
	}
	mean = sum / float64(trials)
	sd = math.Sqrt(sum2/float64(trials) - mean*mean)
	return mean, sd
}

// bravoFigureMargins are the figures' two-candidate contests of 550,000 ballots.
var bravoFigureMargins = []struct {
	name   string
	winner int64
}{
	{"20%", 330000},
	{"10%", 302500},
	{"5%", 288750},
	{"1%", 277750},
	{"0.13%", 275364},
}

const bravoFigureBallots = 550000

// TestBravoSimulatedASN checks that simulated BRAVO audits at risk limit 5%
// draw on average BravoASN ballots, within 3% or four standard errors of
// the simulated mean, whichever is larger.
func TestBravoSimulatedASN(t *testing.T) {
	trials := map[string]int{"20%": 20000, "10%": 8000, "5%": 3000, "1%": 800, "0.13%": 20}
	if testing.Short() {
		trials = map[string]int{"20%": 4000, "10%": 1500, "5%": 400}
	}
	rng := rand.New(rand.NewPCG(2012, 5))
	for _, m := range bravoFigureMargins {
		n, ok := trials[m.name]
		if !ok {
			continue
		}
		c := Contest{Votes: map[string]int64{"w": m.winner, "l": bravoFigureBallots - m.winner}, Ballots: bravoFigureBallots, NumWinners: 1}
		asn := BravoASN(c, 0.05)
		mean, sd := bravoSimulate(m.winner, bravoFigureBallots, 0.05, n, rng)
		se := sd / math.Sqrt(float64(n))
		tol := math.Max(0.03*asn, 4*se)
		t.Logf("margin %s: ASN %.0f, simulated mean %.0f ± %.0f (%d trials)", m.name, asn, mean, se, n)
		if math.Abs(mean-asn) > tol {
			t.Errorf("margin %s: simulated mean %.1f, ASN %.1f (tolerance %.1f)", m.name, mean, asn, tol)
		}
	}
}

// bravoFigureRefs are published values for the figures' contests at risk
// limit 5%: BRAVO's ASN rounded up, from r2b2's tests (testdata/bravo/r2b2_asn_tests.json).
var bravoFigureRefs = map[string]string{
	"20%": "BRAVO ASN 154 (r2b2, 60/40)",
	"10%": "BRAVO ASN 608 (r2b2, 55/45)",
}

// BenchmarkBallotPollingFigures prints the figures of the ballot-polling
// note: for two-candidate contests of 550,000 ballots at risk limit 5%,
// BRAVO's ASN by the paper's formula, the mean of simulated BRAVO audits
// (ballot by ballot, with replacement, seeded), Minerva's first round with a
// 90% chance of stopping as Arlo computes it (normal approximation below a
// 1.5% margin) and by Athena's exact bisection, and the published value where
// there is one. Run it once:
//
//	go test -run '^$' -bench BallotPollingFigures -benchtime 1x ./internal/auditmath
func BenchmarkBallotPollingFigures(b *testing.B) {
	trials := map[string]int{"20%": 20000, "10%": 10000, "5%": 4000, "1%": 1000, "0.13%": 100}
	for range b.N {
		rng := rand.New(rand.NewPCG(2012, 5))
		var out strings.Builder
		fmt.Fprintf(&out, "risk limit 5%%, two candidates, %d ballots, all valid\n", bravoFigureBallots)
		fmt.Fprintf(&out, "| margin | votes (winner–loser) | BRAVO ASN (formula) | BRAVO simulated mean ± s.e. (trials) | BRAVO 1st round, 90%% (Arlo) | Minerva 1st round, 90%% (Arlo) | Minerva 1st round, 90%% (exact bisection) | published |\n")
		fmt.Fprintf(&out, "|---|---|---|---|---|---|---|---|\n")
		for _, m := range bravoFigureMargins {
			loser := bravoFigureBallots - m.winner
			c := Contest{Votes: map[string]int64{"w": m.winner, "l": loser}, Ballots: bravoFigureBallots, NumWinners: 1}
			asn := BravoASN(c, 0.05)
			mean, sd := bravoSimulate(m.winner, bravoFigureBallots, 0.05, trials[m.name], rng)
			arlo, err := MinervaSampleSizes(c, 0.05, nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			exact, err := MinervaFirstRoundSize(c, 0.05, 0.9)
			if err != nil {
				b.Fatal(err)
			}
			bravo90 := fmt.Sprint(bravoRoundSize(0.05, float64(m.winner)/bravoFigureBallots, float64(loser)/bravoFigureBallots, 0, 0, 0.9, bravoFigureBallots))
			if bs, err := BravoSampleSizes(c, 0.05, nil); err != nil {
				b.Fatal(err)
			} else if _, all := bs["all-ballots"]; all {
				bravo90 += " (Arlo: full count)"
			}
			ref := bravoFigureRefs[m.name]
			if ref == "" {
				ref = "–"
			}
			fmt.Fprintf(&out, "| %s | %d–%d | %.0f | %.0f ± %.0f (%d) | %s | %d | %d | %s |\n",
				m.name, m.winner, loser, asn, mean, sd/math.Sqrt(float64(trials[m.name])), trials[m.name], bravo90, arlo["0.9"], exact, ref)
		}
		b.Log("\n" + out.String())
	}
}

func TestBallotPollingInvalidContest(t *testing.T) {
	for _, c := range []Contest{
		{Votes: map[string]int64{"a": 6, "b": 4}, Ballots: 10, NumWinners: 0},
		{Votes: map[string]int64{"a": 6, "b": 4}, Ballots: 5, NumWinners: 1},
		{Votes: map[string]int64{"a": 6, "b": -4}, Ballots: 10, NumWinners: 1},
		{Votes: map[string]int64{}, Ballots: 10, NumWinners: 1},
	} {
		if r, ok := BravoRisk(c, 0.1, map[string]int64{"a": 50}); r != 1 || ok {
			t.Errorf("%+v: BravoRisk %v, %v", c, r, ok)
		}
		if _, err := BravoSampleSizes(c, 0.1, nil); err == nil {
			t.Errorf("%+v: BravoSampleSizes accepted", c)
		}
		if !math.IsNaN(BravoASN(c, 0.1)) {
			t.Errorf("%+v: BravoASN %v", c, BravoASN(c, 0.1))
		}
		if r, ok := MinervaRisk(c, 0.1, []int64{50}, []map[string]int64{{"a": 50}}); r != 1 || ok {
			t.Errorf("%+v: MinervaRisk %v, %v", c, r, ok)
		}
		if _, err := MinervaSampleSizes(c, 0.1, nil, nil); err == nil {
			t.Errorf("%+v: MinervaSampleSizes accepted", c)
		}
	}
	c := Contest{ID: "x", Votes: map[string]int64{"b": 4, "a": 6, "c": 4, "d": 0}, Ballots: 20, NumWinners: 2}
	if w, l := c.Winners(), c.Losers(); strings.Join(w, ",") != "a,b" || strings.Join(l, ",") != "c,d" {
		t.Errorf("winners %v, losers %v", w, l)
	}
	if m := c.Margin(); m != 0 {
		t.Errorf("margin %v", m)
	}
	c.NumWinners = 1
	if m := c.Margin(); m != 0.1 {
		t.Errorf("margin %v", m)
	}
}
