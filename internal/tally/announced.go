package tally

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/strictjson"
)

// announcement is the center's announced figures as it publishes them at
// /v1/announced (doc/spec/api.md): the stations' figures in the log up to a
// checkpoint it names, and the totals.
type announcement struct {
	Election   string             `json:"election"`
	LogSize    *uint64            `json:"log_size"`
	Checkpoint string             `json:"checkpoint"`
	Stations   []announcedStation `json:"stations"`
	Totals     []announcedContest `json:"totals"`
}

type announcedStation struct {
	Station    string             `json:"station"`
	Index      uint64             `json:"index"`
	Registered int                `json:"registered"`
	Ballots    int                `json:"ballots"`
	Contests   []announcedContest `json:"contests"`
}

type announcedContest struct {
	ID         string               `json:"id"`
	Name       string               `json:"name"`
	Candidates []announcedCandidate `json:"candidates"`
	Blank      int64                `json:"blank"`
	Null       int64                `json:"null"`
}

type announcedCandidate struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Votes int64  `json:"votes"`
}

// Announcement is the center's announcement as read against the election's
// definition.
type Announcement struct {
	LogSize    *uint64 // the size of the log its figures are of (nil: not said)
	Checkpoint string  // the checkpoint it names, if any
	Stations   []AnnouncedStation
	Totals     []ContestTotal // the totals it gives, nil if none
	// Signed: the center's signed announcements (doc/spec/announced.md),
	// not its table; each station's note in AnnouncedStation.Signed.
	Signed bool
}

// ContestTotal is an announced contest's total: votes by candidate id, and
// "blank" and "null".
type ContestTotal struct {
	Contest string
	Votes   map[string]int64
}

// AnnouncedStation is one station's announced figures.
type AnnouncedStation struct {
	Station string // the definition's id
	Where   string // in the announcement: "station N (ID)"
	Index   uint64 // the log entry it cites
	Figures Figures
	// Signed is the center's signed announcement the figures are read
	// from; nil for the JSON and CSV tables, which are unsigned.
	Signed *announced.Signed
}

// A SourceError is a problem with a source of figures: which source, where
// in it ("station 3 (100.1)", or nothing for the whole source), and what.
type SourceError struct {
	Source, Where, What string
}

func (e *SourceError) Error() string {
	s := e.Source
	if e.Where != "" {
		s += ": " + e.Where
	}
	return s + ": " + e.What
}

// ParseAnnounced reads an announcement (the JSON of /v1/announced, or its
// CSV, or signed announcements: the bundle of /v1/announced?format=signed,
// see doc/spec/announced.md) against the definition; name says where it
// came from. A station that
// cannot be read is an error (a *SourceError naming it); the others are
// kept. A malformed announcement is one error and nil.
func ParseAnnounced(def *election.Definition, name string, data []byte) (*Announcement, []error) {
	if isSigned(data) {
		return parseSigned(def, name, data)
	}
	var a announcement
	problem := func(where, format string, args ...any) error {
		return &SourceError{Source: name, Where: where, What: fmt.Sprintf(format, args...)}
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		if err := strictjson.Unmarshal(data, &a); err != nil {
			return nil, []error{problem("", "not the center's announced figures: %v", err)}
		}
	} else {
		var err error
		if a, err = readAnnouncedCSV(data); err != nil {
			return nil, []error{problem("", "%v", err)}
		}
	}
	if a.Election != "" && a.Election != def.ID {
		return nil, []error{problem("", "figures of election %q, not %q", a.Election, def.ID)}
	}
	out := &Announcement{LogSize: a.LogSize, Checkpoint: a.Checkpoint}
	if a.Totals != nil {
		out.Totals = make([]ContestTotal, 0, len(a.Totals))
	}
	var problems []error
	for _, ct := range a.Totals {
		// Every figure one the definition has, given once, not negative: a
		// total set aside here would be one the verifier said nothing of.
		m := map[string]int64{"blank": ct.Blank, "null": ct.Null}
		var bad []string
		if ct.Blank < 0 || ct.Null < 0 {
			bad = append(bad, "negative blank or null votes")
		}
		c := def.Contest(ct.ID)
		for _, x := range ct.Candidates {
			_, seen := m[x.ID]
			switch {
			case c != nil && c.CandidateIndex(x.ID) < 0:
				bad = append(bad, fmt.Sprintf("contest %s has no candidate %q, and the announced totals give it %d votes", ct.ID, x.ID, x.Votes))
			case seen:
				bad = append(bad, fmt.Sprintf("contest %s: candidate %s given twice", ct.ID, x.ID))
			case x.Votes < 0:
				bad = append(bad, fmt.Sprintf("contest %s: candidate %s has %d votes", ct.ID, x.ID, x.Votes))
			}
			m[x.ID] = x.Votes
		}
		if len(bad) > 0 {
			problems = append(problems, problem("totals", "%s: the totals of contest %s are not used", strings.Join(bad, "; "), ct.ID))
			continue
		}
		out.Totals = append(out.Totals, ContestTotal{Contest: ct.ID, Votes: m})
	}
	for i, s := range a.Stations {
		where := fmt.Sprintf("station %d (%s)", i+1, s.Station)
		st := def.Station(s.Station)
		if st == nil {
			problems = append(problems, problem(where, "no station %q in election %s", s.Station, def.ID))
			continue
		}
		f, err := announcedFigures(def.Ballot(st), s)
		if err != nil {
			problems = append(problems, problem(where, "%v", err))
			continue
		}
		out.Stations = append(out.Stations, AnnouncedStation{Station: st.ID, Where: where, Index: s.Index, Figures: f})
	}
	return out, problems
}

// announcedFigures turns one announced station into figures of its ballot.
func announcedFigures(ballot []*election.Contest, s announcedStation) (Figures, error) {
	f := NewFigures(ballot)
	if s.Registered < 0 || s.Ballots < 0 || s.Registered > election.MaxCount || s.Ballots > election.MaxCount {
		return f, fmt.Errorf("registered %d or ballots %d out of range", s.Registered, s.Ballots)
	}
	f.Registered, f.Ballots = int32(s.Registered), int32(s.Ballots)
	seen := map[string]bool{}
	for _, ct := range s.Contests {
		i := election.ContestIndex(ballot, ct.ID)
		if i < 0 {
			return f, fmt.Errorf("contest %q is not on the station's ballot", ct.ID)
		}
		if seen[ct.ID] {
			return f, fmt.Errorf("contest %q given twice", ct.ID)
		}
		seen[ct.ID] = true
		cands, _, _ := f.Contest(ballot, i)
		for _, x := range ct.Candidates {
			j := ballot[i].CandidateIndex(x.ID)
			if j < 0 {
				return f, fmt.Errorf("contest %s has no candidate %q", ct.ID, x.ID)
			}
			if cands[j] != Unknown {
				return f, fmt.Errorf("contest %s: candidate %s given twice", ct.ID, x.ID)
			}
			if x.Votes < 0 || x.Votes > election.MaxCount {
				return f, fmt.Errorf("contest %s: candidate %s: %d votes out of range", ct.ID, x.ID, x.Votes)
			}
			cands[j] = int32(x.Votes)
		}
		if ct.Blank < 0 || ct.Null < 0 || ct.Blank > election.MaxCount || ct.Null > election.MaxCount {
			return f, fmt.Errorf("contest %s: blank %d or null %d out of range", ct.ID, ct.Blank, ct.Null)
		}
		off := offsetOf(ballot, i) + len(ballot[i].Candidates)
		f.Votes[off], f.Votes[off+1] = int32(ct.Blank), int32(ct.Null)
	}
	// Every figure of the ballot: one left out would never be compared.
	for i, c := range ballot {
		if !seen[c.ID] {
			return f, fmt.Errorf("no figures for contest %s", c.ID)
		}
		cands, _, _ := f.Contest(ballot, i)
		for j, x := range cands {
			if x == Unknown {
				return f, fmt.Errorf("contest %s: no votes for candidate %s", c.ID, c.Candidates[j].ID)
			}
		}
	}
	return f, nil
}

func offsetOf(ballot []*election.Contest, i int) int {
	off := 0
	for _, c := range ballot[:i] {
		off += len(c.Candidates) + 2
	}
	return off
}

// readAnnouncedCSV reads the CSV form: a header
// station,index,registered,ballots,contest,candidate,votes and one row per
// candidate (and blank, null) of each station.
func readAnnouncedCSV(data []byte) (announcement, error) {
	var a announcement
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	cr.FieldsPerRecord = -1
	want := []string{"station", "index", "registered", "ballots", "contest", "candidate", "votes"}
	header, err := cr.Read()
	if err != nil {
		return a, fmt.Errorf("line 1: %v", err)
	}
	if strings.Join(header, ",") != strings.Join(want, ",") {
		return a, fmt.Errorf("line 1: header %q, want %q", strings.Join(header, ","), strings.Join(want, ","))
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return a, nil
		}
		if err != nil {
			return a, err // a csv.ParseError names the line
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(want) {
			return a, fmt.Errorf("line %d: %d fields, want %d", line, len(rec), len(want))
		}
		var n [4]int64
		for i, col := range []int{1, 2, 3, 6} {
			x, err := strconv.ParseInt(rec[col], 10, 64)
			if err != nil || x < 0 || x > election.MaxCount {
				return a, fmt.Errorf("line %d: %s %q is not a count", line, want[col], rec[col])
			}
			n[i] = x
		}
		if len(a.Stations) == 0 || a.Stations[len(a.Stations)-1].Station != rec[0] {
			a.Stations = append(a.Stations, announcedStation{Station: rec[0], Index: uint64(n[0]), Registered: int(n[1]), Ballots: int(n[2])})
		}
		s := &a.Stations[len(a.Stations)-1]
		if len(s.Contests) == 0 || s.Contests[len(s.Contests)-1].ID != rec[4] {
			s.Contests = append(s.Contests, announcedContest{ID: rec[4]})
		}
		ct := &s.Contests[len(s.Contests)-1]
		switch rec[5] {
		case "blank":
			ct.Blank = n[3]
		case "null":
			ct.Null = n[3]
		default:
			ct.Candidates = append(ct.Candidates, announcedCandidate{ID: rec[5], Votes: n[3]})
		}
	}
}
