package qr

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// prefix starts every part's header line, and the version follows. A
// payload that does not start with it is not a part at all ([ErrNotPart]);
// one that does but names a version other than v1 and v2 is a part this
// reader cannot read.
const prefix = "triplicate qr "

// header1 is the start of a version 1 part's header line; the part number,
// the count and the digest follow. Parts makes version 2 (erasure.go);
// version 1 parts, printed before it, still join.
const header1 = prefix + "v1 "

// ChunkSize is the most message bytes a version 1 part carries. With the
// longest header (40 bytes) a part fits a QR code of version 18 at error
// correction level M, 89 modules a side: see doc/spec/qr.md for why.
const ChunkSize = 521

// MaxParts is the most parts (codes) of a message, in either version.
const MaxParts = 99

// digestLen is the number of hexadecimal digits of SHA-256 in a header.
const digestLen = 16

var (
	// ErrNotPart: a QR payload that is not a triplicate part (it does not
	// start with "triplicate qr "), such as some other QR code on the page.
	ErrNotPart = errors.New("not a triplicate QR code")
	// ErrMissing: a message cannot be joined because parts are missing.
	ErrMissing = errors.New("missing QR part")
)

// part is one parsed part.
type part struct {
	v      int    // the format's version: 1 or 2
	i, n   int    // the part's number and the count of parts (codes)
	k      int    // how many parts rebuild the message: n in version 1
	l      int    // the message's length in bytes: 0 (not told) in version 1
	digest string // 16 lower-case hexadecimal digits
	chunk  string
}

// name is how errors call the part: "part 2/3".
func (p *part) name() string { return fmt.Sprintf("part %d/%d", p.i, p.n) }

// Digest returns the digest a message's parts name in their headers: the
// first 16 hexadecimal digits of its SHA-256. The printed sheets show it
// under each code.
func Digest(msg []byte) string {
	h := sha256.Sum256(msg)
	return hex.EncodeToString(h[:])[:digestLen]
}

// partsV1 splits a message into version 1 parts: a header line naming the
// part, the count and the message's digest, then the part's chunk of the
// message. A message of L bytes has N = ceil(L/ChunkSize) parts; each
// carries ceil(L/N) bytes but the last, which carries the rest. Only the
// tests and the test vectors make them now: [Parts] makes version 2.
func partsV1(msg []byte) ([]string, error) {
	if len(msg) == 0 {
		return nil, errors.New("qr parts: empty message")
	}
	n, size := split(len(msg))
	if n > MaxParts {
		return nil, fmt.Errorf("qr parts: message of %d bytes is longer than %d parts of %d bytes", len(msg), MaxParts, ChunkSize)
	}
	d := Digest(msg)
	parts := make([]string, n)
	for i := range parts {
		chunk := msg[i*size : min(len(msg), (i+1)*size)]
		parts[i] = fmt.Sprintf("%s%d/%d %s\n%s", header1, i+1, n, d, chunk)
	}
	return parts, nil
}

// split returns the number of version 1 parts of a message of l > 0 bytes
// and the size of every part but the last.
func split(l int) (n, size int) {
	n = (l + ChunkSize - 1) / ChunkSize
	return n, (l + n - 1) / n
}

// parsePart parses one payload of either version. A version 1 part is a
// canonical header and a chunk of 1 to ChunkSize bytes (Join checks the
// sizes of the chunks against each other); a version 2 part is checked
// against its own header by parsePartV2.
func parsePart(payload string) (*part, error) {
	line, chunk, ok := strings.Cut(payload, "\n")
	if !strings.HasPrefix(line, prefix) {
		return nil, fmt.Errorf("%w (it starts %q)", ErrNotPart, preview(payload))
	}
	if strings.HasPrefix(line, header2) {
		if !ok {
			return nil, fmt.Errorf("QR part header %q: no newline after the header", preview(line))
		}
		return parsePartV2(line, chunk)
	}
	if !strings.HasPrefix(line, header1) {
		return nil, fmt.Errorf("QR part header %q: unknown version (want %q or %q)", preview(line), strings.TrimSpace(header2), strings.TrimSpace(header1))
	}
	if !ok {
		return nil, fmt.Errorf("QR part header %q: no newline after the header", preview(line))
	}
	f := strings.Split(line[len(header1):], " ")
	if len(f) != 2 {
		return nil, fmt.Errorf("QR part header %q: want %q", preview(line), header1+"I/N DIGEST")
	}
	p := &part{v: 1, digest: f[1], chunk: chunk}
	if err := p.parseNumber(line, f[0]); err != nil {
		return nil, err
	}
	p.k = p.n
	if !isDigest(p.digest) {
		return nil, fmt.Errorf("QR part header %q: digest %q is not %d lower-case hexadecimal digits", preview(line), p.digest, digestLen)
	}
	if len(chunk) == 0 || len(chunk) > ChunkSize {
		return nil, fmt.Errorf("QR %s: carries %d bytes, want 1 to %d", p.name(), len(chunk), ChunkSize)
	}
	return p, nil
}

// parseNumber parses a part's number and the count of parts, "I/N", from
// the header line, which errors quote.
func (p *part) parseNumber(line, field string) error {
	si, sn, ok := strings.Cut(field, "/")
	var err1, err2 error
	p.i, err1 = parseCount(si)
	p.n, err2 = parseCount(sn)
	if !ok || err1 != nil || err2 != nil || p.i > p.n {
		return fmt.Errorf("QR part header %q: part number %q is not I/N with 1 <= I <= N <= %d in canonical decimal", preview(line), field, MaxParts)
	}
	return nil
}

// parseCount parses a part number or count: a canonical decimal from 1 to
// MaxParts.
func parseCount(s string) (int, error) {
	n, err := election.ParseCount(s)
	if err != nil {
		return 0, err
	}
	if n < 1 || n > MaxParts {
		return 0, fmt.Errorf("%d is not from 1 to %d", n, MaxParts)
	}
	return n, nil
}

func isDigest(s string) bool {
	if len(s) != digestLen {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// preview returns the start of a payload for an error message, quoted by
// the caller with %q so that binary stays readable.
func preview(s string) string {
	const max = 60
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}

// Join reassembles a message from its parts, in any order. Version 2 parts
// need any K of the N, K the count their headers name; version 1 parts need
// all N. It fails, naming the problem, if a payload is not a well-formed
// part, if parts are of different messages, versions or counts, if a part is
// given twice, if too few are given (wrapping [ErrMissing]), if the parts
// given do not agree with each other or the rebuilt bytes do not have the
// digest the headers name, or if the message is not split as [Parts] (or,
// for version 1, as version 1) splits it.
func Join(payloads []string) ([]byte, error) {
	msg, odd, err := join(payloads)
	if odd != nil {
		return nil, fmt.Errorf("acta %s: QR %s disagrees with the other parts: it was altered or misread", odd.digest, odd.name())
	}
	return msg, err
}

// join is [Join], but when the version 2 parts given disagree and leaving
// out one of them makes the others agree, it returns the message the others
// rebuild and that part, which Join refuses and [JoinAny] takes.
func join(payloads []string) (msg []byte, odd *part, err error) {
	if len(payloads) == 0 {
		return nil, nil, fmt.Errorf("qr join: %w: no parts", ErrMissing)
	}
	var first *part
	var got []*part
	for _, pl := range payloads {
		p, err := parsePart(pl)
		if err != nil {
			return nil, nil, err
		}
		if first == nil {
			first = p
			got = make([]*part, p.n)
		}
		switch {
		case p.digest != first.digest:
			return nil, nil, fmt.Errorf("QR %s is of another acta: digest %s, but %s has %s", p.name(), p.digest, first.name(), first.digest)
		case p.v != first.v:
			return nil, nil, fmt.Errorf("QR %s is version %d, but %s of the same acta is version %d", p.name(), p.v, first.name(), first.v)
		case p.n != first.n || p.k != first.k || p.l != first.l:
			return nil, nil, fmt.Errorf("QR %s and %s disagree on the number of parts or the acta's length", p.name(), first.name())
		case got[p.i-1] != nil:
			return nil, nil, fmt.Errorf("QR %s is given twice", p.name())
		}
		got[p.i-1] = p
	}
	if first.v == 2 {
		return joinV2(got)
	}
	var missing []string
	for i, p := range got {
		if p == nil {
			missing = append(missing, fmt.Sprintf("%d/%d", i+1, first.n))
			continue
		}
		msg = append(msg, p.chunk...)
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("acta %s: %w %s (have %d of %d)", first.digest, ErrMissing, strings.Join(missing, ", "), first.n-len(missing), first.n)
	}
	if d := Digest(msg); d != first.digest {
		return nil, nil, fmt.Errorf("acta %s: the joined parts have digest %s: a part was altered or misread", first.digest, d)
	}
	n, size := split(len(msg))
	if n != first.n {
		return nil, nil, fmt.Errorf("acta %s: %d bytes in %d parts, but version 1 makes %d", first.digest, len(msg), first.n, n)
	}
	for _, p := range got[:n-1] {
		if len(p.chunk) != size {
			return nil, nil, fmt.Errorf("acta %s: QR %s carries %d bytes, but version 1 puts %d in each part but the last", first.digest, p.name(), len(p.chunk), size)
		}
	}
	return msg, nil, nil
}
