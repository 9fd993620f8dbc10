package contest

import (
	"cmp"
	"math"
	"slices"
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
func (w *decisiveWork) count(rests [][]Assertion) {
	n := len(w.o.totals.Votes)
	w.counted = make([]bool, n+4)
	for _, c := range rests {
		for i := range c {
			a := &c[i]
			for k, x := range append(a.effective(n), a.Ballots) {
				w.counted[k] = w.counted[k] || x > 0
			}
			lo, _ := span(a, n)
			w.counted[n+3] = w.counted[n+3] || lo < 0
		}
	}
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
		x.d = w.buf()
		todo = append(todo, x)
	}
	if len(todo) == 0 {
		return
	}
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
	cols := make([][block]int64, colVotes+len(gathered))
	var acc [block]int64
	var (
		hist     []uint32
		sizes    []int64
		bigSizes []int64
		histOK   = sizing
	)
	if sizing {
		sizes = make([]int64, 0, 1024)
		hist = make([]uint32, (n+4)*histCap)
	}
	for s0 := 0; s0 < len(w.stations); s0 += block {
		stations := w.stations[s0:min(s0+block, len(w.stations))]
		m := len(stations)
		or := gatherBlock(stations, cols, gathered)
		if sizing {
			sizes, bigSizes = sizeBlock(sizes, bigSizes, cols, m)
			// Every figure in 0..histCap-1, or no histogram at all.
			histOK = histOK && uint64(or) < histCap
		}
		if histOK {
			countBlock(hist, w.counted, n, colOf, cols, m)
		}
		for k, x := range todo {
			decreaseBlock(x.d[s0:s0+m], terms[k], cols, &acc)
		}
	}
	if sizing {
		w.sizes, w.histOK = sizes, histOK
		w.bigSizes = bigSizes
		slices.SortFunc(w.bigSizes, func(a, b int64) int { return cmp.Compare(b, a) })
		w.hist = make([][]int64, n+4)
		for c := range w.hist {
			h := hist[c*histCap : (c+1)*histCap]
			for len(h) > 0 && h[len(h)-1] == 0 {
				h = h[:len(h)-1] // the bound walks down from the largest figure
			}
			w.hist[c] = make([]int64, len(h))
			for v, k := range h {
				w.hist[c][v] = int64(k)
			}
		}
	}
	for _, x := range todo {
		sel := w.fewest(x, x.a.need(&w.o.totals))
		w.cache[signature(x.a)] = &sel
	}
}

// countBlock adds the first m stations of a block to the histograms of
// the categories counted (candidates, blank, null, other ballots,
// registered voters), every figure of them in 0..histCap-1.
func countBlock(hist []uint32, counted []bool, n int, colOf []int, cols [][block]int64, m int) {
	add := func(c int, col []int64) {
		h := (*[histCap]uint32)(hist[c*histCap:])
		for _, v := range col {
			h[v&(histCap-1)]++
		}
	}
	for c, ok := range counted {
		if !ok {
			continue
		}
		switch {
		case c < n:
			add(c, cols[colOf[c]][:m])
		case c == n:
			add(c, cols[colBlank][:m])
		case c == n+1:
			add(c, cols[colNull][:m])
		case c == n+3:
			add(c, cols[colRegistered][:m])
		default: // other ballots
			add(c, cols[colOther][:m])
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
