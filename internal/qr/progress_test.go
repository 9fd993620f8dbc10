package qr

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Progress counts the distinct parts of the first acta named, skipping
// codes that are not parts and parts of another acta, and says how many of
// them rebuild it.
func TestProgress(t *testing.T) {
	msg := bytes.Repeat([]byte("acta line\n"), 120) // 1200 bytes: 3 data parts, 2 parity
	parts, err := Parts(msg)
	if err != nil || len(parts) != 5 {
		t.Fatalf("Parts: %d parts, %v", len(parts), err)
	}
	other, _ := Parts(bytes.Repeat([]byte("other\n"), 100))
	s, err := Progress([]string{"https://example.org", parts[4], other[0], parts[4], parts[0]})
	want := Status{Digest: Digest(msg), Have: 2, Need: 3, Printed: 5}
	if err != nil || s != want || s.More() != 1 {
		t.Errorf("Progress = %+v (%d more), %v; want %+v, 1 more", s, s.More(), err, want)
	}
	s, _ = Progress(parts[1:])
	if s.Have != 4 || s.More() != 0 {
		t.Errorf("Progress of 4 parts of 5 = %+v, want 4 read and none more needed", s)
	}
	v1, _ := partsV1(msg)
	if s, _ := Progress(v1[:1]); s.Need != 3 || s.Printed != 3 || s.More() != 2 {
		t.Errorf("Progress of a version 1 part = %+v, want 2 more of 3", s)
	}
	if _, err := Progress([]string{"hello"}); !errors.Is(err, ErrNotPart) {
		t.Errorf("Progress of no part: %v, want ErrNotPart", err)
	}
	if _, err := Progress([]string{"triplicate qr v1 1/2 zz\nx"}); err == nil || errors.Is(err, ErrNotPart) {
		t.Errorf("Progress of a malformed part: %v, want its error", err)
	}
}

// Whatever codes a camera reads, Progress does not panic, and what it
// reports is a count a reader can show: at most the parts there are, and
// none more needed only when Join has the acta.
func FuzzProgress(f *testing.F) {
	msg := []byte(strings.Repeat("triplicate acta v1\nstation 100.1\n", 40))
	parts, _ := Parts(msg)
	v1, _ := partsV1(msg)
	f.Add(parts[0], parts[1], "https://example.org")
	f.Add(parts[1], parts[1], parts[0])
	f.Add(v1[0], parts[1], v1[1])
	f.Add("triplicate qr v1 1/2 0123456789abcdef\nx", "triplicate qr v2 1/1 0123456789abcdef\nx", "")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		payloads := []string{a, b, c}
		s, err := Progress(payloads)
		if err != nil {
			return
		}
		if len(s.Digest) != digestLen || s.Have < 1 || s.Have > s.Printed || s.Need > s.Printed || s.Printed > MaxParts {
			t.Fatalf("Progress = %+v", s)
		}
		var ours []string
		seen := map[string]bool{}
		for _, pl := range payloads {
			if p, err := parsePart(pl); err == nil && p.digest == s.Digest && !seen[pl] {
				seen[pl] = true
				ours = append(ours, pl)
			}
		}
		if _, err := Join(ours); err == nil && s.More() != 0 {
			t.Fatalf("Join has the acta, but Progress says %+v", s)
		}
	})
}
