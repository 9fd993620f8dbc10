package forensics

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// The pictures are drawn here rather than with a plotting library: a
// fingerprint is a grid of 100×100 coloured cells, two axes and a few
// labels, which the standard library and x/image (already a dependency)
// draw in a hundred lines, while gonum.org/v1/plot would bring its own
// fonts, PDF and LaTeX packages for them.

// Geometry of the pictures, in pixels: each bin is cell pixels square,
// the plot has a margin for the labels.
const (
	cell   = 4
	left   = 48
	top    = 28
	bottom = 40
	right  = 16
	side   = FingerprintBins * cell
	width  = left + side + right
	height = top + side + bottom
)

// ramp is the colour scale of the bins, from one station to the most
// crowded bin (on a logarithmic scale); an empty bin is white.
var ramp = []color.RGBA{
	{0xde, 0xeb, 0xf7, 0xff}, {0x9e, 0xca, 0xe1, 0xff}, {0x42, 0x92, 0xc6, 0xff},
	{0x08, 0x51, 0x9c, 0xff}, {0x54, 0x27, 0x8f, 0xff}, {0xd9, 0x48, 0x01, 0xff},
}

// shade returns the colour of a bin of n stations when the most crowded
// has most.
func shade(n, most int32) color.RGBA {
	if n <= 0 {
		return color.RGBA{0xff, 0xff, 0xff, 0xff}
	}
	x := 0.0
	if most > 1 {
		x = math.Log(float64(n)) / math.Log(float64(most))
	}
	pos := x * float64(len(ramp)-1)
	i := min(int(pos), len(ramp)-2)
	f := pos - float64(i)
	a, b := ramp[i], ramp[i+1]
	mix := func(p, q uint8) uint8 { return uint8(math.Round(float64(p) + f*(float64(q)-float64(p)))) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// most returns the count of the most crowded bin.
func (f *Fingerprint) most() int32 {
	m := int32(0)
	for _, row := range f.Bins {
		for _, n := range row {
			m = max(m, n)
		}
	}
	return m
}

// title returns the picture's caption.
func (r *Report) title(g Group) string {
	gr := &r.Groups[g]
	return fmt.Sprintf("%s: turnout vs %s share, %s stations (%s)", r.Contest, r.Leader, thousands(gr.Stations), g)
}

// WriteSVG draws a group's fingerprint as SVG: turnout across, the
// leader's share up, each percentage point a cell coloured by its number
// of stations on a logarithmic scale.
func (r *Report) WriteSVG(w io.Writer, g Group) error {
	f := &r.Groups[g].Fingerprint
	most := f.most()
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<title>%s</title>`+"\n", xmlEscape(r.title(g)))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="16">%s</text>`+"\n", left, xmlEscape(r.title(g)))
	for t, row := range f.Bins {
		for v, n := range row {
			if n == 0 {
				continue
			}
			c := shade(n, most)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#%02x%02x%02x"/>`+"\n",
				left+t*cell, top+side-(v+1)*cell, cell, cell, c.R, c.G, c.B)
		}
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>`+"\n", left, top, side, side)
	for p := 0; p <= 100; p += 20 {
		x, y := left+p*cell, top+side-p*cell
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%d%%</text>`+"\n", x, top+side+14, p)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d%%</text>`+"\n", left-4, y+4, p)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">turnout</text>`+"\n", left+side/2, top+side+32)
	fmt.Fprintf(&b, `<text transform="translate(12 %d) rotate(-90)" text-anchor="middle">%s share</text>`+"\n", top+side/2, xmlEscape(r.Leader))
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WritePNG draws the same picture as WriteSVG as a PNG.
func (r *Report) WritePNG(w io.Writer, g Group) error {
	f := &r.Groups[g].Fingerprint
	most := f.most()
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	fill(0, 0, width, height, color.RGBA{0xff, 0xff, 0xff, 0xff})
	for t, row := range f.Bins {
		for v, n := range row {
			if n > 0 {
				x, y := left+t*cell, top+side-(v+1)*cell
				fill(x, y, x+cell, y+cell, shade(n, most))
			}
		}
	}
	ink := color.RGBA{0x33, 0x33, 0x33, 0xff}
	fill(left-1, top-1, left+side+1, top, ink)
	fill(left-1, top+side, left+side+1, top+side+1, ink)
	fill(left-1, top-1, left, top+side+1, ink)
	fill(left+side, top-1, left+side+1, top+side+1, ink)
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: basicfont.Face7x13}
	text := func(x, y int, s string, align float64) {
		d.Dot = fixed.P(x-int(align*float64(d.MeasureString(s).Round())), y)
		d.DrawString(s)
	}
	text(left, 16, r.title(g), 0)
	for p := 0; p <= 100; p += 20 {
		text(left+p*cell, top+side+14, fmt.Sprintf("%d%%", p), 0.5)
		text(left-4, top+side-p*cell+4, fmt.Sprintf("%d%%", p), 1)
	}
	text(left+side/2, top+side+32, "turnout", 0.5)
	text(4, top-6, "share", 0)
	return png.Encode(w, img)
}

// xmlEscape escapes text for SVG and HTML.
func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// thousands writes n with commas between thousands.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
