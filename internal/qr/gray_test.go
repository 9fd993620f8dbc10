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

// TestEnlarge checks enlarge against bilinear interpolation at the
// centres of the output pixels, a quarter of a source pixel off the
// centres of the source ones, edges repeated.
func TestEnlarge(t *testing.T) {
	src := randomGray(7, 5, 3)
	got := enlarge(src)
	if got.Rect.Dx() != 14 || got.Rect.Dy() != 10 {
		t.Fatalf("size %v, want 14×10", got.Rect)
	}
	at := func(x, y int) float64 {
		return float64(src.Pix[min(max(y, 0), 4)*src.Stride+min(max(x, 0), 6)])
	}
	for y := range 10 {
		for x := range 14 {
			// Source pixel and neighbour, with weights 3/4 and 1/4.
			sx, nx := x/2, x/2-1+2*(x%2)
			sy, ny := y/2, y/2-1+2*(y%2)
			want := (9*at(sx, sy) + 3*at(nx, sy) + 3*at(sx, ny) + at(nx, ny)) / 16
			if d := float64(got.Pix[y*got.Stride+x]) - want; d < -0.51 || d > 0.51 {
				t.Fatalf("(%d,%d) = %d, want %.2f", x, y, got.Pix[y*got.Stride+x], want)
			}
		}
	}
}

// TestSharpen: a flat image stays flat; an edge gets steeper.
func TestSharpen(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 20, 20))
	for y := range 20 {
		for x := range 20 {
			g.Pix[y*20+x] = uint8(100 + 5*x) // a ramp: its mean is itself inside
		}
	}
	s := sharpen(g, 2)
	if s.Pix[10*20+10] != g.Pix[10*20+10] {
		t.Errorf("a ramp changed inside: %d, want %d", s.Pix[10*20+10], g.Pix[10*20+10])
	}
	for i := range g.Pix {
		g.Pix[i] = 200
		if i%20 >= 10 {
			g.Pix[i] = 50
		}
	}
	s = sharpen(g, 2)
	if s.Pix[10*20+9] <= 200 || s.Pix[10*20+10] >= 50 {
		t.Errorf("edge 200|50 sharpened to %d|%d, want over 200 and under 50", s.Pix[10*20+9], s.Pix[10*20+10])
	}
}
