package phone_test

import (
	"image"
	"image/draw"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// A photo from which no code is read says why, as `acta scan` does (the
// same thresholds, internal/qr/diagnose.go): a code cut by the photo's
// edge, a blurred code, and a page with no code, each crafted, in English
// and in Spanish.
func TestAppSaysWhy(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	codes, err := qr.CodeImages(printtest.SignedActa(t, f, 8, 1).Msg)
	if err != nil {
		t.Fatal(err)
	}
	code := image.NewGray(codes[0].Bounds()) // 8 pixels a module, with the quiet zone
	draw.Draw(code, code.Rect, codes[0], codes[0].Bounds().Min, draw.Src)
	w, h := code.Rect.Dx(), code.Rect.Dy()
	dir := t.TempDir()
	save := func(name string, img image.Image) string {
		file := filepath.Join(dir, name)
		printtest.Save(t, file, img, 0)
		return file
	}
	cut := save("cut.png", code.SubImage(image.Rect(0, 0, w*6/10, h)))
	blurred := save("blurred.png", boxBlur(code, 10, 4))
	words := image.NewGray(image.Rect(0, 0, 600, 400))
	for i := range words.Pix {
		words.Pix[i] = 240
		if x, y := i%600, i/600; y%40 > 25 && x > 40 && x < 560 && (x/30)%3 != 0 {
			words.Pix[i] = 40 // blocks of "text", away from the edges
		}
	}
	none := save("words.png", words)

	url, _, _ := server(t, f)
	for _, lang := range []string{"en", "es"} {
		ctx := openApp(t, url, lang)
		for _, tc := range []struct {
			file   string
			en, es string
		}{
			{cut, "a code is cut by the edge of the photo", "un código queda cortado por el borde de la foto"},
			{blurred, "too blurred. Hold still", "demasiado borrosa. No mueva el teléfono"},
			{none, "No QR code found in words.png", "No se encontró ningún código QR en words.png"},
		} {
			want := tc.en
			if lang == "es" {
				want = tc.es
			}
			var got string
			err := chromedp.Run(ctx,
				chromedp.SetUploadFiles("#photo", []string{tc.file}, chromedp.ByID),
				chromedp.Poll(`document.getElementById("progress").className === "error" && document.getElementById("progress").textContent.includes("`+filepath.Base(tc.file)+`")`, nil),
				chromedp.Text("#progress", &got, chromedp.ByID))
			if err != nil {
				t.Fatalf("%s, %s: %v", lang, tc.file, err)
			}
			if !strings.Contains(got, want) {
				t.Errorf("%s, %s: %q, want it to say %q", lang, filepath.Base(tc.file), got, want)
			}
			if tc.file == cut {
				look(t, ctx, "scan-why-cut-"+lang)
			}
		}
	}
}

// boxBlur blurs an image by a (2r+1)-pixel box n times, along the rows
// and down the columns (about a Gaussian of σ r·√(2n/3)).
func boxBlur(src *image.Gray, r, n int) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	cur := src
	for range n {
		for _, across := range []bool{true, false} {
			out := image.NewGray(image.Rect(0, 0, w, h))
			for y := range h {
				for x := range w {
					s := 0
					for d := -r; d <= r; d++ {
						xx, yy := x, y
						if across {
							xx = min(max(x+d, 0), w-1)
						} else {
							yy = min(max(y+d, 0), h-1)
						}
						s += int(cur.Pix[yy*cur.Stride+xx])
					}
					out.Pix[y*w+x] = uint8(s / (2*r + 1))
				}
			}
			cur = out
		}
	}
	return cur
}
