package verify

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// AddCopies reads the signed actas that witnesses or auditors hold: each path
// is a file or a directory, read recursively. PNG and JPEG files are photos
// or scans of printed sheets, read through the scanner; every other file is a
// signed acta. A file that is not a valid acta of the election is a problem
// of the report, not a count.
func (v *Verifier) AddCopies(name string, paths []string) {
	src := v.source(name, KindCopy)
	var images []string
	for _, root := range paths {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if path == root {
					v.unread(name, path, "%v", err)
				} else {
					v.problem(name, path, "%v", err)
				}
				return nil
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".png", ".jpg", ".jpeg":
				images = append(images, path)
				return nil
			case ".pdf":
				v.problem(name, path, "a PDF: render its pages to images first (pdftoppm -r 200 -png %s page) and give those", path)
				return nil
			}
			msg, err := acta.ReadFile(path)
			if err != nil {
				v.problem(name, path, "%v", err)
				return nil
			}
			if c, ok := v.openCopy(src, path, msg); ok {
				c.Msg = nil // read again if it is evidence: a country's copies need not stay in memory
				v.add(v.def.Station(c.station).ID, c.Count)
			}
			return nil
		})
		if err != nil {
			v.problem(name, root, "%v", err)
		}
	}
	if len(images) > 0 {
		scanned, errs := qr.ScanFiles(v.def, images)
		for _, err := range errs {
			v.problem(name, "", "%v", err)
		}
		for _, s := range scanned {
			v.add(v.def.Station(s.Station).ID, v.copyCount(src, strings.Join(s.Files, "+"), s.Signed, s.Msg))
		}
	}
}

type stationCount struct {
	Count
	station string
}

// openCopy opens a signed acta a witness or auditor holds; one that does not
// open is a problem.
func (v *Verifier) openCopy(src *Source, where string, msg []byte) (stationCount, bool) {
	sa, err := acta.Open(msg, v.def)
	if err != nil {
		v.problem(src.Name, where, "not a valid acta of election %s: %v", v.def.ID, err)
		return stationCount{}, false
	}
	return stationCount{v.copyCount(src, where, sa, msg), v.def.Station(sa.Station).ID}, true
}

func (v *Verifier) copyCount(src *Source, where string, sa *acta.Signed, msg []byte) Count {
	c := signedCount(src, v.def, sa, -1)
	c.Where, c.Msg = where, msg
	return c
}

// Unreadable records a source that could not be read at all: nothing is
// claimed from it (see the package doc).
func (v *Verifier) Unreadable(name string, err error) {
	v.unread(name, "", "cannot read it: %v", err)
}
