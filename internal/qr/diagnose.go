//go:build !js

package qr

// Saying why a photo gave no code, from what the decoder's first step sees:
// the finder patterns (the three squares in the corners of every code) it
// found, where they are and how large, and how sharp the photo is.

import (
	"image"

	"github.com/makiuchi-d/gozxing"
	qrdetector "github.com/makiuchi-d/gozxing/qrcode/detector"
)

const (
	// minModule is the smallest module, in pixels, that ScanImage reads
	// (with its 2× attempt): below it, a photo's codes are too small.
	minModule = 1.6
	// sharpSide is the longer side, in pixels, of the copy of a photo whose
	// sharpness is measured: a larger photo is scaled down to it first, so
	// that the same scene taken at 12 or 48 megapixels, with optics as
	// sharp, is as sharp. It is about a 2-megapixel photo's side, at which
	// the codes of a sheet have about 4 pixels a module.
	sharpSide = 1600
	// minSharpness is the least sharpness (see sharpness) of a photo in
	// which the decoder can still tell the modules apart, at sharpSide:
	// a 2-megapixel photo of a sheet (whose codes it reads up to a blur of
	// σ 1.5 pixels) is above it sharp and below it blurred by σ 2 pixels;
	// a 12-megapixel one, scaled down, is below it from a blur of about σ 5
	// of its pixels (TestSharpnessScale's calibration).
	minSharpness = 0.005
)

// diagnose returns why codes could not be read from an image: ErrSmall if
// the finder patterns found are all too small, ErrCut if one has code up to
// the frame's edge, ErrBlurred if the photo is too blurred, or nil if it
// cannot tell.
func (v *view) diagnose() error {
	g, matrix := v.g, v.matrix
	if matrix == nil {
		matrix = binarize(g)
	}
	if matrix == nil {
		return nil
	}
	finders, scale := findFinders(matrix), 1.0
	if len(finders) == 0 && max(g.Rect.Dx(), g.Rect.Dy()) <= maxEnlarged {
		// Patterns of a module or two a pixel show only when enlarged.
		if m := binarize(enlarge(g)); m != nil {
			matrix, finders, scale = m, findFinders(m), 0.5
		}
	}
	// Patterns too small to read are too small to tell a cut by, too.
	small := len(finders) > 0
	for _, f := range finders {
		if f.GetEstimatedModuleSize()*scale >= minModule {
			small = false
		}
	}
	if small {
		return ErrSmall
	}
	for _, f := range finders {
		if cut(matrix, f) {
			return ErrCut
		}
	}
	if s, ok := sharpness(fit(g, sharpSide)); ok && s < minSharpness {
		return ErrBlurred
	}
	return nil
}

// binarize returns an image as the decoder sees it, black and white by
// local thresholds, or nil if it cannot.
func binarize(g *image.Gray) *gozxing.BitMatrix {
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(newLuminance(g)))
	if err != nil {
		return nil
	}
	m, err := bmp.GetBlackMatrix()
	if err != nil {
		return nil
	}
	return m
}

// findFinders returns the finder patterns in a binarized image that the
// decoder's scan confirmed at least twice (once is often noise: a letter
// or a line of a table), from the first maxCandidates+1 it finds.
func findFinders(m *gozxing.BitMatrix) []*qrdetector.FinderPattern {
	var found []*qrdetector.FinderPattern
	for _, p := range candidates(m, maxCandidates+1) {
		if p.GetCount() >= 2 {
			found = append(found, p)
		}
	}
	return found
}

// candidates returns the shapes in a binarized image that look like a
// finder pattern, found as the multi-code decoder finds them (the scan of
// gozxing's MultiFinderPatternFinder.FindMulti, trying harder), without
// what that does next: try every three of them as a code, which takes
// time that grows with the cube of their number. It stops at limit: each
// shape found is compared with those found before, so that the time it
// takes grows with the pixels times limit, not with the square of the
// shapes an image holds.
func candidates(m *gozxing.BitMatrix, limit int) (found []*qrdetector.FinderPattern) {
	defer func() {
		if recover() != nil { // third-party code on untrusted pictures
			found = nil
		}
	}()
	f := qrdetector.NewFinderPatternFinder(m, nil)
	w, h := m.GetWidth(), m.GetHeight()
	state := make([]int, 5)
	for i := qrdetector.FinderPatternFinder_MIN_SKIP - 1; i < h; i += qrdetector.FinderPatternFinder_MIN_SKIP {
		qrdetector.FinderPatternFinder_doClearCounts(state)
		cur := 0
		for j := range w {
			switch {
			case m.Get(j, i): // black
				if cur&1 == 1 {
					cur++
				}
				state[cur]++
			case cur&1 == 1: // white, counting white
				state[cur]++
			case cur < 4:
				cur++
				state[cur]++
			case qrdetector.FinderPatternFinder_foundPatternCross(state) && f.HandlePossibleCenter(state, i, j):
				if len(f.GetPossibleCenters()) >= limit {
					return f.GetPossibleCenters()
				}
				cur = 0
				qrdetector.FinderPatternFinder_doClearCounts(state)
			default:
				qrdetector.FinderPatternFinder_doShiftCounts2(state)
				cur = 3
			}
		}
		if qrdetector.FinderPatternFinder_foundPatternCross(state) && f.HandlePossibleCenter(state, i, w) &&
			len(f.GetPossibleCenters()) >= limit {
			break
		}
	}
	return f.GetPossibleCenters()
}

// cut reports whether the code of a finder pattern runs off the image:
// walking from the pattern's centre to any edge, along a row or a column
// through the pattern and along lines 3 and 6 modules to each side of it,
// one of the walks meets the edge before a stretch of 4 light modules, the
// quiet zone that surrounds every code. A finder pattern lies in a corner of
// its code, so from it the walks away from the code reach the quiet zone
// within 4 modules and those across the code within its width.
func cut(m *gozxing.BitMatrix, f *qrdetector.FinderPattern) bool {
	w, h := m.GetWidth(), m.GetHeight()
	mod := f.GetEstimatedModuleSize()
	quiet := int(4*mod + 0.5)
	cx, cy := int(f.GetX()), int(f.GetY())
	for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
		for _, off := range []float64{0, -3, 3, -6, 6} {
			// Start at the pattern's centre, moved across the walk.
			x, y := cx+int(off*mod)*d[1], cy+int(off*mod)*d[0]
			if x < 0 || y < 0 || x >= w || y >= h {
				return true // the pattern itself is at the edge
			}
			light := 0
			for x >= 0 && y >= 0 && x < w && y < h && light < quiet {
				if m.Get(x, y) {
					light = 0
				} else {
					light++
				}
				x, y = x+d[0], y+d[1]
			}
			if light < quiet {
				return true
			}
		}
	}
	return false
}

// sharpness measures how sharp an image is (ScanImage measures a copy scaled
// to sharpSide, see diagnose): the variance of its Laplacian
// (the sum of its second differences, large at sharp edges) over the
// variance of the image itself, so that contrast and light do not count.
// ok is false for an image with almost nothing on it, whose sharpness
// means nothing.
func sharpness(g *image.Gray) (s float64, ok bool) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var n, sum, sum2, lsum, lsum2 float64
	for y := 1; y < h-1; y++ {
		row := g.Pix[y*g.Stride:]
		up, down := g.Pix[(y-1)*g.Stride:], g.Pix[(y+1)*g.Stride:]
		for x := 1; x < w-1; x++ {
			v := float64(row[x])
			l := float64(row[x-1]) + float64(row[x+1]) + float64(up[x]) + float64(down[x]) - 4*v
			n++
			sum += v
			sum2 += v * v
			lsum += l
			lsum2 += l * l
		}
	}
	if n == 0 {
		return 0, false
	}
	vv := sum2/n - (sum/n)*(sum/n)
	lv := lsum2/n - (lsum/n)*(lsum/n)
	if vv < 25 { // a standard deviation under 5 levels: a blank page
		return 0, false
	}
	return lv / vv, true
}
