//go:build !js

package qr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
)

// ErrImage: a file that is not a PNG or JPEG image that can be decoded.
var ErrImage = errors.New("unreadable image")

// maxPixels and maxDecoded bound the images ReadImage decodes, by their
// pixels and by the bytes they take decoded: a 50-megapixel phone photo
// (some 75 MB as JPEG decodes it) or an A4 page scanned at 600 dpi in colour
// (35 megapixels, 140 MB) is fine; a small file that claims to be a
// gigapixel is not, nor a 64-megapixel PNG of 16 bits a channel (512 MB).
const (
	maxPixels  = 64 << 20
	maxDecoded = 192 << 20
)

// pixelBytes is how many bytes a pixel of an image of model m takes once
// decoded, at most: a PNG whose header says grey may still decode to NRGBA
// (a tRNS chunk), and JPEG's YCbCr takes 3 bytes a pixel at 4:4:4.
func pixelBytes(m color.Model) int {
	switch m {
	case color.AlphaModel:
		return 1
	case color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.GrayModel, color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8 // Gray16, RGBA64, NRGBA64 and any other
}

// ReadImage reads a PNG or JPEG image file, telling the two apart by their
// content, not their name. Its errors are *ScanError naming the file, and
// wrap ErrImage when the file is not an image it can decode.
func ReadImage(path string) (image.Image, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ScanError{[]string{path}, err}
	}
	img, err := decodeImage(data)
	if err != nil {
		return nil, &ScanError{[]string{path}, fmt.Errorf("%w: %v", ErrImage, err)}
	}
	return img, nil
}

func decodeImage(data []byte) (image.Image, error) {
	var config func([]byte) (image.Config, error)
	var decode func([]byte) (image.Image, error)
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		config = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		config = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
	case len(data) == 0:
		return nil, errors.New("empty file")
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return nil, errors.New("a PDF, neither PNG nor JPEG: render its pages as images first (pdftoppm -r 200 -png FILE.pdf page)")
	default:
		return nil, fmt.Errorf("neither PNG nor JPEG (it starts %q)", preview(string(data[:min(len(data), 8)])))
	}
	c, err := config(data)
	if err != nil {
		return nil, err
	}
	if c.Width <= 0 || c.Height <= 0 || c.Width*c.Height > maxPixels {
		return nil, fmt.Errorf("%d×%d pixels, want at most %d megapixels", c.Width, c.Height, maxPixels>>20)
	}
	if n := pixelBytes(c.ColorModel); c.Width*c.Height*n > maxDecoded {
		return nil, fmt.Errorf("%d×%d pixels of up to %d bytes each take %d MB decoded, want at most %d MB (save it with 8 bits a channel, or smaller)",
			c.Width, c.Height, n, c.Width*c.Height*n>>20, maxDecoded>>20)
	}
	return decode(data)
}
