package qr

import "errors"

// ErrNoCode: an image in which no QR code could be read.
var ErrNoCode = errors.New("no QR code found")
