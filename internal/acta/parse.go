package acta

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// ErrMalformed is wrapped by every error about an acta body that does not
// follow the format.
var ErrMalformed = errors.New("malformed acta")

// SyntaxError is a malformed body, at a line.
type SyntaxError struct {
	Line int // 1-based line of the body; 0 for the body as a whole
	Msg  string
}

func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return "malformed acta: " + e.Msg
	}
	return fmt.Sprintf("malformed acta: line %d: %s", e.Line, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return ErrMalformed }

// crlf is the error of a CR LF line ending, which editors on Windows write.
const crlf = "Windows line endings (CRLF): convert to LF (byte 0x0d is not printable ASCII)"

// Parse parses an acta body (the text a signed acta's signatures sign) and
// checks its arithmetic. It accepts only the canonical encoding.
func Parse(body []byte) (*Acta, error) {
	return parseText(string(body))
}

// parseText is Parse of a body already in a string.
func parseText(body string) (*Acta, error) {
	p := &bodyParser{text: body}
	a, err := p.parse()
	if err != nil {
		return nil, err
	}
	if err := a.check(); err != nil {
		return nil, err
	}
	return a, nil
}

type bodyParser struct {
	text string
	line int
}

func (p *bodyParser) errorf(f string, args ...any) error {
	return &SyntaxError{Line: p.line, Msg: fmt.Sprintf(f, args...)}
}

// next returns the next line's value after the given keyword.
func (p *bodyParser) next(keyword string) (string, error) {
	line, ok := p.peek()
	if !ok {
		return "", p.errorf("missing %q line (truncated?)", keyword)
	}
	p.line++
	p.text = p.text[len(line)+1:]
	v, found := strings.CutPrefix(line, keyword+" ")
	if !found {
		word, _, _ := strings.Cut(line, " ")
		return "", p.errorf("want %q line, have %q", keyword, clip(word))
	}
	return v, nil
}

// peek returns the next line without consuming it.
func (p *bodyParser) peek() (string, bool) {
	i := strings.IndexByte(p.text, '\n')
	if i < 0 {
		return "", false
	}
	return p.text[:i], true
}

func (p *bodyParser) word(keyword string) (string, error) {
	v, err := p.next(keyword)
	if err != nil {
		return "", err
	}
	if !election.ValidID(v) {
		return "", p.errorf("malformed %s id %q", keyword, clip(v))
	}
	return v, nil
}

func (p *bodyParser) count(keyword string) (int, error) {
	v, err := p.next(keyword)
	if err != nil {
		return 0, err
	}
	n, err := election.ParseCount(v)
	if err != nil {
		return 0, p.errorf("%s: %v", keyword, err)
	}
	return n, nil
}

func (p *bodyParser) time(keyword string) (time.Time, error) {
	v, err := p.next(keyword)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(TimeFormat, v)
	if err != nil || t.Format(TimeFormat) != v {
		return time.Time{}, p.errorf("%s: malformed time %q (want %s)", keyword, clip(v), TimeFormat)
	}
	return t, nil
}

// digest reads a SHA-256 digest: 64 lower-case hex digits.
func (p *bodyParser) digest(keyword string) ([32]byte, error) {
	var d [32]byte
	v, err := p.next(keyword)
	if err != nil {
		return d, err
	}
	if len(v) != 64 || strings.ToLower(v) != v {
		return d, p.errorf("%s: malformed digest %q (want 64 lower-case hex digits)", keyword, clip(v))
	}
	if _, err := hex.Decode(d[:], []byte(v)); err != nil {
		return d, p.errorf("%s: malformed digest %q (want 64 lower-case hex digits)", keyword, clip(v))
	}
	return d, nil
}

func (p *bodyParser) key(keyword string) (string, error) {
	v, err := p.next(keyword)
	if err != nil {
		return "", err
	}
	if !election.CanonicalKey(v) {
		return "", p.errorf("%s: malformed key %q", keyword, clip(v))
	}
	return v, nil
}

func (p *bodyParser) parse() (*Acta, error) {
	if !strings.HasSuffix(p.text, "\n") {
		return nil, p.errorf("body does not end in a newline (truncated?)")
	}
	for i := 0; i < len(p.text); i++ {
		if c := p.text[i]; c > '~' || c < ' ' && c != '\n' {
			line := 1 + strings.Count(p.text[:i], "\n")
			if c == '\r' && i+1 < len(p.text) && p.text[i+1] == '\n' {
				return nil, &SyntaxError{Line: line, Msg: crlf}
			}
			return nil, &SyntaxError{Line: line, Msg: fmt.Sprintf("byte %#02x is not printable ASCII", c)}
		}
	}
	v, _ := p.peek()
	if v != Version && v != Version2 && v != Version3 {
		p.line = 1
		if strings.HasPrefix(v, "triplicate acta ") {
			return nil, p.errorf("unknown version %q (this reader knows %q, %q and %q)", clip(v), Version, Version2, Version3)
		}
		return nil, p.errorf("first line must be %q, %q or %q", Version, Version2, Version3)
	}
	v2 := v != Version
	p.next(Version[:strings.LastIndexByte(Version, ' ')])

	a := &Acta{PerContest: v == Version3}
	var err error
	if a.Election, err = p.word("election"); err != nil {
		return nil, err
	}
	if v2 {
		if a.Definition, err = p.digest("definition"); err != nil {
			return nil, err
		}
		if a.Definition == ([32]byte{}) {
			return nil, p.errorf("definition: the all-zero digest is no definition's")
		}
	}
	if a.Station, err = p.word("station"); err != nil {
		return nil, err
	}
	kind, err := p.next("kind")
	if err != nil {
		return nil, err
	}
	switch a.Kind = Kind(kind); a.Kind {
	case Zero, Final, Hand:
	default:
		return nil, p.errorf("unknown kind %q (want zero, final or hand)", clip(kind))
	}
	if a.Machine, err = p.key("machine"); err != nil {
		return nil, err
	}
	if v2 && a.Kind != Hand {
		if a.Software, err = p.next("software"); err != nil {
			return nil, err
		}
		if err := CheckSoftware(a.Software); err != nil {
			return nil, p.errorf("software: %v", err)
		}
	}
	if a.Kind == Hand {
		if a.Auditor, err = p.key("auditor"); err != nil {
			return nil, err
		}
		if a.Counted, err = p.time("counted"); err != nil {
			return nil, err
		}
	} else {
		if a.Opened, err = p.time("opened"); err != nil {
			return nil, err
		}
		if a.Kind == Final {
			if a.Closed, err = p.time("closed"); err != nil {
				return nil, err
			}
		}
	}
	if a.Registered, err = p.count("registered"); err != nil {
		return nil, err
	}
	if a.Ballots, err = p.count("ballots"); err != nil {
		return nil, err
	}
	if a.Kind != Hand {
		if a.Records, err = p.digest("records"); err != nil {
			return nil, err
		}
	}
	for p.text != "" {
		t, err := p.tally(a.PerContest)
		if err != nil {
			return nil, err
		}
		a.Contests = append(a.Contests, t)
	}
	if len(a.Contests) == 0 {
		p.line++
		return nil, p.errorf("missing %q line (truncated?)", "contest")
	}
	return a, nil
}

func (p *bodyParser) tally(perContest bool) (Tally, error) {
	var t Tally
	var err error
	if t.Contest, err = p.word("contest"); err != nil {
		return t, err
	}
	if perContest {
		if t.Ballots, err = p.count("ballots"); err != nil {
			return t, err
		}
	}
	for {
		line, ok := p.peek()
		if !ok || !strings.HasPrefix(line, "candidate ") {
			break
		}
		v, _ := p.next("candidate")
		id, n, _ := strings.Cut(v, " ")
		if !election.ValidID(id) || id == "blank" || id == "null" {
			return t, p.errorf("malformed candidate id %q", clip(id))
		}
		if _, dup := t.Votes(id); dup {
			return t, p.errorf("candidate %s repeated in contest %s", id, t.Contest)
		}
		votes, err := election.ParseCount(n)
		if err != nil {
			return t, p.errorf("candidate %s: %v", id, err)
		}
		t.Candidates = append(t.Candidates, Count{id, votes})
	}
	if len(t.Candidates) == 0 {
		return t, p.errorf("contest %s has no candidate lines", t.Contest)
	}
	if t.Blank, err = p.count("blank"); err != nil {
		return t, err
	}
	if t.Null, err = p.count("null"); err != nil {
		return t, err
	}
	if perContest {
		if t.Undervotes, err = p.count("undervotes"); err != nil {
			return t, err
		}
	}
	return t, nil
}

// emptyRecords is the records digest of a machine that has no votes:
// SHA-256 of the empty string.
var emptyRecords = Digest(nil)

// ErrImpossible is wrapped by every error about an acta whose numbers cannot
// all be true: more ballots than registered voters, counts that do not add
// up to the ballots, a zero tape that is not zero.
var ErrImpossible = errors.New("impossible acta")

// ArithmeticError is a well-formed body whose numbers cannot all be true.
type ArithmeticError struct {
	Msg string
}

func (e *ArithmeticError) Error() string { return "impossible acta: " + e.Msg }

func (e *ArithmeticError) Unwrap() error { return ErrImpossible }

// check checks the arithmetic of a well-formed acta.
func (a *Acta) check() error {
	if a.Ballots > a.Registered {
		return &ArithmeticError{fmt.Sprintf("%d ballots but only %d registered voters", a.Ballots, a.Registered)}
	}
	if a.Kind == Final && a.Closed.Before(a.Opened) {
		return &ArithmeticError{fmt.Sprintf("closed at %s before it opened at %s", a.Closed.Format(TimeFormat), a.Opened.Format(TimeFormat))}
	}
	if a.Kind == Zero {
		if a.Ballots != 0 {
			return &ArithmeticError{fmt.Sprintf("zero tape with %d ballots", a.Ballots)}
		}
		if a.Records != emptyRecords {
			return &ArithmeticError{"zero tape whose records digest is not that of no records"}
		}
	}
	seen := map[string]bool{}
	for _, t := range a.Contests {
		if seen[t.Contest] {
			return &ArithmeticError{fmt.Sprintf("contest %s repeated", t.Contest)}
		}
		seen[t.Contest] = true
		if a.PerContest {
			if err := a.checkContest(t); err != nil {
				return err
			}
			continue
		}
		// Every ballot counts once in a contest, as a vote, blank or null;
		// under plurality with several seats a ballot may carry several
		// votes, which only the definition says (checkRules).
		if n := t.Total(); n < a.Ballots {
			return &ArithmeticError{fmt.Sprintf("contest %s: candidates, blank and null add up to %d, not the %d ballots", t.Contest, n, a.Ballots)}
		}
	}
	return nil
}

// checkContest checks what a version 3 contest must hold whatever its
// rule: its ballots the station's, blank and null among them, each
// ballot neither blank nor null (marked) with at least one vote and at
// most one for each candidate, and the votes with the undervotes a whole
// number of votes for each marked ballot (the rule says how many:
// checkRules).
func (a *Acta) checkContest(t Tally) error {
	if t.Ballots != a.Ballots {
		// A definition gives every voter of a station every contest of
		// its ballot: a contest with fewer ballots lost some.
		return &ArithmeticError{fmt.Sprintf("contest %s: %d ballots, not the station's %d (every voter of a station is given every contest of its ballot)", t.Contest, t.Ballots, a.Ballots)}
	}
	if t.Blank+t.Null > t.Ballots {
		return &ArithmeticError{fmt.Sprintf("contest %s: %d blank and null, more than its %d ballots", t.Contest, t.Blank+t.Null, t.Ballots)}
	}
	marked := a.Marked(t)
	votes := 0
	for _, x := range t.Candidates {
		if x.Votes > marked {
			return &ArithmeticError{fmt.Sprintf("contest %s: candidate %s has %d votes, more than the %d ballots neither blank nor null", t.Contest, x.Candidate, x.Votes, marked)}
		}
		votes += x.Votes
	}
	if votes < marked {
		return &ArithmeticError{fmt.Sprintf("contest %s: %d votes on %d ballots neither blank nor null: each carries at least one", t.Contest, votes, marked)}
	}
	if marked == 0 && t.Undervotes != 0 || marked > 0 && (votes+t.Undervotes)%marked != 0 {
		return &ArithmeticError{fmt.Sprintf("contest %s: %d votes and %d undervotes are not the same number of votes on each of the %d ballots neither blank nor null", t.Contest, votes, t.Undervotes, marked)}
	}
	return nil
}

// checkRules checks the votes of each contest against the ballot's rules
// (ballot being the acta's station's, in the acta's order): one vote a
// ballot, so that candidates, blank and null add up to the ballots; or,
// under plurality with N seats, from one to N votes on each ballot
// neither blank nor null, and no candidate with more votes than those
// ballots — exactly N each, with the undervotes, in a version 3 acta.
func (a *Acta) checkRules(ballot []*election.Contest) error {
	for i, c := range ballot {
		t := a.Contests[i]
		if a.PerContest {
			n, marked := VotesPerBallot(c), a.Marked(t)
			if votes := t.Total() - t.Blank - t.Null; votes+t.Undervotes != n*marked {
				return &ArithmeticError{fmt.Sprintf("contest %s: %d votes and %d undervotes, not the %d votes that %d ballots neither blank nor null carry at %d a ballot", t.Contest, votes, t.Undervotes, n*marked, marked, n)}
			}
			continue
		}
		r := c.DecidedBy()
		if r.Method != contest.Plurality || r.Seats == 1 {
			if n := t.Total(); n != a.Ballots {
				return &ArithmeticError{fmt.Sprintf("contest %s: candidates, blank and null add up to %d, not the %d ballots", t.Contest, n, a.Ballots)}
			}
			continue
		}
		marked := a.Ballots - t.Blank - t.Null
		if marked < 0 {
			return &ArithmeticError{fmt.Sprintf("contest %s: %d blank and null, more than the %d ballots", t.Contest, t.Blank+t.Null, a.Ballots)}
		}
		votes := 0
		for _, x := range t.Candidates {
			if x.Votes > marked {
				return &ArithmeticError{fmt.Sprintf("contest %s: candidate %s has %d votes, more than the %d ballots neither blank nor null", t.Contest, x.Candidate, x.Votes, marked)}
			}
			votes += x.Votes
		}
		if votes > r.Seats*marked {
			return &ArithmeticError{fmt.Sprintf("contest %s: %d votes, more than %d on each of the %d ballots neither blank nor null", t.Contest, votes, r.Seats, marked)}
		}
	}
	return nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
