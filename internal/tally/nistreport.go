package tally

import "github.com/go-json-experiment/json/jsontext"

// The parts of an ElectionReport read. Members not here are skipped; names
// are exact and none may be given twice (strictjson).
type nistReport struct {
	Type     string         `json:"@type"`
	Election []nistElection `json:"Election"`
	GpUnit   []nistGpUnit   `json:"GpUnit"`
	Party    []nistParty    `json:"Party"`
}

type nistElection struct {
	BallotCounts []nistBallotCounts `json:"BallotCounts"`
	Candidate    []nistCandidate    `json:"Candidate"`
	Contest      []nistContest      `json:"Contest"`
}

type nistGpUnit struct {
	ID                 string         `json:"@id"`
	Type               string         `json:"@type"`
	UnitType           string         `json:"Type"`
	OtherType          string         `json:"OtherType"`
	Name               *nistText      `json:"Name"`
	ExternalIdentifier []nistExtID    `json:"ExternalIdentifier"`
	VotersRegistered   jsontext.Value `json:"VotersRegistered"`
}

type nistText struct {
	Text []struct {
		Content  string `json:"Content"`
		Language string `json:"Language"`
	} `json:"Text"`
}

type nistExtID struct {
	Type      string `json:"Type"`
	OtherType string `json:"OtherType"`
	Value     string `json:"Value"`
}

type nistParty struct {
	ID           string    `json:"@id"`
	Name         *nistText `json:"Name"`
	Abbreviation *nistText `json:"Abbreviation"`
}

type nistCandidate struct {
	ID                 string      `json:"@id"`
	BallotName         *nistText   `json:"BallotName"`
	PartyID            string      `json:"PartyId"`
	ExternalIdentifier []nistExtID `json:"ExternalIdentifier"`
}

type nistContest struct {
	ID                 string            `json:"@id"`
	Type               string            `json:"@type"`
	Name               string            `json:"Name"`
	Abbreviation       string            `json:"Abbreviation"`
	ExternalIdentifier []nistExtID       `json:"ExternalIdentifier"`
	ContestSelection   []nistSelection   `json:"ContestSelection"`
	OtherCounts        []nistOtherCounts `json:"OtherCounts"`
}

type nistSelection struct {
	ID           string           `json:"@id"`
	Type         string           `json:"@type"`
	CandidateIDs []string         `json:"CandidateIds"`
	PartyIDs     []string         `json:"PartyIds"`
	Selection    *nistText        `json:"Selection"`
	VoteCounts   []nistVoteCounts `json:"VoteCounts"`
}

type nistVoteCounts struct {
	GpUnitID  string         `json:"GpUnitId"`
	Type      string         `json:"Type"`
	OtherType string         `json:"OtherType"`
	Count     jsontext.Value `json:"Count"`
}

type nistOtherCounts struct {
	GpUnitID   string         `json:"GpUnitId"`
	Overvotes  jsontext.Value `json:"Overvotes"`
	Undervotes jsontext.Value `json:"Undervotes"`
}

type nistBallotCounts struct {
	GpUnitID    string         `json:"GpUnitId"`
	Type        string         `json:"Type"`
	OtherType   string         `json:"OtherType"`
	BallotsCast jsontext.Value `json:"BallotsCast"`
}

// text is an InternationalizedText in a language ("" the first).
func (t *nistText) text(lang string) string {
	if t == nil {
		return ""
	}
	for _, s := range t.Text {
		if lang == "" || s.Language == lang {
			return s.Content
		}
	}
	return ""
}

// extID is the value of the identifier of a type, or "".
func extID(ids []nistExtID, typ string) string {
	for _, x := range ids {
		if x.Type == typ || x.Type == "other" && x.OtherType == typ {
			return x.Value
		}
	}
	return ""
}
