package printing

import (
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/triplicate-vote/triplicate/internal/qr"
)

// The printed size of the codes. At 0.85 mm a module is 6.7 pixels in a
// 200 dpi scan (6 is the least that scans reliably once rotated, and this
// leaves room for a printer that shrinks the page to fit), and the largest
// code, version 18 with 89 modules, is 75.65 mm wide: two fit side by side.
const (
	moduleMM  = 0.85
	quietMM   = 4 * moduleMM                      // the light margin every code needs around it
	maxSideMM = (17 + 4*qr.MaxVersion) * moduleMM // the side of the largest code
)

// code is one QR code, to be drawn.
type code struct {
	modules [][]bool // dark modules, row by row, without the quiet zone
	side    float64  // in mm
}

// newCode encodes a payload as a QR code.
func newCode(payload string) (*code, error) {
	bm, err := qr.Modules(payload)
	if err != nil {
		return nil, err
	}
	return &code{modules: bm, side: float64(len(bm)) * moduleMM}, nil
}

// draw draws the code with its top left corner at (x, y) mm, as one path of
// a rectangle for each run of dark modules in a row, filled at once: vector
// modules stay sharp at any resolution, and one fill leaves no hairline
// seams between neighbouring rectangles. (Images would be smaller, but fpdf
// orders images of the same width at random, and the same acta must give
// the same bytes.)
func (c *code) draw(pdf *fpdf.Fpdf, x, y float64) {
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
				(x+float64(col)*moduleMM)*k, (pageH-y-float64(row+1)*moduleMM)*k,
				float64(run-col)*moduleMM*k, moduleMM*k)
			col = run
		}
	}
	b.WriteString("f Q")
	pdf.RawWriteStr(b.String())
}

// qrCodes places the codes, two to a row, each labelled with its part
// number and the acta's digest.
func (s *sheet) qrCodes() {
	p := s.pdf
	n := len(s.codes)
	intro := "The whole signed acta is in the QR code below. Scan it with: triplicate acta scan"
	if n > 1 {
		intro = fmt.Sprintf("The whole signed acta is in the %d QR codes below. Scan them all with: triplicate acta scan", n)
	}
	const labelH = 4 + rowH // quiet zone, then the label
	for i := 0; i < n; i += 2 {
		row := s.codes[i:min(n, i+2)]
		h := row[0].side + labelH
		if i == 0 {
			s.need(rowH + quietMM + h)
			p.SetFont("Helvetica", "B", 10)
			p.CellFormat(textW, rowH, intro, "", 1, "L", false, 0, "")
			p.Ln(quietMM)
		} else {
			s.need(quietMM + h)
		}
		y := p.GetY()
		s.codesHere = true
		for j, c := range row {
			x := margin
			switch {
			case n == 1:
				x = margin + (textW-c.side)/2
			case j == 1:
				x = margin + textW - maxSideMM // the right column
			}
			c.draw(p, x, y)
			p.SetXY(x, y+c.side+4)
			p.SetFont("Helvetica", "B", 10)
			label := fmt.Sprintf("part %d/%d", i+j+1, n)
			w := p.GetStringWidth(label) + 2
			p.CellFormat(w, rowH, label, "", 0, "L", false, 0, "")
			p.SetFont("Helvetica", "", 9)
			p.CellFormat(c.side-w, rowH, "of acta "+s.digest, "", 0, "L", false, 0, "")
		}
		p.SetXY(margin, y+h+quietMM)
	}
}
