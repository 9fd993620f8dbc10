package qr_test

import (
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// TestScanSaysWhy crafts an image for each reason a scan fails and checks
// that ScanImage says it, and says nothing it cannot know: a code cut by
// the edge, a blurred one, one of too few pixels a module, a page with no
// code, and an acta left with a part missing because its code was cut.
func TestScanSaysWhy(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "why"})
	sa := printtest.SignedActa(t, f, 10, 3)
	codes, err := qr.CodeImages(sa.Msg)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 2 {
		t.Fatalf("%d codes, want an acta of several", len(codes))
	}
	code := qr.Gray(codes[0]) // 8 pixels a module, with the quiet zone
	w, h := code.Rect.Dx(), code.Rect.Dy()
	reasons := []error{qr.ErrCut, qr.ErrBlurred, qr.ErrSmall}
	for _, tc := range []struct {
		name string
		img  *image.Gray
		want error // nil: ErrNoCode and no reason
	}{
		{"cut", crop(code, image.Rect(0, 0, w*6/10, h)), qr.ErrCut},
		{"cut at the bottom", crop(code, image.Rect(0, 0, w, h*7/10)), qr.ErrCut},
		{"blurred", gaussian(code, 12), qr.ErrBlurred},
		{"small", boxShrink(code, 6), qr.ErrSmall}, // 1.33 pixels a module
		{"no code", text(800, 600), nil},
		{"blank", image.NewGray(image.Rect(0, 0, 400, 300)), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := qr.ScanImage(tc.img)
			if len(got) != 0 || !errors.Is(err, qr.ErrNoCode) {
				t.Fatalf("read %d codes, error %v; want none and %v", len(got), err, qr.ErrNoCode)
			}
			for _, r := range reasons {
				if errors.Is(err, r) != (r == tc.want) {
					t.Errorf("error %q: wraps %q is %v, want %v", err, r, errors.Is(err, r), r == tc.want)
				}
			}
			if s := qr.Spanish(err); s == "" {
				t.Errorf("error %q has no Spanish", err)
			}
		})
	}

	// An acta whose second code is cut: the first is read, and the error
	// says which part is missing and why.
	both := image.NewGray(image.Rect(0, 0, 2*w, h))
	for i, c := range codes[:2] {
		g := qr.Gray(c)
		for y := range h {
			copy(both.Pix[y*both.Stride+i*w:], g.Pix[y*g.Stride:y*g.Stride+w])
		}
	}
	file := filepath.Join(t.TempDir(), "half.png")
	printtest.Save(t, file, crop(both, image.Rect(0, 0, w+w*6/10, h)), 0)
	if len(codes) != 2 {
		t.Skipf("%d codes: the missing-part case is written for 2", len(codes))
	}
	_, errs := qr.ScanFiles(f.Def, []string{file})
	if len(errs) != 1 || !errors.Is(errs[0], qr.ErrMissing) || !errors.Is(errs[0], qr.ErrCut) ||
		!strings.Contains(errs[0].Error(), "missing QR part 2/2 (have 1 of 2); in "+file+", a code is cut") {
		t.Errorf("errors %v, want one: part 2/2 missing, cut by the edge", errs)
	}
	if s := qr.Spanish(errs[0]); !strings.Contains(s, "cortado") {
		t.Errorf("Spanish %q, want the cut code's advice first", s)
	}
}

// TestSpanishOrder: the most useful advice wins when an error wraps two.
func TestSpanishOrder(t *testing.T) {
	err := errors.Join(qr.ErrNoCode, qr.ErrBlurred)
	if got := qr.Spanish(err); !strings.HasPrefix(got, "demasiado borrosa") {
		t.Errorf("Spanish(%v) = %q", err, got)
	}
	if got := qr.Spanish(os.ErrNotExist); got != "" {
		t.Errorf("Spanish of an unrelated error: %q", got)
	}
}

// TestScanHostileFinders: an image drawn with 400 shapes like the corner
// squares of a code, which kept the decoder busy for minutes, is refused
// at once, saying why, in both languages.
func TestScanHostileFinders(t *testing.T) {
	const n, m = 20, 4 // patterns a side, pixels a module
	side := n * 9 * m
	g := image.NewGray(image.Rect(0, 0, side, side))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for i := range g.Pix {
		x, y := i%side/m%9-1, i/side/m%9-1 // module within the tile, the pattern from 0 to 6
		ring := max(abs(x-3), abs(y-3))
		if x >= 0 && x < 7 && y >= 0 && y < 7 && (ring == 3 || ring <= 1) {
			g.Pix[i] = 0
		}
	}
	got, err := qr.ScanImage(g)
	if len(got) != 0 || !errors.Is(err, qr.ErrNoCode) || !errors.Is(err, qr.ErrCrowded) {
		t.Fatalf("read %d codes, error %v; want %v", len(got), err, qr.ErrCrowded)
	}
	if !strings.Contains(qr.Spanish(err), "esquinas") {
		t.Errorf("Spanish %q", qr.Spanish(err))
	}
}

func abs(x int) int { return max(x, -x) }

// crop returns a copy of a rectangle of an image.
func crop(g *image.Gray, r image.Rectangle) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := range r.Dy() {
		copy(out.Pix[y*out.Stride:(y+1)*out.Stride], g.Pix[(r.Min.Y+y)*g.Stride+r.Min.X:])
	}
	return out
}

// boxShrink returns an image k times smaller each way, each pixel the mean
// of the block it covers.
func boxShrink(g *image.Gray, k int) *image.Gray {
	w, h := g.Rect.Dx()/k, g.Rect.Dy()/k
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			s := 0
			for dy := range k {
				for dx := range k {
					s += int(g.Pix[(y*k+dy)*g.Stride+x*k+dx])
				}
			}
			out.Pix[y*w+x] = uint8(s / (k * k))
		}
	}
	return out
}

// text returns a white page with lines of dark blocks on it, as words:
// sharp, but no code.
func text(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 245
	}
	for line := 40; line+14 < h-40; line += 30 {
		for x := 40; x < w-40; {
			word := 20 + (x*7+line*3)%50
			for y := line; y < line+14; y++ {
				for xx := x; xx < min(x+word, w-40); xx++ {
					g.Pix[y*g.Stride+xx] = 30
				}
			}
			x += word + 12
		}
	}
	return g
}
