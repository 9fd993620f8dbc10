package qr

import "errors"

// Why an image gave no code, or not all of an acta's codes: what the
// witness can do about it. ScanImage wraps one of the last three in
// ErrNoCode when it read nothing ("no QR code found: too blurred: hold
// still"); ScanFiles adds it to the error of an acta left with parts
// missing.
var (
	// ErrNoCode: an image in which no QR code could be read.
	ErrNoCode = errors.New("no QR code found")
	// ErrCut: a code runs off the edge of the photo.
	ErrCut = errors.New("a code is cut by the edge of the photo: take it again with the whole sheet in the frame")
	// ErrBlurred: the photo is too blurred for its codes to be read.
	ErrBlurred = errors.New("too blurred: hold still, and let the camera focus")
	// ErrCrowded: an image with more shapes like the corner squares of a
	// code than any sheet has, which would keep the decoder busy for
	// minutes: a hostile file, or a picture of something else.
	ErrCrowded = errors.New("more shapes like the corners of a QR code than any tally sheet has: not decoded")
	// ErrSmall: the codes have too few pixels for their modules.
	ErrSmall = errors.New("the codes are too small in the photo: come closer")
)

// spanish is the advice of each reason in Spanish, for a witness who reads
// it: the CLI prints it under a Spanish locale, and the phone app has the
// same words (assets/app.js, scanWhy).
var spanish = []struct {
	err error
	es  string
}{
	{ErrCut, "un código queda cortado por el borde de la foto: tómela otra vez con la hoja entera en el cuadro"},
	{ErrBlurred, "demasiado borrosa: no mueva el teléfono y deje que la cámara enfoque"},
	{ErrSmall, "los códigos salen demasiado pequeños en la foto: acérquese"},
	{ErrMissing, "faltan códigos del acta: fotografíe los que faltan"},
	{ErrCrowded, "la imagen tiene más formas como las esquinas de un código QR que cualquier acta: no se leyó"},
	{ErrNoCode, "no se encontró ningún código QR"},
}

// Spanish returns, in Spanish, what a witness should know of a scanning
// error: the advice of the first reason it wraps (ErrCut, ErrBlurred,
// ErrSmall, ErrMissing, ErrNoCode, in that order), or "" if it wraps none.
func Spanish(err error) string {
	for _, s := range spanish {
		if errors.Is(err, s.err) {
			return s.es
		}
	}
	return ""
}
