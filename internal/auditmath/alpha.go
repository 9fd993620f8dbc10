package auditmath

// ALPHA: the test supermartingale of Philip B. Stark, "ALPHA: Audit that
// Learns from Previously Hand-Audited Ballots", Annals of Applied
// Statistics 17(1), 2023 (arXiv 2201.02707), as SHANGRLA computes it
// (pbstark/SHANGRLA, shangrla/core/NonnegMean.py: alpha_mart, sjm,
// shrink_trunc, fixed_alternative_mean).
//
// Setting. A population of N values in [0, u] (the assorter values of the
// ballots) has mean μ; the null hypothesis is μ ≤ t. Values x_1, x_2, …
// are drawn at random without replacement (or with replacement: N
// infinite, here N = 0). With S_j = x_1 + … + x_{j−1} (S_1 = 0), the mean of
// the values not yet drawn, were μ = t, is
//
//	m_j = (N·t − S_j)/(N − j + 1)   (t with replacement).
//
// Before draw j an estimate η_j of that remaining mean under the
// alternative is fixed from x_1..x_{j−1} only (any predictable η_j in
// (m_j, u] keeps the test valid). Then
//
//	T_j = Π_{i≤j} ( x_i·η_i/m_i + (u − x_i)(u − η_i)/(u − m_i) ) / u
//
// is a nonnegative supermartingale with mean at most 1 under the null, so
// by Ville's inequality P(max_j T_j ≥ 1/α) ≤ α: the sequentially valid
// p-value after n draws is min(1, 1/max_{j≤n} T_j), whatever the stopping
// rule. Each factor is 1 + λ_i (x_i − m_i) with λ_i = (η_i/m_i − 1)/(u − m_i):
// a bet on the next value, which ALPHA sizes by estimating the mean.
//
// Special cases, as SHANGRLA (applied to the displayed T_j, not to the
// running product): m_j > u (the values drawn are so small that the null
// is certainly true) gives T_j = 1; m_j close to 0 or to u, or T_j close
// to 0 (NumPy's isclose, absolute tolerance 2ε, relative 10⁻⁵, 10⁻⁶ for
// u), give T_j = 1; m_j < 0 (the values drawn already sum to more than
// N·t: the null is certainly false) gives T_j = +Inf, and so does the
// last value of the sequence tested when the values sum to more than N·t.
//
// Estimators of η_j. Fixed alternative (ALPHA's η the population mean):
// η_j = (N·η − S_j)/(N − j + 1) (η with replacement). Shrink–truncate
// (ALPHA section 2.5.2, SHANGRLA's shrink_trunc): the sample mean
// shrunk towards η with weight d, then towards u with weight f/sd_j,
// truncated to stay above m_j and below u:
//
//	η_j = min( u(1−ε) − c/√(d+j−1),
//	           max( ((d·η + S_j)/(d+j−1) + u·f/sd_j)/(1 + f/sd_j), m_j(1+ε) + c/√(d+j−1) ) )
//
// with ε the float64 machine epsilon, sd_1 = sd_2 = 1 and for j > 2 sd_j
// the population standard deviation of x_1..x_{j−1} (at least minsd). The
// defaults are SHANGRLA's: d = 100, f = 0, minsd = 10⁻⁶, c = (η − t)/2 − ε
// (c = (u − c)/2 if then u − c < t + c).
//
// Arithmetic: float64 in the order SHANGRLA's NumPy code takes; on every
// sequence of testdata/shangrla the p-values, their history and the η_j
// are SHANGRLA's bit for bit (the test allows 1e-9 relative).

import (
	"errors"
	"fmt"
	"math"
)

// eps is NumPy's np.finfo(float).eps.
const eps = 0x1p-52

// Alpha is an ALPHA test of the hypothesis that the mean of a population
// of N values in [0, U] is at most T.
type Alpha struct {
	N int64   // population size; 0 for sampling with replacement
	T float64 // null mean (1/2 for an assorter)
	U float64 // upper bound of the values
	// Eta is the alternative mean η the bets start from: the mean the
	// reported results imply. It must be in (T, U].
	Eta float64
	// Fixed selects the fixed-alternative estimator; otherwise
	// shrink–truncate with D, F, C and MinSD (zero values take the
	// defaults of the file comment; F = 0 is SHANGRLA's default too).
	Fixed    bool
	D, F, C  float64
	MinSD    float64
	defaults bool
}

// withDefaults fills in the estimator's defaults and checks the test.
func (a Alpha) withDefaults() (Alpha, error) {
	if a.defaults {
		return a, nil
	}
	switch {
	case a.N < 0:
		return a, fmt.Errorf("alpha: population %d; want 0 (with replacement) or more", a.N)
	case !(a.U > 0) || math.IsInf(a.U, 0):
		return a, fmt.Errorf("alpha: upper bound %v; want a positive number", a.U)
	case !(a.T > 0 && a.T < a.U):
		return a, fmt.Errorf("alpha: null mean %v; want in (0, %v)", a.T, a.U)
	case !(a.Eta > a.T && a.Eta <= a.U):
		return a, fmt.Errorf("alpha: alternative mean %v; want in (%v, %v]", a.Eta, a.T, a.U)
	}
	if a.D == 0 {
		a.D = 100
	}
	if a.MinSD == 0 {
		a.MinSD = 1e-6
	}
	if a.C == 0 {
		a.C = (a.Eta-a.T)/2 - eps
	}
	if a.U-a.C < a.T+a.C {
		a.C = (a.U - a.C) / 2
	}
	if a.D < 0 || a.F < 0 || a.C < 0 || a.MinSD < 0 {
		return a, errors.New("alpha: d, f, c and minsd must not be negative")
	}
	a.defaults = true
	return a, nil
}

// alphaRun is an ALPHA test under way: the state after the values fed so
// far, so that a long sequence need not be held in memory.
type alphaRun struct {
	a        Alpha
	j        int64   // values fed
	s        float64 // their sum
	prod     float64 // running product of the factors
	mean, m2 float64 // Welford's running mean and sum of squares
	maxT     float64 // largest displayed T so far (NaN once one is NaN)
}

func (a Alpha) start() (*alphaRun, error) {
	a, err := a.withDefaults()
	if err != nil {
		return nil, err
	}
	return &alphaRun{a: a, prod: 1, maxT: math.Inf(-1)}, nil
}

// nullMean returns m_j for the next draw, with mean t in place of T.
func (r *alphaRun) nullMean(t float64) float64 {
	if r.a.N == 0 {
		return t
	}
	return (float64(r.a.N)*t - r.s) / float64(r.a.N-r.j)
}

// eta returns the estimate η_j for the next draw.
func (r *alphaRun) eta(m float64) float64 {
	a := &r.a
	if a.Fixed {
		return r.nullMean(a.Eta)
	}
	j := float64(r.j + 1)
	sd := 1.0
	if r.j >= 2 {
		sd = math.Max(math.Sqrt(r.m2/float64(r.j)), a.MinSD)
	}
	weighted := ((a.D*a.Eta+r.s)/(a.D+j-1) + a.U*a.F/sd) / (1 + a.F/sd)
	tol := a.C / math.Sqrt(a.D+j-1)
	// min(u(1−ε) − tol, max(weighted, m(1+ε) + tol)), without math.Min's
	// care for NaN and −0, which the values checked on input cannot give.
	eta := weighted
	if lo := m*(1+eps) + tol; lo > eta {
		eta = lo
	}
	if hi := a.U*(1-eps) - tol; hi < eta {
		eta = hi
	}
	return eta
}

// isClose is NumPy's isclose(a, b, rtol, atol): |a − b| ≤ atol + rtol·|b|
// for finite values, equality for infinite ones.
func isClose(a, b, rtol, atol float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= atol+rtol*math.Abs(b)
}

// feed takes the next value and returns the displayed T_j. last says
// whether it is the last value of the sequence tested: SHANGRLA sets that
// one's T to +Inf when the values sum to more than N·t (the null is then
// certainly false).
func (r *alphaRun) feed(x float64, last bool) float64 {
	a := &r.a
	m := r.nullMean(a.T)
	eta := r.eta(m)
	r.prod *= (x*eta/m + (a.U-x)*(a.U-eta)/(a.U-m)) / a.U
	t := r.prod
	const atol = 2 * eps
	if m > a.U {
		t = 0
	}
	if isClose(0, m, 1e-5, atol) || isClose(a.U, m, 1e-6, atol) || isClose(0, t, 1e-5, atol) {
		t = 1
	}
	if m < 0 {
		t = math.Inf(1)
	}
	// Welford, as SHANGRLA's welford_mean_var.
	r.j++
	if r.j == 1 {
		r.mean = x
	} else {
		prev := r.mean
		r.mean += (x - prev) / float64(r.j)
		r.m2 += (x - prev) * (x - r.mean)
	}
	r.s += x
	if last && a.N > 0 && r.s > float64(a.N)*a.T {
		t = math.Inf(1)
	}
	if math.IsNaN(t) || math.IsNaN(r.maxT) {
		r.maxT = math.NaN()
	} else {
		r.maxT = math.Max(r.maxT, t)
	}
	return t
}

// pValue is min(1, 1/max T) so far; 1 before any draw or once a T is NaN
// (Python's min(1, nan) is 1).
func (r *alphaRun) pValue() float64 {
	if r.j == 0 || math.IsNaN(r.maxT) {
		return 1
	}
	return math.Min(1, 1/r.maxT)
}

// PValues returns the sequentially valid p-value of the null after the
// draws x, in the order drawn, and its history (min(1, 1/T_j) after each
// draw j, not the running minimum), as SHANGRLA's alpha_mart. Values must
// lie in [0, U], and without replacement there are at most N of them.
func (a Alpha) PValues(x []float64) (p float64, history []float64, err error) {
	if a.N > 0 && int64(len(x)) > a.N {
		return 1, nil, fmt.Errorf("alpha: %d draws from a population of %d", len(x), a.N)
	}
	r, err := a.start()
	if err != nil {
		return 1, nil, err
	}
	history = make([]float64, len(x))
	for i, v := range x {
		if !(v >= 0 && v <= r.a.U) {
			return 1, nil, fmt.Errorf("alpha: draw %d is %v, outside [0, %v]", i+1, v, r.a.U)
		}
		history[i] = math.Min(1, 1/r.feed(v, i == len(x)-1))
	}
	return r.pValue(), history, nil
}

// alphaSampleSize returns the number of draws after which the ALPHA
// p-value first reaches riskLimit when the N values of the population come
// in the order next gives them, or N if it never does: SHANGRLA's
// NonnegMean.sample_size without simulation (reps=None), which runs the
// test over a population made from the values the reported results imply.
// It stops at the first crossing, so a large N costs only the draws needed.
func (a Alpha) alphaSampleSize(next func() float64, riskLimit float64) (int64, error) {
	if a.N <= 0 {
		return 0, errors.New("alpha: a sample size needs a finite population")
	}
	r, err := a.start()
	if err != nil {
		return 0, err
	}
	for j := int64(1); j <= a.N; j++ {
		if p := math.Min(1, 1/r.feed(next(), j == a.N)); p <= riskLimit {
			return j, nil
		}
	}
	return a.N, nil
}
