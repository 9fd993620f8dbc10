//go:build !js

package qr

import (
	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// Scanned is an acta read back from images and verified.
type Scanned struct {
	*acta.Signed
	Files []string // the images its parts were read from
}

// ScanFiles reads PNG and JPEG images, finds the QR codes in each, joins the
// parts of each acta and opens it against the election definition. A bad
// image does not stop the others: it returns every acta it could read and
// verify, in the order first seen, and an error (a *ScanError naming the
// images) for every image that is unreadable or holds no part, every acta
// with parts missing, and every acta that acta.Open rejects.
func ScanFiles(def *election.Definition, paths []string) ([]*Scanned, []error) {
	var asm Assembler
	var errs []error
	for _, path := range paths {
		img, err := ReadImage(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		payloads, err := ScanImage(img)
		if err != nil {
			errs = append(errs, &ScanError{[]string{path}, err})
			continue
		}
		asm.Add(path, payloads)
	}
	msgs, aerrs := asm.Actas()
	errs = append(errs, aerrs...)
	var out []*Scanned
	for _, m := range msgs {
		sa, err := acta.Open(m.Msg, def)
		if err != nil {
			errs = append(errs, &ScanError{m.Files, err})
			continue
		}
		out = append(out, &Scanned{sa, m.Files})
	}
	return out, errs
}
