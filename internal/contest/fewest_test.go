package contest

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFewestAgainstSort checks the selection (prepare, selectAll) and
// collect against sorting every
// decrease, on shapes that defeat the sample (stations in order of
// decrease, one way or the other; a few large ones hidden between
// samples), ties, decreases too large for the 32-bit buffer, and needs
// from one to beyond the total. The decrease of station s is its
// registered voters, so any distribution can be laid out.
func TestFewestAgainstSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	shapes := map[string]func(i, n int) int64{
		"uniform":    func(i, n int) int64 { return rng.Int64N(1000) },
		"ascending":  func(i, n int) int64 { return int64(i) },
		"descending": func(i, n int) int64 { return int64(n - i) },
		"equal":      func(i, n int) int64 { return 300 },
		"few values": func(i, n int) int64 { return 100 * rng.Int64N(3) },
		"mostly zero": func(i, n int) int64 {
			if rng.IntN(50) == 0 {
				return 1 + rng.Int64N(500)
			}
			return 0
		},
		"hidden large": func(i, n int) int64 {
			if i%sampleStride == 1 && rng.IntN(4) == 0 {
				return 1_000_000 + rng.Int64N(1000)
			}
			return rng.Int64N(100)
		},
		"past 32 bits": func(i, n int) int64 {
			if rng.IntN(100) == 0 {
				return math.MaxUint32 - 1 + rng.Int64N(3)<<32
			}
			return rng.Int64N(1 << 31)
		},
	}
	for name, shape := range shapes {
		for _, n := range []int{1, 7, 1000, 40000} {
			st := make([]Totals, n)
			var total int64
			for i := range st {
				st[i] = Totals{Votes: []int64{0}, Registered: shape(i, n)}
				total += st[i].Registered
			}
			a := &Assertion{Votes: []int64{0}} // D_s = registered
			o := &Outcome{totals: Totals{Votes: []int64{0}}}
			w := &decisiveWork{o: o, stations: st}
			w.count(nil)
			sorted := make([]int64, n)
			for i := range st {
				sorted[i] = st[i].Registered
			}
			slices.SortFunc(sorted, func(p, q int64) int { return cmp.Compare(q, p) })
			for _, need := range []int64{1, 2, total / 1000, total / 10, total / 2, total - 1, total, total + 1} {
				t.Run(fmt.Sprintf("%s/%d/%d", name, n, need), func(t *testing.T) {
					// As evaluate selects.
					x := &decreases{a: a, reg: 1}
					w.prepare(x, need)
					got := w.selectAll([]*decreases{x})[0]
					// By sorting: the largest until need is reached.
					k, left := 0, need
					for k < n && left > 0 && sorted[k] > 0 {
						left -= sorted[k]
						k++
					}
					if need <= 0 {
						if !got.ok || got.k != 0 {
							t.Fatalf("need %d: %+v", need, got)
						}
						return
					}
					if left > 0 {
						if got.ok {
							t.Fatalf("need %d beyond every decrease: got %d stations", need, got.k)
						}
						return
					}
					tau := sorted[k-1]
					var eq int64
					for _, v := range sorted[:k] {
						if v == tau {
							eq++
						}
					}
					if !got.ok || got.k != k || got.tau != tau || got.takeEq != eq {
						t.Fatalf("need %d: got ok %v k %d tau %d takeEq %d; want k %d tau %d takeEq %d",
							need, got.ok, got.k, got.tau, got.takeEq, k, tau, eq)
					}
					set := w.collect(got)
					var want []int
					for i := range st {
						if v := st[i].Registered; v > tau || (v == tau && eq > 0) {
							if v == tau {
								eq--
							}
							want = append(want, i)
						}
					}
					if !slices.Equal(set, want) {
						t.Fatalf("need %d: set %v, want %v", need, set, want)
					}
				})
			}
		}
	}
}
