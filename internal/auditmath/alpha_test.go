package auditmath

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
)

// jsonFloat reads a number, or "inf", "-inf" or "nan" as gen.py writes them.
type jsonFloat float64

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"inf"`:
		*f = jsonFloat(math.Inf(1))
	case `"-inf"`:
		*f = jsonFloat(math.Inf(-1))
	case `"nan"`:
		*f = jsonFloat(math.NaN())
	default:
		var v float64
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("not a number: %s", b)
		}
		*f = jsonFloat(v)
	}
	return nil
}

type alphaCase struct {
	Name      string      `json:"name"`
	X         []jsonFloat `json:"x"`
	N         int64       `json:"N"`
	T         float64     `json:"t"`
	U         float64     `json:"u"`
	Eta       float64     `json:"eta"`
	Estimator string      `json:"estimator"`
	C         float64     `json:"c"`
	D         float64     `json:"d"`
	F         float64     `json:"f"`
	P         jsonFloat   `json:"p"`
	History   []jsonFloat `json:"history"`
	Etas      []jsonFloat `json:"etas"`
}

func (c alphaCase) test() Alpha {
	return Alpha{N: c.N, T: c.T, U: c.U, Eta: c.Eta, Fixed: c.Estimator == "fixed", C: c.C, D: c.D, F: c.F}
}

func floats(xs []jsonFloat) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

type alphaFile struct {
	Cases      []alphaCase `json:"cases"`
	SampleSize []struct {
		alphaCase
		Alpha float64 `json:"alpha"`
		Size  int64   `json:"size"`
	} `json:"sample_size"`
}

// near reports whether got is SHANGRLA's want to within 1e-9 relative
// (1e-300 absolute), or both are the same infinity or NaN.
func near(got, want float64) bool {
	if math.IsNaN(want) || math.IsInf(want, 0) {
		return math.IsNaN(got) == math.IsNaN(want) && (math.IsNaN(got) || got == want)
	}
	return math.Abs(got-want) <= 1e-9*math.Abs(want)+1e-300
}

// TestAlphaSHANGRLA holds ALPHA's p-values, their history and the
// estimates η_j to SHANGRLA's, computed by SHANGRLA's NonnegMean.py on the
// sequences of testdata/shangrla/alpha.json (gen.py; the README names the
// commit).
func TestAlphaSHANGRLA(t *testing.T) {
	var f alphaFile
	bpLoad(t, "shangrla/alpha.json", &f)
	if len(f.Cases) < 30 {
		t.Fatalf("%d cases", len(f.Cases))
	}
	for _, c := range f.Cases {
		a := c.test()
		x := floats(c.X)
		p, hist, err := a.PValues(x)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		if !near(p, float64(c.P)) {
			t.Errorf("%s: p %v, SHANGRLA %v", c.Name, p, float64(c.P))
		}
		for j := range hist {
			if !near(hist[j], float64(c.History[j])) {
				t.Errorf("%s: draw %d: p %v, SHANGRLA %v", c.Name, j+1, hist[j], float64(c.History[j]))
				break
			}
		}
		r, err := a.start()
		if err != nil {
			t.Fatal(err)
		}
		for j, v := range x {
			if got := r.eta(r.nullMean(r.a.T)); !near(got, float64(c.Etas[j])) {
				t.Errorf("%s: η_%d %v, SHANGRLA %v", c.Name, j+1, got, float64(c.Etas[j]))
				break
			}
			r.feed(v, false)
		}
	}
}

// TestAlphaSampleSizeSHANGRLA: SHANGRLA's test_sample_size (fixed
// alternative 0.75, N = 1000, α = 5%): 8 draws of 1s, 14 of 0.75s.
func TestAlphaSampleSizeSHANGRLA(t *testing.T) {
	var f alphaFile
	bpLoad(t, "shangrla/alpha.json", &f)
	if len(f.SampleSize) == 0 {
		t.Fatal("no sample-size cases")
	}
	for _, c := range f.SampleSize {
		a := c.test()
		// NumPy's repeat: each value ⌈N/len(x)⌉ times in a row.
		x, rep := floats(c.X), (a.N+int64(len(c.X))-1)/int64(len(c.X))
		i := int64(0)
		next := func() float64 { v := x[i/rep]; i++; return v }
		got, err := a.alphaSampleSize(next, c.Alpha)
		if err != nil || got != c.Size {
			t.Errorf("x=%v: sample size %d, %v; SHANGRLA %d", x, got, err, c.Size)
		}
	}
}

func TestAlphaRefuses(t *testing.T) {
	good := Alpha{N: 10, T: 0.5, U: 1, Eta: 0.6}
	for _, a := range []Alpha{
		{N: -1, T: 0.5, U: 1, Eta: 0.6},
		{N: 10, T: 0.5, U: 0, Eta: 0.6},
		{N: 10, T: 1, U: 1, Eta: 0.6},
		{N: 10, T: 0.5, U: 1, Eta: 0.5},
		{N: 10, T: 0.5, U: 1, Eta: 1.2},
		{N: 10, T: 0.5, U: 1, Eta: 0.6, D: -1},
	} {
		if _, _, err := a.PValues([]float64{1}); err == nil {
			t.Errorf("%+v accepted", a)
		}
	}
	if _, _, err := good.PValues([]float64{1, 1.5}); err == nil {
		t.Error("a value above u accepted")
	}
	if _, _, err := good.PValues(make([]float64, 11)); err == nil {
		t.Error("11 draws from 10 accepted")
	}
	if p, h, err := good.PValues(nil); p != 1 || len(h) != 0 || err != nil {
		t.Errorf("no draws: %v, %v, %v", p, h, err)
	}
}
