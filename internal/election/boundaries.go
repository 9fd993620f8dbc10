package election

import (
	"encoding/hex"
	"strings"
)

// BoundaryFile is the file of area boundaries a definition names on its
// boundaries line: GeoJSON beside the definition, pinned by its SHA-256 so
// that the definition's digest covers the map too. Package boundaries
// reads and checks the file; Parse checks only the line.
type BoundaryFile struct {
	Name   string   // a file name, no directory: the file is beside the definition
	SHA256 [32]byte // of the file's bytes
	Line   int      // the definition's line that names it, when Parse read it
}

// addBoundaries reads "boundaries FILE SHA256".
func (p *parser) addBoundaries(rest string) {
	f, ok := p.fields(rest, 2, "boundaries FILE SHA256")
	if !ok {
		return
	}
	name, sum := f[0], f[1]
	b, err := hex.DecodeString(sum)
	switch {
	case p.lines["boundaries"] > 1:
		p.errorf("repeated %q line", "boundaries")
	case !ValidID(name) || name[0] == '.' || !strings.HasSuffix(name, ".geojson"):
		p.errorf("boundaries: file name %q: want a name of its own beside the definition, of A-Z a-z 0-9 . _ -, not starting with a dot, ending in .geojson", clip(name, 70))
	case err != nil || len(b) != 32 || strings.ToLower(sum) != sum:
		p.errorf("boundaries %s: malformed SHA-256 %q (want 64 lower-case hex digits)", name, clip(sum, 70))
	default:
		p.d.Boundaries = &BoundaryFile{Name: name, Line: p.line}
		copy(p.d.Boundaries.SHA256[:], b)
	}
}
