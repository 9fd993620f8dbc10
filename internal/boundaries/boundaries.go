// Package boundaries reads the area boundaries that an election definition
// names on its boundaries line (doc/spec/election.md, "Area boundaries"):
// a GeoJSON FeatureCollection (RFC 7946) beside the definition, pinned by
// its SHA-256, each feature a Polygon or MultiPolygon whose property
// "area" is the path of an area the definition declares. The dashboard
// draws its map from them.
//
// [Read] refuses a file whose digest is not the one the definition pins, a
// file that is not such GeoJSON, and a feature that names no area of the
// definition or one another feature names, each error at the definition's
// boundaries line with the feature's index. It is kept apart from package
// election so that what compiles the definition into the witnesses' phone
// app does not carry a GeoJSON reader it never uses.
package boundaries

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// MaxFileSize bounds the file: a country's first-level divisions,
// simplified for a page, take a few hundred kilobytes.
const MaxFileSize = 32 << 20

// maxErrors bounds how many features' errors one Read reports.
const maxErrors = 50

// Map is an election's area boundaries: each area's shape, in longitude
// and latitude, by its path.
type Map struct {
	Areas map[string]orb.MultiPolygon
}

// Read reads the boundaries file that def names, from dir (the directory
// of the definition), and checks it against def. It returns nil, nil if
// def names none. Errors are an [election.ErrorList] at the definition's
// boundaries line.
func Read(def *election.Definition, dir string) (*Map, error) {
	bf := def.Boundaries
	if bf == nil {
		return nil, nil
	}
	f, err := os.Open(filepath.Join(dir, bf.Name))
	if err != nil {
		return nil, lineError(bf, "cannot read it beside the definition: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, lineError(bf, "%v", err)
	}
	return Parse(def, data)
}

// Parse checks the contents of the boundaries file that def names and
// reads them.
func Parse(def *election.Definition, data []byte) (*Map, error) {
	bf := def.Boundaries
	if bf == nil {
		return nil, errors.New("the definition names no boundaries file")
	}
	if len(data) > MaxFileSize {
		return nil, lineError(bf, "larger than %d MiB", MaxFileSize>>20)
	}
	if sum := sha256.Sum256(data); sum != bf.SHA256 {
		return nil, lineError(bf, "its SHA-256 is %s, but the definition pins %s: not the file the definition was written for",
			hex.EncodeToString(sum[:]), hex.EncodeToString(bf.SHA256[:]))
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, lineError(bf, "not GeoJSON: %v", err)
	}
	m := &Map{Areas: map[string]orb.MultiPolygon{}}
	var errs election.ErrorList
	for i, f := range fc.Features {
		if len(errs) >= maxErrors {
			errs = append(errs, &election.Error{Line: bf.Line, Msg: "too many errors"})
			break
		}
		fail := func(format string, args ...any) {
			msg := fmt.Sprintf("boundaries %s: feature %d: ", bf.Name, i) + fmt.Sprintf(format, args...)
			errs = append(errs, &election.Error{Line: bf.Line, Msg: msg})
		}
		path, ok := f.Properties["area"].(string)
		switch {
		case !ok:
			fail("no property \"area\" naming the path of an area of the definition")
			continue
		case def.Area(path) == nil:
			fail("unknown area %q", clip(path))
			continue
		case m.Areas[path] != nil:
			fail("area %s has a feature already", path)
			continue
		}
		mp, err := shape(f.Geometry)
		if err != nil {
			fail("area %s: %v", path, err)
			continue
		}
		m.Areas[path] = mp
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return m, nil
}

// shape checks that a feature's geometry is an area on the globe: a
// Polygon or MultiPolygon of closed rings of at least four positions,
// each a finite longitude and latitude.
func shape(g orb.Geometry) (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	case nil:
		return nil, errors.New("no geometry")
	default:
		return nil, fmt.Errorf("a %s, not a Polygon or MultiPolygon", g.GeoJSONType())
	}
	if len(mp) == 0 {
		return nil, errors.New("an empty MultiPolygon")
	}
	for i, p := range mp {
		if len(p) == 0 {
			return nil, fmt.Errorf("polygon %d has no ring", i)
		}
		for j, r := range p {
			if len(r) < 4 {
				return nil, fmt.Errorf("polygon %d, ring %d: %d positions, want at least 4", i, j, len(r))
			}
			if r[0] != r[len(r)-1] {
				return nil, fmt.Errorf("polygon %d, ring %d: not closed (its last position is not its first)", i, j)
			}
			for k, pt := range r {
				if !(pt[0] >= -180 && pt[0] <= 180 && pt[1] >= -90 && pt[1] <= 90) { // NaN fails too
					return nil, fmt.Errorf("polygon %d, ring %d, position %d: [%g, %g] is not a longitude and latitude", i, j, k, pt[0], pt[1])
				}
			}
		}
	}
	return mp, nil
}

func lineError(bf *election.BoundaryFile, format string, args ...any) error {
	return election.ErrorList{{Line: bf.Line, Msg: fmt.Sprintf("boundaries %s: ", bf.Name) + fmt.Sprintf(format, args...)}}
}

// clip shortens a string from the file for an error message.
func clip(s string) string {
	if len(s) > 60 {
		s = strings.ToValidUTF8(s[:60], "") + "…"
	}
	return s
}
