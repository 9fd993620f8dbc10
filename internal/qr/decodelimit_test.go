package qr_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/qr"
)

// deepPNG returns a PNG of w×h pixels of 16 bits a channel (RGBA64), all
// zero: a file of a few hundred KB that decodes to 8 bytes a pixel.
func deepPNG(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(kind))
		crc.Write(data)
		b.WriteString(kind)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 16, 6 // 16 bits, RGBA
	chunk("IHDR", ihdr)
	var idat bytes.Buffer
	z, _ := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	row := make([]byte, 1+8*w) // filter byte, then the pixels
	for range h {
		if _, err := z.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	z.Close()
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}

// TestDeepImageRefused: a small PNG of 16 bits a channel that would take
// 206 MB decoded, though its pixels are within bounds, is refused before it
// is decoded, with an error naming the file and saying why.
func TestDeepImageRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deep.png")
	data := deepPNG(t, 5200, 5200)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := qr.ReadImage(path)
	var se *qr.ScanError
	if !errors.As(err, &se) || !errors.Is(err, qr.ErrImage) || !strings.Contains(err.Error(), path) ||
		!strings.Contains(err.Error(), "5200×5200 pixels of up to 8 bytes each take 206 MB decoded, want at most 192 MB") {
		t.Fatalf("a %d KB PNG of 16 bits a channel, 206 MB decoded: %v", len(data)>>10, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("refusing it took %v", d)
	}
}
