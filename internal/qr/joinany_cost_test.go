package qr

import (
	"bytes"
	"strings"
	"testing"
)

// worstSheet returns the parts of the longest acta, 99 codes, with the last
// one altered: every reading that leaves one part out before that one
// fails, so a reader that finds the odd part by leaving each out in turn
// tries them all.
func worstSheet(tb testing.TB) (msg []byte, parts []string) {
	msg = message(MaxLen)
	parts, err := Parts(msg)
	if err != nil {
		tb.Fatal(err)
	}
	if len(parts) != MaxParts {
		tb.Fatalf("%d parts, want %d", len(parts), MaxParts)
	}
	bad := []byte(parts[len(parts)-1])
	bad[len(bad)-1] ^= 1
	parts[len(parts)-1] = string(bad)
	return msg, parts
}

// BenchmarkJoinAnyOneAltered is the slowest sheet to join: 99 codes, the
// last altered.
func BenchmarkJoinAnyOneAltered(b *testing.B) {
	msg, parts := worstSheet(b)
	before := rebuilds.Load()
	b.ResetTimer()
	for range b.N {
		got, err := JoinAny(parts)
		if err != nil || !bytes.Equal(got, msg) {
			b.Fatalf("JoinAny: %v", err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/join")
	b.ReportMetric(float64(rebuilds.Load()-before)/float64(b.N), "rebuilds/join")
}

// TestJoinAnyRebuildsLinear: finding the altered part of the slowest sheet
// rebuilds the acta once with every part and once without each, at most:
// N+1 rebuilds, not one leave-one-out inside another (N², minutes on a
// phone). Join, which names the part, does as many.
func TestJoinAnyRebuildsLinear(t *testing.T) {
	msg, parts := worstSheet(t)
	before := rebuilds.Load()
	got, err := JoinAny(parts)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("JoinAny: %v", err)
	}
	if n := rebuilds.Load() - before; n > int64(len(parts))+1 {
		t.Errorf("JoinAny of %d parts, one altered: %d rebuilds, want at most %d", len(parts), n, len(parts)+1)
	}
	before = rebuilds.Load()
	if _, err := Join(parts); err == nil || !strings.Contains(err.Error(), "QR part 99/99 disagrees") {
		t.Errorf("Join: %v", err)
	}
	if n := rebuilds.Load() - before; n > int64(len(parts))+1 {
		t.Errorf("Join of %d parts, one altered: %d rebuilds, want at most %d", len(parts), n, len(parts)+1)
	}
	// Two parts altered: no one part left out makes the others agree, and
	// the error is the rebuild's, after N+1 rebuilds still.
	two := append([]string(nil), parts...)
	b := []byte(two[0])
	b[len(b)-1] ^= 1
	two[0] = string(b)
	before = rebuilds.Load()
	if _, err := JoinAny(two); err == nil || !strings.Contains(err.Error(), "do not agree") {
		t.Errorf("JoinAny, two parts altered: %v", err)
	}
	if n := rebuilds.Load() - before; n > int64(len(parts))+1 {
		t.Errorf("JoinAny of %d parts, two altered: %d rebuilds, want at most %d", len(parts), n, len(parts)+1)
	}
}
