package announced_test

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// BenchmarkSignAndOpen signs a station's announcement as the center does
// on request and opens it as the phone and the verifier do, and in the same
// run the floor: one plain ed25519.Sign and one ed25519.Verify over the
// same body. It reports the ratio (sign+open)/(floor): what the format,
// the note and the checks against the definition add to the signature.
func BenchmarkSignAndOpen(b *testing.B) {
	fx := electiontest.New(electiontest.Options{})
	a := station(fx, 1000, 120)
	msg, err := announced.Sign(a, fx.Center)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := a.Marshal()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := priv.Public().(ed25519.PublicKey)

	// Interleaved, so that a machine shared with other work slows both
	// alike.
	var ours, floor time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if _, err := announced.Sign(a, fx.Center); err != nil {
			b.Fatal(err)
		}
		if _, err := announced.Open(msg, fx.Def); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if !ed25519.Verify(pub, body, ed25519.Sign(priv, body)) {
			b.Fatal("floor: signature does not verify")
		}
		ours, floor = ours+t1.Sub(t0), floor+time.Since(t1)
	}
	b.ReportMetric(float64(ours.Microseconds())/float64(b.N), "µs/sign+open")
	b.ReportMetric(float64(ours)/float64(floor), "x-floor")
}
