package printing

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"slices"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestEvalAttempts measures the ways of reading an image (the attempts of
// ScanImage) on sheets harsher than the ones the other tests scan: for each
// sheet that the first attempt does not read completely, which of the others
// would complete it, and what each costs. It is slow and runs only when
// PRINTING_EVAL is set:
//
//	PRINTING_EVAL=1 go test -run TestEvalAttempts -v ./internal/printing/
func TestEvalAttempts(t *testing.T) {
	if os.Getenv("PRINTING_EVAL") == "" {
		t.Skip("set PRINTING_EVAL=1 to measure the scanning attempts")
	}
	for _, contests := range []int{1, 8} {
		f := electiontest.New(electiontest.Options{Contests: contests})
		sa := signedActa(t, f, 10, 3)
		parts, _ := Parts(sa.Msg)
		pdf, err := PDF(sa, f.Def)
		if err != nil {
			t.Fatal(err)
		}
		n := pageCount(pdf) / (len(f.Def.Parties) + 1)
		page := render(t, pdf, 200, n, n)[0]
		rescued := make([]int, len(attempts))
		cost := make([]time.Duration, len(attempts))
		sheets, missed, read := 0, 0, 0
		for seed := range uint64(3) {
			for angle := -10.0; angle <= 10; angle++ {
				img := harsh(page, angle, seed*1000+uint64(angle+100))
				g := gray(img)
				sheets++
				var first []string
				for i, a := range attempts {
					t0 := time.Now()
					found := a.find(g)
					cost[i] += time.Since(t0)
					if i == 0 {
						first = found
						if completeAll(found, len(parts)) {
							break
						}
						missed++
					} else if completeAll(append(slices.Clone(first), found...), len(parts)) {
						rescued[i]++
					}
				}
				if got, _ := ScanImage(img); completeAll(got, len(parts)) {
					read++
				}
			}
		}
		t.Logf("%d contests, %d codes of %d bytes, %d harsh sheets: %s misses %d, ScanImage reads %d",
			contests, len(parts), len(parts[0]), sheets, attempts[0].name, missed, read)
		t.Logf("  %-14s %4d ms a sheet", attempts[0].name, cost[0].Milliseconds()/int64(sheets))
		for i, a := range attempts[1:] {
			t.Logf("  %-14s %4d ms a sheet, completes %d of the %d", a.name, cost[i+1].Milliseconds()/int64(max(1, missed)), rescued[i+1], missed)
		}
	}
}

// completeAll reports whether payloads hold all n parts of one acta.
func completeAll(payloads []string, n int) bool {
	seen := map[int]bool{}
	for _, pl := range payloads {
		if p, err := parsePart(pl); err == nil {
			seen[p.i] = true
		}
	}
	return len(seen) == n && complete(payloads)
}

// harsh makes a sheet harder than distort: grey paper and weak ink, more
// noise, then JPEG at quality 40.
func harsh(src image.Image, angle float64, seed uint64) image.Image {
	img := rotate(src, angle)
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = uint8(50 + int(img.Pix[i])*160/255)
		}
	}
	return jpegRoundTrip(distort(img, 0, 90, seed), 40)
}

func jpegRoundTrip(img image.Image, quality int) image.Image {
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	out, _ := jpeg.Decode(&buf)
	return out
}

// TestEvalSizes measures how often one pass of the decoder reads a single
// code from a harsh sheet, by the code's size, the module's size and the
// resolution of the scan, to choose ChunkSize and moduleMM. Runs only when
// PRINTING_EVAL is set.
func TestEvalSizes(t *testing.T) {
	if os.Getenv("PRINTING_EVAL") == "" {
		t.Skip("set PRINTING_EVAL=1 to measure the code sizes")
	}
	for _, tc := range []struct {
		size int
		mm   float64
		dpi  int
	}{
		{300, moduleMM, 200}, {ChunkSize, moduleMM, 200}, {740, moduleMM, 200}, {964, moduleMM, 200},
		{ChunkSize, 0.77, 200}, {ChunkSize, 0.95, 200}, {ChunkSize, 1, 200},
		{ChunkSize, moduleMM, 150},
	} {
		msg := message(tc.size)
		payload := fmt.Sprintf("%s1/1 %s\n%s", header, digest(msg), msg)
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.AddPage()
		q, err := qrcode.New(payload, level)
		if err != nil {
			t.Fatal(err)
		}
		q.DisableBorder = true
		c := &code{modules: q.Bitmap(), side: float64(len(q.Bitmap())) * moduleMM}
		pdf.TransformBegin()
		pdf.TransformScale(100*tc.mm/moduleMM, 100*tc.mm/moduleMM, margin, 150)
		c.draw(pdf, margin, 150)
		pdf.TransformEnd()
		var buf bytes.Buffer
		if err := pdf.Output(&buf); err != nil {
			t.Fatal(err)
		}
		page := render(t, buf.Bytes(), tc.dpi, 1, 1)[0]
		ok, sheets := 0, 0
		for seed := range uint64(3) {
			for angle := -10.0; angle <= 10; angle += 1 {
				g := gray(harsh(page, angle, seed*1000+uint64(angle+100)))
				sheets++
				if found := attempts[0].find(g); len(found) == 1 && found[0] == payload {
					ok++
				}
			}
		}
		t.Logf("%d bytes: version %d, %d modules of %.2f mm (%.0f mm) at %d dpi (%.1f px a module): %s reads %d/%d",
			tc.size, q.VersionNumber, len(c.modules), tc.mm, tc.mm*float64(len(c.modules)), tc.dpi, tc.mm/25.4*float64(tc.dpi), attempts[0].name, ok, sheets)
	}
}
