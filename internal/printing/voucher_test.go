package printing

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
)

func testVoucher() *machine.Voucher {
	return &machine.Voucher{
		Election: "ve2024", ElectionName: "Elección presidencial 2024", Station: "10114001.1",
		Serial: "7KQ2M9XH4ZTA",
		Choices: []machine.Choice{
			{Contest: "president", ContestName: "Presidente de la República", Candidate: "EG", CandidateName: "Edmundo González Urrutia"},
			{Contest: "mayor", ContestName: "Alcalde", Candidate: "blank"},
			{Contest: "council", ContestName: "Concejo", Candidate: "null"},
		},
	}
}

// A voucher prints the same bytes every time, and carries no time: the
// time of printing would order the votes.
func TestVoucherPDFSameBytesNoTime(t *testing.T) {
	v := testVoucher()
	first, err := VoucherPDF(v, English)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(first, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", first[:min(20, len(first))])
	}
	for range 3 {
		again, err := VoucherPDF(v, English)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, first) {
			t.Fatal("two renders of the same voucher differ")
		}
	}
	if !bytes.Contains(first, []byte("/CreationDate (D:20000101000000)")) || !bytes.Contains(first, []byte("/ModDate (D:20000101000000)")) {
		t.Error("the voucher's PDF dates are not the fixed, timeless ones")
	}
}

func TestVoucherPDFText(t *testing.T) {
	printtest.NeedPdftoppm(t)
	v := testVoucher()
	pdf, err := VoucherPDF(v, English)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), "voucher.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{
		"VOTING VOUCHER", "Elección presidencial 2024 (ve2024)", "Station 10114001.1", "7KQ2M9XH4ZTA",
		"Presidente de la República", "Edmundo González Urrutia (EG)", "BLANK", "NULL",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("voucher text lacks %q:\n%s", want, text)
		}
	}
	printtest.Save(t, filepath.Join(t.ArtifactDir(), "voucher.png"), printtest.Render(t, pdf, 200, 1, 1)[0], 0)
}
