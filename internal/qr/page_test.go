package qr

import (
	"image"
	"testing"
)

// TestFindPage draws a light quadrilateral on a dark image and finds its
// corners within the step of the shrunk copy findPage looks at; an image
// with no sheet on it (all light, all dark, a sliver) has no page.
func TestFindPage(t *testing.T) {
	want := quad{{300, 200}, {1500, 260}, {1400, 1900}, {250, 1750}}
	g := image.NewGray(image.Rect(0, 0, 1800, 2100))
	inside := func(x, y float64) bool {
		for k := range 4 {
			a, b := want[k], want[(k+1)%4]
			if (b[0]-a[0])*(y-a[1])-(b[1]-a[1])*(x-a[0]) < 0 {
				return false
			}
		}
		return true
	}
	for y := range 2100 {
		for x := range 1800 {
			g.Pix[y*1800+x] = 60
			if inside(float64(x)+0.5, float64(y)+0.5) {
				g.Pix[y*1800+x] = 230
			}
		}
	}
	got, ok := findPage(g)
	if !ok {
		t.Fatal("no page found")
	}
	for k := range 4 {
		if d := dist(got[k], want[k]); d > 12 {
			t.Errorf("corner %d at %v, want %v (%.1f pixels off)", k, got[k], want[k], d)
		}
	}
	page := straighten(g, got)
	if w, h := page.Rect.Dx(), page.Rect.Dy(); w < 1180 || w > 1220 || h < 1620 || h > 1665 {
		t.Errorf("straightened to %d×%d, want the longer sides, about 1201×1643", w, h)
	}
	light := 0
	for _, v := range page.Pix {
		if v > 200 {
			light++
		}
	}
	if light < len(page.Pix)*97/100 {
		t.Errorf("straightened page is %d%% light, want the sheet only", 100*light/len(page.Pix))
	}

	flat := image.NewGray(image.Rect(0, 0, 600, 800))
	for i := range flat.Pix {
		flat.Pix[i] = 240
	}
	sliver := image.NewGray(image.Rect(0, 0, 600, 800))
	for y := range 800 {
		for x := 290; x < 310; x++ {
			sliver.Pix[y*600+x] = 240
		}
	}
	for name, img := range map[string]*image.Gray{"flat": flat, "dark": image.NewGray(image.Rect(0, 0, 600, 800)), "sliver": sliver} {
		if q, ok := findPage(img); ok {
			t.Errorf("%s: a page at %v", name, q)
		}
	}
}
