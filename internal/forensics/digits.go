package forensics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Which counts each digit test reads: a candidate's votes at a station
// whose valid votes times the candidate's share over the group are at
// least minLastDigit for the last digit, at least 10 for the second. The
// count is chosen by what it is expected to be, never by what it is: a
// test of the counts of 100 or more would find too many low last digits,
// the counts just over 100 (100 to 104) standing in for those just under.
const (
	minLastDigit   = 100
	minSecondDigit = 10
)

// DigitTest is a chi-square test of the distribution of one digit of the
// candidates' votes at each station against what it is said to follow,
// with 9 degrees of freedom.
//
// The last digit (Beber & Scacco 2012) of counts of three digits or more
// is close to uniform when nobody invents them; people who make up
// numbers favour some digits. Counts expected under 100 are left out:
// their last digits are not uniform (a station where a minor candidate
// expects 4 votes gives 1 to 9 more often than 0). Caveat: a smooth
// spread of counts over a few hundred has slightly more low last digits
// where the spread falls; the calibration measures what that costs.
//
// The second digit (Mebane's second-digit Benford law, 2BL) is compared
// with Benford's second-digit distribution. Caveat: no theory says honest
// vote counts follow it, and many do not (Deckert, Myagkov & Ordeshook
// 2011); its calibration on simulated honest elections says how often it
// fires on them.
type DigitTest struct {
	Digit     string      `json:"digit"`  // "last" or "second"
	Counts    int         `json:"counts"` // the counts tested
	Observed  [10]int     `json:"observed"`
	Expected  [10]float64 `json:"expected"` // proportions
	ChiSquare float64     `json:"chi_square"`
	TooFew    bool        `json:"too_few"` // under 60 counts: no test (P 1)
	P         float64     `json:"p"`
}

// uniform is the expected proportion of each last digit.
var uniform = [10]float64{.1, .1, .1, .1, .1, .1, .1, .1, .1, .1}

// benford2 is Benford's law for the second digit: P(d) is the sum over
// first digits k of log10(1 + 1/(10k+d)).
var benford2 = func() (p [10]float64) {
	for d := range 10 {
		for k := 1; k <= 9; k++ {
			p[d] += math.Log10(1 + 1/float64(10*k+d))
		}
	}
	return p
}()

// secondDigit returns the second digit of v, which is at least 10.
func secondDigit(v int32) int {
	for v >= 100 {
		v /= 10
	}
	return int(v % 10)
}

func digits(s *Stations, g Group) (last, second DigitTest) {
	last = DigitTest{Digit: "last", Expected: uniform}
	second = DigitTest{Digit: "second", Expected: benford2}
	sum := make([]float64, len(s.Candidates))
	total := 0.0
	for i := range s.List {
		st := &s.List[i]
		if g.in(st.Signed) {
			for c, v := range st.Votes {
				sum[c] += float64(v)
				total += float64(v)
			}
		}
	}
	for i := range s.List {
		st := &s.List[i]
		if !g.in(st.Signed) {
			continue
		}
		valid := float64(st.valid())
		for c, v := range st.Votes {
			expect := valid * sum[c] / total
			if expect >= minLastDigit {
				last.Observed[v%10]++
				last.Counts++
			}
			if expect >= minSecondDigit && v >= 10 {
				second.Observed[secondDigit(v)]++
				second.Counts++
			}
		}
	}
	last.chiSquare()
	second.chiSquare()
	return last, second
}

// minDigitCounts is the fewest counts a digit test runs on: enough for 5
// expected in the rarest second digit (8.5%), as the chi-square
// approximation wants.
const minDigitCounts = 60

// chiSquare computes the statistic and its p-value; with too few counts
// the test says nothing (P 1).
func (t *DigitTest) chiSquare() {
	t.ChiSquare, t.P = 0, 1
	if t.TooFew = t.Counts < minDigitCounts; t.TooFew {
		return
	}
	n := float64(t.Counts)
	for d, o := range t.Observed {
		e := n * t.Expected[d]
		t.ChiSquare += (float64(o) - e) * (float64(o) - e) / e
	}
	t.P = distuv.ChiSquared{K: 9}.Survival(t.ChiSquare)
}
