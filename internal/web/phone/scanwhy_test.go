package phone_test

import (
	"image"
	"image/color"
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

// The camera, held too unsteady for its frames to read, says so while it
// looks: every 8th frame in a row with no code.
func TestCameraSaysWhy(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	url, _, _ := server(t, f)
	codes, err := qr.CodeImages(printtest.SignedActa(t, f, 8, 1).Msg)
	if err != nil {
		t.Fatal(err)
	}
	fr := image.NewGray(image.Rect(0, 0, 1280, 720))
	draw.Draw(fr, fr.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	cb := codes[0].Bounds()
	scale := min(1, 680/float64(cb.Dx()))
	for y := range int(float64(cb.Dy()) * scale) {
		for x := range int(float64(cb.Dx()) * scale) {
			fr.Set(300+x, 20+y, codes[0].At(cb.Min.X+int(float64(x)/scale), cb.Min.Y+int(float64(y)/scale)))
		}
	}
	video := filepath.Join(t.TempDir(), "shaky.y4m")
	writeY4M(t, video, []*image.Gray{boxBlur(fr, 10, 4)}, 4)
	ctx := cameraBrowser(t, video)
	var got string
	err = chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery),
		chromedp.Click("#camera", chromedp.ByID),
		chromedp.Poll(`document.getElementById("progress").textContent.includes("too blurred")`, nil),
		chromedp.Text("#progress", &got, chromedp.ByID),
	)
	if err != nil {
		chromedp.Run(ctx, chromedp.Text("#progress", &got, chromedp.ByID))
		t.Fatalf("a shaky camera: %v (progress %q)", err, got)
	}
	if want := "No acta read from the camera: too blurred. Hold still"; !strings.HasPrefix(got, want) {
		t.Errorf("a shaky camera: %q, want %q", got, want)
	}
	look(t, ctx, "camera-blurred-en")
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
