package qr_test

import (
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing"
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

// TestScanHostileFinders: images drawn with many shapes like the corner
// squares of a code, which kept the decoder busy for minutes, are refused,
// saying why, in both languages: 400 of them in black on white (2 minutes
// before any count), and 102,400 in a 74 KB PNG (3 minutes when the count
// compared every shape with every other). The same 400 faint, grey 128 on
// 145, which the first binarization does not show but the global one and
// the sharpened copies do (2 minutes when only the first was counted),
// give no code: those copies are not decoded. BenchmarkScanHostile has
// their times.
func TestScanHostileFinders(t *testing.T) {
	for _, tc := range hostileImages() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.large && testing.Short() {
				t.Skip("a 33-megapixel image: skipped in -short")
			}
			got, err := qr.ScanImage(tc.img)
			if len(got) != 0 || !errors.Is(err, qr.ErrNoCode) || errors.Is(err, qr.ErrCrowded) != tc.crowded {
				t.Fatalf("read %d codes, error %v; want %v, crowded %v", len(got), err, qr.ErrNoCode, tc.crowded)
			}
			if tc.crowded && !strings.Contains(qr.Spanish(err), "esquinas") {
				t.Errorf("Spanish %q", qr.Spanish(err))
			}
		})
	}
}

type hostileImage struct {
	name    string
	img     *image.Gray
	large   bool // skipped in -short
	crowded bool // refused as crowded, not merely no code
}

// hostileImages are the images of TestScanHostileFinders.
func hostileImages() []hostileImage {
	faint := finderGrid(720, 4)
	for i, v := range faint.Pix {
		faint.Pix[i] = uint8(128 + 17*int(v)/255)
	}
	return []hostileImage{
		{"400 patterns", finderGrid(720, 4), false, true},
		{"400 faint patterns", faint, false, false},
		{"102400 patterns", finderGrid(5760, 2), true, true},
	}
}

// finderGrid returns a square image side pixels wide tiled with finder
// patterns of m pixels a module, each in a tile of 9 modules.
func finderGrid(side, m int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, side, side))
	for i := range g.Pix {
		x, y := i%side/m%9-1, i/side/m%9-1 // module within the tile, the pattern from 0 to 6
		ring := max(abs(x-3), abs(y-3))
		g.Pix[i] = 255
		if x >= 0 && x < 7 && y >= 0 && y < 7 && (ring == 3 || ring <= 1) {
			g.Pix[i] = 0
		}
	}
	return g
}

// TestSharpnessScale: the same scene, a 12-megapixel photo of a sheet with
// a hand over its codes, and that photo at 48 megapixels (enlarged 2×: the
// same optics, four times the pixels), gets the same reason, and about the
// same sharpness: none when sharp or blurred as the decoder still reads
// (σ 1.5 pixels of the 12 MP frame), too blurred at σ 6 pixels. Measured
// on the pixels as they are, the 48 MP photo scored a quarter of the 12 MP
// one, and was called too blurred when sharp. It also calibrates
// minSharpness (see diagnose.go) with the 2-megapixel frame of the grid.
func TestSharpnessScale(t *testing.T) {
	if testing.Short() || printtest.Race {
		t.Skip("photographs 12- and 48-megapixel frames: skipped in -short and under -race")
	}
	f := electiontest.New(electiontest.Options{Seed: "bench"})
	sa := printtest.SignedActa(t, f, 10, 3)
	pdf, err := printing.PDF(sa, f.Def, printing.English)
	if err != nil {
		t.Fatal(err)
	}
	page := qr.Gray(printtest.Render(t, pdf, 300, 1, 1)[0])
	sharp := photograph(page, shot{w: 3000, h: 4000}, 0)
	// A hand, skin grey, over the lower two thirds, where the codes are.
	for y := sharp.Rect.Dy() / 3; y < sharp.Rect.Dy(); y++ {
		for x := range sharp.Rect.Dx() {
			sharp.Pix[y*sharp.Stride+x] = 140
		}
	}
	for _, tc := range []struct {
		sigma float64
		want  error
	}{{0, nil}, {1.5, nil}, {6, qr.ErrBlurred}} {
		img12 := sharp
		if tc.sigma > 0 {
			img12 = gaussian(sharp, tc.sigma)
		}
		img48 := qr.Enlarge(img12)
		s12, _ := qr.Sharpness(img12)
		s48, _ := qr.Sharpness(img48)
		t.Logf("σ %.1f px: sharpness %.4f at 12 MP, %.4f at 48 MP", tc.sigma, s12, s48)
		if s48 < s12*0.7 || s48 > s12/0.7 {
			t.Errorf("σ %.1f px: sharpness %.4f at 12 MP, %.4f at 48 MP: want within 30%%", tc.sigma, s12, s48)
		}
		for _, img := range []*image.Gray{img12, img48} {
			if err := qr.Diagnose(img); err != tc.want {
				t.Errorf("σ %.1f px, %d×%d: reason %v, want %v", tc.sigma, img.Rect.Dx(), img.Rect.Dy(), err, tc.want)
			}
		}
	}
	// The 2-megapixel frame, near the side sharpness is measured at: its
	// codes are read up to a blur of σ 1.5 pixels, not from σ 2.
	page2 := qr.Gray(printtest.Render(t, pdf, 122, 1, 1)[0])
	img2 := photograph(page2, shot{w: 1224, h: 1632}, 0)
	for _, tc := range []struct {
		sigma   float64
		blurred bool
	}{{0, false}, {1, false}, {2, true}} {
		img := img2
		if tc.sigma > 0 {
			img = gaussian(img2, tc.sigma)
		}
		if s, _ := qr.Sharpness(img); (s < 0.005) != tc.blurred {
			t.Errorf("2 MP, σ %.1f px: sharpness %.4f; want blurred (under 0.005) %v", tc.sigma, s, tc.blurred)
		}
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
