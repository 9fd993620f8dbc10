package qr

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// mustParts returns the parts of a message of n bytes.
func mustParts(t testing.TB, n int) []string {
	t.Helper()
	return mustSplit(t, Parts, n)
}

// TestPartsShape checks the count of data and parity codes and the shard
// size for lengths at the edges of the split.
func TestPartsShape(t *testing.T) {
	for _, tc := range []struct{ len, k, n, size int }{
		{1, 1, 2, 1},
		{ShardSize, 1, 2, ShardSize},
		{ShardSize + 1, 2, 3, ShardSize/2 + 1},
		{835, 2, 3, 418},
		{1107, 3, 5, 369},
		{3*ShardSize + 1, 4, 6, (3*ShardSize + 4) / 4},
		{5 * ShardSize, 5, 8, ShardSize},
		{MaxLen, maxData, MaxParts, ShardSize},
	} {
		msg := message(tc.len)
		parts, err := Parts(msg)
		if err != nil {
			t.Fatalf("%d bytes: %v", tc.len, err)
		}
		if len(parts) != tc.n {
			t.Errorf("%d bytes: %d parts, want %d", tc.len, len(parts), tc.n)
		}
		for i, pl := range parts {
			p, err := parsePart(pl)
			if err != nil || p.k != tc.k || len(p.chunk) != tc.size || p.i != i+1 {
				t.Fatalf("%d bytes: part %d: %+v, %v; want K %d and %d bytes", tc.len, i+1, p, err, tc.k, tc.size)
			}
			if len(pl) > 561 {
				t.Errorf("%d bytes: part %d is %d bytes, more than a version 18 code holds", tc.len, i+1, len(pl))
			}
		}
		// The data parts are the message itself, padded with zero bytes.
		var data []byte
		for _, pl := range parts[:tc.k] {
			_, chunk, _ := strings.Cut(pl, "\n")
			data = append(data, chunk...)
		}
		if !bytes.Equal(data[:tc.len], msg) || len(bytes.Trim(data[tc.len:], "\x00")) != 0 {
			t.Errorf("%d bytes: the data parts are not the message and zero padding", tc.len)
		}
		back, err := Join(parts)
		if err != nil || !bytes.Equal(back, msg) {
			t.Errorf("%d bytes: join: %v", tc.len, err)
		}
	}
	for _, n := range []int{0, MaxLen + 1} {
		if _, err := Parts(message(n)); err == nil {
			t.Errorf("Parts of %d bytes succeeded", n)
		}
	}
}

// subsets calls f with every subset of {0..n-1}, as indices in order.
func subsets(n int, f func([]int)) {
	for mask := 0; mask < 1<<n; mask++ {
		var s []int
		for i := range n {
			if mask&(1<<i) != 0 {
				s = append(s, i)
			}
		}
		f(s)
	}
}

// TestJoinAnyK joins every subset of the parts, in two orders: any K of
// them give the message back, fewer say how many more are needed.
func TestJoinAnyK(t *testing.T) {
	for _, l := range []int{300, 835, 1107, 1600, 2100} {
		msg := message(l)
		parts, _ := Parts(msg)
		p, _ := parsePart(parts[0])
		subsets(len(parts), func(s []int) {
			var given []string
			for _, i := range s {
				given = append(given, parts[i])
			}
			reversed := slices.Clone(given)
			slices.Reverse(reversed)
			for _, order := range [][]string{given, reversed} {
				got, err := Join(order)
				switch {
				case len(s) >= p.k && (err != nil || !bytes.Equal(got, msg)):
					t.Errorf("%d bytes, parts %v: %v", l, s, err)
				case len(s) < p.k && !errors.Is(err, ErrMissing):
					t.Errorf("%d bytes, parts %v of %d needed: %v, want ErrMissing", l, s, p.k, err)
				case len(s) > 0 && len(s) < p.k && !strings.Contains(err.Error(), fmt.Sprintf("%d more needed", p.k-len(s))):
					t.Errorf("%d bytes, parts %v: %v does not say how many more are needed", l, s, err)
				}
			}
		})
	}
}

func TestJoinErrorsV2(t *testing.T) {
	msg := message(1107)
	parts := mustParts(t, 1107) // K 3 of 5
	d := Digest(msg)
	alter := func(pl string) string {
		b := []byte(pl)
		b[len(b)-5] ^= 0x01
		return string(b)
	}
	v1, _ := partsV1(msg)
	k3 := func(pl string) string { return strings.Replace(pl, " 3 1107 ", " 4 1107 ", 1) }
	padded := func() []string {
		// An acta of 1106 bytes is 3 shards of 369 with one byte of
		// padding: make the parts of 1107 bytes, whose parity is right,
		// and say in the headers that the last byte is padding.
		short := message(1106)
		bad := append(slices.Clone(short), 'x')
		ps, _ := Parts(bad)
		for i := range ps {
			ps[i] = strings.Replace(ps[i], " 1107 "+Digest(bad), " 1106 "+Digest(short), 1)
		}
		return ps
	}()
	for _, tc := range []struct {
		name     string
		payloads []string
		want     string
		is       error
	}{
		{"fewer than K", parts[3:], "acta " + d + ": missing QR part: 2 read, 1 more needed (any 3 of its 5 codes rebuild it; read 4/5, 5/5)", ErrMissing},
		{"parity altered, K given", []string{parts[0], parts[1], alter(parts[4])}, "the rebuilt acta has digest", nil},
		{"data altered, K given", []string{alter(parts[0]), parts[3], parts[4]}, "the rebuilt acta has digest", nil},
		{"parity altered, all given", []string{parts[0], parts[1], parts[2], parts[3], alter(parts[4])}, "QR part 5/5 disagrees with the other parts", nil},
		{"data altered, K+1 given", []string{parts[0], alter(parts[1]), parts[2], parts[4]}, "QR part 2/5 disagrees with the other parts", nil},
		{"two altered, all given", []string{alter(parts[0]), alter(parts[1]), parts[2], parts[3], parts[4]}, "the parts do not agree with each other", nil},
		{"mixed acta", []string{parts[0], parts[1], mustParts(t, 1106)[2]}, "is of another acta", nil},
		{"mixed versions", []string{parts[0], v1[1], parts[2]}, "QR part 2/3 is version 1, but part 1/5 of the same acta is version 2", nil},
		{"inconsistent K", []string{k3(parts[0])}, "an acta of 1107 bytes is 5 codes of which 3 rebuild it, not 5 and 4", nil},
		{"twice", []string{parts[0], parts[0], parts[1]}, "QR part 1/5 is given twice", nil},
		{"short shard", []string{parts[0][:len(parts[0])-1]}, "QR part 1/5: carries 368 bytes, but each part of an acta of 1107 bytes carries 369", nil},
		{"padding not zero", padded[:3], "the padding after the acta's 1106 bytes is not zero bytes", nil},
		{"length zero", []string{strings.Replace(parts[0], " 1107 ", " 0 ", 1)}, "K \"3\" and length \"0\"", nil},
		{"length leading zero", []string{strings.Replace(parts[0], " 1107 ", " 01107 ", 1)}, "length", nil},
		{"length too long", []string{strings.Replace(parts[0], " 1107 ", fmt.Sprintf(" %d ", MaxLen+1), 1)}, "length", nil},
		{"missing field", []string{strings.Replace(parts[0], " 3 1107 ", " 1107 ", 1)}, "want \"triplicate qr v2 I/N K L DIGEST\"", nil},
		{"no newline", []string{"triplicate qr v2 1/2 1 1 " + d}, "no newline", nil},
	} {
		_, err := Join(tc.payloads)
		if err == nil || !strings.Contains(err.Error(), tc.want) || tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// BenchmarkJoin joins a common acta (1 KB, 3 codes of which 2 are needed)
// from its two data parts, from a data part and the parity part (which
// rebuilds the other), and from all three (which checks the parity). In
// the same run it measures the floor that every join costs, parsing two
// parts and hashing the acta, and reports the ratio.
func BenchmarkJoin(b *testing.B) {
	msg := message(1000)
	parts, _ := Parts(msg)
	for _, tc := range []struct {
		name  string
		given []string
	}{
		{"data", parts[:2]},
		{"rebuild", []string{parts[0], parts[2]}},
		{"all", parts},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				if _, err := Join(tc.given); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			join := b.Elapsed()
			start := time.Now()
			for range b.N {
				for _, p := range parts[:2] {
					parsePart(p)
				}
				Digest(msg)
			}
			floor := time.Since(start)
			b.ReportMetric(float64(join)/float64(floor), "x-floor")
		})
	}
}
