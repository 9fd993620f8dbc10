package tally

import (
	"fmt"
	"io"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// What WriteNIST writes: the members of NIST SP 1500-100 v2 that carry
// per-station figures, and those the schema requires.
type (
	nistOutReport struct {
		Type                string            `json:"@type"`
		Election            []nistOutElection `json:"Election"`
		Format              string            `json:"Format"`
		GeneratedDate       string            `json:"GeneratedDate"`
		GpUnit              []nistOutUnit     `json:"GpUnit"`
		Issuer              string            `json:"Issuer"`
		IssuerAbbreviation  string            `json:"IssuerAbbreviation"`
		SequenceEnd         int               `json:"SequenceEnd"`
		SequenceStart       int               `json:"SequenceStart"`
		Status              string            `json:"Status"`
		VendorApplicationID string            `json:"VendorApplicationId"`
	}
	nistOutElection struct {
		Type            string             `json:"@type"`
		BallotCounts    []nistOutBallots   `json:"BallotCounts,omitempty"`
		Candidate       []nistOutCandidate `json:"Candidate"`
		Contest         []nistOutContest   `json:"Contest"`
		ElectionScopeID string             `json:"ElectionScopeId"`
		EndDate         string             `json:"EndDate"`
		Name            nistOutText        `json:"Name"`
		OtherType       string             `json:"OtherType"`
		StartDate       string             `json:"StartDate"`
		ElectionType    string             `json:"Type"`
	}
	nistOutUnit struct {
		ID                 string         `json:"@id"`
		Type               string         `json:"@type"`
		ComposingGpUnitIDs []string       `json:"ComposingGpUnitIds,omitempty"`
		ExternalIdentifier []nistOutExtID `json:"ExternalIdentifier"`
		Name               nistOutText    `json:"Name"`
		OtherType          string         `json:"OtherType,omitempty"`
		UnitType           string         `json:"Type"`
		VotersRegistered   *int32         `json:"VotersRegistered,omitempty"`
	}
	nistOutExtID struct {
		Type      string `json:"@type"`
		OtherType string `json:"OtherType"`
		IDType    string `json:"Type"`
		Value     string `json:"Value"`
	}
	nistOutText struct {
		Type string           `json:"@type"`
		Text []nistOutLangStr `json:"Text"`
	}
	nistOutLangStr struct {
		Type     string `json:"@type"`
		Content  string `json:"Content"`
		Language string `json:"Language"`
	}
	nistOutCandidate struct {
		ID                 string         `json:"@id"`
		Type               string         `json:"@type"`
		BallotName         nistOutText    `json:"BallotName"`
		ExternalIdentifier []nistOutExtID `json:"ExternalIdentifier"`
	}
	nistOutContest struct {
		ID                 string             `json:"@id"`
		Type               string             `json:"@type"`
		ContestSelection   []nistOutSelection `json:"ContestSelection"`
		ElectionDistrictID string             `json:"ElectionDistrictId"`
		ExternalIdentifier []nistOutExtID     `json:"ExternalIdentifier"`
		Name               string             `json:"Name"`
		NumberElected      int                `json:"NumberElected"`
		OtherCounts        []nistOutOther     `json:"OtherCounts,omitempty"`
		VotesAllowed       int                `json:"VotesAllowed"`
	}
	nistOutSelection struct {
		ID           string          `json:"@id"`
		Type         string          `json:"@type"`
		CandidateIDs []string        `json:"CandidateIds"`
		VoteCounts   []nistOutCounts `json:"VoteCounts"`
	}
	nistOutCounts struct {
		Type      string `json:"@type"`
		Count     int32  `json:"Count"`
		GpUnitID  string `json:"GpUnitId"`
		CountType string `json:"Type"`
	}
	nistOutOther struct {
		Type       string `json:"@type"`
		GpUnitID   string `json:"GpUnitId"`
		Overvotes  *int32 `json:"Overvotes,omitempty"`
		Undervotes *int32 `json:"Undervotes,omitempty"`
	}
	nistOutBallots struct {
		Type        string `json:"@type"`
		BallotsCast int32  `json:"BallotsCast"`
		GpUnitID    string `json:"GpUnitId"`
		CountType   string `json:"Type"`
	}
)

func nistOutName(s string) nistOutText {
	return nistOutText{"ElectionResults.InternationalizedText", []nistOutLangStr{{"ElectionResults.LanguageString", s, "en"}}}
}

func nistOutID(id string) []nistOutExtID {
	return []nistOutExtID{{"ElectionResults.ExternalIdentifier", "triplicate", "other", id}}
}

// WriteNIST writes per-station figures as a NIST SP 1500-100 v2
// ElectionReport (JSON, precinct-level): a ReportingUnit of Type
// polling-place per station, @id "gpu-" and its id, with VotersRegistered;
// a BallotCounts (Type total) of its ballots; each contest a
// CandidateContest with a CandidateSelection per candidate holding one
// VoteCounts (Type total) per station, and OtherCounts with Undervotes
// (blank) and Overvotes (null). Stations, contests and candidates carry an
// ExternalIdentifier of Type other, OtherType "triplicate", whose Value is
// their id in the definition, which is what the zero NISTMapping reads:
// the round trip WriteNIST → ReadTable(LayoutNIST) gives back the same
// figures. Unknown figures are left out.
//
// The definition has no date: the report's GeneratedDate, and the
// election's StartDate and EndDate that the schema requires, are the day
// it was written. Status is unofficial-complete: the report is triplicate's
// reading of the figures, not an official canvass.
func WriteNIST(w io.Writer, def *election.Definition, rows []CSVRow) error {
	now := time.Now().UTC()
	scope := "gpu-election"
	rep := nistOutReport{
		Type: "ElectionResults.ElectionReport", Format: "precinct-level",
		GeneratedDate: now.Format("2006-01-02T15:04:05Z"),
		Issuer:        "triplicate", IssuerAbbreviation: "triplicate",
		SequenceStart: 1, SequenceEnd: 1, Status: "unofficial-complete", VendorApplicationID: "triplicate",
	}
	el := nistOutElection{Type: "ElectionResults.Election", ElectionScopeID: scope,
		StartDate: now.Format("2006-01-02"), EndDate: now.Format("2006-01-02"),
		Name: nistOutName(def.Name), ElectionType: "other", OtherType: "triplicate " + def.ID}
	top := nistOutUnit{ID: scope, Type: "ElectionResults.ReportingUnit",
		ExternalIdentifier: []nistOutExtID{{"ElectionResults.ExternalIdentifier", "triplicate-election", "other", def.ID}},
		Name:               nistOutName(def.Name), UnitType: "other", OtherType: "election"}
	contests := make([]nistOutContest, len(def.Contests))
	index := map[*election.Contest]int{}
	for i, c := range def.Contests {
		index[c] = i
		r := c.DecidedBy()
		seats := 1
		if r.Method == contest.Plurality {
			seats = r.Seats
		}
		contests[i] = nistOutContest{ID: "con-" + c.ID, Type: "ElectionResults.CandidateContest",
			ElectionDistrictID: scope, ExternalIdentifier: nistOutID(c.ID), Name: c.Name,
			NumberElected: seats, VotesAllowed: seats}
		for _, x := range c.Candidates {
			cid := "can-" + c.ID + "-" + x.ID
			el.Candidate = append(el.Candidate, nistOutCandidate{ID: cid, Type: "ElectionResults.Candidate",
				BallotName: nistOutName(x.Name), ExternalIdentifier: nistOutID(x.ID)})
			contests[i].ContestSelection = append(contests[i].ContestSelection, nistOutSelection{
				ID: "sel-" + c.ID + "-" + x.ID, Type: "ElectionResults.CandidateSelection", CandidateIDs: []string{cid},
				VoteCounts: []nistOutCounts{}})
		}
	}
	seen := map[string]bool{}
	for _, r := range rows {
		st := def.Station(r.Station)
		if st == nil {
			return fmt.Errorf("write NIST: station %q not in the election", r.Station)
		}
		if seen[st.ID] {
			return fmt.Errorf("write NIST: station %s given twice", st.ID)
		}
		seen[st.ID] = true
		ballot := def.Ballot(st)
		if len(r.Figures.Votes) != BallotFigures(ballot) {
			return fmt.Errorf("write NIST: station %s: %d figures, its ballot has %d", st.ID, len(r.Figures.Votes), BallotFigures(ballot))
		}
		gpu := "gpu-" + st.ID
		u := nistOutUnit{ID: gpu, Type: "ElectionResults.ReportingUnit", ExternalIdentifier: nistOutID(st.ID),
			Name: nistOutName(st.ID), UnitType: "polling-place"}
		if v := r.Figures.Registered; v != Unknown {
			u.VotersRegistered = &v
		}
		rep.GpUnit = append(rep.GpUnit, u)
		top.ComposingGpUnitIDs = append(top.ComposingGpUnitIDs, gpu)
		if v := r.Figures.Ballots; v != Unknown {
			el.BallotCounts = append(el.BallotCounts, nistOutBallots{"ElectionResults.BallotCounts", v, gpu, "total"})
		}
		for bi, c := range ballot {
			out := &contests[index[c]]
			cands, blank, null := r.Figures.Contest(ballot, bi)
			for j, v := range cands {
				if v != Unknown {
					sel := &out.ContestSelection[j]
					sel.VoteCounts = append(sel.VoteCounts, nistOutCounts{"ElectionResults.VoteCounts", v, gpu, "total"})
				}
			}
			o := nistOutOther{Type: "ElectionResults.OtherCounts", GpUnitID: gpu}
			if blank != Unknown {
				o.Undervotes = &blank
			}
			if null != Unknown {
				o.Overvotes = &null
			}
			if o.Undervotes != nil || o.Overvotes != nil {
				out.OtherCounts = append(out.OtherCounts, o)
			}
		}
	}
	el.Contest = contests
	rep.Election = []nistOutElection{el}
	rep.GpUnit = append([]nistOutUnit{top}, rep.GpUnit...)
	return json.MarshalWrite(w, rep, jsontext.Multiline(true), jsontext.WithIndent(" "))
}
