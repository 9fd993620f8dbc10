package verify

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// Every two sources that give a count of the same station are held against
// each other, whatever their kinds: a run is clean only if every source was
// compared with another and agreed. The specific checks of the trust model
// (altered-at-center, hand-count, equivocation) name the pairs they cover;
// any other pair whose figures differ, one side of it unsigned, is an
// unsigned-differs finding that names both sources and their figures.

// PairSummary is what the comparison of two sources found over all
// stations: how many they share and how many of those differ, and the
// stations each gives that the other does not.
type PairSummary struct {
	A         string `json:"a"`
	B         string `json:"b"`
	Shared    int    `json:"shared"`    // stations both give a count of
	Differing int    `json:"differing"` // shared stations whose figures differ
	OnlyA     int    `json:"only_a"`    // stations A gives and B does not
	OnlyB     int    `json:"only_b"`
	// The first maxPairIDs of those stations, in the definition's order.
	OnlyAIDs []string `json:"only_a_ids,omitempty"`
	OnlyBIDs []string `json:"only_b_ids,omitempty"`
}

// maxPairIDs bounds the station ids a pair's summary lists on each side.
const maxPairIDs = 1000

// pairKey is two sources, the one read first first.
type pairKey [2]*Source

func keyOf(a, b *Source) pairKey {
	if a.index > b.index || (a.index == b.index && a.Name > b.Name) {
		a, b = b, a
	}
	return pairKey{a, b}
}

// pairTally counts, over the stations, every pair of sources.
type pairTally map[pairKey]*PairSummary

// at returns the summary of the pair k.
func (pt pairTally) at(k pairKey) *PairSummary {
	p := pt[k]
	if p == nil {
		p = &PairSummary{A: k[0].Name, B: k[1].Name}
		pt[k] = p
	}
	return p
}

// bySource returns the station's counts that are figures (final actas,
// hand counts, unsigned and announced figures; not zero tapes, not
// unproven log entries), grouped by source, in the order sources were read.
func (s *stationCheck) bySource() [][]*Count {
	var out [][]*Count
	for i := range s.counts {
		c := &s.counts[i]
		if c.Kind == acta.Zero || !s.v.usable(c.Source) {
			continue
		}
		k := slices.IndexFunc(out, func(g []*Count) bool { return g[0].Source == c.Source })
		if k < 0 {
			out = append(out, []*Count{c})
			continue
		}
		out[k] = append(out[k], c)
	}
	slices.SortFunc(out, func(a, b []*Count) int { return cmp.Compare(a[0].Source.index, b[0].Source.index) })
	return out
}

// compareAll holds every two sources of the station against each other
// and tallies the pair. Findings are made of figures, not of sources: the
// counts fall into classes of equal figures, and two classes that differ,
// one with an unsigned count in it, are one finding naming the strongest
// count of each (and the other sources that give the same figures) — unless
// a check before it (altered-at-center, equivocation, hand-count) already
// holds two of their counts against each other.
func (s *stationCheck) compareAll() {
	groups := s.groups
	differs := false
	for i, a := range groups {
		for _, b := range groups[i+1:] {
			if !overlap(a, b) {
				// Nothing both give (one gives A, the other B and C):
				// nothing compared, so not a station they share.
				continue
			}
			p := s.v.pairs.at(keyOf(a[0].Source, b[0].Source))
			p.Shared++
			if differ(a, b) {
				p.Differing++
				differs = true
			}
		}
	}
	s.absent(groups)
	if !differs && !slices.ContainsFunc(groups, func(g []*Count) bool { return len(g) > 1 && differ(g[:1], g[1:]) }) {
		return // one class of figures
	}
	var all []*Count
	for _, g := range groups {
		all = append(all, g...)
	}
	classes := figureClasses(all)
	if len(classes) < 2 {
		return
	}
	covered := s.coveredPairs()
	for i, x := range classes {
		for _, y := range classes[i+1:] {
			if !differ(x, y) || allSigned(x) && allSigned(y) || crossCovered(x, y, covered) {
				continue
			}
			s.differs(x, y)
		}
	}
}

// overlap reports whether some count of a and some count of b give a
// figure in common.
func overlap(a, b []*Count) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Figures.Overlap(y.Figures) {
				return true
			}
		}
	}
	return false
}

// differ reports whether two sources' counts of a station differ.
func differ(a, b []*Count) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Figures.Differs(y.Figures) {
				return true
			}
		}
	}
	return false
}

// figureClasses partitions counts by their figures: first into classes of
// counts that give exactly the same figures and leave the same ones
// unknown; then, the classes that give most first, a class joins the one
// group it agrees with (a figure in common with one of its counts, and a
// difference with none), when it agrees with no class outside that group (a count that leaves blank votes unknown joins the
// machine's acta it agrees with). One that agrees with several that differ
// from each other (a count that gives nothing agrees with all) stays apart:
// "does not differ" is not transitive, and joining would hide their
// difference. No two counts of a group differ. Each group is sorted with
// the counts that give most figures first, then the strongest.
func figureClasses(cs []*Count) [][]*Count {
	var exact [][]*Count
	for _, c := range cs {
		k := slices.IndexFunc(exact, func(cl []*Count) bool { return cl[0].Figures.Same(c.Figures) })
		if k < 0 {
			exact = append(exact, []*Count{c})
			continue
		}
		exact[k] = append(exact[k], c)
	}
	slices.SortStableFunc(exact, func(a, b []*Count) int { return knownFigures(b[0].Figures) - knownFigures(a[0].Figures) })
	group := make([]int, len(exact)) // the group of each exact class
	var groups [][]int               // exact classes by group
	for i, cl := range exact {
		// Agreeing is giving a figure in common and differing in none.
		agrees := func(j int) bool {
			return !cl[0].Figures.Differs(exact[j][0].Figures) && cl[0].Figures.Overlap(exact[j][0].Figures)
		}
		differs := func(j int) bool { return cl[0].Figures.Differs(exact[j][0].Figures) }
		join := -1
		for g, members := range groups {
			if !slices.ContainsFunc(members, differs) && slices.ContainsFunc(members, agrees) {
				if join >= 0 {
					join = -2 // several
					break
				}
				join = g
			}
		}
		if join >= 0 {
			// Agreeing with a class of another group too would make the
			// join a choice: stay apart.
			for j := range i {
				if group[j] != join && agrees(j) {
					join = -1
					break
				}
			}
		}
		if join < 0 {
			group[i] = len(groups)
			groups = append(groups, []int{i})
			continue
		}
		group[i] = join
		groups[join] = append(groups[join], i)
	}
	out := make([][]*Count, len(groups))
	for g, members := range groups {
		for _, j := range members {
			out[g] = append(out[g], exact[j]...)
		}
		slices.SortStableFunc(out[g], func(a, b *Count) int {
			if d := knownFigures(b.Figures) - knownFigures(a.Figures); d != 0 {
				return d
			}
			switch {
			case strongerFirst(a, b):
				return -1
			case strongerFirst(b, a):
				return 1
			}
			return 0
		})
	}
	return out
}

// knownFigures counts the figures a count gives.
func knownFigures(f tally.Figures) int {
	n := 0
	for _, x := range append([]int32{f.Registered, f.Ballots}, f.Votes...) {
		if x != tally.Unknown {
			n++
		}
	}
	return n
}

func allSigned(cl []*Count) bool {
	return !slices.ContainsFunc(cl, func(c *Count) bool { return !c.Source.Signed() })
}

// countID says which count of the station a count is, whatever copy of
// it a finding holds.
type countID struct {
	src   *Source
	where string
	body  [32]byte
	index int64
	kind  string
}

func idOf(c *Count) countID {
	return countID{c.Source, c.Where, c.Body, c.Index, string(c.Kind)}
}

// coveredPairs returns the pairs of counts that a finding of the station
// already holds against each other (a duplicate's rows, or figures that
// cannot hold, are held against nothing).
func (s *stationCheck) coveredPairs() map[[2]countID]bool {
	out := map[[2]countID]bool{}
	for _, f := range s.out.finds {
		if f.Check == CheckDuplicate || f.Check == CheckImpossible {
			continue
		}
		for i := range f.counts {
			for j := range f.counts {
				if i != j {
					out[[2]countID{idOf(&f.counts[i]), idOf(&f.counts[j])}] = true
				}
			}
		}
	}
	return out
}

// crossCovered reports whether a finding already holds a count of x
// against a count of y.
func crossCovered(x, y []*Count, covered map[[2]countID]bool) bool {
	for _, a := range x {
		for _, b := range y {
			if covered[[2]countID{idOf(a), idOf(b)}] {
				return true
			}
		}
	}
	return false
}

// differs is the finding of two classes of figures of the station, one
// at least with an unsigned count: it names the two counts that differ,
// strongest first, said as what each is, and the other sources that agree
// with each.
func (s *stationCheck) differs(x, y []*Count) {
	var a, b *Count
	for _, cx := range x {
		for _, cy := range y {
			if cx.Figures.Differs(cy.Figures) && (a == nil || strongerFirst(cx, a) || strongerFirst(cy, b)) {
				a, b = cx, cy
			}
		}
	}
	if strongerFirst(b, a) {
		a, b, x, y = b, a, y, x
	}
	diff := describeDiff(s.ballot, a.Figures, b.Figures) + alsoIn(a, x) + alsoIn(b, y)
	switch {
	case a.Source.Signed():
		s.find(CheckUnsigned, false, []Count{*a, *b}, "%s (unsigned) differs from the signed count of station %s (%s)%s", b.Source.Name, s.st.ID, describeSigned(a), diff)
	case a.Source.Kind == KindAnnounced && b.Source.Kind == KindAnnounced:
		s.find(CheckUnsigned, false, []Count{*a, *b}, "the center's announcements %s and %s differ for station %s%s", a.Source.Name, b.Source.Name, s.st.ID, diff)
	case a.Source.Kind == KindAnnounced:
		s.find(CheckUnsigned, false, []Count{*a, *b}, "%s (unsigned) differs from the center's announced figures for station %s%s", b.Source.Name, s.st.ID, diff)
	default:
		s.find(CheckUnsigned, false, []Count{*a, *b}, "%s and %s (both unsigned) differ for station %s%s", a.Source.Name, b.Source.Name, s.st.ID, diff)
	}
}

// alsoIn names the other sources of c's class, which agree with it where
// both give a figure: "; announced.json agrees with log".
func alsoIn(c *Count, cl []*Count) string {
	var names []string
	for _, o := range cl {
		if o.Source != c.Source && !slices.Contains(names, o.Source.Name) && o.Figures.Overlap(c.Figures) && !o.Figures.Differs(c.Figures) {
			names = append(names, o.Source.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	verb := "agrees"
	if len(names) > 1 {
		verb = "agree"
	}
	return fmt.Sprintf("; %s %s with %s", strings.Join(names, ", "), verb, c.Source.Name)
}

// strongerFirst reports whether a outranks b as a kind of evidence: signed,
// then the center's announcement, then unsigned counts by rank.
func strongerFirst(a, b *Count) bool {
	ka, kb := kindOrder(a.Source), kindOrder(b.Source)
	if ka != kb {
		return ka < kb
	}
	return a.Source.Rank < b.Source.Rank
}

func kindOrder(s *Source) int {
	switch {
	case s.Signed():
		return 0
	case s.Kind == KindAnnounced:
		return 1
	}
	return 2
}

// describeSigned says what a signed count is: "the hand count in FILE",
// "the machine's acta, log entry 12".
func describeSigned(c *Count) string {
	what := "the machine's acta"
	if c.Kind == acta.Hand {
		what = "the hand count of its vouchers"
	}
	if c.Source.Kind == KindLog {
		return fmt.Sprintf("%s, log entry %d", what, c.Index)
	}
	return what + " in " + cmp.Or(c.Where, c.Source.Name)
}

// absent tallies, for every pair of sources, the station given by one and
// not the other.
func (s *stationCheck) absent(groups [][]*Count) {
	if len(s.v.sources) < 2 {
		return
	}
	for _, g := range groups {
		src := g[0].Source
		for _, o := range s.v.sources {
			if o == src || !s.v.usable(o) || o.Counts == 0 || slices.ContainsFunc(groups, func(h []*Count) bool { return h[0].Source == o }) {
				continue
			}
			k := keyOf(src, o)
			p := s.v.pairs.at(k)
			n, ids := &p.OnlyA, &p.OnlyAIDs
			if k[0] != src {
				n, ids = &p.OnlyB, &p.OnlyBIDs
			}
			*n++
			if len(*ids) < maxPairIDs {
				*ids = append(*ids, s.st.ID)
			}
		}
	}
}

// usable reports whether the source's counts are held against others: all
// but a log whose entries are not proven.
func (v *Verifier) usable(s *Source) bool { return s.Kind != KindLog || v.logProven() }

// pairSummaries returns the pairs compared, in the order the sources were
// read, and the problems of sources compared with nothing or covering no
// station.
func (v *Verifier) pairSummaries() []PairSummary {
	keys := make([]pairKey, 0, len(v.pairs))
	for k := range v.pairs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b pairKey) int {
		return cmp.Or(cmp.Compare(a[0].index, b[0].index), cmp.Compare(a[1].index, b[1].index), strings.Compare(a[0].Name, b[0].Name), strings.Compare(a[1].Name, b[1].Name))
	})
	out := make([]PairSummary, 0, len(keys))
	for _, k := range keys {
		out = append(out, *v.pairs[k])
	}
	return out
}

// uncompared is a problem for each source that gives no station of the
// election, and for each unsigned source whose counts were held against
// no other count: nothing it says was checked, and no run that read it
// alone is clean — unless the user said it may stand alone (then the
// problem is accepted: said, not counted against the run).
func (v *Verifier) uncompared() []Problem {
	compared := map[*Source]bool{}
	var out []Problem
	for k, p := range v.pairs {
		if k[0].sum != "" && k[0].sum == k[1].sum && k[0] != k[1] {
			// The same bytes twice (a copy, a link, the file gzipped):
			// holding them against each other checks nothing.
			out = append(out, Problem{Source: k[1].Name, What: fmt.Sprintf("the same bytes as %s (SHA-256 %s): comparing a file with itself checks nothing, so neither counts as compared with the other", k[0].Name, k[0].sum)})
			continue
		}
		if p.Shared > 0 {
			compared[k[0]], compared[k[1]] = true, true
		}
	}
	slices.SortFunc(out, func(a, b Problem) int { return strings.Compare(a.Source, b.Source) })
	unread := map[string]bool{}
	for _, p := range v.problems {
		if p.Unread {
			unread[p.Source] = true
		}
	}
	for _, s := range v.sources {
		switch {
		case unread[s.key] || !v.usable(s):
		case s.Counts == 0:
			out = append(out, Problem{Source: s.Name, Accepted: s.Alone, What: "gives no station of the election: nothing was read from it to compare"})
		case !compared[s] && !s.Signed():
			// (A signed source alone is still checked: its signatures, and
			// the log's inclusion and witness policy. An unsigned one is
			// not.)
			out = append(out, Problem{Source: s.Name, Accepted: s.Alone, What: fmt.Sprintf(
				"compared with nothing: no station it gives (%d counts) has a count of another source to hold it against, so nothing it says was checked", s.Counts)})
		}
	}
	return out
}

// String says what a pair's comparison found, in a line.
func (p PairSummary) String() string {
	s := fmt.Sprintf("%s × %s: %d stations shared, %d differ", p.A, p.B, p.Shared, p.Differing)
	if p.OnlyA > 0 {
		s += fmt.Sprintf("; %d only in %s (%s)", p.OnlyA, p.A, clipCount(p.OnlyAIDs, p.OnlyA, 8))
	}
	if p.OnlyB > 0 {
		s += fmt.Sprintf("; %d only in %s (%s)", p.OnlyB, p.B, clipCount(p.OnlyBIDs, p.OnlyB, 8))
	}
	return s
}

// clipCount lists the first n of ids, of total, and how many more.
func clipCount(ids []string, total, n int) string {
	if total <= n && len(ids) == total {
		return strings.Join(ids, " ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:min(n, len(ids))], " "), total-min(n, len(ids)))
}
