package printing

import (
	"errors"
	"fmt"
	"image"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
)

// ErrNoCode: an image in which no QR code could be read.
var ErrNoCode = errors.New("no QR code found")

// hints are the decoder's: look hard, and read byte segments as ISO-8859-1,
// which maps every byte to the rune of the same value, so that the bytes
// come back exactly (the decoder would otherwise guess a character set).
var hints = map[gozxing.DecodeHintType]any{
	gozxing.DecodeHintType_TRY_HARDER:    true,
	gozxing.DecodeHintType_CHARACTER_SET: "ISO-8859-1",
}

// attempt is one way of looking for codes in a greyscale image.
type attempt struct {
	name string
	find func(*image.Gray) []string
}

// attempts are tried in order until every acta whose parts have been seen
// is complete; what each finds is added up. The first reads nearly every
// sheet. When it misses, it is nearly always one code of several (the
// detector of multiple codes groups the finder patterns wrongly), and
// looking again another way finds it: with one global threshold instead of
// local ones, at half the size (which also averages out noise), with the
// rows scanned across (a lossless quarter turn), or turned by 45 degrees,
// which moves the sampling grid off the modules and is the retry issue 7's
// check found to work. Each completes sheets the first misses; doc/spec/qr.md
// has the measurements (TestEvalAttempts).
var attempts = []attempt{
	{"hybrid", func(g *image.Gray) []string { return decode(g, gozxing.NewHybridBinarizer) }},
	{"global", func(g *image.Gray) []string { return decode(g, gozxing.NewGlobalHistgramBinarizer) }},
	{"half", func(g *image.Gray) []string { return decode(half(g), gozxing.NewHybridBinarizer) }},
	{"quarter", func(g *image.Gray) []string { return decode(quarter(g), gozxing.NewHybridBinarizer) }},
	{"45°", func(g *image.Gray) []string { return decode(rotate45(g), gozxing.NewHybridBinarizer) }},
}

// ScanImage returns the payloads of the QR codes found in an image, each as
// the bytes it encodes. It tries ways of reading the image, from the cheapest,
// until it has found a triplicate part and every part of each acta it has a
// part of, or it runs out; it returns what it found. It fails with ErrNoCode
// if it found no code at all.
func ScanImage(img image.Image) ([]string, error) {
	g := gray(img)
	var found []string
	seen := map[string]bool{}
	for _, a := range attempts {
		for _, pl := range a.find(g) {
			if !seen[pl] {
				seen[pl] = true
				found = append(found, pl)
			}
		}
		if complete(found) {
			break
		}
	}
	if len(found) == 0 {
		return nil, ErrNoCode
	}
	return found, nil
}

// complete reports whether payloads hold a part and, for every acta they
// have a part of, all its parts.
func complete(payloads []string) bool {
	have := map[string]map[int]bool{} // part numbers by digest
	want := map[string]int{}
	for _, pl := range payloads {
		p, err := parsePart(pl)
		if err != nil {
			continue
		}
		if have[p.digest] == nil {
			have[p.digest] = map[int]bool{}
		}
		have[p.digest][p.i] = true
		want[p.digest] = p.n
	}
	for d, n := range want {
		if len(have[d]) < n {
			return false
		}
	}
	return len(want) > 0
}

// decode finds and decodes every QR code in a greyscale image. The decoder
// is third-party code fed with untrusted pictures: a panic in it is a code
// not read, not a crash.
func decode(g *image.Gray, binarizer func(gozxing.LuminanceSource) gozxing.Binarizer) (payloads []string) {
	defer func() {
		if recover() != nil {
			payloads = nil
		}
	}()
	bmp, err := gozxing.NewBinaryBitmap(binarizer(newLuminance(g)))
	if err != nil {
		return nil
	}
	results, err := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, hints)
	if err != nil {
		return nil
	}
	for _, r := range results {
		payloads = append(payloads, latin1(r.GetText()))
	}
	return payloads
}

// latin1 returns the bytes that a text decoded as ISO-8859-1 came from. A
// code with an ECI designator may hold other characters: those are kept as
// UTF-8, and such a payload is not a part anyway.
func latin1(text string) string {
	b := make([]byte, 0, len(text))
	for _, r := range text {
		if r >= 0x100 {
			return text
		}
		b = append(b, byte(r))
	}
	return string(b)
}

// luminance is a greyscale image as the decoder reads it, without the
// conversion pixel by pixel that gozxing.NewLuminanceSourceFromImage does.
type luminance struct {
	gozxing.LuminanceSourceBase
	pix []byte // Width*Height, row by row
}

func newLuminance(g *image.Gray) *luminance {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	pix := g.Pix
	if g.Stride != w {
		pix = make([]byte, w*h)
		for y := range h {
			copy(pix[y*w:(y+1)*w], g.Pix[y*g.Stride:])
		}
	}
	return &luminance{gozxing.LuminanceSourceBase{Width: w, Height: h}, pix}
}

func (l *luminance) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= l.Height {
		return row, fmt.Errorf("row %d outside the image", y)
	}
	if len(row) < l.Width {
		row = make([]byte, l.Width)
	}
	copy(row, l.pix[y*l.Width:(y+1)*l.Width])
	return row, nil
}

func (l *luminance) GetMatrix() []byte { return l.pix }

func (l *luminance) Invert() gozxing.LuminanceSource {
	return gozxing.NewInvertedLuminanceSource(l)
}

func (l *luminance) String() string { return gozxing.LuminanceSourceString(l) }

// gray returns an image's luminance, (R+2G+B)/4 as the decoder computes it,
// over white where the image is transparent. Decoded PNG and JPEG images
// take a fast path.
func gray(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch m := img.(type) {
	case *image.Gray:
		for y := range b.Dy() {
			copy(g.Pix[y*g.Stride:(y+1)*g.Stride], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.YCbCr:
		for y := range b.Dy() {
			copy(g.Pix[y*g.Stride:(y+1)*g.Stride], m.Y[m.YOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.RGBA:
		for y := range b.Dy() {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : (y+1)*g.Stride]
			for x := range dst {
				r, gg, bb, a := int(src[4*x]), int(src[4*x+1]), int(src[4*x+2]), int(src[4*x+3])
				dst[x] = uint8((r+2*gg+bb)/4 + 255 - a) // premultiplied: over white
			}
		}
	default:
		for y := range b.Dy() {
			for x := range b.Dx() {
				r, gg, bb, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				l := (r + 2*gg + bb) / 4 // premultiplied, 16 bits
				g.Pix[y*g.Stride+x] = uint8((l + 0xffff - a) >> 8)
			}
		}
	}
	return g
}

// rotate45 turns a greyscale image by 45 degrees onto a white canvas that
// holds it all, by bilinear interpolation.
func rotate45(src *image.Gray) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	c := math.Sqrt2 / 2
	side := int(math.Ceil(float64(w+h) * c))
	dst := image.NewGray(image.Rect(0, 0, side, side))
	cx, cy := float64(w)/2, float64(h)/2
	d := float64(side) / 2
	for y := range side {
		for x := range side {
			// The source point that lands on (x, y): turn back about the centres.
			dx, dy := float64(x)+0.5-d, float64(y)+0.5-d
			sx, sy := c*dx+c*dy+cx-0.5, -c*dx+c*dy+cy-0.5
			dst.Pix[y*side+x] = bilinear(src, sx, sy)
		}
	}
	return dst
}

// quarter turns a greyscale image by 90 degrees clockwise.
func quarter(src *image.Gray) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, h, w))
	for y := range h {
		row := src.Pix[y*src.Stride:]
		for x := range w {
			dst.Pix[x*h+h-1-y] = row[x]
		}
	}
	return dst
}

// bilinear samples a greyscale image at a point, white outside it.
func bilinear(g *image.Gray, x, y float64) uint8 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= g.Rect.Dx() || y >= g.Rect.Dy() {
			return 255
		}
		return float64(g.Pix[y*g.Stride+x])
	}
	v := (at(ix, iy)*(1-fx)+at(ix+1, iy)*fx)*(1-fy) + (at(ix, iy+1)*(1-fx)+at(ix+1, iy+1)*fx)*fy
	return uint8(v + 0.5)
}

// half returns an image at half the size, each pixel the mean of four.
func half(src *image.Gray) *image.Gray {
	w, h := src.Rect.Dx()/2, src.Rect.Dy()/2
	dst := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		r0 := src.Pix[2*y*src.Stride:]
		r1 := src.Pix[(2*y+1)*src.Stride:]
		for x := range w {
			dst.Pix[y*w+x] = uint8((int(r0[2*x]) + int(r0[2*x+1]) + int(r1[2*x]) + int(r1[2*x+1]) + 2) / 4)
		}
	}
	return dst
}

// describe summarises the codes found in an image that are not parts, for
// an error message.
func describe(payloads []string) string {
	if len(payloads) == 1 {
		return fmt.Sprintf("1 QR code that is not a triplicate part (it starts %q)", preview(firstLine(payloads[0])))
	}
	return fmt.Sprintf("%d QR codes that are not triplicate parts", len(payloads))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if !utf8.ValidString(line) {
		return strings.ToValidUTF8(line, "?")
	}
	return line
}
