package printing

import (
	"bytes"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/triplicate-vote/triplicate/internal/machine"
)

// Voucher geometry, in millimetres: a strip of receipt paper, as long as
// the ballot needs.
const (
	voucherW      = 80.0
	voucherMargin = 6.0
	voucherTextW  = voucherW - 2*voucherMargin
)

// voucherDate is the date a voucher's PDF says it was made: always the same,
// because a voucher carries no time. The time of printing would order the
// votes, which the terminal takes care never to record.
var voucherDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// VoucherPDF returns the paper voucher of a vote, in a language, as a
// one-page PDF on a strip 80 mm wide, as a receipt printer prints it: the election, the
// station, the voucher's serial, and each contest's choice by name and id,
// in ballot order. The voter checks it and drops it in the box; a hand count
// matches it to its electronic record by the serial.
//
// The same voucher gives the same bytes, and nothing in them depends on the
// clock. Text is set in the PDF core fonts, whose encoding is Windows-1252:
// characters outside it print as ".".
func VoucherPDF(v *machine.Voucher, lang Lang) ([]byte, error) {
	// Lay the voucher out on a long strip to learn its length, then again
	// on a strip that long.
	h, err := layoutVoucher(v, lang, 1000, nil)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if _, err := layoutVoucher(v, lang, h, &out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// layoutVoucher writes the voucher on a page h mm long, to out if not nil,
// and returns the length it needs.
func layoutVoucher(v *machine.Voucher, lang Lang, h float64, out *bytes.Buffer) (float64, error) {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: voucherW, Ht: h}})
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(voucherDate)
	pdf.SetModificationDate(voucherDate)
	pdf.SetProducer("triplicate", false)
	pdf.SetCreator("triplicate voucher", false)
	pdf.SetTitle(lang.f("Voucher %s, station %s, %s", v.Serial, v.Station, v.Election), true)
	pdf.SetLang(string(lang))
	pdf.SetMargins(voucherMargin, voucherMargin, voucherMargin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	text := func(style string, size float64, align, s string) {
		pdf.SetFont("Helvetica", style, size)
		pdf.MultiCell(voucherTextW, size*0.45, tr(s), "", align, false)
	}

	text("B", 14, "C", lang.t("VOTING VOUCHER"))
	text("", 10, "C", v.ElectionName+" ("+v.Election+")")
	text("", 10, "C", lang.f("Station %s", v.Station))
	pdf.Ln(2)
	pdf.SetFont("Courier", "B", 16)
	pdf.CellFormat(voucherTextW, 8, v.Serial, "TB", 1, "C", false, 0, "")
	pdf.Ln(2)
	for _, c := range v.Choices {
		text("", 9, "L", c.ContestName)
		switch c.Candidate {
		case "blank":
			text("B", 12, "L", lang.t("BLANK (no choice)"))
		case "null":
			text("B", 12, "L", lang.t("NULL (spoiled on purpose)"))
		default:
			text("B", 12, "L", c.CandidateName+" ("+c.Candidate+")")
		}
		pdf.Ln(2)
	}
	pdf.SetDrawColor(0, 0, 0)
	pdf.Line(voucherMargin, pdf.GetY(), voucherW-voucherMargin, pdf.GetY())
	pdf.Ln(1)
	text("", 8, "L", lang.t("Check that this voucher shows your choices, then fold it and drop it in the box. "+
		"It is matched to the machine's electronic record by its serial."))
	need := pdf.GetY() + voucherMargin
	if out == nil {
		return need, pdf.Error()
	}
	if err := pdf.Output(out); err != nil {
		return 0, fmt.Errorf("printing a voucher: %v", err) // never its serial, which the log would keep
	}
	return need, nil
}
