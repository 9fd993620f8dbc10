package qr

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// ScanError is a problem with scanned images: which ones, and what is wrong.
// Its message names the files first: "scan-3.jpg: no QR code found".
type ScanError struct {
	Files []string
	Err   error
}

func (e *ScanError) Error() string { return strings.Join(e.Files, ", ") + ": " + e.Err.Error() }

func (e *ScanError) Unwrap() error { return e.Err }

// An Assembler collects the payloads read from many images — a sheet may be
// photographed in pieces, a batch of scans may hold many actas and several
// copies of each — groups the parts by acta and joins each acta. The zero
// value is ready to use.
type Assembler struct {
	groups []*group // in the order first seen
	errs   []error
}

// group is the parts of one acta seen so far.
type group struct {
	digest string
	parts  map[partKey]*seen
	files  []string // the images with a part, in the order first seen
}

// partKey names a part. The version, count and length are part of it:
// parts that disagree on them are different parts, which Join refuses
// together.
type partKey struct{ v, i, n, l int }

// seen is one part, as read from one or more images.
type seen struct {
	payload string
	p       *part
	files   []string
}

// Assembled is an acta joined from its parts, not yet verified.
type Assembled struct {
	Msg   []byte
	Files []string // the images its parts were read from
}

// Add adds the payloads read from one image, named file. Payloads that are
// not triplicate parts are ignored unless the image has no part at all;
// payloads that claim to be parts but are malformed are errors.
func (a *Assembler) Add(file string, payloads []string) {
	var others []string
	found := false
	for _, pl := range payloads {
		p, err := parsePart(pl)
		switch {
		case errors.Is(err, ErrNotPart):
			others = append(others, pl)
			continue
		case err != nil:
			a.errs = append(a.errs, &ScanError{[]string{file}, err})
			continue
		}
		found = true
		a.add(file, pl, p)
	}
	if !found && len(others) > 0 {
		a.errs = append(a.errs, &ScanError{[]string{file}, fmt.Errorf("%w: found %s", ErrNotPart, describe(others))})
	}
	if len(payloads) == 0 {
		a.errs = append(a.errs, &ScanError{[]string{file}, ErrNoCode})
	}
}

func (a *Assembler) add(file, payload string, p *part) {
	var g *group
	for _, x := range a.groups {
		if x.digest == p.digest {
			g = x
		}
	}
	if g == nil {
		g = &group{digest: p.digest, parts: map[partKey]*seen{}}
		a.groups = append(a.groups, g)
	}
	g.files = appendNew(g.files, file)
	key := partKey{p.v, p.i, p.n, p.l}
	if s := g.parts[key]; s != nil && s.payload != payload {
		a.errs = append(a.errs, &ScanError{append(append([]string(nil), s.files...), file),
			fmt.Errorf("acta %s: QR %s reads differently in different images", p.digest, p.name())})
		return
	}
	if g.parts[key] == nil {
		g.parts[key] = &seen{payload: payload, p: p}
	}
	g.parts[key].files = appendNew(g.parts[key].files, file)
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Actas joins every acta of which a part was added, in the order first
// seen. It returns the actas it could join and an error (a *ScanError naming
// the images) for every image that held no part and every acta that could
// not be joined: parts missing, parts that disagree.
func (a *Assembler) Actas() ([]Assembled, []error) {
	errs := append([]error(nil), a.errs...)
	var out []Assembled
	var incomplete []*group
	joined := map[*group][]byte{}
	for _, g := range a.groups {
		msg, err := JoinAny(g.payloads())
		if err != nil {
			if errors.Is(err, ErrMissing) {
				incomplete = append(incomplete, g)
				continue
			}
			errs = append(errs, &ScanError{g.files, err})
			continue
		}
		joined[g] = msg
	}
	for _, g := range a.groups {
		if msg, ok := joined[g]; ok {
			out = append(out, Assembled{Msg: msg, Files: g.files})
		}
	}
	for _, g := range incomplete {
		_, err := JoinAny(g.payloads())
		var other []string
		for _, h := range incomplete {
			if h != g {
				other = append(other, fmt.Sprintf("%s of acta %s in %s", h.have(), h.digest, strings.Join(h.files, ", ")))
			}
		}
		if len(other) > 0 {
			err = fmt.Errorf("%w; parts of other actas were found: %s", err, strings.Join(other, "; "))
		}
		errs = append(errs, &ScanError{g.files, err})
	}
	return out, errs
}

// keys returns the group's parts in order.
func (g *group) keys() []partKey {
	keys := make([]partKey, 0, len(g.parts))
	for k := range g.parts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		x, y := keys[a], keys[b]
		return x.i < y.i || x.i == y.i && (x.n < y.n || x.n == y.n && (x.v < y.v || x.v == y.v && x.l < y.l))
	})
	return keys
}

// payloads returns one payload of each part, in part order.
func (g *group) payloads() []string {
	var out []string
	for _, k := range g.keys() {
		out = append(out, g.parts[k].payload)
	}
	return out
}

// have lists the parts of the group: "parts 1/3, 3/3".
func (g *group) have() string {
	var names []string
	for _, k := range g.keys() {
		names = append(names, fmt.Sprintf("%d/%d", k.i, k.n))
	}
	if len(names) == 1 {
		return "part " + names[0]
	}
	return "parts " + strings.Join(names, ", ")
}

// describe summarises the codes found in an image that are not parts, for
// an error message.
func describe(payloads []string) string {
	if len(payloads) == 1 {
		return fmt.Sprintf("1 QR code that is not a triplicate part (it starts %q)", preview(firstLine(payloads[0])))
	}
	return fmt.Sprintf("%d QR codes that are not triplicate parts", len(payloads))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if !utf8.ValidString(line) {
		return strings.ToValidUTF8(line, "?")
	}
	return line
}
