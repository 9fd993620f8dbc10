package dashboard

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"testing"
)

// The chart's series is read from the log: a point a station, in log
// order, counting each station's first final acta only (not its hand count
// nor a second, refused acta); its last point is the center's totals; and
// a dashboard started again on the same log draws the same series.
func TestChartFromLog(t *testing.T) {
	te := newTestElection(t, 12, Options{})
	te.submit(t, 0, 10)
	te.extras(t) // a hand count at stations 0 and 1, a second final acta of station 2
	te.published(t)
	d := New(te.c, Options{})
	ctx := context.Background()
	d.homeVersion(ctx) // catches up with the log
	contest := te.e.Def.Contests[0].ID
	var cd chartData
	first := d.series.json(contest)
	if err := json.Unmarshal([]byte(first), &cd); err != nil {
		t.Fatalf("%v: %s", err, first)
	}
	if want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; !slices.Equal(cd.X, want) {
		t.Errorf("x: %v, want %v", cd.X, want)
	}
	res, _ := te.c.Result(ctx, "")
	valid := 0
	for _, x := range res.Contests[0].Candidates {
		valid += x.Votes
	}
	for i, name := range cd.Labels {
		x := res.Contests[0].Candidates[cd.Colors[i]]
		if x.Name != name {
			t.Fatalf("line %d is %s, colour %d is %s's", i, name, cd.Colors[i], x.Name)
		}
		want := math.Round(float64(x.Votes)*10000/float64(valid)) / 100
		if got := cd.Y[i][len(cd.Y[i])-1]; got != want {
			t.Errorf("%s's last share %v, the center's %v", name, got, want)
		}
		for _, y := range cd.Y[i] {
			if y < cd.Min || y > cd.Max {
				t.Errorf("%s's share %v is off the axis %v–%v", name, y, cd.Min, cd.Max)
			}
		}
	}
	again := New(te.c, Options{})
	again.homeVersion(ctx)
	if j := again.series.json(contest); j != first {
		t.Errorf("after a restart the chart is\n%s\nnot\n%s", j, first)
	}
	// A new station is a new point, on the page rendered after it.
	te.submit(t, 10, 11)
	d.homeVersion(ctx)
	if err := json.Unmarshal([]byte(d.series.json(contest)), &cd); err != nil || cd.X[len(cd.X)-1] != 11 {
		t.Errorf("after an 11th station the chart ends at %v (%v)", cd.X, err)
	}
}

// Two close candidates are two lines: the axis fits the lines drawn, and
// the small candidates that would stretch it are left out.
func TestChartAxisFits(t *testing.T) {
	last := []float64{48.3, 48.2, 2.1, 1.4}
	if got := drawn(last); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("drawn %v, want the first two", got)
	}
	if got := drawn([]float64{3, 60, 30, 7}); !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("drawn %v, want 1, 2 and 3 (7%%)", got)
	}
	lo, hi := axis([][]float64{{47.9, 48.1, 48.3}, {48.6, 48.4, 48.2}})
	// 240 px of chart: the 0.1 points between them must be some pixels.
	if px := 240 * 0.1 / (hi - lo); px < 10 || lo > 47.9 || hi < 48.6 {
		t.Errorf("axis %v–%v: 0.1 points is %.1f px", lo, hi, px)
	}
	if lo, hi := axis([][]float64{{0.5, 99.8}}); lo != 0 || hi != 100 {
		t.Errorf("axis %v–%v, want 0–100", lo, hi)
	}
}
