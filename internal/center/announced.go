package center

import (
	"context"

	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// Announced is what the center announces, station by station: the figures of
// the accepted final actas in the log up to a published checkpoint, which it
// names. A verifier holds them against the log at that checkpoint.
type Announced struct {
	Election   string             `json:"election"`
	LogSize    uint64             `json:"log_size"`   // the checkpoint's size
	Checkpoint string             `json:"checkpoint"` // the published, cosigned checkpoint
	Stations   []AnnouncedStation `json:"stations"`
	Totals     []ContestResult    `json:"totals"` // the sums of the stations' figures
}

// AnnouncedStation is the announced count of one station.
type AnnouncedStation struct {
	Station    string          `json:"station"`
	Index      uint64          `json:"index"` // the log entry of its acta
	Registered int             `json:"registered"`
	Ballots    int             `json:"ballots"`
	Contests   []ContestResult `json:"contests"`
}

// Announce returns the announced figures of every station reported in the
// latest published checkpoint, in the definition's order.
func (c *Center) Announce(ctx context.Context) (*Announced, error) {
	cp, err := c.ledger.Published(ctx)
	if err != nil {
		return nil, err
	}
	return c.announce(cp.Size, string(cp.Raw), c.reportedIn(cp.Size)), nil
}

// announce returns the announced figures of the stations reported in the
// checkpoint of the given size.
func (c *Center) announce(size uint64, checkpoint string, reported []reported) *Announced {
	out := &Announced{Election: c.def.ID, LogSize: size, Checkpoint: checkpoint, Stations: []AnnouncedStation{}}
	for _, r := range reported {
		sa := r.sa
		as := AnnouncedStation{Station: sa.Station, Index: r.index, Registered: sa.Registered, Ballots: sa.Ballots}
		for _, t := range sa.Contests {
			ct := c.def.Contest(t.Contest)
			cr := ContestResult{ID: ct.ID, Name: ct.Name, Blank: t.Blank, Null: t.Null}
			for i, x := range t.Candidates {
				cr.Candidates = append(cr.Candidates, CandidateResult{ID: x.Candidate, Name: ct.Candidates[i].Name, Votes: x.Votes})
			}
			as.Contests = append(as.Contests, cr)
		}
		out.Stations = append(out.Stations, as)
	}
	out.Totals = announcedTotals(c.def, out.Stations)
	return out
}

// announcedTotals sums the stations' figures, contest by contest.
func announcedTotals(def *election.Definition, stations []AnnouncedStation) []ContestResult {
	totals := []ContestResult{}
	at := map[string]int{}
	for _, ct := range def.Contests {
		at[ct.ID] = len(totals)
		cr := ContestResult{ID: ct.ID, Name: ct.Name, Candidates: []CandidateResult{}}
		for _, x := range ct.Candidates {
			cr.Candidates = append(cr.Candidates, CandidateResult{ID: x.ID, Name: x.Name})
		}
		totals = append(totals, cr)
	}
	for _, s := range stations {
		for _, ct := range s.Contests {
			t := &totals[at[ct.ID]]
			t.Blank += ct.Blank
			t.Null += ct.Null
			for i, x := range ct.Candidates {
				t.Candidates[i].Votes += x.Votes
			}
		}
	}
	return totals
}

func (c *Center) serveAnnounced(w http.ResponseWriter, r *http.Request) {
	a, err := c.Announce(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("format") != "csv" {
		writeJSON(w, http.StatusOK, a)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	cw := csv.NewWriter(w)
	cw.Write([]string{"station", "index", "registered", "ballots", "contest", "candidate", "votes"})
	for _, s := range a.Stations {
		head := []string{s.Station, strconv.FormatUint(s.Index, 10), strconv.Itoa(s.Registered), strconv.Itoa(s.Ballots)}
		for _, ct := range s.Contests {
			for _, x := range ct.Candidates {
				cw.Write(append(head[:4:4], ct.ID, x.ID, strconv.Itoa(x.Votes)))
			}
			cw.Write(append(head[:4:4], ct.ID, "blank", strconv.Itoa(ct.Blank)))
			cw.Write(append(head[:4:4], ct.ID, "null", strconv.Itoa(ct.Null)))
		}
	}
	cw.Flush()
}
