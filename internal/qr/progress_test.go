package qr

import (
	"strings"
	"testing"
)

// Whatever codes a camera reads, Progress does not panic, and what it
// reports is a count a reader can show: at most the parts there are, and
// full only when Join has every part.
func FuzzProgress(f *testing.F) {
	parts, _ := Parts([]byte(strings.Repeat("triplicate acta v1\nstation 100.1\n", 40)))
	f.Add(parts[0], parts[1], "https://example.org")
	f.Add(parts[1], parts[1], parts[0])
	f.Add("triplicate qr v1 1/2 0123456789abcdef\nx", "triplicate qr v2 1/1 0123456789abcdef\nx", "")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		payloads := []string{a, b, c}
		digest, have, count, err := Progress(payloads)
		if err != nil {
			return
		}
		if len(digest) != digestLen || have < 1 || have > count || count > MaxParts {
			t.Fatalf("Progress = %q, %d of %d", digest, have, count)
		}
		var ours []string
		for _, p := range payloads {
			if strings.HasPrefix(p, header) && strings.Contains(p, " "+digest+"\n") {
				ours = append(ours, p)
			}
		}
		if _, err := Join(ours); err == nil && have != count {
			t.Fatalf("Join has the acta, but Progress says %d of %d", have, count)
		}
	})
}
