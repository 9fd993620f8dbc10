package qr

import "image"

// Names for the external tests (package qr_test), which print sheets with
// package printing, which imports qr.

// Level is the error correction of every code.
const Level = level

// Header is the start of a version 1 part's header line.
const Header = header1

// PartsV1 splits a message into version 1 parts, as sheets printed before
// version 2 carry them.
func PartsV1(msg []byte) ([]string, error) { return partsV1(msg) }

// Gray returns an image's luminance as the decoder reads it.
func Gray(img image.Image) *image.Gray { return gray(img) }

// Complete reports whether payloads hold a part and all parts of each acta
// they have a part of.
func Complete(payloads []string) bool { return complete(payloads) }

// PartNumber returns the number of a well-formed part.
func PartNumber(payload string) (int, bool) {
	p, err := parsePart(payload)
	if err != nil {
		return 0, false
	}
	return p.i, true
}

// An Attempt is one of ScanImage's ways of looking for codes.
type Attempt struct {
	Name string
	Find func(*image.Gray) []string
}

// Attempts are ScanImage's attempts, in order.
var Attempts = func() []Attempt {
	var out []Attempt
	for _, a := range attempts {
		out = append(out, Attempt{a.name, func(g *image.Gray) []string { return a.find(&view{g: g}) }})
	}
	return out
}()

// Message returns n bytes of text with some UTF-8 in it, as an acta has.
func Message(n int) []byte { return message(n) }

// Sharpness is the measure of blur behind ErrBlurred, at the resolution
// diagnose measures it.
func Sharpness(img image.Image) (float64, bool) { return sharpness(fit(gray(img), sharpSide)) }

// Diagnose says why codes could not be read from an image, if it can.
func Diagnose(img image.Image) error { return (&view{g: gray(img)}).diagnose() }

// Enlarge returns an image twice as large each way, as the 2× attempt does.
func Enlarge(g *image.Gray) *image.Gray { return enlarge(g) }
