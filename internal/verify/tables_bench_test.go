package verify_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// BenchmarkVerifyTables compares per-station tables read from CSV — two of
// 470,000 stations × 12 figures (10 candidates, blank, null), and ten of
// 30,000 — every pair, station by station, with the outcome weighed. In the
// same run it measures the floor: reading and parsing the same tables
// alone (tally.ReadTable). Each table after the first differs from the
// first at 1% of its stations. It reports seconds, the ratio to the floor
// and the process's peak resident memory while verifying.
func BenchmarkVerifyTables(b *testing.B) {
	for _, c := range []struct{ stations, tables int }{{470_000, 2}, {30_000, 10}} {
		b.Run(fmt.Sprintf("%dx%d", c.stations, c.tables), func(b *testing.B) {
			def, files, m := benchTables(b, c.stations, c.tables)
			read := func(i int) ([]tally.CSVRow, []error) {
				rows, errs, _ := tally.ReadTable(bytes.NewReader(files[i]), tally.Table{Name: fmt.Sprint("t", i), Mapping: m}, def)
				return rows, errs
			}
			// The floor: parsing the tables alone, the best of three.
			floorS := math.Inf(1)
			for range 3 {
				runtime.GC()
				start := time.Now()
				for i := range files {
					if rows, errs := read(i); len(errs) > 0 || len(rows) != c.stations {
						b.Fatalf("table %d: %d rows, errors %v", i, len(rows), errs[:min(3, len(errs))])
					}
				}
				floorS = min(floorS, time.Since(start).Seconds())
			}
			b.ResetTimer()
			var peak uint64
			for range b.N {
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
				rss := simulate.PeakRSS(b.Logf)
				v := verify.New(def)
				for i := range files {
					v.AddTable(fmt.Sprint("t", i), verify.KindUnsigned, bytes.NewReader(files[i]), tally.Table{Mapping: m})
				}
				r := v.Report(context.Background())
				peak = max(peak, rss())
				want := c.stations / 100
				if len(r.Pairs) != c.tables*(c.tables-1)/2 || r.Pairs[0].Differing != want || len(r.Problems) > 0 {
					b.Fatalf("pairs %d (first %+v), problems %v", len(r.Pairs), r.Pairs[0], r.Problems)
				}
			}
			per := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(per, "s/verify")
			b.ReportMetric(floorS, "floor-s")
			b.ReportMetric(per/floorS, "x-floor")
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
		})
	}
}

// benchTables makes an observer's definition of n stations in 100 areas,
// one contest of 10 candidates, and k CSV tables of it; table i > 0
// differs from table 0 at every 100th station.
func benchTables(b *testing.B, n, k int) (*election.Definition, [][]byte, tally.Mapping) {
	b.Helper()
	var d strings.Builder
	d.WriteString("triplicate election v1\nid bench\nname Bench\nlevels area\ncontest c * Contest\n")
	m := tally.Mapping{Station: []string{"station"}, Registered: []string{"registered"}, Figures: map[string][]string{"c.blank": {"blank"}, "c.null": {"null"}}}
	header := "station,registered"
	for j := range 10 {
		fmt.Fprintf(&d, "candidate c K%d Candidate %d\n", j, j)
		m.Figures[fmt.Sprintf("c.K%d", j)] = []string{fmt.Sprint("k", j)}
		header += fmt.Sprint(",k", j)
	}
	header += ",blank,null\n"
	for a := range 100 {
		fmt.Fprintf(&d, "area a%d Area %d\n", a, a)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	figures := make([][12]int, n)
	for s := range n {
		fmt.Fprintf(&d, "station %d.%d a%d 500 -\n", s/10, s%10, s%100)
		left := 400
		for j := range 12 {
			figures[s][j] = rng.IntN(left/4 + 1)
			left -= figures[s][j]
		}
	}
	def, err := election.Parse([]byte(d.String()))
	if err != nil {
		b.Fatal(err)
	}
	files := make([][]byte, k)
	for i := range k {
		var t bytes.Buffer
		t.Grow(n * 48)
		t.WriteString(header)
		var line []byte
		for s := range n {
			line = strconv.AppendInt(line[:0], int64(s/10), 10)
			line = append(line, '.')
			line = strconv.AppendInt(line, int64(s%10), 10)
			line = append(line, ",500"...)
			for j, x := range figures[s] {
				if i > 0 && s%100 == i && j == 0 {
					x++ // this table's difference
				}
				line = append(line, ',')
				line = strconv.AppendInt(line, int64(x), 10)
			}
			line = append(line, '\n')
			t.Write(line)
		}
		files[i] = t.Bytes()
	}
	return def, files, m
}
