package qr_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/qr"
)

// TestJoinAnyStrayCodes: the genuine codes of a sheet rebuild its acta
// whatever stray code was read with them — a poster's, another acta's, a
// sticker with the acta's digest and another header, or one made to look
// like one of its parts — while Join, the strict reading, refuses each.
func TestJoinAnyStrayCodes(t *testing.T) {
	msg := bytes.Repeat([]byte("a signed acta of a sheet with several codes. "), 50) // 8 codes: 5 data, 3 parity
	parts, err := qr.Parts(msg)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := qr.Parts([]byte("another station's acta"))
	digest := qr.Digest(msg)
	sticker := "triplicate qr v2 1/2 1 1 " + digest + "\nX"
	altered := []byte(parts[len(parts)-1])
	altered[len(altered)-1] ^= 1
	for _, tc := range []struct {
		name  string
		extra []string
	}{
		{"a poster's code", []string{"https://example.org/"}},
		{"another acta's code", other},
		{"a sticker with the acta's digest", []string{sticker}},
		{"a parity code altered", []string{string(altered)}},
	} {
		codes := append(append([]string{}, tc.extra...), parts...)
		if tc.name == "a parity code altered" {
			codes = append(append([]string{}, parts[:len(parts)-1]...), string(altered))
		}
		got, err := qr.JoinAny(codes)
		if err != nil || !bytes.Equal(got, msg) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if _, err := qr.Join(codes); err == nil {
			t.Errorf("%s: Join, the strict reading, took it", tc.name)
		}
	}
	// Too few genuine codes: the error says what is missing.
	if _, err := qr.JoinAny(append([]string{sticker}, parts[:2]...)); !errors.Is(err, qr.ErrMissing) || !strings.Contains(err.Error(), "3 more needed") {
		t.Errorf("two of eight codes and a sticker: %v", err)
	}
	if _, err := qr.JoinAny([]string{"not a part"}); !errors.Is(err, qr.ErrNoCode) {
		t.Errorf("no part at all: %v", err)
	}
}
