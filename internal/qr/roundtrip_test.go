package qr

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// TestBytesRoundTrip encodes every byte value, and the acta's em dash, in a
// code and reads it back: the decoder must not reinterpret them as text.
func TestBytesRoundTrip(t *testing.T) {
	var chunk []byte
	for i := range 256 {
		chunk = append(chunk, byte(i))
	}
	chunk = append(chunk, "— González\n"...)
	parts, err := Parts(chunk)
	if err != nil {
		t.Fatal(err)
	}
	q, err := qrcode.New(parts[0], level)
	if err != nil {
		t.Fatal(err)
	}
	img := q.Image(q.VersionNumber*4*6 + 17*6)
	got, err := ScanImage(img)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != parts[0] {
		t.Fatalf("read %q,\nwant %q", got, parts[0])
	}
	back, err := Join(got)
	if err != nil || !bytes.Equal(back, chunk) {
		t.Fatalf("join: %v", err)
	}
	// The image types of PNG and JPEG decoders, and any other, read alike.
	rgba := image.NewNRGBA(img.Bounds())
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			r, g, b, _ := img.At(x, y).RGBA()
			rgba.Set(x, y, color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255})
		}
	}
	if got, err := ScanImage(rgba); err != nil || len(got) != 1 || got[0] != parts[0] {
		t.Errorf("NRGBA image: read %d codes, %v", len(got), err)
	}
}
