package machine

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// benchRegistered is the size of the stations the benchmarks vote on: a
// large real one. A full station is replaced, off the clock, by a new one.
const benchRegistered = 1000

// BenchmarkVote measures votes per second through a terminal, with every
// vote flushed to stable storage (durable) and without (nosync), and the
// floor of durable voting: one bare pwrite and fdatasync of a slot-sized
// block (floor). durable also reports its time per vote over the floor's,
// measured right after it on the same disk.
func BenchmarkVote(b *testing.B) {
	b.Run("durable", func(b *testing.B) {
		benchVote(b, Options{})
		n := min(b.N, 2000)
		w := newFloorWriter(b)
		start := time.Now()
		w.run(b, n)
		floor := time.Since(start)
		b.ReportMetric((b.Elapsed().Seconds()/float64(b.N))/(floor.Seconds()/float64(n)), "x-floor")
	})
	b.Run("nosync", func(b *testing.B) { benchVote(b, Options{NoSync: true}) })
	b.Run("floor", func(b *testing.B) {
		w := newFloorWriter(b)
		b.ResetTimer()
		w.run(b, b.N)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "syncs/s")
	})
}

func benchVote(b *testing.B, o Options) {
	_, def, skey := testElection(b, electiontest.Options{Registered: benchRegistered, Contests: 2})
	root := b.TempDir()
	var term *Terminal
	station := 0
	next := func() {
		if term != nil {
			term.Close()
		}
		station++
		dir := filepath.Join(root, strconv.Itoa(station))
		if err := Setup(dir, def, "100.1", skey); err != nil {
			b.Fatal(err)
		}
		var err error
		if term, err = Load(dir, o); err != nil {
			b.Fatal(err)
		}
		if _, err := term.Open(); err != nil {
			b.Fatal(err)
		}
	}
	next()
	defer func() { term.Close() }()
	choices := []map[string]string{
		{"president": "ALBA", "contest2": "CORA"},
		{"president": "BRUNO"},
		{"president": "CORA", "contest2": "null"},
	}
	b.ResetTimer()
	for i := range b.N {
		if i > 0 && i%benchRegistered == 0 {
			b.StopTimer()
			next()
			b.StartTimer()
		}
		if _, err := term.Vote(choices[i%len(choices)]); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "votes/s")
}

// floorWriter writes one slot-sized block at a time into a preallocated
// file and flushes it with fdatasync: all a durable vote must do.
type floorWriter struct {
	f     *os.File
	size  int
	block []byte
}

func newFloorWriter(b *testing.B) *floorWriter {
	size := slotSize(testBallot())
	f, err := os.Create(filepath.Join(b.TempDir(), "floor"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	if err := fillSlots(f, size, benchRegistered); err != nil {
		b.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	return &floorWriter{f, size, encodeSlot(size, "0123456789AB president=ALBA contest2=CORA\n")}
}

func (w *floorWriter) run(b *testing.B, n int) {
	for i := range n {
		if _, err := w.f.WriteAt(w.block, int64(1+i%benchRegistered)*int64(w.size)); err != nil {
			b.Fatal(err)
		}
		if err := datasync(w.f); err != nil {
			b.Fatal(err)
		}
	}
}
