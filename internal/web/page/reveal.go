package page

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Names come from election definitions, reports and actas that others
// write. A bidirectional control (U+202E turns "EG 132" into what reads as
// "231 GE") or an invisible character (U+200B makes two names look
// alike) would let such a name spoof what a page says, so every page shows
// them visibly, as ⟦U+202E⟧, wherever they are. The zero-width joiner and
// non-joiner, which some scripts spell words with, are left alone.

// hidden reports whether r is a character a page reveals.
func hidden(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, // embeddings, overrides
		r >= 0x2066 && r <= 0x2069,            // isolates
		r == 0x200E, r == 0x200F, r == 0x061C, // marks
		r == 0x200B, r == 0x2060, r == 0xFEFF, // zero-width space, word joiner, BOM
		r >= 0x2061 && r <= 0x2064, // invisible operators
		r == 0x00AD, r == 0x180E:   // soft hyphen, Mongolian vowel separator
		return true
	}
	return false
}

// Reveal returns b with every hidden character written visibly; b itself
// if it has none.
func Reveal(b []byte) []byte {
	if !bytes.ContainsFunc(b, hidden) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if hidden(r) {
			out = fmt.Appendf(out, "⟦U+%04X⟧", r)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}
