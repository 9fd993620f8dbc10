package verify_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/hdevalence/ed25519consensus"
	"github.com/transparency-dev/tessera/client"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// BenchmarkVerifyLog verifies a whole election from a local log: 30,000
// stations (Venezuela) and 470,000 (Brazil's machines), each a final acta
// signed by its machine and cosigned by three parties' witnesses. In the same
// run it measures the floor: the Ed25519 checks alone, in batches of 64 on
// every core, over a sample of up to 50,000 actas' signatures, scaled to the
// election. It reports actas/s, the ratio to the floor and the process's
// peak resident memory while verifying.
//
// The log is built once per size under $TMPDIR/triplicate-bench-verify-N
// (minutes at 470,000: every signature and every log append), with the
// definition beside it. Memory is what the Go runtime holds while verifying,
// the definition included (a verifier needs it), and the floor's sample.
func BenchmarkVerifyLog(b *testing.B) {
	for _, n := range []int{30_000, 470_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			def, dir, sample := benchElection(b, n)
			floor := signatureFloor(b, sample) * float64(n) / float64(len(sample))
			b.ResetTimer()
			var peak uint64
			for range b.N {
				// Each run starts as a verifier's process does: without the
				// last run's garbage.
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
				read := simulate.PeakRSS(b.Logf)
				v := verify.New(def)
				v.AddLog(context.Background(), verify.LogSource{Location: filepath.Join(dir, "log")})
				r := v.Report(context.Background())
				peak = max(peak, read())
				if !r.Clean() || r.Agreeing != n || r.Log == nil || !r.Log.Complete {
					b.Fatalf("report not clean: %d agree of %d, %d findings, problems %v", r.Agreeing, n, len(r.Findings), r.Problems)
				}
			}
			per := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(n)/per, "actas/s")
			b.ReportMetric(per/floor, "x-floor")
			b.ReportMetric(floor, "floor-s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
		})
	}
}

// signatureFloor returns the seconds it takes to check the sample's
// signatures in batches of 64 on every core.
func signatureFloor(b *testing.B, sample [][]acta.SignatureCheck) float64 {
	var flat []acta.SignatureCheck
	for _, cs := range sample {
		flat = append(flat, cs...)
	}
	start := time.Now()
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	chunk := (len(flat) + workers - 1) / workers
	for w := range workers {
		part := flat[min(w*chunk, len(flat)):min((w+1)*chunk, len(flat))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < len(part); i += verify.BatchSize {
				batch := part[i:min(i+verify.BatchSize, len(part))]
				bv := ed25519consensus.NewPreallocatedBatchVerifier(len(batch))
				for _, c := range batch {
					bv.Add(c.Key, c.Message, c.Signature)
				}
				if !bv.Verify() {
					panic("floor: a batch does not verify")
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start).Seconds()
}

// benchElection returns an election of n stations, the directory of its log
// (built once, with the definition beside it), and the signature checks of
// up to 50,000 of its actas, read back from the log. Only the definition
// stays in memory, as in a verifier's process: not the keys that made it.
func benchElection(b *testing.B, n int) (*election.Definition, string, [][]acta.SignatureCheck) {
	b.Helper()
	// (v2: the log starts with its head, naming the definition)
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("triplicate-bench-verify-v2-%d", n))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		buildBenchLog(b, dir, n)
	}
	text, err := os.ReadFile(filepath.Join(dir, "election.txt"))
	if err != nil {
		b.Fatal(err)
	}
	def, err := election.Parse(text)
	if err != nil {
		b.Fatal(err)
	}
	var sample [][]acta.SignatureCheck
	files := client.FileFetcher{Root: filepath.Join(dir, "log")}
	err = tlog.Entries(context.Background(), files.ReadEntryBundle, 1, uint64(min(n, 50_000))+1, uint64(n)+1, func(_ uint64, msg []byte) error {
		_, cs, err := acta.OpenUnverified(msg, def)
		sample = append(sample, cs)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	return def, dir, sample
}

// buildBenchLog writes the definition of an election of n stations and a log
// of their final actas in dir.
func buildBenchLog(b *testing.B, dir string, n int) {
	b.Logf("building the log of %d stations in %s (once)", n, dir)
	f := electiontest.New(electiontest.Options{Seed: "bench-verify", Stations: n, Registered: 800})
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "election.txt"), f.Text, 0o644); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	l, err := ledger.Open(ctx, ledger.Config{Dir: filepath.Join(dir, "log"), Key: f.Center, BatchSize: 1024, BatchAge: 50 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	// Entry 0 is the log's head, naming the definition, as a center's is.
	if _, err := l.Add(ctx, f.Def.LogHead()); err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range 1024 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if _, err := l.Add(ctx, benchActa(f, i)); err != nil {
					panic(err)
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for {
		cp, err := l.Published(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if cp.Size == uint64(n)+1 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := l.Close(ctx); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "complete"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
}

// benchActa is station i's final acta, signed and cosigned by three
// witnesses; the same i gives the same bytes.
func benchActa(f *electiontest.Fixture, i int) []byte {
	st := f.Def.Stations[i]
	h := sha256.Sum256([]byte(st.ID))
	votes := []int{100 + int(h[0])%150, 100 + int(h[1])%150, int(h[2]) % 100}
	ballots := votes[0] + votes[1] + votes[2] + 10
	a := &acta.Acta{Election: f.Def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened: time.Date(2026, 10, 4, 7, 0, 0, 0, time.UTC), Closed: time.Date(2026, 10, 4, 17, 0, 0, 0, time.UTC),
		Registered: st.Registered, Ballots: ballots, Records: sha256.Sum256([]byte(st.ID + "/records")),
		Contests: []acta.Tally{{Contest: "president", Candidates: []acta.Count{{Candidate: "ALBA", Votes: votes[0]}, {Candidate: "BRUNO", Votes: votes[1]}, {Candidate: "CORA", Votes: votes[2]}}, Blank: 4, Null: 6}}}
	msg, err := acta.Sign(a, f.Machines[st.ID])
	if err != nil {
		panic(err)
	}
	for _, p := range f.Parties {
		if msg, err = acta.Cosign(msg, f.Def, f.Witness[p]); err != nil {
			panic(err)
		}
	}
	return msg
}
