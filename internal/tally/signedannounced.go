package tally

import (
	"bytes"
	"fmt"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// isSigned reports whether data is the center's signed announcements
// (doc/spec/announced.md) rather than its JSON or CSV table.
func isSigned(data []byte) bool {
	return bytes.HasPrefix(data, []byte("triplicate announced "))
}

// parseSigned reads signed announcements — the bundle of
// /v1/announced?format=signed, or notes one after another as the phones
// save them — each opened under the definition's center key. A note that
// does not open is an error naming it, and is not read; the others are.
// Their log sizes may differ: the result names none.
func parseSigned(def *election.Definition, name string, data []byte) (*Announcement, []error) {
	notes, err := announced.Split(data)
	if err != nil {
		return nil, []error{&SourceError{Source: name, What: err.Error()}}
	}
	out := &Announcement{Signed: true}
	var problems []error
	seen := map[string]bool{}
	for i, msg := range notes {
		where := fmt.Sprintf("announcement %d", i+1)
		sa, err := announced.Open(msg, def)
		if err != nil {
			problems = append(problems, &SourceError{Source: name, Where: where, What: err.Error()})
			continue
		}
		where = fmt.Sprintf("announcement %d (station %s, signed by the center at log size %d)", i+1, sa.Station, sa.Size)
		st := def.Station(sa.Station)
		f := NewFigures(def.Ballot(st))
		f.Registered, f.Ballots = int32(sa.Registered), int32(sa.Ballots)
		k := 0
		for _, c := range sa.Contests {
			for _, x := range c.Candidates {
				f.Votes[k] = int32(x.Votes)
				k++
			}
			f.Votes[k], f.Votes[k+1] = int32(c.Blank), int32(c.Null)
			k += 2
		}
		if seen[string(sa.Body)] {
			continue // the same note twice says nothing more
		}
		seen[string(sa.Body)] = true
		out.Stations = append(out.Stations, AnnouncedStation{Station: st.ID, Where: where, Index: sa.Index, Figures: f, Signed: sa})
	}
	return out, problems
}
