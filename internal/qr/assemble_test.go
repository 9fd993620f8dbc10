package qr

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestAssembler feeds payloads directly: copies of the same acta join once,
// and a part read two ways is refused.
func TestAssembler(t *testing.T) {
	parts := mustParts(t, 1000) // any 2 of 3
	var asm Assembler
	asm.Add("copy1.png", parts)
	asm.Add("copy2.png", []string{parts[1], "https://example.org/"})
	asm.Add("copy3.png", []string{parts[0]})
	got, errs := asm.Actas()
	if len(errs) != 0 || len(got) != 1 || !bytes.Equal(got[0].Msg, message(1000)) {
		t.Fatalf("got %d actas, errors %v", len(got), errs)
	}
	if want := []string{"copy1.png", "copy2.png", "copy3.png"}; !equalStrings(got[0].Files, want) {
		t.Errorf("files %q, want %q", got[0].Files, want)
	}

	altered := strings.Replace(parts[1], "line", "lime", 1)
	asm = Assembler{}
	asm.Add("a.png", parts)
	asm.Add("b.png", []string{altered})
	_, errs = asm.Actas()
	want := "a.png, b.png: acta " + Digest(message(1000)) + ": QR part 2/3 reads differently in different images"
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("errors %v, want %q", errs, want)
	}

	asm = Assembler{}
	asm.Add("a.png", []string{strings.Replace(parts[0], "v2", "v9", 1), parts[1]})
	_, errs = asm.Actas()
	if len(errs) != 2 || !strings.Contains(errs[0].Error(), "a.png: QR part header") || !errors.Is(errs[1], ErrMissing) {
		t.Errorf("errors %v, want a bad header and a missing part", errs)
	}
}

func equalStrings(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }
