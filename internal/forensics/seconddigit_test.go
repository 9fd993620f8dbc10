package forensics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// exactSecondDigitChances is secondDigitChances with the exact cumulative
// distribution at the ends of every run: the reference the fast one is
// held to.
func exactSecondDigitChances(mu, sigma float64, n int32, p *[10]float64) bool {
	*p = [10]float64{}
	sigma = max(sigma, 0.5)
	lo := max(10, int64(math.Floor(mu-8*sigma)))
	hi := min(int64(n), int64(math.Ceil(mu+8*sigma)))
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-(x-mu)/(sigma*math.Sqrt2)) }
	sum := 0.0
	below := cdf(float64(lo) - 0.5)
	for a := lo; a <= hi; {
		width := int64(1)
		for v := a; v >= 100; v /= 10 {
			width *= 10
		}
		b := min(hi, (a/width+1)*width-1)
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

// TestSecondDigitChancesFast: the chances by Simpson's rule agree with the
// exact ones to 1e-6 on every digit, over counts from tens to tens of
// thousands and spreads from half a vote to thousands.
func TestSecondDigitChancesFast(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for i := range 20000 {
		n := int32(20 + r.IntN(60000))
		mu := r.Float64() * float64(n)
		sigma := math.Exp(r.Float64()*9 - 1) // 0.37 to 3,000
		var fast, exact [10]float64
		okF := secondDigitChances(mu, sigma, n, &fast)
		okE := exactSecondDigitChances(mu, sigma, n, &exact)
		if okF != okE {
			t.Fatalf("case %d (mu %g, sigma %g, n %d): possible %v, exact %v", i, mu, sigma, n, okF, okE)
		}
		for d := range fast {
			worst = max(worst, math.Abs(fast[d]-exact[d]))
		}
	}
	if worst > 1e-6 {
		t.Errorf("the fast chances differ from the exact ones by up to %g", worst)
	}
	t.Logf("largest difference %g", worst)
}
