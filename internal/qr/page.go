//go:build !js

package qr

// Straightening a photographed sheet: find the bright quadrilateral of the
// page on a darker background and map it onto an upright rectangle, which
// takes out the perspective of a photo taken at an angle. The QR decoder
// corrects the perspective within one code from its finder patterns, but
// finds those patterns only when they look alike; at 15% of perspective
// across a page the codes' patterns differ too much.
//
// No library at hand does this: gozxing computes the perspective transform
// (its common.PerspectiveTransform, used here) but only samples codes with
// it, and golang.org/x/image/draw transforms by affine maps only.

import (
	"image"
	"math"

	"github.com/makiuchi-d/gozxing/common"
)

// quad is a quadrilateral's corners, clockwise from the top left.
type quad [4][2]float64

// findPage returns the corners of the sheet in a photo: the largest bright
// region of a copy at most 400 pixels a side, thresholded by Otsu's method,
// if it covers between a fifth of the photo and less than all of it and is
// not a sliver. ok is false when there is no such region (a scan with no
// background, a photo of a screen).
func findPage(g *image.Gray) (q quad, ok bool) {
	small, scale := shrink(g, 400)
	w, h := small.Rect.Dx(), small.Rect.Dy()
	t := otsu(small.Pix)
	// Label the bright pixels' 4-connected regions, keeping the largest.
	label := make([]int32, w*h)
	var stack []int
	best, bestSize := int32(0), 0
	next := int32(0)
	for start := range label {
		if label[start] != 0 || small.Pix[start] <= t {
			continue
		}
		next++
		size := 0
		stack = append(stack[:0], start)
		label[start] = next
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			size++
			x := i % w
			for _, n := range [4]int{i - 1, i + 1, i - w, i + w} {
				if n < 0 || n >= w*h || n == i-1 && x == 0 || n == i+1 && x == w-1 {
					continue
				}
				if label[n] == 0 && small.Pix[n] > t {
					label[n] = next
					stack = append(stack, n)
				}
			}
		}
		if size > bestSize {
			best, bestSize = next, size
		}
	}
	if bestSize < w*h/5 || bestSize > w*h*19/20 {
		return q, false
	}
	// The corners are the region's extremes along the diagonals.
	ext := [4]float64{math.Inf(1), math.Inf(-1), math.Inf(-1), math.Inf(1)} // min x+y, max x-y, max x+y, min x-y
	for i, l := range label {
		if l != best {
			continue
		}
		x, y := float64(i%w)+0.5, float64(i/w)+0.5
		for k, v := range [4]float64{x + y, x - y, x + y, x - y} {
			if (k == 0 || k == 3) && v < ext[k] || (k == 1 || k == 2) && v > ext[k] {
				ext[k] = v
				q[k] = [2]float64{x * scale, y * scale}
			}
		}
	}
	// A sliver or a triangle is not a sheet.
	top, left := dist(q[0], q[1]), dist(q[0], q[3])
	if top < float64(g.Rect.Dx())/8 || left < float64(g.Rect.Dy())/8 {
		return q, false
	}
	return q, true
}

// straighten maps the quadrilateral q of an image onto an upright
// rectangle as wide as q's longer horizontal side and as tall as its longer
// vertical one, so the nearer part of the sheet keeps its resolution.
func straighten(g *image.Gray, q quad) *image.Gray {
	w := int(math.Max(dist(q[0], q[1]), dist(q[3], q[2])))
	h := int(math.Max(dist(q[0], q[3]), dist(q[1], q[2])))
	// From a point of the rectangle to the point of the photo it shows.
	t := common.PerspectiveTransform_QuadrilateralToQuadrilateral(
		0, 0, float64(w), 0, float64(w), float64(h), 0, float64(h),
		q[0][0], q[0][1], q[1][0], q[1][1], q[2][0], q[2][1], q[3][0], q[3][1])
	out := image.NewGray(image.Rect(0, 0, w, h))
	xs, ys := make([]float64, w), make([]float64, w)
	for y := range h {
		for x := range w {
			xs[x], ys[x] = float64(x)+0.5, float64(y)+0.5
		}
		t.TransformPointsXY(xs, ys)
		row := out.Pix[y*out.Stride : y*out.Stride+w]
		for x := range row {
			row[x] = bilinear(g, xs[x]-0.5, ys[x]-0.5)
		}
	}
	return out
}

func dist(a, b [2]float64) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

// shrink returns a copy of g at most side pixels on its longer side, each
// pixel the mean of the block it covers, and the factor from its
// coordinates to g's. An image already that small comes back as it is.
func shrink(g *image.Gray, side int) (*image.Gray, float64) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	k := (max(w, h) + side - 1) / side
	if k <= 1 {
		return g, 1
	}
	sw, sh := w/k, h/k
	out := image.NewGray(image.Rect(0, 0, sw, sh))
	sums := make([]int, sw)
	for sy := range sh {
		clear(sums)
		for y := sy * k; y < (sy+1)*k; y++ {
			row := g.Pix[y*g.Stride:]
			for sx := range sw {
				for _, v := range row[sx*k : (sx+1)*k] {
					sums[sx] += int(v)
				}
			}
		}
		for sx, s := range sums {
			out.Pix[sy*sw+sx] = uint8(s / (k * k))
		}
	}
	return out, float64(k)
}

// otsu returns the threshold that best splits the pixels into two classes
// (Otsu's method): the level at or below which a pixel is dark.
func otsu(pix []uint8) uint8 {
	var hist [256]int
	for _, v := range pix {
		hist[v]++
	}
	total, sum := len(pix), 0
	for v, n := range hist {
		sum += v * n
	}
	best, bestVar := 0, -1.0
	n0, sum0 := 0, 0
	for t := range 255 {
		n0 += hist[t]
		sum0 += t * hist[t]
		n1 := total - n0
		if n0 == 0 || n1 == 0 {
			continue
		}
		m0, m1 := float64(sum0)/float64(n0), float64(sum-sum0)/float64(n1)
		if v := float64(n0) * float64(n1) * (m0 - m1) * (m0 - m1); v > bestVar {
			best, bestVar = t, v
		}
	}
	return uint8(best)
}
