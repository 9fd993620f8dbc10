package qr_test

import (
	"errors"
	"image"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// BenchmarkScanSheet scans one sheet as a 200 dpi scanner gives it: a page
// of a final acta with three witness signatures (two QR codes), turned by 5
// degrees, with noise and blur. In the same run it measures the floor: one
// pass of the decoder over the same codes, each alone in a clean greyscale
// image at the same 6.7 pixels a module, and reports the ratio.
func BenchmarkScanSheet(b *testing.B) {
	f := electiontest.New(electiontest.Options{Seed: "bench"})
	sa := printtest.SignedActa(b, f, 10, 3)
	pdf, err := printing.PDF(sa, f.Def, printing.English)
	if err != nil {
		b.Fatal(err)
	}
	sheet := printtest.Distort(printtest.Render(b, pdf, 200, 1, 1)[0], 5, 40, 1)
	parts, _ := qr.Parts(sa.Msg)
	var clean []*image.Gray
	for _, p := range parts {
		q, err := qrcode.New(p, qr.Level)
		if err != nil {
			b.Fatal(err)
		}
		n := 17 + 4*q.VersionNumber + 8                              // with the quiet zone
		clean = append(clean, qr.Gray(q.Image(int(float64(n)*6.7)))) // 6.7 pixels a module
	}

	b.ResetTimer()
	for range b.N {
		got, err := qr.ScanImage(sheet)
		if err != nil || len(got) != len(parts) {
			b.Fatalf("sheet: read %d of %d codes: %v", len(got), len(parts), err)
		}
	}
	b.StopTimer()
	scan := b.Elapsed()

	start := time.Now()
	for range b.N {
		for _, img := range clean {
			if got := qr.Attempts[0].Find(img); len(got) != 1 {
				b.Fatalf("floor: read %d codes from a clean one", len(got))
			}
		}
	}
	floor := time.Since(start)
	b.ReportMetric(float64(scan.Microseconds())/1000/float64(b.N), "ms/sheet")
	b.ReportMetric(float64(floor.Microseconds())/1000/float64(b.N), "floor-ms/sheet")
	b.ReportMetric(float64(scan)/float64(floor), "x-floor")
}

// BenchmarkScanHostile times ScanImage on the images of
// TestScanHostileFinders, on 48 finder patterns of 40 pixels a module (as
// many as an image may hold to be decoded: the decoder's slowest), and on a
// 48-megapixel photo of a page of text (no code: every attempt runs). In the
// same run it measures the floor: the first attempt on a white image of the
// same size (a binarization and a scan that finds nothing), and reports the
// ratio.
func BenchmarkScanHostile(b *testing.B) {
	images := hostileImages()
	most := image.NewGray(image.Rect(0, 0, 8*9*40, 6*9*40))
	copy(most.Pix, finderGrid(8*9*40, 40).Pix)
	images = append(images,
		hostileImage{name: "48 patterns 40px", img: most},
		hostileImage{name: "48MP text photo", img: photograph(text(2480, 3508), shot{w: 8000, h: 6000}, 1)})
	for _, h := range images {
		b.Run(strings.ReplaceAll(h.name, " ", "_"), func(b *testing.B) {
			white := image.NewGray(h.img.Rect)
			for i := range white.Pix {
				white.Pix[i] = 255
			}
			b.ResetTimer()
			for range b.N {
				if got, err := qr.ScanImage(h.img); len(got) != 0 || !errors.Is(err, qr.ErrNoCode) {
					b.Fatalf("read %d codes, error %v", len(got), err)
				}
			}
			b.StopTimer()
			scan := b.Elapsed()
			start := time.Now()
			for range b.N {
				qr.Attempts[0].Find(white)
			}
			floor := time.Since(start)
			b.ReportMetric(float64(scan.Microseconds())/1000/float64(b.N), "ms/image")
			b.ReportMetric(float64(floor.Microseconds())/1000/float64(b.N), "floor-ms/image")
			b.ReportMetric(float64(scan)/float64(floor), "x-floor")
		})
	}
}
