package qr

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// message returns n bytes of text with some UTF-8 in it, as an acta has.
func message(n int) []byte {
	var b []byte
	for i := 0; len(b) < n; i++ {
		b = fmt.Appendf(b, "— line %d é\n", i)
	}
	return b[:n]
}

// TestPartsV1Sizes checks the version 1 split, which readers still join.
func TestPartsV1Sizes(t *testing.T) {
	for _, tc := range []struct{ len, parts, size int }{
		{1, 1, 1},
		{ChunkSize, 1, ChunkSize},
		{ChunkSize + 1, 2, ChunkSize/2 + 1},
		{835, 2, 418},
		{2*ChunkSize + 1, 3, (2*ChunkSize + 3) / 3},
		{MaxParts * ChunkSize, MaxParts, ChunkSize},
	} {
		msg := message(tc.len)
		parts, err := partsV1(msg)
		if err != nil {
			t.Fatalf("%d bytes: %v", tc.len, err)
		}
		if len(parts) != tc.parts {
			t.Errorf("%d bytes: %d parts, want %d", tc.len, len(parts), tc.parts)
		}
		total := 0
		for i, p := range parts {
			_, chunk, _ := strings.Cut(p, "\n")
			total += len(chunk)
			if i < len(parts)-1 && len(chunk) != tc.size || len(chunk) > tc.size || len(chunk) == 0 {
				t.Errorf("%d bytes: part %d carries %d bytes, want %d", tc.len, i+1, len(chunk), tc.size)
			}
		}
		back, err := Join(parts)
		if err != nil || !bytes.Equal(back, msg) || total != tc.len {
			t.Errorf("%d bytes: join: %v", tc.len, err)
		}
	}
	for _, n := range []int{0, MaxParts*ChunkSize + 1} {
		if _, err := partsV1(message(n)); err == nil {
			t.Errorf("Parts of %d bytes succeeded", n)
		}
	}
}

// mustPartsV1 returns the version 1 parts of a message of n bytes.
func mustPartsV1(t testing.TB, n int) []string {
	t.Helper()
	return mustSplit(t, partsV1, n)
}

// mustSplit returns the parts that split makes of a message of n bytes.
func mustSplit(t testing.TB, split func([]byte) ([]string, error), n int) []string {
	t.Helper()
	parts, err := split(message(n))
	if err != nil {
		t.Fatal(err)
	}
	return parts
}

func TestJoinErrorsV1(t *testing.T) {
	three := mustPartsV1(t, 1500)
	other := mustPartsV1(t, 1499)
	d := Digest(message(1500))
	h := func(s string) string { return strings.Replace(s, "DIGEST", d, 1) }
	short := message(100)
	for _, tc := range []struct {
		name     string
		payloads []string
		want     string
		is       error
	}{
		{"none", nil, "missing QR part", ErrMissing},
		{"missing", three[:2], "acta " + d + ": missing QR part 3/3 (have 2 of 3)", ErrMissing},
		{"two missing", three[1:2], "missing QR part 1/3, 3/3 (have 1 of 3)", ErrMissing},
		{"another acta", []string{three[0], other[1], three[2]}, "QR part 2/3 is of another acta", nil},
		{"twice", []string{three[0], three[1], three[1], three[2]}, "QR part 2/3 is given twice", nil},
		{"not a part", []string{"WIFI:S:home;;"}, `not a triplicate QR code (it starts "WIFI:S:home;;")`, ErrNotPart},
		{"empty payload", []string{""}, "not a triplicate QR code", ErrNotPart},
		{"version", []string{h("triplicate qr v3 1/1 DIGEST\nx")}, "unknown version", nil},
		{"v2 header on v1 fields", []string{h("triplicate qr v2 1/1 DIGEST\nx")}, "want", nil},
		{"no newline", []string{h("triplicate qr v1 1/1 DIGEST")}, "no newline", nil},
		{"extra field", []string{h("triplicate qr v1 1/1 DIGEST x\nx")}, "want", nil},
		{"leading zero", []string{h("triplicate qr v1 01/3 DIGEST\nx")}, "part number", nil},
		{"zero", []string{h("triplicate qr v1 0/3 DIGEST\nx")}, "part number", nil},
		{"above count", []string{h("triplicate qr v1 4/3 DIGEST\nx")}, "part number", nil},
		{"too many", []string{h("triplicate qr v1 1/100 DIGEST\nx")}, "part number", nil},
		{"sign", []string{h("triplicate qr v1 +1/3 DIGEST\nx")}, "part number", nil},
		{"no slash", []string{h("triplicate qr v1 13 DIGEST\nx")}, "part number", nil},
		{"upper-case digest", []string{h("triplicate qr v1 1/3 " + strings.ToUpper(d) + "\nx")}, "digest", nil},
		{"long digest", []string{h("triplicate qr v1 1/3 DIGEST0\nx")}, "digest", nil},
		{"two spaces", []string{h("triplicate qr v1  1/3 DIGEST\nx")}, "want", nil},
		{"empty chunk", []string{h("triplicate qr v1 1/1 DIGEST\n")}, "carries 0 bytes", nil},
		{"long chunk", []string{h("triplicate qr v1 1/1 DIGEST\n") + strings.Repeat("x", ChunkSize+1)}, "carries 522 bytes", nil},
		{"altered", []string{three[0], three[1], strings.Replace(three[2], "line", "lime", 1)}, "a part was altered or misread", nil},
		{"too many parts", split2(short, 50), "100 bytes in 2 parts, but version 1 makes 1", nil},
		{"uneven", split2(message(900), 500), "QR part 1/2 carries 500 bytes, but version 1 puts 450", nil},
	} {
		_, err := Join(tc.payloads)
		if err == nil || !strings.Contains(err.Error(), tc.want) || tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// split2 splits a message in two version 1 parts at byte i, with correct
// headers: not as version 1 splits it.
func split2(msg []byte, i int) []string {
	d := Digest(msg)
	return []string{
		fmt.Sprintf("%s1/2 %s\n%s", header1, d, msg[:i]),
		fmt.Sprintf("%s2/2 %s\n%s", header1, d, msg[i:]),
	}
}

// TestJoinEveryByte changes every byte of every part in turn, all parts
// given, of both versions: Join must refuse each change.
func TestJoinEveryByte(t *testing.T) {
	for v, parts := range map[int][]string{1: mustPartsV1(t, 1000), 2: mustParts(t, 1000)} {
		for i := range parts {
			for j := range len(parts[i]) {
				for _, x := range []byte{0x01, 0x20} {
					b := []byte(parts[i])
					b[j] ^= x
					changed := slices.Clone(parts)
					changed[i] = string(b)
					if _, err := Join(changed); err == nil {
						t.Fatalf("version %d part %d byte %d ^ %#x: Join accepted it", v, i+1, j, x)
					}
				}
			}
		}
	}
}

// FuzzJoin checks that Join never panics, and that whatever it accepts is
// some of the parts that Parts (or, for version 1 parts, the version 1
// split) makes of the joined message: at least K of them, or all of a
// version 1 acta.
func FuzzJoin(f *testing.F) {
	for _, n := range []int{1, 500, 741, 2000} {
		for _, p := range [][]string{mustParts(f, n), mustPartsV1(f, n)} {
			p = append(p, "", "")
			f.Add(p[0], p[1], p[2], uint8(n))
		}
	}
	f.Add("triplicate qr v1 1/1 0000000000000000\nx", "", "", uint8(1))
	f.Add("triplicate qr v2 1/2 1 1 0000000000000000\nx", "triplicate qr v2 2/2 1 1 0000000000000000\nx", "", uint8(2))
	f.Fuzz(func(t *testing.T, a, b, c string, n uint8) {
		payloads := []string{a, b, c}[:n%4]
		msg, err := Join(payloads)
		if err != nil {
			return
		}
		p, _ := parsePart(payloads[0])
		again, err := Parts(msg)
		if p.v == 1 {
			again, err = partsV1(msg)
		}
		if err != nil {
			t.Fatalf("Join accepted a message that Parts refuses: %v", err)
		}
		for _, pl := range payloads {
			if !slices.Contains(again, pl) {
				t.Fatalf("Join accepted a part that Parts does not make:\n%q\nParts makes\n%q", pl, again)
			}
		}
		if len(payloads) < p.k {
			t.Fatalf("Join accepted %d parts of an acta that needs %d", len(payloads), p.k)
		}
	})
}

// FuzzJoinAny: whatever codes are read, JoinAny never panics, and what it
// rebuilds is one that the strict Join rebuilds from some of the same
// codes: an acta its own parts name.
func FuzzJoinAny(f *testing.F) {
	for _, n := range []int{500, 2000} {
		p := mustParts(f, n)
		f.Add(p[0], p[1], "https://example.org/", "triplicate qr v2 1/2 1 1 "+p[0][25:41]+"\nX")
	}
	f.Fuzz(func(t *testing.T, a, b, c, d string) {
		msg, err := JoinAny([]string{a, b, c, d})
		if err != nil {
			return
		}
		again, err := Parts(msg)
		if err != nil {
			again, err = partsV1(msg)
		}
		if err != nil {
			t.Fatalf("JoinAny rebuilt a message that Parts refuses: %v", err)
		}
		var own []string
		for _, pl := range []string{a, b, c, d} {
			if slices.Contains(again, pl) && !slices.Contains(own, pl) {
				own = append(own, pl)
			}
		}
		if back, err := Join(own); err != nil || string(back) != string(msg) {
			t.Fatalf("JoinAny rebuilt an acta that its own parts among the codes do not: %v", err)
		}
	})
}

// FuzzParsePart checks that the part parser never panics and accepts only
// canonical headers: what it accepts, written out again, is the same bytes.
func FuzzParsePart(f *testing.F) {
	for _, p := range append(mustPartsV1(f, 2000), mustParts(f, 2000)...) {
		f.Add(p)
	}
	f.Add("triplicate qr v1 99/99 0123456789abcdef\nx")
	f.Add("triplicate qr v2 1/2 1 1 0123456789abcdef\nx")
	f.Add("triplicate qr v2 99/99 66 33792 0123456789abcdef\nx")
	f.Fuzz(func(t *testing.T, payload string) {
		p, err := parsePart(payload)
		if err != nil {
			return
		}
		again := fmt.Sprintf("%s%d/%d %s\n%s", header1, p.i, p.n, p.digest, p.chunk)
		if p.v == 2 {
			again = fmt.Sprintf("%s%d/%d %d %d %s\n%s", header2, p.i, p.n, p.k, p.l, p.digest, p.chunk)
		}
		if again != payload {
			t.Fatalf("parsePart accepted a non-canonical part:\n%q\nwritten again:\n%q", payload, again)
		}
		if p.i < 1 || p.i > p.n || p.n > MaxParts || p.k > p.n || len(p.chunk) < 1 || len(p.chunk) > ChunkSize {
			t.Fatalf("parsePart accepted %q as part %d/%d (K %d) of %d bytes", payload, p.i, p.n, p.k, len(p.chunk))
		}
		if p.v == 2 && len(payload) > 561 {
			t.Fatalf("parsePart accepted a version 2 part of %d bytes, more than a version 18 code holds", len(payload))
		}
	})
}
