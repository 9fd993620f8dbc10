package qr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
)

// ErrImage: a file that is not a PNG or JPEG image that can be decoded.
var ErrImage = errors.New("unreadable image")

// maxPixels bounds the images ReadImage decodes: a 50-megapixel phone photo
// is fine, a small file that claims to be a gigapixel is not.
const maxPixels = 64 << 20

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
	return decode(data)
}
