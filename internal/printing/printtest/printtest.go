// Package printtest makes the fixtures of the tests that print actas and scan
// them back (packages printing and qr) the way a user makes them: a signed
// acta, its PDF rendered by pdftoppm at 200 dpi as a printer and scanner
// would, then turned, blurred, speckled and JPEG-compressed as by a crooked
// sheet on a cheap scanner. They are made at test time into t.TempDir(); none
// is checked in.
package printtest

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// SignedActa returns a final acta of station 100.1 of the fixture, signed by
// its machine and cosigned by the witnesses of the first parties.
func SignedActa(t testing.TB, f *electiontest.Fixture, ballots, witnesses int) *acta.Signed {
	t.Helper()
	st := f.Def.Station("100.1")
	a := &acta.Acta{
		Election: f.Def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened:     time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Closed:     time.Date(2024, 7, 28, 18, 4, 31, 0, time.UTC),
		Registered: st.Registered, Ballots: ballots,
		Records:  acta.Digest([]string{"0000000000AB president=ALBA\n"}),
		Contests: acta.Blank(f.Def.Ballot(st)),
	}
	for i := range a.Contests {
		c := &a.Contests[i]
		c.Candidates[0].Votes = ballots / 2
		c.Candidates[1].Votes = ballots / 3
		c.Null = ballots - ballots/2 - ballots/3
	}
	return Sign(t, f, a, witnesses)
}

// Sign signs an acta of the fixture by its station's machine, has the
// witnesses of the first parties cosign it, and opens it.
func Sign(t testing.TB, f *electiontest.Fixture, a *acta.Acta, witnesses int) *acta.Signed {
	t.Helper()
	msg, err := acta.Sign(a, f.Machines[a.Station])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Parties[:witnesses] {
		if msg, err = acta.Cosign(msg, f.Def, f.Witness[p]); err != nil {
			t.Fatal(err)
		}
	}
	sa, err := acta.Open(msg, f.Def)
	if err != nil {
		t.Fatal(err)
	}
	return sa
}

// NeedPdftoppm skips the test if pdftoppm is missing, except on CI, which
// installs it (poppler-utils): there the test fails.
func NeedPdftoppm(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftoppm not found: CI must install poppler-utils")
		}
		t.Skip("pdftoppm not found: install poppler-utils to Render the PDF for the scanning tests")
	}
}

// Render renders pages first to last (1-based) of a PDF with pdftoppm at
// dpi, as PNG.
func Render(t testing.TB, pdf []byte, dpi, first, last int) []image.Image {
	t.Helper()
	NeedPdftoppm(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "sheet.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-png",
		"-f", fmt.Sprint(first), "-l", fmt.Sprint(last), in, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	sort.Strings(files) // pdftoppm pads the page numbers
	if len(files) != last-first+1 {
		t.Fatalf("pdftoppm made %d pages, want %d", len(files), last-first+1)
	}
	var pages []image.Image
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		pages = append(pages, img)
	}
	return pages
}

// Distort returns a page as a crooked, noisy scan: turned by deg degrees
// about its centre onto a white sheet, every pixel moved by up to ±noise
// levels of grey, blurred a little.
func Distort(src image.Image, deg float64, noise int, seed uint64) *image.RGBA {
	img := Rotate(src, deg)
	rnd := rand.New(rand.NewPCG(seed, 1))
	for i := 0; i < len(img.Pix); i += 4 {
		d := rnd.IntN(2*noise+1) - noise
		for k := range 3 {
			img.Pix[i+k] = uint8(min(255, max(0, int(img.Pix[i+k])+d)))
		}
	}
	return blur(img)
}

// Rotate turns an image by deg degrees about its centre, onto a white
// canvas large enough to hold it.
func Rotate(src image.Image, deg float64) *image.RGBA {
	b := src.Bounds()
	th := deg * math.Pi / 180
	c, s := math.Cos(th), math.Sin(th)
	w, h := float64(b.Dx()), float64(b.Dy())
	W, H := math.Abs(w*c)+math.Abs(h*s), math.Abs(w*s)+math.Abs(h*c)
	dst := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(W)), int(math.Ceil(H))))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	cx, cy := float64(b.Min.X)+w/2, float64(b.Min.Y)+h/2
	m := f64.Aff3{c, -s, W/2 - c*cx + s*cy, s, c, H/2 - s*cx - c*cy}
	draw.ApproxBiLinear.Transform(dst, m, src, b, draw.Over, nil)
	return dst
}

// blur is a 3×3 box blur, as of a scanner slightly out of focus: a pass
// along the rows, then one down the columns.
func blur(img *image.RGBA) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	tmp := make([]uint16, w*h*3) // row sums of three
	for y := range h {
		row := img.Pix[y*img.Stride:]
		for x := range w {
			for k := range 3 {
				sum := 3 * int(row[4*x+k])
				if x > 0 && x < w-1 {
					sum = int(row[4*(x-1)+k]) + int(row[4*x+k]) + int(row[4*(x+1)+k])
				}
				tmp[(y*w+x)*3+k] = uint16(sum)
			}
		}
	}
	out := image.NewRGBA(img.Rect)
	for y := range h {
		up, down := max(0, y-1), min(h-1, y+1)
		for x := range w {
			o := y*out.Stride + 4*x
			for k := range 3 {
				sum := int(tmp[(up*w+x)*3+k]) + int(tmp[(y*w+x)*3+k]) + int(tmp[(down*w+x)*3+k])
				out.Pix[o+k] = uint8(sum / 9)
			}
			out.Pix[o+3] = 255
		}
	}
	return out
}

// Save writes an image as PNG, or JPEG at the given quality if quality > 0.
func Save(t testing.TB, path string, img image.Image, quality int) {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if quality > 0 {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	}
	if err == nil {
		err = os.WriteFile(path, buf.Bytes(), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// PageCount returns the number of pages of a PDF made by printing.PDF.
func PageCount(pdf []byte) int {
	return bytes.Count(pdf, []byte("/Type /Page\n"))
}
