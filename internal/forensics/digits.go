package forensics

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Which counts each digit test reads: a candidate's votes at a station
// whose valid votes times the candidate's share over all stations are at
// least minLastDigit for the last digit, at least minSecondDigit for the
// second (Beber & Scacco 2012 and Mebane 2006 leave out the small counts).
// The count is chosen by what it is expected to be, never by what it is,
// so that the choice tells nothing of its digits.
const (
	minLastDigit   = 100
	minSecondDigit = 10
)

// DigitTest tests the distribution of one digit of the candidates' votes
// at each station against the distribution chance alone gives the same
// stations, not against a textbook law: honest counts follow neither
// uniform last digits exactly (a smooth spread of counts over a few
// hundred has more low last digits where the spread falls) nor Benford's
// law for the second digit (no theory says vote counts follow it, and many
// do not — Deckert, Myagkov & Ordeshook 2011; measured against Benford's
// law, the second digit fired on 62% of simulated honest elections).
//
// The last digit (Beber & Scacco 2012) is close to uniform when nobody
// invents the counts; people who make up numbers favour some digits. Its
// null is each count drawn from a binomial of its station's valid votes at
// its own observed share (the null of [Peaks], computed exactly rather
// than drawn): with counts of a hundred or more, the binomial's spread
// covers many last digits, and where it falls does not matter.
//
// The second digit is Mebane's (2006) second-digit test (2BL). A count's
// own binomial spreads over only one or two second digits (a count of 340
// has the tens digit 4 whatever the noise), so centring the null on the
// count itself would find every digit where it was. Its null is instead
// the count the station's area gives its candidate: valid votes times a
// share drawn from the area's candidates' shares, normal with the area's
// median and the spread beyond counting noise of an overdispersed
// binomial (the funnel of [Outliers]), plus the binomial noise of the
// station's valid votes; the counts of 10 or more, since a count under 10
// has no second digit. It assumes the shares within an area spread
// normally: where they do not (a city of two halves), the test fires on
// that, and says nothing of fraud.
//
// Either way a departure says the counts were not drawn as votes are;
// votes are not always so drawn (a station of one family, a count written
// twice), so it says where to look, not what happened.
//
// The observed digits are a sum of independent draws under the null,
// whose covariance is known, and ChiSquare is the distance of the observed
// from the expected in that covariance (Mahalanobis), chi-square with 9
// degrees of freedom when the counts are many.
type DigitTest struct {
	Digit     string      `json:"digit"`  // "last" or "second"
	Counts    int         `json:"counts"` // the counts tested
	Observed  [10]int     `json:"observed"`
	Expected  [10]float64 `json:"expected"` // proportions, under the binomial null
	ChiSquare float64     `json:"chi_square"`
	TooFew    bool        `json:"too_few"` // under 60 counts: no test (P 1)
	P         float64     `json:"p"`
}

// digitTally is what a digit test gathers from its counts: how many, the
// digits observed, the sum of their expected digits and of the covariance
// of each.
type digitTally struct {
	counts   int
	observed [10]int
	mean     [10]float64
	cov      [10][10]float64
}

// add adds one count's observed digit and its digit probabilities.
func (t *digitTally) add(digit int, p *[10]float64) {
	t.counts++
	t.observed[digit]++
	for i, pi := range p {
		if pi == 0 {
			continue
		}
		t.mean[i] += pi
		t.cov[i][i] += pi
		for j := range 10 {
			t.cov[i][j] -= pi * p[j]
		}
	}
}

func (t *digitTally) merge(u *digitTally) {
	t.counts += u.counts
	for i := range 10 {
		t.observed[i] += u.observed[i]
		t.mean[i] += u.mean[i]
		for j := range 10 {
			t.cov[i][j] += u.cov[i][j]
		}
	}
}

// secondDigit returns the second digit of v, which is at least 10.
func secondDigit(v int32) int {
	for v >= 100 {
		v /= 10
	}
	return int(v % 10)
}

// lastDigitChances sets p to the probabilities of each last digit of a
// binomial count of n trials at the rate k/n.
func lastDigitChances(k, n int32, p *[10]float64) {
	*p = [10]float64{}
	if k == 0 || k == n {
		p[k%10] = 1
		return
	}
	r := float64(k) / float64(n)
	nf := float64(n)
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	pm := math.Exp(lg(nf+1) - lg(float64(k)+1) - lg(nf-float64(k)+1) + float64(k)*math.Log(r) + (nf-float64(k))*math.Log1p(-r))
	odds := r / (1 - r)
	p[k%10] += pm
	const tiny = 1e-13
	for j, q := k, pm; j < n && q > tiny; j++ {
		q *= float64(n-j) / float64(j+1) * odds
		p[(j+1)%10] += q
	}
	for j, q := k, pm; j > 0 && q > tiny; j-- {
		q *= float64(j) / float64(n-j+1) / odds
		p[(j-1)%10] += q
	}
	sum := 0.0
	for _, q := range p {
		sum += q
	}
	for d := range p {
		p[d] /= sum
	}
}

// secondDigitChances sets p to the probabilities of each second digit of
// a count between 10 and n, given that it is, for a count normal of mean
// mu and standard deviation sigma rounded to a whole number. It reports
// false if such a count is all but impossible.
//
// A run of counts that share a second digit (10 wide from 100 to 999, 100
// wide to 9,999, ...) has the normal's mass between its ends. Where the
// normal is wide against the runs, the runs of a decade are integrated
// together by Simpson's rule on a grid fine against sigma, the density
// stepped by a recurrence (two multiplications a point, no exponential),
// the cumulative distribution taken exactly only where a decade starts
// and ends; elsewhere each run's mass is the difference of the exact
// cumulative distribution at its ends. The two agree to 1e-6
// (TestSecondDigitChancesFast); the exact one costs an Erfc a run, which
// was most of the time of all the indicators at a million stations.
func secondDigitChances(mu, sigma float64, n int32, p *[10]float64) bool {
	*p = [10]float64{}
	sigma = max(sigma, 0.5)
	lo := max(10, int64(math.Floor(mu-8*sigma)))
	hi := min(int64(n), int64(math.Ceil(mu+8*sigma)))
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-(x-mu)/(sigma*math.Sqrt2)) }
	sum := 0.0
	below := cdf(float64(lo) - 0.5) // one run's upper bound is the next's lower
	for a := lo; a <= hi; {
		// The run of counts from a that share its second digit.
		width := int64(1)
		for v := a; v >= 100; v /= 10 {
			width *= 10
		}
		b := min(hi, (a/width+1)*width-1)
		if b-a+1 == width {
			// Whole runs of this width, to the decade's end or hi.
			end := min(hi, width*100-1)
			if runs := (end - a + 1) / width; runs >= 4 {
				if steps := simpsonSteps(float64(width), sigma); steps > 0 {
					last := a + runs*width - 1
					sum += simpsonRuns(mu, sigma, a, width, runs, steps, p)
					a, below = last+1, cdf(float64(last)+0.5)
					continue
				}
			}
		}
		upTo := cdf(float64(b) + 0.5)
		q := upTo - below
		p[secondDigit(int32(a))] += q
		sum += q
		a, below = b+1, upTo
	}
	if sum < 1e-9 {
		return false
	}
	for d := range p {
		p[d] /= sum
	}
	return true
}

// simpsonSteps returns the even number of Simpson steps a run of the
// given width takes so that each step is at most sigma/12 (the rule's
// error then under 1e-6 of the mass), or 0 if that is more than 24: a
// normal that narrow against the runs is integrated exactly.
func simpsonSteps(width, sigma float64) int {
	m := int(math.Ceil(12 * width / sigma))
	m += m % 2
	if m > 24 {
		return 0
	}
	return max(m, 2)
}

// simpsonRuns adds to p the normal's mass over runs whole runs of counts
// from a, each width wide, by Simpson's rule with steps steps a run, and
// returns their sum.
func simpsonRuns(mu, sigma float64, a, width, runs int64, steps int, p *[10]float64) float64 {
	h := float64(width) / float64(steps)
	x := float64(a) - 0.5
	s2 := sigma * sigma
	// f is the density at x; g the ratio f(x+h)/f(x); c the ratio of
	// successive g.
	f := math.Exp(-(x-mu)*(x-mu)/(2*s2)) / (sigma * math.Sqrt(2*math.Pi))
	g := math.Exp(-(2*h*(x-mu) + h*h) / (2 * s2))
	c := math.Exp(-h * h / s2)
	total := 0.0
	for r := int64(0); r < runs; r++ {
		acc := f
		for j := 1; j <= steps; j++ {
			f *= g
			g *= c
			if j == steps {
				acc += f
			} else if j%2 == 1 {
				acc += 4 * f
			} else {
				acc += 2 * f
			}
		}
		q := acc * h / 3
		p[secondDigit(int32(a+r*width))] += q
		total += q
	}
	return total
}

// digitTests runs both digit tests for every group, the stations shared
// among workers goroutines.
func digitTests(s *Stations, workers int) (last, second [3]DigitTest) {
	sum := make([]float64, len(s.Candidates))
	total := 0.0
	for i := range s.List {
		for c, v := range s.List[i].Votes {
			sum[c] += float64(v)
			total += float64(v)
		}
	}
	null := areaShares(s)
	workers = max(1, workers)
	// tallies[w][signed][test]
	tallies := make([][2][2]digitTally, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var p [10]float64
			mine := &tallies[w]
			for i := w; i < len(s.List); i += workers {
				st := &s.List[i]
				sig := b2i(st.Signed)
				valid := st.valid()
				n := float64(valid)
				for c, v := range st.Votes {
					expect := n * sum[c] / total
					if expect >= minLastDigit {
						lastDigitChances(v, valid, &p)
						mine[sig][0].add(int(v%10), &p)
					}
					f := null[st.Area][c]
					if expect >= minSecondDigit && v >= 10 &&
						secondDigitChances(n*f.m, math.Sqrt(n*n*f.tau2+n*f.m*(1-f.m)), valid, &p) {
						mine[sig][1].add(secondDigit(v), &p)
					}
				}
			}
		})
	}
	wg.Wait()
	var by [3][2]digitTally // by group, by test
	for w := range tallies {
		for sig, g := range []Group{Unsigned, Signed} {
			for k := range 2 {
				by[g][k].merge(&tallies[w][sig][k])
				by[All][k].merge(&tallies[w][sig][k])
			}
		}
	}
	for _, g := range groups {
		last[g] = by[g][0].test("last")
		second[g] = by[g][1].test("second")
	}
	return last, second
}

// share is a candidate's share in an area: its median and its variance
// beyond counting noise.
type share struct{ m, tau2 float64 }

// areaShares returns each candidate's share in each reference area.
func areaShares(s *Stations) map[string][]share {
	at := map[string][]int{}
	for i := range s.List {
		at[s.List[i].Area] = append(at[s.List[i].Area], i)
	}
	out := make(map[string][]share, len(at))
	var xs, ns, work []float64
	for area, idx := range at {
		fs := make([]share, len(s.Candidates))
		for c := range fs {
			xs, ns = xs[:0], ns[:0]
			for _, i := range idx {
				st := &s.List[i]
				n := float64(st.valid())
				xs, ns = append(xs, float64(st.Votes[c])/n), append(ns, n)
			}
			fs[c].m, fs[c].tau2, work = fitFunnel(xs, ns, work)
		}
		out[area] = fs
	}
	return out
}

// minDigitCounts is the fewest counts a digit test runs on, as with the
// chi-square test it used to be: enough for 5 expected in a digit of 8.5%.
const minDigitCounts = 60

// test computes the statistic and its p-value; with too few counts, or
// counts whose digits cannot vary, the test says nothing (P 1).
func (t *digitTally) test(digit string) DigitTest {
	r := DigitTest{Digit: digit, Counts: t.counts, Observed: t.observed, P: 1}
	if t.counts > 0 {
		for d := range 10 {
			r.Expected[d] = t.mean[d] / float64(t.counts)
		}
	}
	if r.TooFew = t.counts < minDigitCounts; r.TooFew {
		return r
	}
	// The ten digits add up to the counts: drop the last to invert.
	const k = 9
	cov := mat.NewSymDense(k, nil)
	diff := mat.NewVecDense(k, nil)
	for i := range k {
		diff.SetVec(i, float64(t.observed[i])-t.mean[i])
		for j := i; j < k; j++ {
			cov.SetSym(i, j, t.cov[i][j])
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		return r
	}
	x := mat.NewVecDense(k, nil)
	if err := ch.SolveVecTo(x, diff); err != nil {
		return r
	}
	r.ChiSquare = mat.Dot(diff, x)
	r.P = distuv.ChiSquared{K: k}.Survival(r.ChiSquare)
	return r
}
