//go:build !js

package qr

import (
	"errors"
	"fmt"
	"strings"

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
	why := map[string]error{} // why an image with some parts did not give all
	for _, path := range paths {
		img, err := ReadImage(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		payloads, err := ScanImage(img)
		if len(payloads) == 0 {
			errs = append(errs, &ScanError{[]string{path}, err})
			continue
		}
		if err != nil {
			why[path] = err
		}
		asm.Add(path, payloads)
	}
	msgs, aerrs := asm.Actas()
	for _, err := range aerrs {
		errs = append(errs, explain(err, why))
	}
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

// explain adds to the error of an acta with parts missing why the images
// its parts came from did not give the others, where ScanImage could tell:
// "acta 3c5a…: missing QR part 2/2 (have 1 of 2); in a.jpg, a code is cut
// by the edge of the photo: …".
func explain(err error, why map[string]error) error {
	var se *ScanError
	if !errors.As(err, &se) || !errors.Is(err, ErrMissing) {
		return err
	}
	reasons := []error{se.Err}
	for _, f := range se.Files {
		if w := why[f]; w != nil {
			reasons = append(reasons, fmt.Errorf("in %s, %w", f, w))
		}
	}
	if len(reasons) == 1 {
		return err
	}
	return &ScanError{se.Files, joinReasons(reasons)}
}

// joinReasons joins errors with "; " on one line, each still matched by
// errors.Is.
type joinReasons []error

func (j joinReasons) Error() string {
	s := make([]string, len(j))
	for i, e := range j {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

func (j joinReasons) Unwrap() []error { return j }
