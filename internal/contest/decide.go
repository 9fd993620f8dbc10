package contest

import (
	"fmt"
	"sort"
)

// Kind is what a contest's outcome says happens next.
type Kind int

const (
	Elected  Kind = iota + 1 // Elected holds the winners
	Runoff                   // Runoff holds the two candidates of a second round
	Seats                    // Seats holds the seats per list
	Passed                   // the referendum passed, its quorums met
	Rejected                 // the referendum was rejected, its quorums met
	Void                     // a referendum quorum was not met
	Tie                      // Tied holds the candidates or lists whose equal figures decide
)

func (k Kind) String() string {
	return [...]string{"?", "elected", "runoff", "seats", "passed", "rejected", "void", "tie"}[max(0, min(int(k), 7))]
}

// Outcome is what a rule decides on some totals, and the assertions it
// rests on.
type Outcome struct {
	Kind Kind
	// Elected lists the winners (plurality, majority, threshold), in
	// order of votes.
	Elected []int
	// Runoff lists the candidates of a second round, in order of votes.
	// In a Tie for the second place it holds the first place only.
	Runoff []int
	// Seats holds the seats per list. In a Tie it holds the seats
	// decided before the tie.
	Seats []int
	// Tied lists the candidates or lists whose equal figures decide
	// what the rule alone cannot: the last seat, a runoff place, a
	// referendum's yes against no.
	Tied []int
	// Rests is the outcome's assertions in disjunctive normal form: the
	// outcome stays the same while every assertion of at least one
	// conjunction holds. Most outcomes rest on a single conjunction.
	Rests [][]Assertion

	rule   Rule
	totals Totals
}

// Decide applies rule r, which must be valid (as from Parse), to
// totals t. Every figure gives an outcome, a Tie where equal figures
// decide. For a referendum Votes holds yes then no; missing ones count
// as zero.
func Decide(r Rule, t Totals) Outcome {
	if r.Method == Referendum && len(t.Votes) < 2 {
		t.Votes = append(append([]int64(nil), t.Votes...), make([]int64, 2-len(t.Votes))...)
	}
	o := Outcome{rule: r, totals: t}
	b := builder{n: len(t.Votes)}
	switch r.Method {
	case Plurality:
		o.plurality(b, r.Seats)
	case Majority:
		o.threshold(b, 5000, 0, 0, true)
	case Threshold:
		o.threshold(b, int64(r.Win), int64(r.Or), int64(r.Lead), false)
	case DHondt, SainteLague:
		o.divisor(b)
	case Hare:
		o.hare(b)
	case Referendum:
		o.referendum(b)
	default:
		panic(fmt.Sprintf("contest: Decide with unknown method %d", r.Method))
	}
	return o
}

// order returns candidate indexes by votes, most first, ties by index.
func order(votes []int64) []int {
	o := make([]int, len(votes))
	for i := range o {
		o[i] = i
	}
	sort.SliceStable(o, func(i, j int) bool { return votes[o[i]] > votes[o[j]] })
	return o
}

// beats is v_w − v_l > 0.
func (b builder) beats(w, l int) Assertion {
	a := b.new(fmt.Sprintf("c%d beats c%d", w, l), true)
	a.Votes[w], a.Votes[l] = 1, -1
	return a
}

// equal is the pair v_x − v_y ≥ 0, v_y − v_x ≥ 0.
func (b builder) equal(x, y int) []Assertion {
	p := b.new(fmt.Sprintf("c%d ties c%d", x, y), false)
	p.Votes[x], p.Votes[y] = 1, -1
	q := b.new(fmt.Sprintf("c%d ties c%d", y, x), false)
	q.Votes[x], q.Votes[y] = -1, 1
	return []Assertion{p, q}
}

func (o *Outcome) plurality(b builder, seats int) {
	v := o.totals.Votes
	ord := order(v)
	if seats >= len(v) {
		o.Kind, o.Elected, o.Rests = Elected, ord, [][]Assertion{{}}
		return
	}
	cut := v[ord[seats-1]]
	if cut != v[ord[seats]] {
		o.Kind, o.Elected = Elected, append([]int(nil), ord[:seats]...)
		var c []Assertion
		for _, w := range ord[:seats] {
			for _, l := range ord[seats:] {
				c = append(c, b.beats(w, l))
			}
		}
		o.Rests = [][]Assertion{c}
		return
	}
	o.Kind = Tie
	o.tieGroup(b, ord, cut)
	for _, i := range ord {
		if v[i] > cut {
			o.Elected = append(o.Elected, i)
		}
	}
}

// tieGroup sets Tied to the candidates with votes equal to cut and Rests
// to: those above beat the group, the group is equal, the group beats
// those below.
func (o *Outcome) tieGroup(b builder, ord []int, cut int64) {
	v := o.totals.Votes
	var c []Assertion
	for _, i := range ord {
		if v[i] == cut {
			o.Tied = append(o.Tied, i)
		}
	}
	g := o.Tied[0]
	for _, i := range ord {
		switch {
		case v[i] > cut:
			c = append(c, b.beats(i, g))
		case v[i] < cut:
			c = append(c, b.beats(g, i))
		case i != g:
			c = append(c, b.equal(g, i)...)
		}
	}
	o.Rests = [][]Assertion{c}
}

// share is 10000·v_c − bp·base, whose sign compares c's share with bp
// basis points.
func (b builder) share(c int, bp int64, base Base, strict bool, says string) Assertion {
	a := b.new(says, strict)
	b.addBase(&a, base, -bp)
	a.Votes[c] += 10000
	return a
}

// negate returns −a, with the strictness flipped: a > 0 fails iff −a ≥ 0.
func negate(a Assertion, says string) Assertion {
	n := Assertion{Votes: make([]int64, len(a.Votes)), Blank: -a.Blank, Null: -a.Null,
		Ballots: -a.Ballots, Registered: -a.Registered, Strict: !a.Strict, Says: says}
	for i, c := range a.Votes {
		n.Votes[i] = -c
	}
	return n
}

// lead is 10000·(v_c − v_k) − bp·base > 0.
func (b builder) lead(c, k int, bp int64, base Base) Assertion {
	a := b.new(fmt.Sprintf("c%d leads c%d by more than %s%%", c, k, hundredths(int(bp))), true)
	b.addBase(&a, base, -bp)
	a.Votes[c] += 10000
	a.Votes[k] -= 10000
	return a
}

// threshold decides the majority rule (win = 50%, no second condition)
// and the threshold rule.
func (o *Outcome) threshold(b builder, win, or, lead int64, majority bool) {
	t, base := &o.totals, o.rule.Base
	v := t.Votes
	ord := order(v)
	if len(v) == 0 {
		o.Kind, o.Rests = Tie, [][]Assertion{{}}
		return
	}
	top := ord[0]
	out := b.share(top, win, base, true, fmt.Sprintf("c%d over %s%%", top, hundredths(int(win))))
	if len(v) == 1 {
		if out.Holds(t) {
			o.Kind, o.Elected, o.Rests = Elected, []int{top}, [][]Assertion{{out}}
		} else {
			o.Kind, o.Runoff, o.Rests = Runoff, []int{top}, [][]Assertion{{negate(out, "no majority")}}
		}
		return
	}
	second := ord[1]
	var topBeats []Assertion
	for _, k := range ord[1:] {
		topBeats = append(topBeats, b.beats(top, k))
	}
	if v[top] == v[second] {
		if out.Holds(t) { // two or more over win, equal: the tie decides
			o.Kind = Tie
			o.tieGroup(b, ord, v[top])
			return
		}
	} else {
		var alts [][]Assertion
		if out.Holds(t) {
			if majority {
				alts = append(alts, []Assertion{out}) // a majority is the top
			} else {
				alts = append(alts, append([]Assertion{out}, topBeats...))
			}
		}
		if or > 0 {
			c := []Assertion{b.share(top, or, base, false, fmt.Sprintf("c%d at least %s%%", top, hundredths(int(or))))}
			for _, k := range ord[1:] {
				c = append(c, b.lead(top, k, lead, base))
			}
			if holdsAll(c, t) {
				alts = append(alts, c)
			}
		}
		if alts != nil {
			o.Kind, o.Elected, o.Rests = Elected, []int{top}, alts
			return
		}
	}
	// A runoff: no one elected; the top two are the two above the rest.
	if len(v) > 2 && v[second] == v[ord[2]] {
		o.Kind = Tie
		o.tieGroup(b, ord, v[second])
		if v[top] > v[second] {
			o.Runoff = []int{top}
		}
		return
	}
	o.Kind, o.Runoff = Runoff, []int{top, second}
	common := []Assertion{}
	for _, k := range ord[2:] {
		common = append(common, b.beats(top, k), b.beats(second, k))
	}
	conj := [][]Assertion{common}
	for _, p := range [][2]int{{top, second}, {second, top}} {
		c, k := p[0], p[1]
		no := negate(b.share(c, win, base, true, ""), fmt.Sprintf("c%d not over %s%%", c, hundredths(int(win))))
		alts := [][]Assertion{{no}}
		if or > 0 {
			alts = nil
			under := negate(b.share(c, or, base, false, ""), fmt.Sprintf("c%d under %s%%", c, hundredths(int(or))))
			short := negate(b.lead(c, k, lead, base), fmt.Sprintf("c%d leads c%d by no more than %s%%", c, k, hundredths(int(lead))))
			for _, a := range []Assertion{under, short} {
				if a.Holds(t) {
					alts = append(alts, []Assertion{no, a})
				}
			}
		}
		conj = product(conj, alts)
	}
	o.Rests = conj
}

// product returns every conjunction of one of xs with one of ys.
func product(xs, ys [][]Assertion) [][]Assertion {
	var out [][]Assertion
	for _, x := range xs {
		for _, y := range ys {
			c := append(append([]Assertion(nil), x...), y...)
			out = append(out, c)
		}
	}
	return out
}

func holdsAll(c []Assertion, t *Totals) bool {
	for i := range c {
		if !c[i].Holds(t) {
			return false
		}
	}
	return true
}

func (o *Outcome) referendum(b builder) {
	t, r := &o.totals, o.rule
	var quorum, failed []Assertion
	if r.Turnout > 0 {
		a := b.new(fmt.Sprintf("turnout at least %s%%", hundredths(r.Turnout)), false)
		a.Ballots, a.Registered = 10000, -int64(r.Turnout)
		quorum = append(quorum, a)
	}
	if r.Approval > 0 {
		a := b.new(fmt.Sprintf("yes at least %s%% of registered", hundredths(r.Approval)), false)
		a.Votes[0], a.Registered = 10000, -int64(r.Approval)
		quorum = append(quorum, a)
	}
	for _, q := range quorum {
		if !q.Holds(t) {
			failed = append(failed, negate(q, "not "+q.Says))
		}
	}
	if failed != nil {
		o.Kind = Void
		for _, f := range failed {
			o.Rests = append(o.Rests, []Assertion{f})
		}
		return
	}
	switch yes, no := t.Votes[0], t.Votes[1]; {
	case yes > no:
		o.Kind, o.Rests = Passed, [][]Assertion{append(quorum, b.beats(0, 1))}
	case no > yes:
		o.Kind, o.Rests = Rejected, [][]Assertion{append(quorum, b.beats(1, 0))}
	default:
		o.Kind, o.Tied, o.Rests = Tie, []int{0, 1}, [][]Assertion{append(quorum, b.equal(0, 1)...)}
	}
}
