package forensics_test

import (
	"bytes"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/simulate/fraud"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// BenchmarkAnalyze1050k runs every indicator, with 1,000 Monte Carlo
// resamples, on 1,050,000 simulated stations (a third signed, 5% of the
// rest stuffed), read from a CSV, against the floor: reading the same
// figures from the CSV once (tally.ReadCSV). It reports the seconds of
// each and their ratio. It builds a definition of 1,050,000 stations
// first (untimed, some seconds): run it once, -benchtime 1x. The -cpu-s
// figures are CPU time, which a machine shared with others inflates less
// than wall time.
func BenchmarkAnalyze1050k(b *testing.B) {
	const n = 1_050_000
	s := fraud.Election(fraud.Config{Stations: n, Seed: 1, Fraud: fraud.Incremental, Share: 0.05, Signed: 0.3})
	var def, csv strings.Builder
	def.WriteString("triplicate election v1\nid big\nname Big\nlevels country\ncontest president * President\n" +
		"candidate president A A\ncandidate president B B\ncandidate president C C\narea x X\n")
	csv.WriteString("station,registered,ballots,A,B,C\n")
	signed := map[string]bool{}
	for _, st := range s.List {
		fmt.Fprintf(&def, "station %s x %d -\n", st.ID, st.Registered)
		fmt.Fprintf(&csv, "%s,%d,%d,%d,%d,%d\n", st.ID, st.Registered, st.Ballots, st.Votes[0], st.Votes[1], st.Votes[2])
		if st.Signed {
			signed[st.ID] = true
		}
	}
	d, err := election.Parse([]byte(def.String()))
	if err != nil {
		b.Fatal(err)
	}
	m, err := tally.ParseMapping("station=station,registered=registered,ballots=ballots,A=A,B=B,C=C", d)
	if err != nil {
		b.Fatal(err)
	}
	data := []byte(csv.String())
	b.ResetTimer()
	var read, analyze, cpuRead, cpu time.Duration
	for range b.N {
		c0 := cpuTime()
		t0 := time.Now()
		rows, errs := tally.ReadCSV(bytes.NewReader(data), "big.csv", d, m)
		t1 := time.Now()
		c1 := cpuTime()
		if len(errs) > 0 || len(rows) != n {
			b.Fatalf("%d rows, %v", len(rows), errs)
		}
		st, err := forensics.Read(d, "", rows, signed)
		if err != nil {
			b.Fatal(err)
		}
		r := forensics.Analyze(st, forensics.Options{Resamples: 1000, Seed: 1})
		t2 := time.Now()
		cpu += cpuTime() - c1
		cpuRead += c1 - c0
		read += t1.Sub(t0)
		analyze += t2.Sub(t1)
		if r.Groups[forensics.All].Stations != n {
			b.Fatalf("%d stations screened", r.Groups[forensics.All].Stations)
		}
		if b.N == 1 {
			var text strings.Builder
			r.WriteText(&text, 3)
			b.Logf("\n%s", text.String())
		}
	}
	b.ReportMetric(read.Seconds()/float64(b.N), "read-s")
	b.ReportMetric(analyze.Seconds()/float64(b.N), "forensics-s")
	b.ReportMetric(analyze.Seconds()/read.Seconds(), "forensics/read")
	b.ReportMetric(cpuRead.Seconds()/float64(b.N), "read-cpu-s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "forensics-cpu-s")
}

// cpuTime returns the CPU time the process has used: on a machine shared
// with others, the figure that wall time hides.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
