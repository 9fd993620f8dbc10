package acta_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// BenchmarkOpen verifies one final acta signed by its machine and cosigned by
// three witnesses, and in the same run the floor: four plain ed25519.Verify
// calls over the same body. It reports the ratio (goal: within 1.2x).
func BenchmarkOpen(b *testing.B) {
	f := electiontest.New(electiontest.Options{Seed: "bench"})
	msg, err := acta.Sign(finalActa(f), f.Machines["100.1"])
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range f.Parties {
		if msg, err = acta.Cosign(msg, f.Def, f.Witness[p]); err != nil {
			b.Fatal(err)
		}
	}
	sa, err := acta.Open(msg, f.Def)
	if err != nil {
		b.Fatal(err)
	}
	type check struct{ pub, sig []byte }
	var checks []check
	for _, s := range sa.Signatures {
		raw, _ := base64.StdEncoding.DecodeString(s.Base64)
		kraw, _ := base64.StdEncoding.DecodeString(strings.SplitN(s.Signer.Key, "+", 3)[2])
		checks = append(checks, check{kraw[1:], raw[4:]})
	}
	if len(checks) != 4 {
		b.Fatalf("%d signatures, want 4", len(checks))
	}

	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := acta.Open(msg, f.Def); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	open := b.Elapsed()

	start := time.Now()
	for range b.N {
		for _, c := range checks {
			if !ed25519.Verify(c.pub, sa.Body, c.sig) {
				b.Fatal("floor: signature does not verify")
			}
		}
	}
	floor := time.Since(start)
	b.ReportMetric(float64(floor.Nanoseconds())/float64(b.N), "floor-ns/op")
	b.ReportMetric(float64(open)/float64(floor), "x-floor")
}
