package qr_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"path/filepath"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// TestScanSheets prints actas, renders the PDF at 200 dpi, turns pages of
// the copies by up to 10 degrees either way, adds noise and blur, saves them
// as PNG or JPEG, and scans each copy's files back: every acta must come
// back byte for byte and open against the definition.
func TestScanSheets(t *testing.T) {
	type sheet struct {
		copy  int // 0-based
		angle float64
		jpeg  bool
	}
	for _, tc := range []struct {
		name                string
		contests, witnesses int
		parts, pages        int // QR codes, and pages a copy
		sheets              []sheet
	}{
		{"two codes", 1, 0, 2, 1, []sheet{{0, -10, false}, {3, 10, true}}},
		{"three codes", 1, 3, 3, 1, []sheet{{1, 6.5, false}, {2, -3.5, true}}},
		{"five codes, two pages", 4, 3, 5, 2, []sheet{{3, -7, true}, {0, 2, false}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := electiontest.New(electiontest.Options{Contests: tc.contests})
			sa := printtest.SignedActa(t, f, 10, tc.witnesses)
			if parts, _ := qr.Parts(sa.Msg); len(parts) != tc.parts {
				t.Fatalf("acta of %d bytes is %d parts, want %d", len(sa.Msg), len(parts), tc.parts)
			}
			pdf, err := printing.PDF(sa, f.Def, printing.English)
			if err != nil {
				t.Fatal(err)
			}
			if n := printtest.PageCount(pdf); n != (len(f.Def.Parties)+1)*tc.pages {
				t.Fatalf("%d pages, want %d copies of %d", n, len(f.Def.Parties)+1, tc.pages)
			}
			dir := t.TempDir()
			if printtest.Race {
				tc.sheets = tc.sheets[:1]
			}
			for _, sh := range tc.sheets {
				var files []string
				for i, page := range printtest.Render(t, pdf, 200, sh.copy*tc.pages+1, (sh.copy+1)*tc.pages) {
					img := printtest.Distort(page, sh.angle, 40, uint64(sh.copy))
					file := filepath.Join(dir, fmt.Sprintf("copy%d-page%d", sh.copy+1, i+1))
					if sh.jpeg {
						file += ".jpg"
						printtest.Save(t, file, img, 75)
					} else {
						file += ".png"
						printtest.Save(t, file, img, 0)
					}
					files = append(files, file)
				}
				got, errs := qr.ScanFiles(f.Def, files)
				for _, err := range errs {
					// Pages of a long copy but the one with the
					// codes hold only text.
					if errors.Is(err, qr.ErrNoCode) && len(files) > 1 {
						continue
					}
					t.Errorf("copy %d turned %v°: %v", sh.copy+1, sh.angle, err)
				}
				if len(got) != 1 {
					t.Errorf("copy %d turned %v°: %d actas, want 1", sh.copy+1, sh.angle, len(got))
					continue
				}
				if !bytes.Equal(got[0].Msg, sa.Msg) {
					t.Errorf("copy %d: scanned acta differs from the printed one", sh.copy+1)
				}
			}
		})
	}
}

// halves splits a page into its left and right halves.
func halves(img image.Image) (left, right image.Image) {
	b := img.Bounds()
	sub := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	mid := b.Min.X + b.Dx()/2
	return sub.SubImage(image.Rect(b.Min.X, b.Min.Y, mid, b.Max.Y)), sub.SubImage(image.Rect(mid, b.Min.Y, b.Max.X, b.Max.Y))
}

// FuzzScanImage feeds ScanImage greyscale images made of arbitrary bytes
// (the first gives the width): whatever they hold, it returns, without a
// panic, either codes or an error that wraps ErrNoCode.
func FuzzScanImage(f *testing.F) {
	f.Add([]byte{8, 0, 255, 0, 255, 0, 255, 0, 255})
	f.Add(append([]byte{21}, make([]byte, 21*21)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		w := int(data[0])%96 + 1
		pix := data[1:]
		h := len(pix) / w
		if h == 0 || h > 96 {
			return
		}
		g := image.NewGray(image.Rect(0, 0, w, h))
		copy(g.Pix, pix)
		got, err := qr.ScanImage(g)
		if len(got) == 0 && !errors.Is(err, qr.ErrNoCode) {
			t.Fatalf("no code and error %v", err)
		}
	})
}

// FuzzScanTiled feeds ScanImage larger images than FuzzScanImage, up to 512
// pixels a side, made of a small tile of arbitrary bytes (the first gives
// its width) enlarged (the second byte) and repeated (the third): large
// enough for the attempts that only larger images reach (a sheet
// straightened, an image crowded with finder patterns, its copies
// sharpened and enlarged), small enough for each run to be quick. Whatever
// they hold, ScanImage returns codes or an error that wraps ErrNoCode.
func FuzzScanTiled(f *testing.F) {
	// A finder pattern in a 9×9 tile, 4 pixels a module, 8×8 times: crowded.
	finder := []byte{9, 4, 8}
	for y := range 9 {
		for x := range 9 {
			ring := max(abs(x-4), abs(y-4))
			v := byte(255)
			if x > 0 && x < 8 && y > 0 && y < 8 && (ring == 3 || ring <= 1) {
				v = 0
			}
			finder = append(finder, v)
		}
	}
	f.Add(finder)
	// A light sheet on a dark table, with a dark block on it: straightened.
	sheet := []byte{16, 30, 1}
	for y := range 16 {
		for x := range 16 {
			v := byte(40)
			if x >= 3 && x < 13 && y >= 2 && y < 15 {
				v = 230
				if x >= 5 && x < 8 && y >= 9 && y < 12 {
					v = 20
				}
			}
			sheet = append(sheet, v)
		}
	}
	f.Add(sheet)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 {
			return
		}
		w, m, r := int(data[0])%32+1, int(data[1])%32+1, int(data[2])%16+1
		tile := data[3:]
		h := min(len(tile)/w, 32)
		if h == 0 || w*m*r > 512 || h*m*r > 512 {
			return
		}
		g := image.NewGray(image.Rect(0, 0, w*m*r, h*m*r))
		for y := range g.Rect.Dy() {
			for x := range g.Rect.Dx() {
				g.Pix[y*g.Stride+x] = tile[(y/m%h)*w+x/m%w]
			}
		}
		got, err := qr.ScanImage(g)
		if len(got) == 0 && !errors.Is(err, qr.ErrNoCode) {
			t.Fatalf("no code and error %v", err)
		}
	})
}
