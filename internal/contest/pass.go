package contest

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
)

// histCap bounds the figures the category histograms count; a station
// with a figure beyond it leaves only the bound by sizes. A power of
// two.
const histCap = 4096

// sizeCap bounds the dense histogram of the stations' sizes; larger sizes
// are listed one by one.
const sizeCap = 1 << 16

// block is how many stations a pass gathers at a time: their figures
// are copied into columns, and the decreases and histograms computed
// column by column, in loops of a few instructions a station.
const block = 256

// The columns of a block: the votes for candidates or lists (valid),
// the other ballots, blank, null, ballots and registered voters, then
// the votes of those candidates that some decrease or histogram reads.
const (
	colValid = iota
	colOther // ballots not valid, blank or null
	colBlank
	colNull
	colBallots
	colRegistered
	colVotes
)

// count sets which categories' histograms the bounds of the
// assertions will read.
func (w *decisiveWork) count(as []*Assertion) {
	n := len(w.o.totals.Votes)
	w.counted = make([]bool, catCount(n))
	for _, a := range as {
		for _, t := range histTerms(a, n) {
			w.counted[t.col] = true
		}
	}
}

// The categories of the histograms: the candidates 0..n-1, then these
// after them.
const (
	catBlank = iota
	catNull
	catOther // ballots not valid, blank or null
	catRegistered
	catBallots
	cats
)

func catCount(n int) int { return n + cats }

// histTerms returns the categories whose k largest figures bound what
// k stations lower assertion a by, each with its coefficient:
// D_s = Σ e_c·v_c + Ballots·other − lo·registered (e the effective
// coefficients, lo the least of them or 0), so the k largest D_s sum to
// at most Σ of each positive term's coefficient times the k largest of
// its figures. Where Ballots is positive and no category's own
// coefficient (e_c − Ballots) is negative, the ballots and the own
// coefficients give the same D_s with fewer categories and a bound as
// tight or tighter: the k largest ballots sum to no more than the k
// largest of each category summed.
func histTerms(a *Assertion, n int) []term {
	e := a.effective(n)
	var ts []term
	ownNonNeg := true
	for _, x := range e {
		ownNonNeg = ownNonNeg && x-a.Ballots >= 0
	}
	if a.Ballots > 0 && ownNonNeg {
		ts = append(ts, term{n + catBallots, a.Ballots})
		for c, x := range e {
			if x-a.Ballots > 0 {
				ts = append(ts, term{c, x - a.Ballots})
			}
		}
	} else {
		for c, x := range e {
			if x > 0 {
				ts = append(ts, term{c, x})
			}
		}
		if a.Ballots > 0 {
			ts = append(ts, term{n + catOther, a.Ballots})
		}
	}
	if lo, _ := span(a, n); lo < 0 {
		ts = append(ts, term{n + catRegistered, -lo})
	}
	return ts
}

// term is one column of a block times a coefficient.
type term struct {
	col  int
	coef int64
}

// evaluate computes, in one pass over the stations, how far each
// station could lower each assertion, selects for each the fewest
// stations, and caches the selections. The first pass also counts the
// stations by size and, where every figure fits, by figure.
//
// The decreases are not kept: a sample of them, read from the stations
// before the pass, brackets where the cut will lie, and the pass keeps
// only the stations above the bracket and those in it (fewest.go).
// Where a bracket misses, one more pass keeps every decrease of the
// assertions whose bracket missed.
func (w *decisiveWork) evaluate(as []*Assertion) {
	var todo []*decreases
	seen := map[string]bool{}
	n := len(w.o.totals.Votes)
	for _, a := range as {
		sig := signature(a)
		if seen[sig] || w.cache[sig] != nil {
			continue
		}
		seen[sig] = true
		x := newDecreases(a, n)
		w.prepare(x, a.need(&w.o.totals))
		todo = append(todo, x)
	}
	if len(todo) == 0 {
		return
	}
	for i, sel := range w.selectAll(todo) {
		w.cache[signature(todo[i].a)] = &sel
	}
}

// pass computes the decreases of todo in one pass over the stations,
// kept in d where an assertion has d and classified against its
// bracket otherwise; the first pass also counts the stations by size
// and figure, in the categories counted.
func (w *decisiveWork) pass(todo []*decreases) {
	n := len(w.o.totals.Votes)
	sizing := w.sizes == nil
	// The candidates whose votes are gathered, and their columns.
	colOf := make([]int, n)
	var gathered []int
	gather := func(i int) int {
		if colOf[i] == 0 {
			colOf[i] = colVotes + len(gathered)
			gathered = append(gathered, i)
		}
		return colOf[i]
	}
	if sizing {
		for i := range n {
			if w.counted[i] {
				gather(i)
			}
		}
	}
	terms := make([][]term, len(todo))
	for k, x := range todo {
		for _, t := range []term{{colValid, x.base}, {colBlank, x.blank}, {colNull, x.null}, {colBallots, x.bal}, {colRegistered, x.reg}} {
			if t.coef != 0 {
				terms[k] = append(terms[k], t)
			}
		}
		for j, i := range x.idx {
			terms[k] = append(terms[k], term{gather(i), x.coef[j]})
		}
	}
	// The stations in ranges, one a core, each scanned on its own and
	// the ranges' results joined in station order: the same result as
	// one range, sooner.
	parts := min(runtime.GOMAXPROCS(0), max(1, len(w.stations)/minPart))
	ranges := make([]*scan, parts)
	var wg sync.WaitGroup
	for p := range ranges {
		sc := &scan{
			s0: len(w.stations) * p / parts, s1: len(w.stations) * (p + 1) / parts,
			kept: make([]kept, len(todo)), histOK: sizing,
		}
		ranges[p] = sc
		wg.Go(func() { w.scanRange(sc, todo, terms, gathered, colOf, sizing) })
	}
	wg.Wait()
	var (
		sizes, bigSizes []int64
		histOK          = sizing
		hist            [][]uint32
	)
	for _, sc := range ranges {
		histOK = histOK && sc.histOK
		if len(sc.sizes) > len(sizes) {
			sizes = append(sizes, make([]int64, len(sc.sizes)-len(sizes))...)
		}
		for m, c := range sc.sizes {
			sizes[m] += c
		}
		bigSizes = append(bigSizes, sc.bigSizes...)
		if hist == nil {
			hist = sc.hist
		} else {
			for c, h := range sc.hist {
				for v, k := range h {
					hist[c][v] += k
				}
			}
		}
		for k, x := range todo {
			x.join(&sc.kept[k])
		}
	}
	for _, x := range todo {
		if x.d == nil && !x.missed && x.sum >= x.need {
			x.missed = true // the decreases above the bracket reach need
		}
	}
	if sizing {
		w.sizes, w.histOK = sizes, histOK
		w.bigSizes = bigSizes
		slices.SortFunc(w.bigSizes, func(a, b int64) int { return cmp.Compare(b, a) })
		w.hist = make([][]int64, catCount(n))
		for c := range w.hist {
			if hist[c] == nil {
				continue
			}
			h0, h1 := hist[c][:histCap], hist[c][histCap:]
			top := histCap
			for top > 0 && h0[top-1] == 0 && h1[top-1] == 0 {
				top-- // the bound walks down from the largest figure
			}
			w.hist[c] = make([]int64, top)
			for v := range top {
				w.hist[c][v] = int64(h0[v]) + int64(h1[v])
			}
		}
	}
}

// minPart is the fewest stations a core scans on its own.
const minPart = 1 << 16

// scan is one range of stations of a pass, s0 to s1, and what scanning
// it found: the stations counted by size and figure (the first pass),
// and what it kept of each assertion's decreases.
type scan struct {
	s0, s1          int
	sizes, bigSizes []int64
	hist            [][]uint32
	histOK          bool
	kept            []kept
}

// scanRange scans one range of stations, block by block: it gathers
// their figures into columns, counts them (the first pass), and
// computes the decreases of todo, kept in d or classified.
func (w *decisiveWork) scanRange(sc *scan, todo []*decreases, terms [][]term, gathered, colOf []int, sizing bool) {
	n := len(w.o.totals.Votes)
	cols := make([][block]int64, colVotes+len(gathered))
	var acc [block]int64
	var d [block]uint32 // one block's decreases, where they are not kept
	if sizing {
		sc.sizes = make([]int64, 0, 1024)
		sc.hist = make([][]uint32, catCount(n))
		for c, ok := range w.counted {
			if ok {
				sc.hist[c] = make([]uint32, 2*histCap) // two a category: see countBlock
			}
		}
	}
	for s0 := sc.s0; s0 < sc.s1; s0 += block {
		stations := w.stations[s0:min(s0+block, sc.s1)]
		m := len(stations)
		or := gatherBlock(stations, cols, gathered)
		if sizing {
			sc.sizes, sc.bigSizes = sizeBlock(sc.sizes, sc.bigSizes, cols, m)
			// Every figure counted in 0..histCap-1, or no histogram at
			// all: the ballots only where a bound reads them.
			if w.counted[n+catBallots] {
				for _, b := range cols[colBallots][:m] {
					or |= b
				}
			}
			sc.histOK = sc.histOK && uint64(or) < histCap
		}
		if sc.histOK {
			countBlock(sc.hist, w.counted, n, colOf, cols, m)
		}
		for k, x := range todo {
			if x.d != nil {
				decreaseBlock(x.d[s0:s0+m], terms[k], cols, &acc)
			} else if kp := &sc.kept[k]; !x.missed && !kp.missed {
				decreaseBlock(d[:m], terms[k], cols, &acc)
				kp.classify(x, s0, d[:m])
			}
		}
	}
}

// countBlock adds the first m stations of a block to the histograms of
// the categories counted (candidates, blank, null, other ballots,
// registered voters, ballots), every figure of them in 0..histCap-1.
func countBlock(hist [][]uint32, counted []bool, n int, colOf []int, cols [][block]int64, m int) {
	add := func(c int, col []int64, sparse bool) {
		// Two histograms, even and odd stations: equal figures in a row
		// (the blank, null and other ballots are mostly 0) would make
		// each count wait for the one before.
		h0 := (*[histCap]uint32)(hist[c][:histCap])
		h1 := (*[histCap]uint32)(hist[c][histCap:])
		if sparse {
			var any int64
			for _, v := range col {
				any |= v
			}
			if any == 0 {
				h0[0] += uint32(len(col))
				return
			}
		}
		j := 0
		for ; j+1 < len(col); j += 2 {
			h0[col[j]&(histCap-1)]++
			h1[col[j+1]&(histCap-1)]++
		}
		if j < len(col) {
			h0[col[j]&(histCap-1)]++
		}
	}
	for c, ok := range counted {
		if !ok {
			continue
		}
		switch c - n {
		case catBlank:
			add(c, cols[colBlank][:m], true)
		case catNull:
			add(c, cols[colNull][:m], true)
		case catOther:
			add(c, cols[colOther][:m], true)
		case catRegistered:
			add(c, cols[colRegistered][:m], false)
		case catBallots:
			add(c, cols[colBallots][:m], false)
		default: // a candidate
			add(c, cols[colOf[c]][:m], false)
		}
	}
}

// gatherBlock copies the figures of stations (at most a block) into
// columns, and returns the or of every figure of them, the other
// ballots too: negative or at least histCap when one is.
func gatherBlock(stations []Totals, cols [][block]int64, gathered []int) (or int64) {
	stations = stations[:min(len(stations), block)]
	valids, others := &cols[colValid], &cols[colOther]
	blanks, nulls := &cols[colBlank], &cols[colNull]
	ballots, regs := &cols[colBallots], &cols[colRegistered]
	votes := cols[colVotes:]
	identity := true
	for k, i := range gathered {
		identity = identity && i == k
	}
	// The loop is written twice: one loop with both cases in it ran
	// some 30% more instructions a station (cachegrind).
	if identity {
		// Every candidate's votes, in order: copied as they are summed.
		votes = votes[:len(gathered)]
		for j := range stations {
			st := &stations[j]
			var valid, all int64
			for i, v := range st.Votes[:len(votes)] {
				valid += v
				all |= v
				votes[i][j] = v
			}
			if len(st.Votes) > len(votes) {
				for _, v := range st.Votes[len(votes):] {
					valid += v
					all |= v
				}
			}
			other := st.Ballots - st.Blank - st.Null - valid
			valids[j], others[j] = valid, other
			blanks[j], nulls[j] = st.Blank, st.Null
			ballots[j], regs[j] = st.Ballots, st.Registered
			or |= all | other | st.Blank | st.Null | st.Registered
		}
		return or
	}
	for j := range stations {
		st := &stations[j]
		var valid, all int64
		for _, v := range st.Votes {
			valid += v
			all |= v
		}
		other := st.Ballots - st.Blank - st.Null - valid
		valids[j], others[j] = valid, other
		blanks[j], nulls[j] = st.Blank, st.Null
		ballots[j], regs[j] = st.Ballots, st.Registered
		or |= all | other | st.Blank | st.Null | st.Registered
		for k, i := range gathered {
			votes[k][j] = st.Votes[i]
		}
	}
	return or
}

// sizeBlock counts the first m stations of a block by size: the larger
// of their ballots and registered voters.
func sizeBlock(sizes, bigSizes []int64, cols [][block]int64, m int) ([]int64, []int64) {
	ballots, regs := &cols[colBallots], &cols[colRegistered]
	for j := range m {
		switch m := max(regs[j], ballots[j], 0); {
		case m >= sizeCap:
			bigSizes = append(bigSizes, m)
		default:
			if m >= int64(len(sizes)) {
				sizes = append(sizes, make([]int64, int(m)+1-len(sizes))...)
			}
			sizes[m]++
		}
	}
	return sizes, bigSizes
}

// decreaseBlock computes the decreases d of a block's stations from its
// columns: the sum of the terms, at least 0 and at most MaxUint32. Up to
// four terms are summed in one loop; more, one term at a time in acc.
func decreaseBlock(d []uint32, terms []term, cols [][block]int64, acc *[block]int64) {
	m := len(d)
	if len(terms) <= 4 {
		var c [4]int64
		x := [4][]int64{cols[colValid][:m], cols[colValid][:m], cols[colValid][:m], cols[colValid][:m]}
		for i, t := range terms {
			c[i], x[i] = t.coef, cols[t.col][:m]
		}
		x0, x1, x2, x3 := x[0][:m], x[1][:m], x[2][:m], x[3][:m]
		for j := range d {
			v := c[0]*x0[j] + c[1]*x1[j] + c[2]*x2[j] + c[3]*x3[j]
			d[j] = uint32(min(max(v, 0), math.MaxUint32))
		}
		return
	}
	a := acc[:m]
	clear(a)
	for _, t := range terms {
		c, col := t.coef, cols[t.col][:m]
		for j := range a {
			a[j] += c * col[j]
		}
	}
	for j, v := range a {
		d[j] = uint32(min(max(v, 0), math.MaxUint32))
	}
}
