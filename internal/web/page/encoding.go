package page

import (
	"net/http"
	"strings"
)

// Encoding is a content coding a body is sent in (RFC 9110, 8.4.1).
type Encoding int

const (
	Identity Encoding = iota // the bytes as they are
	Gzip
	Brotli
)

// String is the coding's name in Content-Encoding: "" for Identity.
func (e Encoding) String() string {
	switch e {
	case Gzip:
		return "gzip"
	case Brotli:
		return "br"
	}
	return ""
}

// Accepted is what a request's Accept-Encoding says of the codings a body
// can be sent in: each one's weight, in thousandths (0 refused, 1000
// preferred).
type Accepted struct {
	Brotli, Gzip, Identity int
}

// AcceptedEncodings reads a request's Accept-Encoding (RFC 9110, 12.5.3).
// No header, or an empty one, asks for the bytes as they are. Coding names
// are matched whatever their case, "x-gzip" is "gzip", and "*" stands for
// every coding the header does not name. A coding named twice gets the
// lower of its weights: a q=0 is never overridden. An element whose
// weight is not a qvalue ("br;q=high", "br;q=2") is not read: the coding
// is as if unnamed. The bytes as they are are acceptable unless refused
// ("identity;q=0", or "*;q=0" with no "identity"); unnamed, they weigh
// least of all, so that a coding the client names is preferred.
func AcceptedEncodings(header string) Accepted {
	if strings.TrimSpace(header) == "" {
		return Accepted{Identity: 1000}
	}
	const unnamed = -1
	br, gz, id, star := unnamed, unnamed, unnamed, unnamed
	for elem := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(elem, ";")
		name = strings.TrimSpace(name)
		var at *int
		switch {
		case strings.EqualFold(name, "br"):
			at = &br
		case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
			at = &gz
		case strings.EqualFold(name, "identity"):
			at = &id
		case name == "*":
			at = &star
		default:
			continue
		}
		q, ok := weight(params)
		if !ok {
			continue
		}
		if *at == unnamed || q < *at {
			*at = q
		}
	}
	a := Accepted{Brotli: br, Gzip: gz, Identity: id}
	for _, w := range []*int{&a.Brotli, &a.Gzip} {
		if *w == unnamed {
			*w = max(star, 0)
		}
	}
	if a.Identity == unnamed {
		a.Identity = 1 // the least weight that is not a refusal
		if star == 0 {
			a.Identity = 0
		}
	}
	return a
}

// weight reads an element's parameters for its qvalue: 1000 without one.
func weight(params string) (int, bool) {
	q := 1000
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue // another parameter: no coding here has any
		}
		var ok bool
		if q, ok = qvalue(strings.TrimSpace(v)); !ok {
			return 0, false
		}
	}
	return q, true
}

// qvalue parses RFC 9110's qvalue: "0" or "1", optionally with a point and
// up to three digits, never above 1.
func qvalue(s string) (int, bool) {
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	n := int(s[0]-'0') * 1000
	rest := s[1:]
	if rest == "" {
		return n, true
	}
	if rest[0] != '.' || len(rest) > 4 {
		return 0, false
	}
	scale := 100
	for _, c := range rest[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n += int(c-'0') * scale
		scale /= 10
	}
	if n > 1000 {
		return 0, false
	}
	return n, true
}

// Best is the encoding to send a body in, of those it is kept in (has
// says which): the one the request weighs most, and of equal weights the
// smaller (brotli, then gzip). When the request accepts none of them — it
// refuses the bytes as they are and takes no coding the body has — it is
// Identity all the same, as RFC 9110 advises over an error.
func (a Accepted) Best(has func(Encoding) bool) Encoding {
	best, at := Identity, a.Identity
	for _, e := range []struct {
		enc Encoding
		w   int
	}{{Brotli, a.Brotli}, {Gzip, a.Gzip}} {
		if e.w > 0 && has(e.enc) && (e.w > at || e.w == at && best == Identity) {
			best, at = e.enc, e.w
		}
	}
	return best
}

// negotiate is the encoding r gets of a body with the encodings has names.
func negotiate(r *http.Request, has func(Encoding) bool) Encoding {
	return AcceptedEncodings(strings.Join(r.Header.Values("Accept-Encoding"), ",")).Best(has)
}
