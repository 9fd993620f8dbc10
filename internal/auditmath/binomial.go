package auditmath

import "math"

// Binomial and hypergeometric probabilities, in float64, in log space where
// the numbers would underflow.
//
// The binomial probability mass function is computed with Loader's
// saddle-point method (C. Loader, "Fast and Accurate Computation of Binomial
// Probabilities", 2000; the method of R's dbinom): with q = 1 − p,
//
//	ln P(X = k) = δ(n) − δ(k) − δ(n−k) − D(k, np) − D(n−k, nq) − ½ ln(2π k (n−k)/n)
//
// where δ(m) = ln m! − ln(√(2πm) (m/e)^m) is the error of Stirling's formula
// and D(x, μ) = x ln(x/μ) + μ − x is the deviance term, computed by a series
// when x is near μ. Each term is small and computed without cancellation,
// so the result has a relative error of a few units in the last place even
// for n in the millions, where ln C(n, k) from ln Γ loses digits. The
// hypergeometric mass function is built from three binomial ones (as R's
// dhyper does): with p = n/N,
//
//	P(X = k) = b(k; K, p) · b(n−k; N−K, p) / b(n; N, p)
//
// which is exact algebra (the powers of p and 1−p cancel) and keeps Loader's
// accuracy. Tails are summed term by term over the window of k where the
// mass function does not underflow (see binomWindow), smallest terms first.

// stirlingErr returns δ(n) = ln n! − ln(√(2πn) (n/e)^n) for n ≥ 1.
func stirlingErr(n float64) float64 {
	const (
		s0 = 1.0 / 12
		s1 = 1.0 / 360
		s2 = 1.0 / 1260
		s3 = 1.0 / 1680
		s4 = 1.0 / 1188
	)
	if n <= 15 {
		lg, _ := math.Lgamma(n + 1)
		return lg - (n+0.5)*math.Log(n) + n - 0.5*math.Log(2*math.Pi)
	}
	nn := n * n
	switch {
	case n > 500:
		return (s0 - s1/nn) / n
	case n > 80:
		return (s0 - (s1-s2/nn)/nn) / n
	case n > 35:
		return (s0 - (s1-(s2-s3/nn)/nn)/nn) / n
	default:
		return (s0 - (s1-(s2-(s3-s4/nn)/nn)/nn)/nn) / n
	}
}

// devianceTerm returns D(x, mu) = x ln(x/mu) + mu − x, accurately when x is
// close to mu.
func devianceTerm(x, mu float64) float64 {
	if x == 0 {
		return mu
	}
	if math.Abs(x-mu) < 0.1*(x+mu) {
		v := (x - mu) / (x + mu)
		s := (x - mu) * v
		ej := 2 * x * v
		v2 := v * v
		for j := 1; j < 1000; j++ {
			ej *= v2
			s1 := s + ej/float64(2*j+1)
			if s1 == s {
				return s1
			}
			s = s1
		}
		return s
	}
	return x*math.Log(x/mu) + mu - x
}

// LogBinomPMF returns ln P(X = k) for X ~ Binomial(n, p): −Inf when the
// probability is 0 (k outside 0..n, or p at 0 or 1 and k not n·p). It
// panics if n < 0 or p is outside [0, 1].
func LogBinomPMF(k, n int64, p float64) float64 {
	if n < 0 || !(p >= 0 && p <= 1) {
		panic("auditmath: LogBinomPMF: n < 0 or p outside [0, 1]")
	}
	if k < 0 || k > n {
		return math.Inf(-1)
	}
	q := 1 - p
	switch {
	case p == 0:
		if k == 0 {
			return 0
		}
		return math.Inf(-1)
	case p == 1:
		if k == n {
			return 0
		}
		return math.Inf(-1)
	case k == 0:
		return float64(n) * math.Log1p(-p)
	case k == n:
		return float64(n) * math.Log(p)
	}
	x, nf := float64(k), float64(n)
	lc := stirlingErr(nf) - stirlingErr(x) - stirlingErr(nf-x) - devianceTerm(x, nf*p) - devianceTerm(nf-x, nf*q)
	lf := math.Log(2*math.Pi) + math.Log(x) + math.Log1p(-x/nf)
	return lc - 0.5*lf
}

// BinomPMF returns P(X = k) for X ~ Binomial(n, p) (0 where it underflows).
func BinomPMF(k, n int64, p float64) float64 { return math.Exp(LogBinomPMF(k, n, p)) }

// LogChoose returns ln C(n, k), the log of the binomial coefficient: as a
// sum of k logs when k or n−k is at most 30 (accurate to a few units in the
// last place), otherwise from ln Γ, whose absolute error is about
// 1e-16 · ln n! (about 1e-9 for n near 10^7). −Inf for k outside 0..n. For
// probabilities use LogBinomPMF or LogHypergeomPMF, which do not lose those
// digits.
func LogChoose(n, k int64) float64 {
	if k < 0 || k > n || n < 0 {
		return math.Inf(-1)
	}
	k = min(k, n-k)
	if k == 0 {
		return 0
	}
	if k <= 30 {
		s := 0.0
		for i := int64(1); i <= k; i++ {
			s += math.Log(float64(n-k+i) / float64(i))
		}
		return s
	}
	a, _ := math.Lgamma(float64(n) + 1)
	b, _ := math.Lgamma(float64(k) + 1)
	c, _ := math.Lgamma(float64(n-k) + 1)
	return a - b - c
}

// LogHypergeomPMF returns ln P(X = k) where X is the number of marked items
// in a sample of n drawn without replacement from N items of which K are
// marked: C(K, k) C(N−K, n−k) / C(N, n). −Inf when the probability is 0.
// It panics unless 0 ≤ K ≤ N and 0 ≤ n ≤ N.
func LogHypergeomPMF(k, N, K, n int64) float64 {
	if N < 0 || K < 0 || K > N || n < 0 || n > N {
		panic("auditmath: LogHypergeomPMF: want 0 ≤ K ≤ N and 0 ≤ n ≤ N")
	}
	if k < max(0, n-(N-K)) || k > min(n, K) {
		return math.Inf(-1)
	}
	if n == 0 || n == N {
		return 0 // the only possible k
	}
	p := float64(n) / float64(N)
	return LogBinomPMF(k, K, p) + LogBinomPMF(n-k, N-K, p) - LogBinomPMF(n, N, p)
}

// HypergeomPMF returns P(X = k) for the hypergeometric distribution of
// LogHypergeomPMF (0 where it underflows).
func HypergeomPMF(k, N, K, n int64) float64 { return math.Exp(LogHypergeomPMF(k, N, K, n)) }

// HypergeomCDF returns P(X ≤ k) for the hypergeometric distribution of
// LogHypergeomPMF, summing the mass function over the shorter side of k.
func HypergeomCDF(k, N, K, n int64) float64 {
	lo, hi := max(0, n-(N-K)), min(n, K)
	if k < lo {
		return 0
	}
	if k >= hi {
		return 1
	}
	mode := (n + 1) * (K + 1) / (N + 2)
	if k < mode {
		return sumHypergeom(lo, k, N, K, n)
	}
	return math.Max(0, 1-sumHypergeom(k+1, hi, N, K, n))
}

// sumHypergeom sums the hypergeometric mass function over a..b, smallest
// terms first, stopping where the terms no longer change the sum.
func sumHypergeom(a, b, N, K, n int64) float64 {
	mode := (n + 1) * (K + 1) / (N + 2)
	if b <= mode { // terms increase with i: sum downward from b
		s := 0.0
		for i := b; i >= a; i-- {
			t := HypergeomPMF(i, N, K, n)
			if s > 0 && t < s*1e-17 {
				break
			}
			s += t
		}
		return s
	}
	s := 0.0
	for i := a; i <= b; i++ { // a ≥ mode: terms decrease with i
		t := HypergeomPMF(i, N, K, n)
		if s > 0 && t < s*1e-17 {
			break
		}
		s += t
	}
	return s
}

// binomWindow returns the mass function of Binomial(n, p) over the window
// lo..lo+len(pmf)−1 outside which every P(X = k) is below e^−745, the
// smallest positive float64 (so 0 in float64 arithmetic): by Chernoff,
// P(X = k) ≤ exp(−n·KL(k/n ‖ p)) and by Pinsker KL ≥ 2(k/n − p)², so
// |k − np| > √(372.5·n) is outside. The window has about 39·√n entries.
func binomWindow(n int64, p float64) (lo int64, pmf []float64) {
	if n == 0 {
		return 0, []float64{1}
	}
	if p == 0 {
		return 0, []float64{1}
	}
	if p == 1 {
		return n, []float64{1}
	}
	half := math.Sqrt(372.5*float64(n)) + 2
	mean := float64(n) * p
	lo = max(0, int64(math.Floor(mean-half)))
	hi := min(n, int64(math.Ceil(mean+half)))
	pmf = make([]float64, hi-lo+1)
	for k := lo; k <= hi; k++ {
		pmf[k-lo] = BinomPMF(k, n, p)
	}
	return lo, pmf
}

// BinomSF returns P(X ≥ k) for X ~ Binomial(n, p), summing the mass
// function over the shorter side of k.
func BinomSF(k, n int64, p float64) float64 {
	if k <= 0 {
		return 1
	}
	if k > n {
		return 0
	}
	if float64(k) <= float64(n)*p {
		return math.Max(0, 1-BinomCDF(k-1, n, p))
	}
	lo, pmf := binomWindow(n, p)
	s := 0.0
	for i := lo + int64(len(pmf)) - 1; i >= max(k, lo); i-- {
		s += pmf[i-lo]
	}
	return math.Min(s, 1)
}

// BinomCDF returns P(X ≤ k) for X ~ Binomial(n, p), summing the mass
// function over the shorter side of k (so that a small tail keeps its
// relative accuracy).
func BinomCDF(k, n int64, p float64) float64 {
	if k < 0 {
		return 0
	}
	if k >= n {
		return 1
	}
	lo, pmf := binomWindow(n, p)
	hi := lo + int64(len(pmf)) - 1
	if k < lo {
		return 0
	}
	if k >= hi {
		return 1
	}
	if float64(k) < float64(n)*p {
		s := 0.0
		for i := lo; i <= k; i++ {
			s += pmf[i-lo]
		}
		return math.Min(s, 1)
	}
	s := 0.0
	for i := hi; i > k; i-- {
		s += pmf[i-lo]
	}
	return math.Max(0, 1-s)
}

// BinomQuantile returns the smallest x with P(X ≤ x) ≥ q for
// X ~ Binomial(n, p): scipy's binom.ppf. 0 ≤ q ≤ 1.
func BinomQuantile(q float64, n int64, p float64) int64 {
	if q <= 0 {
		return 0
	}
	lo, pmf := binomWindow(n, p)
	if q >= 1 {
		// The largest x with positive probability.
		return lo + int64(len(pmf)) - 1
	}
	s := 0.0
	for i, v := range pmf {
		s += v
		if s >= q {
			return lo + int64(i)
		}
	}
	return lo + int64(len(pmf)) - 1
}

// invNormalCDF returns Φ⁻¹(p), the standard normal quantile, for 0 < p < 1.
func invNormalCDF(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// normalCDF returns Φ(x), the standard normal distribution function.
func normalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
