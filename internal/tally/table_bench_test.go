package tally

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// bench470k is an observer's definition of 470,000 stations (Brazil's
// count of machines), 47,000 centres of ten tables, one contest of ten
// candidates: twelve figures a station with blank and null; and the same
// figures as a wide and a long table.
var bench470k = sync.OnceValues(func() (*election.Definition, [2][]byte) {
	const centres, tables, cands = 47_000, 10, 10
	var def strings.Builder
	def.WriteString(election.Version + "\nid bench\nname Bench\nlevels region\ncontest president * President\n")
	for c := range cands {
		fmt.Fprintf(&def, "candidate president C%d Candidate %d\n", c, c)
	}
	def.WriteString("area 1 Region\n")
	var wide, long bytes.Buffer
	wide.WriteString("centre,table")
	for c := range cands {
		fmt.Fprintf(&wide, ",C%d", c)
	}
	wide.WriteString(",blank,null\n")
	long.WriteString("centre,table,choice,votes\n")
	choices := []string{"C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "blank", "null"}
	x := uint32(1)
	for i := range centres {
		for t := 1; t <= tables; t++ {
			fmt.Fprintf(&def, "station %d.%d 1 - -\n", 10000+i, t)
			wide.WriteString(strconv.Itoa(10000 + i))
			wide.WriteByte(',')
			wide.WriteString(strconv.Itoa(t))
			for _, ch := range choices {
				x ^= x << 13
				x ^= x >> 17
				x ^= x << 5
				v := strconv.Itoa(int(x % 300))
				wide.WriteByte(',')
				wide.WriteString(v)
				long.WriteString(strconv.Itoa(10000 + i))
				long.WriteByte(',')
				long.WriteString(strconv.Itoa(t))
				long.WriteByte(',')
				long.WriteString(ch)
				long.WriteByte(',')
				long.WriteString(v)
				long.WriteByte('\n')
			}
			wide.WriteByte('\n')
		}
	}
	d, err := election.Parse([]byte(def.String()))
	if err != nil {
		panic(err)
	}
	return d, [2][]byte{wide.Bytes(), long.Bytes()}
})

// BenchmarkReadTable470k reads 470,000 stations × 12 figures from a wide
// and a long CSV, and in the same run the floor: encoding/csv reading the
// same bytes with ReuseRecord and doing nothing. It reports ns and bytes
// allocated a station (encoding/csv makes one string a record: the long
// table's twelve rows a station are twelve), and the time as a multiple of
// the floor's.
func BenchmarkReadTable470k(b *testing.B) {
	def, data := bench470k()
	spec := "station=centre+table,blank=blank,null=null"
	for c := range 10 {
		spec += fmt.Sprintf(",C%d=C%d", c, c)
	}
	m, err := ParseMapping(spec, def)
	if err != nil {
		b.Fatal(err)
	}
	for i, t := range []Table{
		{Name: "wide.csv", Mapping: m},
		{Name: "long.csv", Layout: LayoutLong, Long: LongMapping{Station: []string{"centre", "table"}, Choice: "choice", Votes: "votes"}},
	} {
		b.Run(string(map[int]Layout{0: LayoutWide, 1: LayoutLong}[i]), func(b *testing.B) {
			in := data[i]
			var read, floor time.Duration
			var alloc, mallocs uint64
			var ms0, ms1 runtime.MemStats
			b.SetBytes(int64(len(in)))
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				csvFloor(b, in)
				floor += time.Since(t0)
				runtime.ReadMemStats(&ms0)
				t0 = time.Now()
				rows, errs, _ := ReadTable(bytes.NewReader(in), t, def)
				read += time.Since(t0)
				runtime.ReadMemStats(&ms1)
				alloc += ms1.TotalAlloc - ms0.TotalAlloc
				mallocs += ms1.Mallocs - ms0.Mallocs
				if len(errs) > 0 || len(rows) != len(def.Stations) {
					b.Fatalf("%d rows, errors %q", len(rows), errStrings(errs[:min(len(errs), 3)]))
				}
			}
			n := float64(b.N) * float64(len(def.Stations))
			b.ReportMetric(float64(read.Nanoseconds())/n, "ns/station")
			b.ReportMetric(float64(alloc)/n, "B/station")
			b.ReportMetric(float64(mallocs)/n, "allocs/station")
			b.ReportMetric(float64(floor.Nanoseconds())/n, "floor-ns/station")
			b.ReportMetric(float64(read)/float64(floor), "x-floor")
		})
	}
}

// csvFloor reads a CSV as cheaply as encoding/csv can, doing nothing with it.
func csvFloor(b *testing.B, in []byte) {
	cr := csv.NewReader(bytes.NewReader(in))
	cr.ReuseRecord = true
	for {
		_, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
