package qr_test

// A synthetic phone camera for the degradation grid (grid_test.go): a
// printed sheet, rendered by pdftoppm, laid on a table and photographed at
// an angle, then blurred, shaken, compressed, shaded, faded, folded, covered
// by a finger or cut by the frame.

import (
	"image"
	"math"
	"math/rand/v2"

	"github.com/makiuchi-d/gozxing/common"
)

// A shot is where the sheet lands in the frame.
type shot struct {
	w, h  int     // the frame, in pixels
	persp float64 // the sheet's far edge is this fraction shorter than its near one
	cut   float64 // this fraction of the sheet's width lies beyond the frame's right edge
}

// photograph lays a page on a dark table in a w×h frame, the sheet about
// 88% of the frame's height, turned by up to 3 degrees, its far edge (top,
// right, bottom or left, by seed) shortened by s.persp, with the noise of a
// phone's sensor and the softness of its lens.
func photograph(page *image.Gray, s shot, seed uint64) *image.Gray {
	rnd := rand.New(rand.NewPCG(seed, 2))
	pw, ph := float64(page.Rect.Dx()), float64(page.Rect.Dy())
	sh := 0.88 * float64(s.h)
	sw := sh * pw / ph
	cx := float64(s.w)/2 + (rnd.Float64()-0.5)*0.04*float64(s.w)
	cy := float64(s.h)/2 + (rnd.Float64()-0.5)*0.03*float64(s.h)
	if s.cut > 0 {
		cx = float64(s.w) + s.cut*sw - sw/2
	}
	// The corners, clockwise from the top left, before the turn.
	c := [4][2]float64{{-sw / 2, -sh / 2}, {sw / 2, -sh / 2}, {sw / 2, sh / 2}, {-sw / 2, sh / 2}}
	if s.persp > 0 {
		far := rnd.IntN(4) // the edge away from the camera: corners far and far+1
		a, b := c[far], c[(far+1)%4]
		mx, my := (a[0]+b[0])/2, (a[1]+b[1])/2
		for _, k := range []int{far, (far + 1) % 4} {
			c[k][0] = mx + (c[k][0]-mx)*(1-s.persp)
			c[k][1] = my + (c[k][1]-my)*(1-s.persp)
			// Foreshortening: the far edge comes closer to the near one.
			c[k][0] -= mx * s.persp * 0.3
			c[k][1] -= my * s.persp * 0.3
		}
	}
	th := (rnd.Float64()*6 - 3) * math.Pi / 180
	for k := range c {
		x, y := c[k][0], c[k][1]
		c[k] = [2]float64{cx + x*math.Cos(th) - y*math.Sin(th), cy + x*math.Sin(th) + y*math.Cos(th)}
	}
	// From a point of the frame to the point of the page it shows.
	t := common.PerspectiveTransform_QuadrilateralToQuadrilateral(
		c[0][0], c[0][1], c[1][0], c[1][1], c[2][0], c[2][1], c[3][0], c[3][1],
		0, 0, pw, 0, pw, ph, 0, ph)
	out := image.NewGray(image.Rect(0, 0, s.w, s.h))
	xs, ys := make([]float64, s.w), make([]float64, s.w)
	for y := range s.h {
		for x := range s.w {
			xs[x], ys[x] = float64(x)+0.5, float64(y)+0.5
		}
		t.TransformPointsXY(xs, ys)
		row := out.Pix[y*out.Stride : y*out.Stride+s.w]
		for x := range row {
			px, py := xs[x]-0.5, ys[x]-0.5
			if px < -0.5 || py < -0.5 || px > pw-0.5 || py > ph-0.5 {
				// The table: dark wood, its grain along the rows.
				row[x] = uint8(60 + 15*math.Sin(float64(y)/37+math.Sin(float64(x)/300)*3))
				continue
			}
			row[x] = sample(page, px, py)
		}
	}
	noise(out, 6, rnd)
	return gaussian(out, 0.6)
}

// sample reads a greyscale image at a point by bilinear interpolation,
// the edge's pixel beyond the edge.
func sample(g *image.Gray, x, y float64) uint8 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	at := func(x, y int) float64 {
		return float64(g.Pix[min(max(y, 0), h-1)*g.Stride+min(max(x, 0), w-1)])
	}
	ix, iy := int(x0), int(y0)
	v := (at(ix, iy)*(1-fx)+at(ix+1, iy)*fx)*(1-fy) + (at(ix, iy+1)*(1-fx)+at(ix+1, iy+1)*fx)*fy
	return uint8(v + 0.5)
}

// noise moves every pixel by up to ±n levels.
func noise(g *image.Gray, n int, rnd *rand.Rand) {
	for i, v := range g.Pix {
		g.Pix[i] = uint8(min(255, max(0, int(v)+rnd.IntN(2*n+1)-n)))
	}
}

// gaussian blurs by a Gaussian of standard deviation sigma pixels, in two
// passes, the edge's pixels repeated beyond the edge.
func gaussian(src *image.Gray, sigma float64) *image.Gray {
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	sum := 0.0
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	return convolve(src, k, k)
}

// motion blurs along the rows by a straight shake of n pixels.
func motion(src *image.Gray, n int) *image.Gray {
	k := make([]float64, n)
	for i := range k {
		k[i] = 1 / float64(n)
	}
	return convolve(src, k, []float64{1})
}

// convolve applies kx along the rows, then ky down the columns.
func convolve(src *image.Gray, kx, ky []float64) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	tmp := make([]float32, w*h)
	rx, ry := len(kx)/2, len(ky)/2
	for y := range h {
		row := src.Pix[y*src.Stride:]
		for x := range w {
			v := 0.0
			for i, kv := range kx {
				v += kv * float64(row[min(max(x+i-rx, 0), w-1)])
			}
			tmp[y*w+x] = float32(v)
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 0.0
			for i, kv := range ky {
				v += kv * float64(tmp[min(max(y+i-ry, 0), h-1)*w+x])
			}
			out.Pix[y*w+x] = uint8(min(255, max(0, v+0.5)))
		}
	}
	return out
}

// shade darkens the frame as an uneven light does: a gradient from full
// light on the left to 40% on the right, and the soft shadow of the phone
// across the middle.
func shade(g *image.Gray) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := range h {
		for x := range w {
			f := 1 - 0.6*float64(x)/float64(w)
			d := (float64(x)/float64(w) + float64(y)/float64(h) - 1) * 6
			f *= 1 - 0.35*math.Exp(-d*d)
			g.Pix[y*g.Stride+x] = uint8(float64(g.Pix[y*g.Stride+x]) * f)
		}
	}
}

// fade lightens the ink of a page, as a thermal print fades: black becomes
// grey at 255-(255-v)*k.
func fade(g *image.Gray, k float64) *image.Gray {
	out := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		out.Pix[i] = uint8(255 - float64(255-v)*k)
	}
	return out
}

// fold darkens one side of a line across the frame (the sheet folded in
// two and opened again) and draws the crease along it, a shadowed band
// about 0.15% of the frame's width.
func fold(g *image.Gray, rnd *rand.Rand) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	y0 := float64(h) * (0.35 + 0.3*rnd.Float64())
	slope := (rnd.Float64() - 0.5) * 0.1
	width := 0.0015 * float64(w)
	for y := range h {
		for x := range w {
			d := float64(y) - (y0 + slope*float64(x))
			f := 1.0
			if d > 0 {
				f = 0.85
			}
			f *= 1 - 0.45*math.Exp(-d*d/(2*width*width))
			g.Pix[y*g.Stride+x] = uint8(float64(g.Pix[y*g.Stride+x]) * f)
		}
	}
}

// finger covers part of the frame with a blurred ellipse, grey as skin is
// in a photo, entering from one side low in the frame, where the witness
// holds the sheet (and where its codes are).
func finger(g *image.Gray, rnd *rand.Rand) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	fromRight := rnd.IntN(2) == 1
	cx := -0.02 * float64(w)
	if fromRight {
		cx = 1.02 * float64(w)
	}
	cy := float64(h) * (0.55 + 0.25*rnd.Float64())
	ax, ay := 0.16*float64(w), 0.06*float64(h)
	for y := range h {
		for x := range w {
			dx, dy := (float64(x)-cx)/ax, (float64(y)-cy)/ay
			d := math.Sqrt(dx*dx + dy*dy)
			if d > 1.1 {
				continue
			}
			a := min(1, max(0, (1.1-d)/0.2)) // a soft edge
			v := 150 - 40*d
			p := &g.Pix[y*g.Stride+x]
			*p = uint8(float64(*p)*(1-a) + v*a)
		}
	}
}
