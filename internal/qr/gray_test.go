package qr

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

func randomGray(w, h int, seed uint64) *image.Gray {
	rnd := rand.New(rand.NewPCG(seed, 0))
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = uint8(rnd.IntN(256))
	}
	return g
}

// TestSmooth checks the running sums of smooth against the mean of each
// 5×5 neighbourhood, edges repeated.
func TestSmooth(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {3, 2}, {17, 9}, {40, 41}} {
		w, h := size[0], size[1]
		src := randomGray(w, h, uint64(w*h))
		got := smooth(src)
		for y := range h {
			for x := range w {
				sum := 0
				for dy := -2; dy <= 2; dy++ {
					for dx := -2; dx <= 2; dx++ {
						sum += int(src.GrayAt(min(max(x+dx, 0), w-1), min(max(y+dy, 0), h-1)).Y)
					}
				}
				if want := uint8((sum + 12) / 25); got.GrayAt(x, y).Y != want {
					t.Fatalf("%d×%d: pixel (%d, %d) is %d, want %d", w, h, x, y, got.GrayAt(x, y).Y, want)
				}
			}
		}
	}
}

func TestQuarter(t *testing.T) {
	src := randomGray(7, 4, 1)
	got := quarter(src)
	if got.Rect.Dx() != 4 || got.Rect.Dy() != 7 {
		t.Fatalf("quarter of 7×4 is %v", got.Rect)
	}
	for y := range 4 {
		for x := range 7 {
			// Clockwise: the left column becomes the top row, read upwards.
			if got.GrayAt(3-y, x) != src.GrayAt(x, y) {
				t.Fatalf("pixel (%d, %d) moved wrong", x, y)
			}
		}
	}
}

// TestGray checks that every image type converts to the luminance the
// decoder would compute, and that a sub-image keeps its own pixels.
func TestGray(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 6, 4))
	rnd := rand.New(rand.NewPCG(2, 0))
	for i := range src.Pix {
		src.Pix[i] = uint8(rnd.IntN(256))
		if i%4 == 3 {
			src.Pix[i] = 255
		}
	}
	want := func(c color.Color) uint8 {
		r, g, b, _ := c.RGBA()
		return uint8((r + 2*g + b) / 4 >> 8)
	}
	sub := src.SubImage(image.Rect(1, 1, 5, 4)).(*image.RGBA)
	nrgba := image.NewNRGBA(sub.Bounds())
	for y := 1; y < 4; y++ {
		for x := 1; x < 5; x++ {
			nrgba.Set(x, y, sub.At(x, y))
		}
	}
	for _, img := range []image.Image{sub, nrgba} {
		g := gray(img)
		for y := range 3 {
			for x := range 4 {
				c := sub.At(x+1, y+1)
				if d := int(g.GrayAt(x, y).Y) - int(want(c)); d < -1 || d > 1 {
					t.Errorf("%T: pixel (%d, %d) is %d, want %d", img, x, y, g.GrayAt(x, y).Y, want(c))
				}
			}
		}
	}
}
