package auditmath

import (
	"math"
	"math/big"
	"testing"
)

// binomExact returns C(n,k) p^k (1−p)^(n−k), computed exactly from the
// float64 p (p = P/2^e, 1−p = Q/2^e in integers) and rounded to float64.
func binomExact(k, n int64, p float64) float64 {
	const e = 64
	P, _ := new(big.Float).SetMantExp(big.NewFloat(p), e).Int(nil) // exact: p has at most 53 bits below 2^-11... checked below
	if f, _ := new(big.Float).SetMantExp(new(big.Float).SetInt(P), -e).Float64(); f != p {
		panic("binomExact: p not representable in 64 fractional bits")
	}
	Q := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), e), P)
	num := new(big.Int).Binomial(n, k)
	num.Mul(num, new(big.Int).Exp(P, big.NewInt(k), nil))
	num.Mul(num, new(big.Int).Exp(Q, big.NewInt(n-k), nil))
	f, _ := new(big.Float).SetMantExp(new(big.Float).SetInt(num), -e*int(n)).Float64()
	return f
}

func TestBinomPMFExact(t *testing.T) {
	for _, n := range []int64{1, 2, 7, 20, 61, 150} {
		for _, p := range []float64{0.5, 0.1, 0.6, 0.99, 1.0 / 3} {
			for k := int64(0); k <= n; k++ {
				want := binomExact(k, n, p)
				got := BinomPMF(k, n, p)
				if want == 0 {
					continue
				}
				// The log is good to about 1e-16 of its size, the value to that times |ln P|.
				if rel := math.Abs(got-want) / want; rel > 1e-13+4e-16*math.Abs(math.Log(want)) {
					t.Errorf("Binomial(%d, %v) at %d: %v, exact %v (relative error %g)", n, p, k, got, want, rel)
				}
			}
		}
	}
	if BinomPMF(3, 3, 1) != 1 || BinomPMF(2, 3, 1) != 0 || BinomPMF(0, 3, 0) != 1 || BinomPMF(4, 3, 0.5) != 0 {
		t.Error("degenerate binomials")
	}
}

func TestLogChooseAndLargeN(t *testing.T) {
	for _, nk := range [][2]int64{{10, 3}, {1000, 500}, {100000, 2}, {30000, 14000}} {
		exact := new(big.Int).Binomial(nk[0], nk[1])
		// ln of a big integer: its bit length and the leading 53 bits.
		f, _ := new(big.Float).SetInt(exact).Float64()
		var want float64
		if math.IsInf(f, 1) {
			m := new(big.Float).SetInt(exact)
			mant := new(big.Float)
			e := m.MantExp(mant)
			mf, _ := mant.Float64()
			want = math.Log(mf) + float64(e)*math.Ln2
		} else {
			want = math.Log(f)
		}
		lgn, _ := math.Lgamma(float64(nk[0]) + 1)
		if got := LogChoose(nk[0], nk[1]); math.Abs(got-want) > 4e-16*lgn+1e-13 {
			t.Errorf("ln C(%d, %d) = %.15g, exact %.15g", nk[0], nk[1], got, want)
		}
		// The binomial mass at p = 1/2 is C(n,k)/2^n.
		lp := LogBinomPMF(nk[1], nk[0], 0.5)
		if d := math.Abs(lp - (want - float64(nk[0])*math.Ln2)); d > 1e-9 {
			t.Errorf("ln P(X=%d), n=%d, p=1/2: %.15g, exact %.15g", nk[1], nk[0], lp, want-float64(nk[0])*math.Ln2)
		}
	}
	// The window holds all the mass.
	for _, n := range []int64{1, 40, 10000, 2000000} {
		for _, p := range []float64{0.5, 0.5066, 0.9} {
			_, pmf := binomWindow(n, p)
			s := 0.0
			for _, v := range pmf {
				s += v
			}
			if math.Abs(s-1) > 1e-9 {
				t.Errorf("Binomial(%d, %v): window mass %v", n, p, s)
			}
		}
	}
}

func TestBinomCDFQuantile(t *testing.T) {
	for _, n := range []int64{0, 1, 9, 100, 301} {
		for _, p := range []float64{0.3, 0.5, 0.75} {
			cum := 0.0
			for k := int64(0); k <= n; k++ {
				cum += binomExact(k, n, p)
				if got := BinomCDF(k, n, p); math.Abs(got-cum) > 1e-12 {
					t.Errorf("CDF Binomial(%d, %v) at %d: %v, exact %v", n, p, k, got, cum)
				}
				if got, want := BinomSF(k+1, n, p), 1-cum; math.Abs(got-want) > 1e-12 {
					t.Errorf("SF Binomial(%d, %v) at %d: %v, want %v", n, p, k+1, got, want)
				}
			}
			for _, q := range []float64{0.1, 0.3, 0.5, 0.9} {
				x := BinomQuantile(q, n, p)
				if BinomCDF(x, n, p) < q || (x > 0 && BinomCDF(x-1, n, p) >= q) {
					t.Errorf("quantile %v of Binomial(%d, %v) = %d", q, n, p, x)
				}
			}
		}
	}
	// A far tail keeps its relative accuracy: P(X ≥ 90) for Binomial(100, 1/2).
	want := 0.0
	for k := int64(90); k <= 100; k++ {
		want += binomExact(k, 100, 0.5)
	}
	if got := BinomSF(90, 100, 0.5); math.Abs(got-want)/want > 1e-12 {
		t.Errorf("far tail: %v, exact %v", got, want)
	}
}

func TestHypergeom(t *testing.T) {
	for _, c := range [][3]int64{{20, 7, 5}, {100, 50, 30}, {1000, 3, 400}, {60, 60, 10}, {60, 0, 10}} {
		N, K, n := c[0], c[1], c[2]
		total := new(big.Int).Binomial(N, n)
		cum := 0.0
		for k := int64(0); k <= n; k++ {
			num := new(big.Int).Mul(new(big.Int).Binomial(K, k), new(big.Int).Binomial(N-K, n-k))
			if k > K || n-k > N-K {
				num.SetInt64(0)
			}
			want, _ := new(big.Rat).SetFrac(num, total).Float64()
			cum += want
			got := HypergeomPMF(k, N, K, n)
			if want == 0 {
				if got != 0 {
					t.Errorf("H(%d,%d,%d) at %d: %v, want 0", N, K, n, k, got)
				}
				continue
			}
			if rel := math.Abs(got-want) / want; rel > 1e-12 {
				t.Errorf("H(%d,%d,%d) at %d: %v, exact %v (relative error %g)", N, K, n, k, got, want, rel)
			}
			if c := HypergeomCDF(k, N, K, n); math.Abs(c-cum) > 1e-12 {
				t.Errorf("H(%d,%d,%d) CDF at %d: %v, exact %v", N, K, n, k, c, cum)
			}
		}
	}
	// Large populations keep their accuracy (against the ln Γ formula, which
	// is good to about 1e-9 there).
	N, K, n, k := int64(4000000), int64(1900000), int64(30000), int64(14300)
	lg := LogChoose(K, k) + LogChoose(N-K, n-k) - LogChoose(N, n)
	if d := math.Abs(LogHypergeomPMF(k, N, K, n) - lg); d > 1e-7 {
		t.Errorf("large hypergeometric: %v, ln Γ formula %v", LogHypergeomPMF(k, N, K, n), lg)
	}
}

func TestInvNormalCDF(t *testing.T) {
	for _, c := range []struct{ p, z float64 }{
		{0.5, 0}, {0.9, 1.2815515655446004}, {0.1, -1.2815515655446004}, {0.975, 1.959963984540054}, {0.09, -1.3407550336902165},
	} {
		if got := invNormalCDF(c.p); math.Abs(got-c.z) > 1e-14 {
			t.Errorf("Φ⁻¹(%v) = %.17g, want %.17g", c.p, got, c.z)
		}
		if got := normalCDF(c.z); math.Abs(got-c.p) > 1e-15 {
			t.Errorf("Φ(%v) = %v, want %v", c.z, got, c.p)
		}
	}
}
