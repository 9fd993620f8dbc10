package announced

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// SyntaxError is a malformed body, at a line.
type SyntaxError struct {
	Line int // 1-based line of the body; 0 for the body as a whole
	Msg  string
}

func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return "malformed announcement: " + e.Msg
	}
	return fmt.Sprintf("malformed announcement: line %d: %s", e.Line, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return ErrMalformed }

// MaxBytes is the largest signed announcement anyone reads: far more than
// the longest ballot's figures.
const MaxBytes = 64 << 10

// Parse parses an announcement's body. It accepts only the canonical
// encoding; it does not check the figures' arithmetic, since an
// announcement whose figures do not add up is still what the center said.
func Parse(body []byte) (*Announcement, error) {
	if len(body) > MaxBytes {
		return nil, &SyntaxError{0, fmt.Sprintf("%d bytes, more than %d", len(body), MaxBytes)}
	}
	text := string(body)
	if !strings.HasSuffix(text, "\n") {
		return nil, &SyntaxError{0, "does not end in a newline"}
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; (c < 0x20 || c > 0x7e) && c != '\n' {
			return nil, &SyntaxError{0, fmt.Sprintf("byte 0x%02x is not printable ASCII", c)}
		}
	}
	p := &parser{lines: strings.Split(strings.TrimSuffix(text, "\n"), "\n")}
	if p.lines[0] != version {
		if strings.HasPrefix(p.lines[0], "triplicate announced ") {
			return nil, &SyntaxError{1, fmt.Sprintf("unknown version %q", p.lines[0])}
		}
		return nil, &SyntaxError{1, fmt.Sprintf("first line must be %q", version)}
	}
	p.n = 1
	s := &Announcement{}
	var err error
	if s.Election, err = p.id("election"); err != nil {
		return nil, err
	}
	if s.Definition, err = p.digest("definition"); err != nil {
		return nil, err
	}
	if s.Size, err = p.uint("size"); err != nil {
		return nil, err
	}
	if s.Size == 0 {
		return nil, &SyntaxError{p.n, "size 0: a log with no entries announces nothing"}
	}
	if s.Root, err = p.digest("root"); err != nil {
		return nil, err
	}
	if s.Station, err = p.id("station"); err != nil {
		return nil, err
	}
	if s.Index, err = p.uint("index"); err != nil {
		return nil, err
	}
	if s.Index >= s.Size {
		return nil, &SyntaxError{p.n, fmt.Sprintf("index %d is not in a log of %d entries", s.Index, s.Size)}
	}
	if s.Registered, err = p.count("registered"); err != nil {
		return nil, err
	}
	if s.Ballots, err = p.count("ballots"); err != nil {
		return nil, err
	}
	for p.n < len(p.lines) {
		var c Contest
		if c.ID, err = p.id("contest"); err != nil {
			return nil, err
		}
		for p.n < len(p.lines) && strings.HasPrefix(p.lines[p.n], "candidate ") {
			v, err := p.value("candidate")
			if err != nil {
				return nil, err
			}
			id, n, ok := strings.Cut(v, " ")
			if !ok || !election.ValidID(id) || id == "blank" || id == "null" {
				return nil, &SyntaxError{p.n, fmt.Sprintf("want \"candidate ID N\", have %q", clip(p.lines[p.n-1]))}
			}
			votes, err := election.ParseCount(n)
			if err != nil {
				return nil, &SyntaxError{p.n, "candidate " + id + ": " + err.Error()}
			}
			c.Candidates = append(c.Candidates, Candidate{id, votes})
		}
		if c.Blank, err = p.count("blank"); err != nil {
			return nil, err
		}
		if c.Null, err = p.count("null"); err != nil {
			return nil, err
		}
		s.Contests = append(s.Contests, c)
	}
	if len(s.Contests) == 0 {
		return nil, &SyntaxError{p.n + 1, `want "contest" line`}
	}
	return s, nil
}

type parser struct {
	lines []string
	n     int // lines read
}

// value reads the next line, which must be "key VALUE", and returns VALUE.
func (p *parser) value(key string) (string, error) {
	if p.n >= len(p.lines) {
		return "", &SyntaxError{p.n + 1, fmt.Sprintf("want %q line, the body ends", key)}
	}
	l := p.lines[p.n]
	p.n++
	v, ok := strings.CutPrefix(l, key+" ")
	if !ok {
		return "", &SyntaxError{p.n, fmt.Sprintf("want %q line, have %q", key, clip(l))}
	}
	return v, nil
}

func (p *parser) id(key string) (string, error) {
	v, err := p.value(key)
	if err == nil && !election.ValidID(v) {
		err = &SyntaxError{p.n, fmt.Sprintf("%s: malformed id %q", key, clip(v))}
	}
	return v, err
}

func (p *parser) count(key string) (int, error) {
	v, err := p.value(key)
	if err != nil {
		return 0, err
	}
	n, err := election.ParseCount(v)
	if err != nil {
		return 0, &SyntaxError{p.n, key + ": " + err.Error()}
	}
	return n, nil
}

// uint reads a log size or index: decimal, canonical, up to 2⁶³−1.
func (p *parser) uint(key string) (uint64, error) {
	v, err := p.value(key)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(v, 10, 63)
	if err != nil || v != strconv.FormatUint(n, 10) {
		return 0, &SyntaxError{p.n, fmt.Sprintf("%s: %q is not a number in canonical form", key, clip(v))}
	}
	return n, nil
}

// digest reads a SHA-256 in lower-case hex.
func (p *parser) digest(key string) ([32]byte, error) {
	var d [32]byte
	v, err := p.value(key)
	if err != nil {
		return d, err
	}
	if len(v) != 64 || strings.ToLower(v) != v {
		return d, &SyntaxError{p.n, fmt.Sprintf("%s: malformed digest %q (want 64 lower-case hex digits)", key, clip(v))}
	}
	if _, err := hex.Decode(d[:], []byte(v)); err != nil {
		return d, &SyntaxError{p.n, fmt.Sprintf("%s: malformed digest %q (want 64 lower-case hex digits)", key, clip(v))}
	}
	return d, nil
}

// clip shortens what an error quotes of hostile input.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
