//go:build !js

package qr

// The image work of scanning: greyscale as the decoder reads it, and the
// transformed copies that ScanImage looks at again.

import (
	"fmt"
	"image"
	"math"

	"github.com/makiuchi-d/gozxing"
)

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

// smooth returns an image blurred by a 5×5 box, pixels beyond the edge
// taken to be the edge's: the mean of each pixel's neighbourhood, which
// averages noise away while a module (6 or more pixels at 200 dpi) keeps
// its core.
func smooth(src *image.Gray) *image.Gray {
	const r = 2
	w, h := src.Rect.Dx(), src.Rect.Dy()
	clamp := func(i, n int) int { return min(max(i, 0), n-1) }
	rows := make([]uint16, w*h) // sums of 2r+1 pixels along the rows
	for y := range h {
		row := src.Pix[y*src.Stride:]
		sum := 0
		for i := -r; i <= r; i++ {
			sum += int(row[clamp(i, w)])
		}
		for x := range w {
			rows[y*w+x] = uint16(sum)
			sum += int(row[clamp(x+r+1, w)]) - int(row[clamp(x-r, w)])
		}
	}
	dst := image.NewGray(image.Rect(0, 0, w, h))
	cols := make([]int, w) // sums of 2r+1 row sums down the columns
	for i := -r; i <= r; i++ {
		for x, v := range rows[clamp(i, h)*w : clamp(i, h)*w+w] {
			cols[x] += int(v)
		}
	}
	for y := range h {
		out := dst.Pix[y*w : y*w+w]
		in, gone := rows[clamp(y+r+1, h)*w:], rows[clamp(y-r, h)*w:]
		for x := range out {
			out[x] = uint8((cols[x] + 12) / 25)
			cols[x] += int(in[x]) - int(gone[x])
		}
	}
	return dst
}

// sharpen returns an image through an unsharp mask: each pixel pushed away
// from the mean of its 5×5 neighbourhood by amount times the difference,
// which restores the edges between modules that a blur (a shaking hand,
// a lens out of focus) has spread.
func sharpen(src *image.Gray, amount float64) *image.Gray {
	mean := smooth(src)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		in, m, out := src.Pix[y*src.Stride:y*src.Stride+w], mean.Pix[y*w:y*w+w], dst.Pix[y*w:y*w+w]
		for x, v := range in {
			s := float64(v) + amount*(float64(v)-float64(m[x]))
			out[x] = uint8(min(255, max(0, s+0.5)))
		}
	}
	return dst
}

// enlarge returns an image twice as large each way, by bilinear
// interpolation: a code of 2 to 4 pixels a module, as a 2-megapixel photo
// of a page gives, then has enough pixels for the decoder to find the
// edges of its modules. (golang.org/x/image/draw scales greyscale images
// through its generic path, twenty times slower than this.)
func enlarge(src *image.Gray) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, 2*w, 2*h))
	// Output pixel 2x+i (i = 0, 1) lies a quarter of a source pixel before
	// or after the centre of source pixel x: 3/4 of it and 1/4 of its
	// neighbour on that side, the edge's pixel repeated beyond the edge.
	at := func(row []uint8, x int) int { return int(row[min(max(x, 0), w-1)]) }
	tmp := make([]int, 2*w) // one source row enlarged across, times 4
	prev := make([]int, 2*w)
	for y := -1; y < h; y++ {
		row := src.Pix[min(max(y+1, 0), h-1)*src.Stride:]
		for x := range w {
			c := at(row, x)
			tmp[2*x] = 3*c + at(row, x-1)
			tmp[2*x+1] = 3*c + at(row, x+1)
		}
		if y >= 0 {
			// Rows 2y+1 and 2y+2 lie between source rows y and y+1.
			if 2*y+1 < 2*h {
				out := dst.Pix[(2*y+1)*2*w:]
				for x := range 2 * w {
					out[x] = uint8((3*prev[x] + tmp[x] + 8) / 16)
				}
			}
			if 2*y+2 < 2*h {
				out := dst.Pix[(2*y+2)*2*w:]
				for x := range 2 * w {
					out[x] = uint8((prev[x] + 3*tmp[x] + 8) / 16)
				}
			}
		} else {
			out := dst.Pix[:2*w]
			for x := range 2 * w {
				out[x] = uint8((tmp[x] + 2) / 4)
			}
		}
		prev, tmp = tmp, prev
	}
	return dst
}

// fit returns a copy of an image scaled down to side pixels on its longer
// side: by a whole factor with each pixel the mean of its block (see
// shrink), then by the factor left, under 2, by bilinear interpolation. An
// image already that small comes back as it is.
func fit(g *image.Gray, side int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if max(w, h) <= side {
		return g
	}
	if k := max(w, h) / side; k >= 2 {
		g, _ = shrink(g, (max(w, h)+k-1)/k) // by k, to a side of side or more
		w, h = g.Rect.Dx(), g.Rect.Dy()
	}
	s := float64(max(w, h)) / float64(side)
	dw, dh := max(int(float64(w)/s+0.5), 1), max(int(float64(h)/s+0.5), 1)
	out := image.NewGray(image.Rect(0, 0, dw, dh))
	for y := range dh {
		sy := (float64(y)+0.5)*s - 0.5
		for x := range dw {
			out.Pix[y*dw+x] = bilinear(g, (float64(x)+0.5)*s-0.5, sy)
		}
	}
	return out
}
