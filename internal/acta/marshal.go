package acta

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// Marshal returns the canonical body of the acta. It fails if the acta could
// not be parsed back: a field out of its grammar or arithmetic that cannot hold.
func (a *Acta) Marshal() ([]byte, error) {
	body := a.encode()
	back, err := Parse(body)
	if err != nil {
		return nil, err
	}
	// Fields that the encoding drops for this kind must be empty, so that
	// Marshal never silently loses a value.
	if !back.equal(a) {
		return nil, fmt.Errorf("acta: fields not used by kind %s are set", a.Kind)
	}
	return body, nil
}

func (a *Acta) encode() []byte {
	var b strings.Builder
	line := func(k, v string) {
		b.WriteString(k)
		b.WriteByte(' ')
		b.WriteString(v)
		b.WriteByte('\n')
	}
	v2 := a.Version() >= 2
	switch a.Version() {
	case 3:
		b.WriteString(Version3 + "\n")
	case 2:
		b.WriteString(Version2 + "\n")
	default:
		b.WriteString(Version + "\n")
	}
	line("election", a.Election)
	if v2 {
		line("definition", hex.EncodeToString(a.Definition[:]))
	}
	line("station", a.Station)
	line("kind", string(a.Kind))
	line("machine", a.Machine)
	if v2 && a.Kind != Hand {
		line("software", a.Software)
	}
	if a.Kind == Hand {
		line("auditor", a.Auditor)
		line("counted", a.Counted.UTC().Format(TimeFormat))
	} else {
		line("opened", a.Opened.UTC().Format(TimeFormat))
		if a.Kind == Final {
			line("closed", a.Closed.UTC().Format(TimeFormat))
		}
	}
	line("registered", strconv.Itoa(a.Registered))
	line("ballots", strconv.Itoa(a.Ballots))
	if a.Kind != Hand {
		line("records", hex.EncodeToString(a.Records[:]))
	}
	for _, t := range a.Contests {
		line("contest", t.Contest)
		if a.PerContest {
			line("ballots", strconv.Itoa(t.Ballots))
		}
		for _, c := range t.Candidates {
			line("candidate", c.Candidate+" "+strconv.Itoa(c.Votes))
		}
		line("blank", strconv.Itoa(t.Blank))
		line("null", strconv.Itoa(t.Null))
		if a.PerContest {
			line("undervotes", strconv.Itoa(t.Undervotes))
		}
	}
	return []byte(b.String())
}

func (a *Acta) equal(b *Acta) bool {
	if a.Election != b.Election || a.Definition != b.Definition || a.Software != b.Software || a.Station != b.Station || a.Kind != b.Kind ||
		a.Machine != b.Machine || a.Auditor != b.Auditor ||
		!sameSecond(a.Opened, b.Opened) || !sameSecond(a.Closed, b.Closed) || !sameSecond(a.Counted, b.Counted) ||
		a.Registered != b.Registered || a.Ballots != b.Ballots || a.Records != b.Records ||
		a.PerContest != b.PerContest || len(a.Contests) != len(b.Contests) {
		return false
	}
	for i, t := range a.Contests {
		u := b.Contests[i]
		if t.Contest != u.Contest || t.Ballots != u.Ballots || t.Blank != u.Blank || t.Null != u.Null || t.Undervotes != u.Undervotes || len(t.Candidates) != len(u.Candidates) {
			return false
		}
		for j := range t.Candidates {
			if t.Candidates[j] != u.Candidates[j] {
				return false
			}
		}
	}
	return true
}

// Blank returns the empty tally of a ballot: every candidate of every contest
// at zero, as a zero tape has it.
func Blank(ballot []*election.Contest) []Tally {
	out := make([]Tally, len(ballot))
	for i, c := range ballot {
		out[i].Contest = c.ID
		for _, x := range c.Candidates {
			out[i].Candidates = append(out[i].Candidates, Count{Candidate: x.ID})
		}
	}
	return out
}

// sameSecond compares times at the precision of the format: whole seconds.
func sameSecond(a, b time.Time) bool { return a.Truncate(time.Second).Equal(b.Truncate(time.Second)) }
