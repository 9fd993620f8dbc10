package auditmath

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// bravoPairsFile is testdata/bravo/arlo_all_pairs.json: Arlo's BRAVO tests
// since its round sizes (server/audit_math/bravo.py, get_sample_size and
// get_expected_sample_size) took the largest over every winner–loser pair
// (votingworks/arlo server/tests/audit_math/test_bravo.py at commit
// 8d86156c72aad7ab2bdf896fae0357eedbed2b5b; the change is 3fcb561f).
type bravoPairsFile struct {
	RiskLimit   float64                  `json:"risk_limit"`
	Contests    map[string]bpContestJSON `json:"contests"`
	SampleSizes []struct {
		Contest    string           `json:"contest"`
		Round      string           `json:"round"`
		Sample     map[string]int64 `json:"sample"`
		RoundSizes []int64          `json:"round_sizes"`
		Sizes      map[string]int64 `json:"sizes"`
		ASNProb    float64          `json:"asn_prob"`
	} `json:"sample_sizes"`
	Risk []struct {
		Contest   string             `json:"contest"`
		Sample    map[string]int64   `json:"sample"`
		Pairs     map[string]float64 `json:"pairs"`
		Confirmed bool               `json:"confirmed"`
	} `json:"risk"`
	ASNRound0 map[string]bravoASNCase `json:"expected_sample_size_round0"`
	ASNRound1 map[string]bravoASNCase `json:"expected_sample_size_round1"`
}

type bravoASNCase struct {
	Size  int64  `json:"size"`
	Error string `json:"error"`
}

// withDrawn returns sample with the ballots drawn in rounds but holding no
// vote for a candidate under a key that is not one, as BravoSampleSizes
// counts ballots drawn (Arlo counts them from its round sizes).
func withDrawn(sample map[string]int64, rounds []int64) map[string]int64 {
	s := map[string]int64{}
	var votes, drawn int64
	for k, v := range sample {
		s[k] = v
		votes += v
	}
	for _, r := range rounds {
		drawn += r
	}
	if drawn > votes {
		s["_no_vote_"] = drawn - votes
	}
	return s
}

// TestBravoArloAllPairs: after a round that confirms the closest pair but
// not another, the next round is sized for the pair still open, as Arlo
// sizes it; Arlo's sizes before that change (the closest pair's only) were
// 1,285 for the ASN and 0 for 70/80/90%.
func TestBravoArloAllPairs(t *testing.T) {
	var f bravoPairsFile
	bpLoad(t, "bravo/arlo_all_pairs.json", &f)
	for _, tc := range f.SampleSizes {
		c := f.Contests[tc.Contest].contest(tc.Contest)
		sample := withDrawn(tc.Sample, tc.RoundSizes)
		got, err := BravoSampleSizes(c, f.RiskLimit, sample)
		if err != nil {
			t.Errorf("%s %s: %v; Arlo %v", tc.Contest, tc.Round, err, tc.Sizes)
			continue
		}
		if len(got) != len(tc.Sizes) {
			t.Errorf("%s %s: %v; Arlo %v", tc.Contest, tc.Round, got, tc.Sizes)
		}
		for k, v := range tc.Sizes {
			if got[k] != v {
				t.Errorf("%s %s: %q = %d, Arlo %d", tc.Contest, tc.Round, k, got[k], v)
			}
		}
		p := BravoRoundProb(c, f.RiskLimit, sample, got["asn"])
		if math.Round(p*100)/100 != tc.ASNProb {
			t.Errorf("%s %s: chance %v at the ASN %d, Arlo %v", tc.Contest, tc.Round, p, got["asn"], tc.ASNProb)
		}
	}
	for _, tc := range f.Risk {
		c := f.Contests[tc.Contest].contest(tc.Contest)
		risk, ok := BravoRisk(c, f.RiskLimit, tc.Sample)
		maxWant := 0.0
		for pair, want := range tc.Pairs {
			wl := strings.SplitN(pair, "|", 2)
			got := bravoPairRisk(c.Votes[wl[0]], c.Votes[wl[1]], tc.Sample[wl[0]], tc.Sample[wl[1]])
			if math.Abs(got-want) >= 0.01 {
				t.Errorf("%s %s: risk %v, Arlo %v", tc.Contest, pair, got, want)
			}
			maxWant = math.Max(maxWant, want)
		}
		if math.Abs(risk-maxWant) >= 0.01 || ok != tc.Confirmed {
			t.Errorf("%s: risk %v, %v; Arlo %v, %v", tc.Contest, risk, ok, maxWant, tc.Confirmed)
		}
	}
}

// TestBravoArloExpectedSampleSize holds bravoExpectedSize to Arlo's
// get_expected_sample_size on Arlo's contests, before any sample and after
// the first round.
func TestBravoArloExpectedSampleSize(t *testing.T) {
	var f bravoPairsFile
	bpLoad(t, "bravo/arlo_all_pairs.json", &f)
	old := loadBravoArlo(t)
	errName := map[string]error{"no losers": ErrNoLosers, "tied": errTied, "audit over": ErrAuditOver}
	for round, cases := range map[string]map[string]bravoASNCase{"round 0": f.ASNRound0, "round 1": f.ASNRound1} {
		for name, want := range cases {
			c := old.Contests[name].contest(name)
			var sample map[string]int64
			if round == "round 1" {
				sample = old.Round1Sample[name]
			}
			got, _, _, err := bravoExpectedSize(c, old.RiskLimit, sample)
			if want.Error != "" {
				if !errors.Is(err, errName[want.Error]) {
					t.Errorf("%s %s: %d, %v; Arlo raises %q", round, name, got, err, want.Error)
				}
				continue
			}
			if got != want.Size || err != nil {
				t.Errorf("%s %s: ASN %d, %v; Arlo %d", round, name, got, err, want.Size)
			}
		}
	}
}
