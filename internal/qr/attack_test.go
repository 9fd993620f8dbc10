package qr_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// TestForgedCodes attacks a printed sheet as a dishonest party or printer
// would, by codes that are not the machine's: the parity must never let a
// changed count through, and every foreign or altered code must be named.
func TestForgedCodes(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	sa := printtest.SignedActa(t, f, 10, 3)
	parts, err := qr.Parts(sa.Msg) // 3 codes, any 2 give the acta
	if err != nil || len(parts) != 3 {
		t.Fatalf("Parts: %d parts, %v", len(parts), err)
	}
	forgedMsg := bytes.Replace(sa.Msg, []byte("candidate ALBA 5"), []byte("candidate ALBA 9"), 1)
	if bytes.Equal(forgedMsg, sa.Msg) {
		t.Fatal("the fixture has no vote for ALBA to change")
	}
	forged, _ := qr.Parts(forgedMsg)

	t.Run("a whole sheet of forged codes", func(t *testing.T) {
		// Parity and digest made anew for a changed count: the parts
		// join, but the signatures, which the forger cannot make, fail.
		msg, err := qr.Join(forged)
		if err != nil {
			t.Fatalf("Join: %v", err)
		}
		if _, err := acta.Open(msg, f.Def); err == nil {
			t.Fatal("a forged count with the machine's old signature opened")
		}
	})

	t.Run("a forged code stuck over one code", func(t *testing.T) {
		// The forger's part 3 over the machine's: the machine's two
		// others still give the acta, and the foreign code is named.
		var asm qr.Assembler
		asm.Add("sheet.jpg", []string{parts[0], parts[1], forged[2]})
		got, errs := asm.Actas()
		if len(got) != 1 || !bytes.Equal(got[0].Msg, sa.Msg) {
			t.Fatalf("got %d actas, want the machine's", len(got))
		}
		if len(errs) != 1 || !errors.Is(errs[0], qr.ErrMissing) || !strings.Contains(errs[0].Error(), "acta "+qr.Digest(forgedMsg)) {
			t.Errorf("errors %v, want one naming the foreign acta's lone code", errs)
		}
	})

	t.Run("a code altered under the machine's header", func(t *testing.T) {
		// The forger copies the header of part 3 and writes his own
		// bytes: read with the others, it disagrees and is named; read
		// with one other, the acta rebuilt from it has the wrong digest.
		header, _, _ := strings.Cut(parts[2], "\n")
		_, shard, _ := strings.Cut(forged[2], "\n")
		sticker := header + "\n" + shard
		_, err := qr.Join([]string{parts[0], parts[1], sticker})
		if err == nil || !strings.Contains(err.Error(), "QR part 3/3 disagrees with the other parts") {
			t.Errorf("all three read: %v, want part 3/3 named", err)
		}
		_, err = qr.Join([]string{parts[0], sticker})
		if err == nil || !strings.Contains(err.Error(), "the rebuilt acta has digest") {
			t.Errorf("two read: %v, want the wrong digest", err)
		}
		// The forger's data part under the machine's header of part 1,
		// with the machine's parity: the rebuilt acta is neither.
		h1, _, _ := strings.Cut(parts[0], "\n")
		_, d1, _ := strings.Cut(forged[0], "\n")
		if msg, err := qr.Join([]string{h1 + "\n" + d1, parts[2]}); err == nil {
			t.Errorf("a forged data part with the machine's parity joined to %d bytes", len(msg))
		}
	})

	t.Run("codes of two copies that disagree", func(t *testing.T) {
		// Two photos of "the same" sheet, one with the sticker: the part
		// reads two ways, and both photos are named.
		header, _, _ := strings.Cut(parts[2], "\n")
		_, shard, _ := strings.Cut(forged[2], "\n")
		var asm qr.Assembler
		asm.Add("copy1.jpg", parts)
		asm.Add("copy2.jpg", []string{parts[0], header + "\n" + shard})
		_, errs := asm.Actas()
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), "copy1.jpg, copy2.jpg") || !strings.Contains(errs[0].Error(), "reads differently in different images") {
			t.Errorf("errors %v, want both photos named", errs)
		}
	})
}
