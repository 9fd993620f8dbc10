package tally

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/strictjson"
)

// NISTMapping says how a NIST SP 1500-100 v2 election results report
// (ElectionReport, JSON) names the definition's stations, contests and
// candidates. The zero mapping reads what [WriteNIST] writes.
//
// A name is one of "@id"; "Name" (a GpUnit's or a candidate's BallotName,
// in Language); "Abbreviation" (a contest's); "ExternalIdentifier:T" — the
// Value of the object's ExternalIdentifier of Type T, or of Type "other"
// and OtherType T; and for a candidate "PartyAbbreviation" or "PartyName"
// of its party. "" is "ExternalIdentifier:triplicate".
type NISTMapping struct {
	Station   string            // how a GpUnit (ReportingUnit or ReportingDevice) names its station
	UnitType  string            // the ReportingUnit Type (or OtherType) of stations; "": every GpUnit whose name is a station
	Contest   string            // how a contest names its contest: "@id", "Name", "Abbreviation" or "ExternalIdentifier:T"
	Candidate string            // how a CandidateSelection names its candidate (its first CandidateIds); a PartySelection names its first party by "@id", "PartyAbbreviation" or "PartyName"; a BallotMeasureSelection by its Selection text
	Contests  map[string]string // contest name → contest id; nil: names are ids. A contest not in a non-nil map is not read (a warning)
	Choices   map[string]string // selection name → CANDIDATE, blank or null of its contest, or CONTEST.CANDIDATE; nil: names are candidate ids
	CountType string            // the VoteCounts and BallotCounts Type read (or OtherType, when Type is "other"); "" = "total"
	Language  string            // of InternationalizedText; "": the first text
}

const nistTriplicate = "ExternalIdentifier:triplicate"

// check says whether the mapping's names are names it knows.
func (m NISTMapping) check() error {
	ext := func(k string) bool {
		return k == "" || strings.HasPrefix(k, "ExternalIdentifier:") && len(k) > len("ExternalIdentifier:")
	}
	switch {
	case !ext(m.Station) && m.Station != "@id" && m.Station != "Name":
		return fmt.Errorf("NIST mapping: station name %s (want @id, Name or ExternalIdentifier:TYPE)", strconv.Quote(m.Station))
	case !ext(m.Contest) && m.Contest != "@id" && m.Contest != "Name" && m.Contest != "Abbreviation":
		return fmt.Errorf("NIST mapping: contest name %s (want @id, Name, Abbreviation or ExternalIdentifier:TYPE)", strconv.Quote(m.Contest))
	case !ext(m.Candidate) && !slices.Contains([]string{"@id", "Name", "BallotName", "PartyAbbreviation", "PartyName"}, m.Candidate):
		return fmt.Errorf("NIST mapping: candidate name %s (want @id, BallotName, PartyAbbreviation, PartyName or ExternalIdentifier:TYPE)", strconv.Quote(m.Candidate))
	}
	return nil
}

// nistReader reads one report against a definition.
type nistReader struct {
	m        NISTMapping
	def      *election.Definition
	e        *csvErrors
	station  map[string]int // GpUnit @id → row, -1: not a station
	rows     []CSVRow
	pos      []int32
	from     [][]string // by row, by figure slot (registered, ballots, votes…): where it was given
	dropped  []bool
	has      []bool
	ballots  map[string]*longBallot
	notUnits map[string]bool // GpUnits with counts that are no station
	unmapped []string        // contests of the report not in the mapping's Contests
	parties  map[string]*nistParty
	cands    map[string]*nistCandidate
	seen     map[string]bool // labels of Contests and Choices met
	badLabel map[string]bool
}

// readNIST reads a NIST SP 1500-100 v2 ElectionReport. The report is read
// whole (it is one JSON value); each station's figures are its GpUnit's
// VotersRegistered, BallotsCast of its BallotCounts, each contest's
// selections' VoteCounts of the count type and its OtherCounts'
// Undervotes (blank) and Overvotes (null).
// maxNISTBytes bounds a NIST report, which is read whole (a gzipped file
// may unpack to anything).
const maxNISTBytes = 1 << 30

func readNIST(r io.Reader, m NISTMapping, def *election.Definition, ids *stationIndex, e *csvErrors) ([]CSVRow, []int32, []string) {
	if err := m.check(); err != nil {
		e.file(err.Error())
		return nil, nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r, maxNISTBytes+1))
	if err != nil {
		e.file("reading: " + err.Error())
		return nil, nil, nil
	}
	if len(data) > maxNISTBytes {
		e.file(fmt.Sprintf("larger than %d MiB: a NIST report is read whole, and one of a whole country's stations is far smaller", maxNISTBytes>>20))
		return nil, nil, nil
	}
	var rep nistReport
	if err := strictjson.UnmarshalPart(data, &rep); err != nil {
		e.file("not a NIST SP 1500-100 election report: " + err.Error())
		return nil, nil, nil
	}
	if rep.Type != "ElectionResults.ElectionReport" {
		e.file(fmt.Sprintf("not a NIST SP 1500-100 election report: @type %s, want ElectionResults.ElectionReport", strconv.Quote(csvClip(rep.Type, 60))))
		return nil, nil, nil
	}
	if m.CountType == "" {
		m.CountType = "total"
	}
	x := &nistReader{m: m, def: def, e: e, station: map[string]int{}, ballots: map[string]*longBallot{},
		notUnits: map[string]bool{}, parties: map[string]*nistParty{}, cands: map[string]*nistCandidate{},
		seen: map[string]bool{}, badLabel: map[string]bool{}}
	lp := &longPlan{def: def, ballots: x.ballots}
	x.units(rep.GpUnit, ids, lp)
	for i := range rep.Party {
		x.parties[rep.Party[i].ID] = &rep.Party[i]
	}
	for ei, el := range rep.Election {
		for i := range el.Candidate {
			x.cands[el.Candidate[i].ID] = &el.Candidate[i]
		}
		for i, bc := range el.BallotCounts {
			if bc.Type == m.CountType || bc.Type == "other" && bc.OtherType == m.CountType {
				x.set(bc.GpUnitID, 1, bc.BallotsCast, fmt.Sprintf("/Election/%d/BallotCounts/%d", ei, i), "BallotsCast")
			}
		}
		for ci := range el.Contest {
			x.contest(&el.Contest[ci], fmt.Sprintf("/Election/%d/Contest/%d", ei, ci), lp)
		}
	}
	var warnings []string
	if len(x.notUnits) > 0 {
		some := slices.Sorted(maps.Keys(x.notUnits))
		more := ""
		if len(some) > 5 {
			some, more = some[:5], fmt.Sprintf(" and %d more", len(some)-5)
		}
		warnings = append(warnings, fmt.Sprintf("%s: counts of %d GpUnits that are no station of the election not read (%s%s): totals of larger areas, or stations whose ids do not match (declare unit_type to make those an error)", e.name, len(x.notUnits), strings.Join(some, ", "), more))
	}
	if len(x.unmapped) > 0 {
		warnings = append(warnings, fmt.Sprintf("%s: %d contests of the report are not in the mapping's contests, and were not read (%s)", e.name, len(x.unmapped), strings.Join(x.unmapped[:min(5, len(x.unmapped))], ", ")))
	}
	for _, l := range slices.Sorted(maps.Keys(m.Contests)) {
		if !x.seen["contest\x00"+l] {
			warnings = append(warnings, fmt.Sprintf("%s: contest %s (contest %s) is in the mapping but not in the report", e.name, strconv.Quote(l), m.Contests[l]))
		}
	}
	for _, l := range slices.Sorted(maps.Keys(m.Choices)) {
		if !x.seen["choice\x00"+l] {
			warnings = append(warnings, fmt.Sprintf("%s: selection %s (%s) is in the mapping but not in the report", e.name, strconv.Quote(l), m.Choices[l]))
		}
	}
	var rows []CSVRow
	var pos []int32
	for i, r := range x.rows {
		if x.has[i] && !x.dropped[i] {
			rows = append(rows, r)
			pos = append(pos, x.pos[i])
		}
	}
	return rows, pos, warnings
}

// units finds the stations among the GpUnits: one row each. Two GpUnits of
// one station are an error, and neither is read.
func (x *nistReader) units(units []nistGpUnit, ids *stationIndex, lp *longPlan) {
	key := x.m.Station
	if key == "" {
		key = nistTriplicate
	}
	byStation := map[int]int{} // station position → row
	for i, u := range units {
		where := fmt.Sprintf("/GpUnit/%d", i)
		if u.ID == "" {
			x.e.file(where + ": GpUnit has no @id")
			continue
		}
		if _, dup := x.station[u.ID]; dup {
			x.e.file(fmt.Sprintf("%s: GpUnit @id %s given twice", where, strconv.Quote(csvClip(u.ID, 60))))
			if r := x.station[u.ID]; r >= 0 {
				x.dropped[r] = true
			}
			continue
		}
		x.station[u.ID] = -1
		if x.m.UnitType != "" && u.UnitType != x.m.UnitType && !(u.UnitType == "other" && u.OtherType == x.m.UnitType) {
			continue
		}
		var id string
		switch {
		case key == "@id":
			id = u.ID
		case key == "Name":
			id = u.Name.text(x.m.Language)
		case strings.HasPrefix(key, "ExternalIdentifier:"):
			id = extID(u.ExternalIdentifier, strings.TrimPrefix(key, "ExternalIdentifier:"))
		}
		id = strings.TrimSpace(id)
		if id == "" {
			if x.m.UnitType != "" {
				x.e.file(fmt.Sprintf("GpUnit %s: no %s (the station id)", u.ID, key))
			}
			continue
		}
		p, msg := ids.find([]string{id})
		if msg != "" {
			if x.m.UnitType != "" {
				x.e.file(fmt.Sprintf("GpUnit %s: %s", u.ID, msg))
			}
			continue
		}
		st := x.def.Stations[p]
		where = "GpUnit " + u.ID
		if r, dup := byStation[p]; dup {
			x.e.file(fmt.Sprintf("%s: station %s given twice, at %s and %s: its figures from this file are dropped", where, st.ID, x.rows[r].Where, where))
			x.dropped[r] = true
			x.station[u.ID] = -2
			continue
		}
		b := lp.ballot(st)
		f := Figures{Registered: Unknown, Ballots: Unknown, Votes: make([]int32, b.n)}
		for j := range f.Votes {
			f.Votes[j] = Unknown
		}
		r := len(x.rows)
		byStation[p] = r
		x.station[u.ID] = r
		x.rows = append(x.rows, CSVRow{Where: where, Station: st.ID, Figures: f})
		x.pos = append(x.pos, int32(p))
		x.from = append(x.from, make([]string, b.n+2))
		x.dropped = append(x.dropped, false)
		x.has = append(x.has, false)
		if len(u.VotersRegistered) > 0 {
			x.set(u.ID, 0, u.VotersRegistered, fmt.Sprintf("/GpUnit/%d", i), "VotersRegistered")
		}
	}
}

// set gives a station's figure at a slot (registered, ballots, votes…),
// read from a count at a place in the report.
func (x *nistReader) set(unit string, slot int, v jsontext.Value, where, name string) {
	r, ok := x.station[unit]
	switch {
	case !ok:
		x.e.file(fmt.Sprintf("%s: GpUnitId %s is no GpUnit of the report", where, strconv.Quote(csvClip(unit, 60))))
		return
	case r == -1:
		x.notUnits[unit] = true
		return
	case r < 0:
		return // a station given twice: reported
	}
	if len(v) == 0 {
		return
	}
	raw := strings.TrimSpace(string(v))
	if len(raw) > 1 && raw[0] == '"' {
		raw, _ = strconv.Unquote(raw)
		raw = strings.TrimSpace(raw)
	}
	n, err := election.ParseCount(raw)
	if err != nil {
		x.e.file(fmt.Sprintf("%s: %s: %s", where, name, csvNotCount(raw)))
		return
	}
	if prev := x.from[r][slot]; prev != "" {
		row := &x.rows[r]
		x.e.file(fmt.Sprintf("%s: station %s (%s): a figure given twice, at %s and %s: its figures from this file are dropped", where, row.Station, row.Where, prev, where))
		x.dropped[r] = true
		return
	}
	x.from[r][slot] = where
	x.has[r] = true
	f := &x.rows[r].Figures
	switch slot {
	case 0:
		f.Registered = int32(n)
	case 1:
		f.Ballots = int32(n)
	default:
		f.Votes[slot-2] = int32(n)
	}
}

// contest reads one contest's counts.
func (x *nistReader) contest(c *nistContest, where string, lp *longPlan) {
	var label string
	switch key := x.m.Contest; {
	case key == "@id":
		label = c.ID
	case key == "Name":
		label = c.Name
	case key == "Abbreviation":
		label = c.Abbreviation
	default: // checked: ExternalIdentifier
		if key == "" {
			key = nistTriplicate
		}
		label = extID(c.ExternalIdentifier, strings.TrimPrefix(key, "ExternalIdentifier:"))
	}
	id := label
	if x.m.Contests != nil {
		var ok bool
		if id, ok = x.m.Contests[label]; !ok {
			x.unmapped = append(x.unmapped, label) // not read, as the mapping says: a warning
			return
		}
		x.seen["contest\x00"+label] = true
	}
	ci := -1
	for i, dc := range x.def.Contests {
		if dc.ID == id {
			ci = i
		}
	}
	if ci < 0 {
		x.e.file(fmt.Sprintf("%s: contest %s (@id %s) is no contest of the election", where, strconv.Quote(csvClip(label, 60)), c.ID))
		return
	}
	dc := x.def.Contests[ci]
	slot := func(unit string, fig int, where string) int {
		r, ok := x.station[unit]
		if !ok || r < 0 {
			return -1 // set says so
		}
		off := x.ballotOf(r, lp).off[ci]
		if off < 0 {
			x.e.file(fmt.Sprintf("%s: contest %s is not on the ballot of station %s (GpUnit %s)", where, dc.ID, x.rows[r].Station, unit))
			return -2
		}
		return 2 + int(off) + fig
	}
	for si, s := range c.ContestSelection {
		sw := fmt.Sprintf("%s/ContestSelection/%d", where, si)
		fig := x.selection(s, dc, ci, sw)
		if fig < 0 {
			continue
		}
		for vi, vc := range s.VoteCounts {
			if vc.Type != x.m.CountType && !(vc.Type == "other" && vc.OtherType == x.m.CountType) {
				continue
			}
			vw := fmt.Sprintf("%s/VoteCounts/%d", sw, vi)
			if k := slot(vc.GpUnitID, fig, vw); k >= 0 || k == -1 {
				x.set(vc.GpUnitID, max(k, 0), vc.Count, vw, "Count")
			}
		}
	}
	if x.m.CountType != "total" {
		return // OtherCounts have no count type: they are of the total
	}
	for oi, oc := range c.OtherCounts {
		ow := fmt.Sprintf("%s/OtherCounts/%d", where, oi)
		for _, v := range []struct {
			fig  int
			val  jsontext.Value
			name string
		}{{len(dc.Candidates), oc.Undervotes, "Undervotes"}, {len(dc.Candidates) + 1, oc.Overvotes, "Overvotes"}} {
			if len(v.val) == 0 {
				continue
			}
			if k := slot(oc.GpUnitID, v.fig, ow); k >= 0 || k == -1 {
				x.set(oc.GpUnitID, max(k, 0), v.val, ow, v.name)
			}
		}
	}
}

func (x *nistReader) ballotOf(r int, lp *longPlan) *longBallot {
	return lp.ballot(x.def.Stations[x.pos[r]])
}

// selection returns the figure of contest dc a selection counts, or -1
// (reported once per name).
func (x *nistReader) selection(s nistSelection, dc *election.Contest, ci int, where string) int {
	var name string
	switch {
	case s.Type == "ElectionResults.BallotMeasureSelection":
		name = s.Selection.text(x.m.Language)
	case s.Type == "ElectionResults.PartySelection" || len(s.PartyIDs) > 0 && len(s.CandidateIDs) == 0:
		if len(s.PartyIDs) == 0 {
			x.e.file(where + ": a PartySelection without PartyIds")
			return -1
		}
		p := x.parties[s.PartyIDs[0]]
		switch {
		case p == nil:
			x.e.file(fmt.Sprintf("%s: PartyIds %s is no Party of the report", where, strconv.Quote(s.PartyIDs[0])))
			return -1
		case x.m.Candidate == "PartyAbbreviation":
			name = p.Abbreviation.text(x.m.Language)
		case x.m.Candidate == "PartyName":
			name = p.Name.text(x.m.Language)
		default:
			name = p.ID
		}
	case len(s.CandidateIDs) == 0:
		name = s.ID // a write-in, without a candidate
	default:
		c := x.cands[s.CandidateIDs[0]]
		if c == nil {
			x.e.file(fmt.Sprintf("%s: CandidateIds %s is no Candidate of the election", where, strconv.Quote(s.CandidateIDs[0])))
			return -1
		}
		switch key := x.m.Candidate; {
		case key == "@id":
			name = c.ID
		case key == "Name" || key == "BallotName":
			name = c.BallotName.text(x.m.Language)
		case key == "PartyAbbreviation" || key == "PartyName":
			p := x.parties[c.PartyID]
			if p == nil {
				x.e.file(fmt.Sprintf("%s: candidate %s has no Party of the report", where, c.ID))
				return -1
			}
			if key == "PartyName" {
				name = p.Name.text(x.m.Language)
			} else {
				name = p.Abbreviation.text(x.m.Language)
			}
		default: // checked: ExternalIdentifier
			if key == "" {
				key = nistTriplicate
			}
			name = extID(c.ExternalIdentifier, strings.TrimPrefix(key, "ExternalIdentifier:"))
		}
	}
	bad := func(msg string) int {
		if !x.badLabel[name] {
			x.badLabel[name] = true
			x.e.file(where + ": " + msg)
		}
		return -1
	}
	target := name
	if x.m.Choices != nil {
		var ok bool
		if target, ok = x.m.Choices[name]; !ok {
			return bad(fmt.Sprintf("selection %s is not in the mapping's choices", strconv.Quote(csvClip(name, 60))))
		}
		x.seen["choice\x00"+name] = true
	}
	if rest, ok := strings.CutPrefix(target, dc.ID+"."); ok && contestFigure(dc, rest) >= 0 {
		return contestFigure(dc, rest)
	}
	if j := contestFigure(dc, target); j >= 0 {
		return j
	}
	return bad(fmt.Sprintf("selection %s is no candidate of contest %s", strconv.Quote(csvClip(name, 60)), dc.ID))
}
