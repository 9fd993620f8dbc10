package simulate_test

import (
	"context"
	"crypto/ed25519"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/hdevalence/ed25519consensus"
	"github.com/transparency-dev/tessera/client"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// BenchmarkStream30k streams an election of 30,000 stations (Venezuela's
// size) through the whole pipeline, as "triplicate simulate -stations 30000"
// does, and then measures the floors of its stages on the very bytes it
// logged:
//
//   - signatures: every acta's Ed25519 checks one at a time on every core,
//     as the center makes them (the floor of ingest), and in batches of
//     verify.BatchSize, as the verifier makes them (the floor of verify);
//   - appends: the same actas appended to a log of their own, by as many
//     senders, until a published checkpoint covers them, without HTTP,
//     decisions, index or witnesses;
//   - inserts: the same rows put in an index of their own, in the batches
//     the center's indexer writes.
//
// It reports the pipeline's wall time, each stage's, the process's peak
// memory while streaming, the floors, and the ratio of ingest (the log
// stage: the center's ingest, which the generating stages share the cores
// with) and of verify to theirs.
//
//	go test -run '^$' -bench Stream30k -benchtime 1x ./internal/simulate/
func BenchmarkStream30k(b *testing.B) {
	const n, senders, seed = 30000, 64, 2024
	for range b.N {
		dir := b.TempDir()
		read := simulate.PeakRSS(b.Logf)
		verifyLog := func(ctx context.Context, def *election.Definition, logDir string) error {
			v := verify.New(def)
			v.AddLog(ctx, verify.LogSource{Location: logDir})
			if r := v.Report(ctx); !r.Clean() || r.Agreeing != n {
				b.Fatalf("not clean: %d agree of %d, %d findings, problems %v", r.Agreeing, n, len(r.Findings), r.Problems)
			}
			return nil
		}
		r, err := simulate.Stream(context.Background(), simulate.StreamConfig{Dir: dir, Stations: n, Seed: seed, Senders: senders, Verify: verifyLog})
		if err != nil {
			b.Fatal(err)
		}
		peak := read()
		stage := map[string]*simulate.Stage{}
		for _, s := range r.Stages {
			stage[s.Name] = s
		}

		b.StopTimer()
		msgs, rows, checks := logged(b, r.Def, filepath.Join(dir, "center", "log"), n)
		sigFloor := signatureFloor(checks, 1)
		batchFloor := signatureFloor(checks, verify.BatchSize)
		appendFloor := appendFloor(b, msgs, senders, seed)
		insertFloor := insertFloor(b, rows)
		b.StartTimer()

		ingest, check := stage["log"].Wall().Seconds(), stage["verify"].Wall().Seconds()
		b.ReportMetric(r.Wall.Seconds(), "s-wall")
		for _, s := range r.Stages {
			b.ReportMetric(s.Wall().Seconds(), "s-"+s.Name)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
		b.ReportMetric(sigFloor, "s-floor-signatures")
		b.ReportMetric(batchFloor, "s-floor-batch-signatures")
		b.ReportMetric(appendFloor, "s-floor-appends")
		b.ReportMetric(insertFloor, "s-floor-inserts")
		b.ReportMetric(ingest/sigFloor, "log-x-floor-signatures")
		b.ReportMetric(ingest/appendFloor, "log-x-floor-appends")
		b.ReportMetric(ingest/insertFloor, "log-x-floor-inserts")
		b.ReportMetric(check/batchFloor, "verify-x-floor-batch-signatures")
	}
}

// logged reads back the n entries of the log in dir: each acta, its index
// row, and its signature checks.
func logged(b *testing.B, def *election.Definition, dir string, n int) ([][]byte, []store.Entry, []acta.SignatureCheck) {
	var msgs [][]byte
	var rows []store.Entry
	var checks []acta.SignatureCheck
	files := client.FileFetcher{Root: dir}
	err := tlog.Entries(context.Background(), files.ReadEntryBundle, 0, uint64(n), uint64(n), func(index uint64, msg []byte) error {
		sa, cs, err := acta.OpenUnverified(msg, def)
		if err != nil {
			return err
		}
		msgs = append(msgs, msg)
		rows = append(rows, store.Entry{Index: index, Station: sa.Station, Kind: string(sa.Kind), Status: store.Accepted, Acta: msg})
		checks = append(checks, cs...)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return msgs, rows, checks
}

// signatureFloor returns the seconds it takes to check the signatures on
// every core, in batches of batch (1: one at a time, with crypto/ed25519).
func signatureFloor(checks []acta.SignatureCheck, batch int) float64 {
	start := time.Now()
	workers := runtime.GOMAXPROCS(0)
	chunk := (len(checks) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		part := checks[min(w*chunk, len(checks)):min((w+1)*chunk, len(checks))]
		wg.Go(func() {
			for i := 0; i < len(part); i += batch {
				cs := part[i:min(i+batch, len(part))]
				if batch == 1 {
					if !ed25519.Verify(cs[0].Key, cs[0].Message, cs[0].Signature) {
						panic("floor: a signature does not verify")
					}
					continue
				}
				bv := ed25519consensus.NewPreallocatedBatchVerifier(len(cs))
				for _, c := range cs {
					bv.Add(c.Key, c.Message, c.Signature)
				}
				if !bv.Verify() {
					panic("floor: a batch does not verify")
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start).Seconds()
}

// appendFloor returns the seconds it takes senders to append the actas to a
// log of the streamed election's center key, as the center's log is
// configured, until a published checkpoint covers them.
func appendFloor(b *testing.B, msgs [][]byte, senders int, seed uint64) float64 {
	e, err := simulate.NewStreamElection(1, seed) // the same keys
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	l, err := ledger.Open(ctx, ledger.Config{Dir: b.TempDir(), Key: e.Center})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close(ctx)
	start := time.Now()
	next := make(chan []byte)
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for msg := range next {
				if _, err := l.Add(ctx, msg); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for _, msg := range msgs {
		next <- msg
	}
	close(next)
	wg.Wait()
	for {
		if cp, err := l.Published(ctx); err == nil && cp.Size == uint64(len(msgs)) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start).Seconds()
}

// insertFloor returns the seconds it takes to put the rows in an index of
// their own (SQLite, the default), 512 to a Put as the center's indexer does.
func insertFloor(b *testing.B, rows []store.Entry) float64 {
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "index.db"), "")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	for i := 0; i < len(rows); i += 512 {
		if err := st.Put(context.Background(), rows[i:min(i+512, len(rows))]...); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start).Seconds()
}
