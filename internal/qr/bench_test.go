package qr_test

import (
	"image"
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
