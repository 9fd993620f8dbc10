//go:build !js

package qr

import (
	"fmt"
	"image"

	qrcode "github.com/skip2/go-qrcode"
)

// CodeImages returns the QR codes of a signed acta as images, one for each
// part, at 8 pixels a module with the quiet zone: what a phone shows, or a
// scan of the codes alone.
func CodeImages(msg []byte) ([]image.Image, error) {
	parts, err := Parts(msg)
	if err != nil {
		return nil, err
	}
	var out []image.Image
	for _, p := range parts {
		q, err := qrcode.New(p, level)
		if err != nil {
			return nil, fmt.Errorf("encoding QR code: %v", err)
		}
		out = append(out, q.Image(8*(len(q.Bitmap()))))
	}
	return out, nil
}
