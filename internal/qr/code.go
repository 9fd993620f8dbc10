package qr

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// MaxVersion is the largest QR code a part needs: version 18, 89 modules a
// side, holds the longest part at level M (doc/spec/qr.md). Larger codes read
// less often from noisy scans.
const MaxVersion = 18

// level is the error correction of every code: M restores up to 15% of the
// code, for a fold or a stain.
const level = qrcode.Medium

// Modules encodes a part's payload as a QR code at error correction level M
// and returns its modules, true where dark, row by row, without the quiet
// zone. It fails if the code would be larger than [MaxVersion].
func Modules(payload string) ([][]bool, error) {
	q, err := qrcode.New(payload, level)
	if err != nil {
		return nil, fmt.Errorf("encoding QR code: %v", err)
	}
	if q.VersionNumber > MaxVersion {
		return nil, fmt.Errorf("QR code of version %d is larger than version %d", q.VersionNumber, MaxVersion)
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}
