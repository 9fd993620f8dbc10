package contest

import "testing"

// TestWeakest: the assertion the margin is about is the lead clause of a
// first-round winner by lead (the share clause is broken already), and
// the runner-up's for plurality.
func TestWeakest(t *testing.T) {
	for _, x := range []struct {
		rule  string
		votes []int64
		says  string
	}{
		{"threshold win=50 or=40 lead=10", []int64{4708, 3651, 1641}, "c0 leads c1 by more than 10%"},
		{"plurality seats=1", []int64{50, 40, 30}, "c0 beats c1"},
		{"plurality seats=2", []int64{50, 40, 38}, "c1 beats c2"},
	} {
		r, err := Parse(x.rule)
		if err != nil {
			t.Fatal(err)
		}
		o := Decide(r, Totals{Votes: x.votes})
		w := o.Weakest()
		if w == nil || w.Says != x.says {
			t.Errorf("%s on %v: weakest %v, want %q", x.rule, x.votes, w, x.says)
		}
	}
	if w := (&Outcome{}).Weakest(); w != nil {
		t.Errorf("an outcome resting on nothing: weakest %v", w)
	}
}
