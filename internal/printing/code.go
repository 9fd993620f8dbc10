package printing

import (
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/triplicate-vote/triplicate/internal/qr"
)

// The printed size of the codes. At 0.85 mm a module is 6.7 pixels in a
// 200 dpi scan (6 is the least that scans reliably once rotated). Codes are
// set three to a row (doc/spec/qr.md, "Layout"), which leaves 0.68 to 0.85
// mm a module; where that does not fit below the tally they are made
// smaller, down to minModuleMM, rather than put on a page of their own: a
// photo of the tally's page then has them, and the parity makes up for a
// code that does not read.
const (
	moduleMM     = 0.85
	minModuleMM  = 0.6
	quietModules = 4 // the light margin every code needs around it, in modules
	perRow       = 3
	labelH       = 4.0 // the line under each code
)

// code is one QR code, to be drawn.
type code struct {
	modules [][]bool // dark modules, row by row, without the quiet zone
}

// newCode encodes a payload as a QR code.
func newCode(payload string) (*code, error) {
	bm, err := qr.Modules(payload)
	if err != nil {
		return nil, err
	}
	return &code{modules: bm}, nil
}

// draw draws the code with its top left corner at (x, y) mm, mod mm a
// module, as one path of a rectangle for each run of dark modules in a
// row, filled at once: vector modules stay sharp at any resolution, and one
// fill leaves no hairline seams between neighbouring rectangles. (Images
// would be smaller, but fpdf orders images of the same width at random, and
// the same acta must give the same bytes.)
func (c *code) draw(pdf *fpdf.Fpdf, x, y, mod float64) {
	const k = 72 / 25.4 // points a millimetre
	_, pageH := pdf.GetPageSize()
	var b strings.Builder
	b.WriteString("q 0 g\n")
	for row, dark := range c.modules {
		for col := 0; col < len(dark); {
			if !dark[col] {
				col++
				continue
			}
			run := col
			for run < len(dark) && dark[run] {
				run++
			}
			fmt.Fprintf(&b, "%.2f %.2f %.2f %.2f re\n",
				(x+float64(col)*mod)*k, (pageH-y-float64(row+1)*mod)*k,
				float64(run-col)*mod*k, mod*k)
			col = run
		}
	}
	b.WriteString("f Q")
	pdf.RawWriteStr(b.String())
}

// codeLayout is how the codes of a copy are set: mod mm a module, in rows
// of up to perRow codes, the columns spread across the width. Around every
// code is a quiet zone of quietModules white modules: between the line
// above and the first row, between the codes, and between each code and its
// label, which is below the quiet zone.
type codeLayout struct {
	mod        float64
	cols, rows int
	side       float64 // the largest code's side, mm
	rowH       float64 // a row: quiet zone, code, quiet zone, label
}

// layout returns the codes' layout with the largest module that fits the
// width and, if it can be had at minModuleMM or more, the height left on
// the page from y.
func (s *sheet) layout(y float64) (l codeLayout, fits bool) {
	n := len(s.codes)
	l.cols = min(perRow, n)
	l.rows = (n + l.cols - 1) / l.cols
	m := 0
	for _, c := range s.codes {
		m = max(m, len(c.modules))
	}
	// Across: cols codes and a quiet zone between each two (the page
	// margin is more than a quiet zone).
	l.mod = min(moduleMM, textW/float64(l.cols*m+(l.cols-1)*quietModules))
	// Down: the intro line, then rows of a quiet zone, a code, a quiet
	// zone and a label.
	fixed := rowH + float64(l.rows)*labelH
	modules := float64(l.rows * (m + 2*quietModules))
	fits = true
	if left := bottom - y; fixed+modules*l.mod > left {
		if per := (left - fixed) / modules; per >= minModuleMM {
			l.mod = per
		} else {
			fits = false
		}
	}
	l.side = float64(m) * l.mod
	l.rowH = l.side + 2*quietModules*l.mod + labelH
	return l, fits
}

// placed is told where each code is drawn, in mm from the top left of its
// page: the tests cover codes to check that the others are enough.
var placed = func(page int, x, y, side float64) {}

// qrCodes places the codes below the tally, three to a row, the columns
// spread over the width: one finger, one fold or one edge of the photo
// then takes at most one column or one row, which the parity makes up for
// (doc/spec/qr.md, "Layout"). Each code is labelled with its part number
// and the acta's digest. If the codes do not fit the page even when made
// smaller, they start the next page of the copy.
func (s *sheet) qrCodes() {
	p := s.pdf
	n := len(s.codes)
	lay, fits := s.layout(p.GetY())
	if !fits {
		s.page(s.copyIndex, s.copy, s.copyNo, true)
		lay, _ = s.layout(p.GetY())
	}
	// There are always two codes or more (qr.Parts adds parity), of which
	// one or more give the acta back.
	intro := s.lang.n(s.need.Need, "The whole signed acta is in these %[2]d QR codes; either of them gives it back. Scan them with: triplicate acta scan",
		"The whole signed acta is in these %[2]d QR codes; any %[1]d of them give it back. Scan them with: triplicate acta scan", n)
	p.SetFont("Helvetica", "B", font)
	p.CellFormat(textW, rowH, s.fit(intro, textW), "", 1, "L", false, 0, "")
	s.codesHere = true
	p.RegisterAlias(s.codesAlias(), fmt.Sprint(p.PageNo()))
	y := p.GetY()
	gap := 0.0
	if lay.cols > 1 {
		gap = (textW - float64(lay.cols)*lay.side) / float64(lay.cols-1)
	}
	for i, c := range s.codes {
		row, col := i/lay.cols, i%lay.cols
		x := margin + float64(col)*(lay.side+gap)
		if lay.cols == 1 {
			x = margin + (textW-lay.side)/2
		}
		top := y + float64(row)*lay.rowH + quietModules*lay.mod
		c.draw(p, x, top, lay.mod)
		placed(p.PageNo(), x, top, lay.side)
		p.SetXY(x, top+lay.side+quietModules*lay.mod)
		p.SetFont("Helvetica", "B", 8)
		label := s.tr(s.lang.f("part %d/%d", i+1, n))
		w := p.GetStringWidth(label) + 1.5
		p.CellFormat(w, labelH, label, "", 0, "L", false, 0, "")
		p.SetFont("Helvetica", "", 7)
		p.CellFormat(lay.side-w, labelH, s.fit(s.lang.f("of acta %s", s.digest), lay.side-w), "", 0, "L", false, 0, "")
	}
	p.SetXY(margin, y+float64(lay.rows)*lay.rowH+2)
}

// codesAlias is the text that the PDF's output replaces with the number of
// the page that has the codes of the copy being written.
func (s *sheet) codesAlias() string { return fmt.Sprintf("{qr%d}", s.copyIndex) }
