package qr_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// BenchmarkEvalAttempts measures the ways of reading an image (the attempts
// of ScanImage) on sheets harsher than the ones the tests scan: of 63 sheets,
// how many the first attempt reads completely, how many of the rest each
// other attempt completes, how many ScanImage reads in the end (all codes),
// how many of those it gives the acta from (any K codes), and what each
// attempt costs. It takes minutes:
//
//	go test -run '^$' -bench EvalAttempts -benchtime 1x ./internal/qr/
func BenchmarkEvalAttempts(b *testing.B) {
	for _, contests := range []int{1, 8} {
		b.Run(fmt.Sprintf("contests=%d", contests), func(b *testing.B) {
			for range b.N {
				evalAttempts(b, contests)
			}
		})
	}
}

func evalAttempts(b *testing.B, contests int) {
	f := electiontest.New(electiontest.Options{Contests: contests})
	sa := printtest.SignedActa(b, f, 10, 3)
	parts, _ := qr.Parts(sa.Msg)
	pdf, err := printing.PDF(sa, f.Def, printing.English)
	if err != nil {
		b.Fatal(err)
	}
	// The page of the first copy that has the codes: the last of its
	// tally, which need not be its last.
	n := printtest.PageCount(pdf) / (len(f.Def.Parties) + 1)
	var page image.Image
	for _, p := range printtest.Render(b, pdf, 200, 1, n) {
		if got, _ := qr.ScanImage(p); len(got) > 0 {
			page = p
			break
		}
	}
	if page == nil {
		b.Fatal("no page of the first copy has a code")
	}
	rescued := make([]int, len(qr.Attempts))
	cost := make([]time.Duration, len(qr.Attempts))
	sheets, missed, read, rebuilt := 0, 0, 0, 0
	for seed := range uint64(3) {
		for angle := -10.0; angle <= 10; angle++ {
			img := harsh(page, angle, seed*1000+uint64(angle+100))
			g := qr.Gray(img)
			sheets++
			var first []string
			for i, a := range qr.Attempts {
				t0 := time.Now()
				found := a.Find(g)
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
			got, _ := qr.ScanImage(img)
			if completeAll(got, len(parts)) {
				read++
			}
			var ours []string
			for _, pl := range got {
				if slices.Contains(parts, pl) {
					ours = append(ours, pl)
				}
			}
			if _, err := qr.Join(ours); err == nil {
				rebuilt++
			}
		}
	}
	b.ReportMetric(float64(len(parts)), "codes")
	b.ReportMetric(float64(sheets), "sheets")
	b.ReportMetric(float64(sheets-missed), "read-by-"+qr.Attempts[0].Name)
	b.ReportMetric(float64(cost[0].Milliseconds())/float64(sheets), "ms/sheet-"+qr.Attempts[0].Name)
	for i, a := range qr.Attempts[1:] {
		b.ReportMetric(float64(rescued[i+1]), "completed-by-"+a.Name)
		b.ReportMetric(float64(cost[i+1].Milliseconds())/float64(max(1, missed)), "ms/sheet-"+a.Name)
	}
	b.ReportMetric(float64(read), "read-by-ScanImage")
	b.ReportMetric(float64(rebuilt), "rebuilt-by-ScanImage")
}

// completeAll reports whether payloads hold all n parts of one acta.
func completeAll(payloads []string, n int) bool {
	seen := map[int]bool{}
	for _, pl := range payloads {
		if i, ok := qr.PartNumber(pl); ok {
			seen[i] = true
		}
	}
	return len(seen) == n && qr.Complete(payloads)
}

// harsh makes a sheet harder than distort: grey paper and weak ink, more
// noise, then JPEG at quality 40.
func harsh(src image.Image, angle float64, seed uint64) image.Image {
	img := printtest.Rotate(src, angle)
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = uint8(50 + int(img.Pix[i])*160/255)
		}
	}
	return jpegRoundTrip(printtest.Distort(img, 0, 90, seed), 40)
}

func jpegRoundTrip(img image.Image, quality int) image.Image {
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	out, _ := jpeg.Decode(&buf)
	return out
}

// BenchmarkEvalSizes measures how often one pass of the decoder reads a
// single code from 63 harsh sheets, by the code's size, the module's size and
// the resolution of the scan, to choose ChunkSize and moduleMM:
//
//	go test -run '^$' -bench EvalSizes -benchtime 1x ./internal/qr/
func BenchmarkEvalSizes(b *testing.B) {
	for _, tc := range []struct {
		size int
		mm   float64
		dpi  int
	}{
		{300, moduleMM, 200}, {qr.ChunkSize, moduleMM, 200}, {740, moduleMM, 200}, {964, moduleMM, 200},
		{qr.ChunkSize, 0.77, 200}, {qr.ChunkSize, 0.95, 200}, {qr.ChunkSize, 1, 200},
		{qr.ChunkSize, moduleMM, 150},
	} {
		b.Run(fmt.Sprintf("bytes=%d/mm=%.2f/dpi=%d", tc.size, tc.mm, tc.dpi), func(b *testing.B) {
			for range b.N {
				evalSize(b, tc.size, tc.mm, tc.dpi)
			}
		})
	}
}

func evalSize(b *testing.B, size int, mm float64, dpi int) {
	tc := struct {
		size int
		mm   float64
		dpi  int
	}{size, mm, dpi}
	msg := qr.Message(tc.size)
	payload := fmt.Sprintf("%s1/1 %s\n%s", qr.Header, qr.Digest(msg), msg)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	modules, err := qr.Modules(payload)
	if err != nil {
		b.Fatal(err)
	}
	pdf.TransformBegin()
	pdf.TransformScale(100*tc.mm/moduleMM, 100*tc.mm/moduleMM, margin, 150)
	drawCode(pdf, modules, margin, 150)
	pdf.TransformEnd()
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		b.Fatal(err)
	}
	page := printtest.Render(b, buf.Bytes(), tc.dpi, 1, 1)[0]
	ok, sheets := 0, 0
	for seed := range uint64(3) {
		for angle := -10.0; angle <= 10; angle += 1 {
			g := qr.Gray(harsh(page, angle, seed*1000+uint64(angle+100)))
			sheets++
			if found := qr.Attempts[0].Find(g); len(found) == 1 && found[0] == payload {
				ok++
			}
		}
	}
	b.ReportMetric(float64((len(modules)-17)/4), "version")
	b.ReportMetric(tc.mm/25.4*float64(tc.dpi), "px/module")
	b.ReportMetric(float64(sheets), "sheets")
	b.ReportMetric(float64(ok), "read")
}

// moduleMM and margin are package printing's: the printed side of a module
// and the page's margin, in millimetres.
const moduleMM, margin = 0.85, 12.0

// drawCode draws a code's modules with the top left corner at (x, y) mm as
// package printing draws them: one filled path of a rectangle for each run
// of dark modules in a row.
func drawCode(pdf *fpdf.Fpdf, modules [][]bool, x, y float64) {
	const k = 72 / 25.4 // points a millimetre
	_, pageH := pdf.GetPageSize()
	var b strings.Builder
	b.WriteString("q 0 g\n")
	for row, dark := range modules {
		for col := 0; col < len(dark); {
			if !dark[col] {
				col++
				continue
			}
			run := col
			for run < len(dark) && dark[run] {
				run++
			}
			fmt.Fprintf(&b, "%.2f %.2f %.2f %.2f re\n",
				(x+float64(col)*moduleMM)*k, (pageH-y-float64(row+1)*moduleMM)*k,
				float64(run-col)*moduleMM*k, moduleMM*k)
			col = run
		}
	}
	b.WriteString("f Q")
	pdf.RawWriteStr(b.String())
}
