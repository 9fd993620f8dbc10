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
