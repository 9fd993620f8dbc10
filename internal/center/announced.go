package center

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/intake"
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
	out := &Announced{Election: c.def.ID, LogSize: cp.Size, Checkpoint: string(cp.Raw), Stations: []AnnouncedStation{}}
	for _, i := range c.dec.reportedIn(cp.Size) {
		out.Stations = append(out.Stations, c.dec.figures.announced(i))
	}
	out.Totals = announcedTotals(c.def, out.Stations)
	return out, nil
}

// announced returns the announced figures of station i, which has
// reported.
func (f *figures) announced(i int) AnnouncedStation {
	st := f.def.Stations[i]
	index, _ := f.reported(i)
	ballot, ballots, nums := f.station(i)
	as := AnnouncedStation{Station: st.ID, Index: index, Registered: st.Registered, Ballots: ballots}
	for _, ct := range ballot {
		cr := ContestResult{ID: ct.ID, Name: ct.Name}
		for j, x := range ct.Candidates {
			cr.Candidates = append(cr.Candidates, CandidateResult{ID: x.ID, Name: x.Name, Votes: int(nums[j])})
		}
		nums = nums[len(ct.Candidates):]
		cr.Blank, cr.Null = int(nums[0]), int(nums[1])
		nums = nums[2:]
		as.Contests = append(as.Contests, cr)
	}
	return as
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
	cp, err := c.ledger.Published(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("format") == "signed" {
		select {
		case c.bundling <- struct{}{}:
			defer func() { <-c.bundling }()
		default:
			c.fail(w, r, fmt.Errorf("%w: another reader's signed announcements are being written; one at a time", intake.ErrBusy))
			return
		}
		reported := c.dec.reportedIn(cp.Size)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		c.writeSigned(w, &cp.Checkpoint, reported)
		return
	}
	reported := c.dec.reportedIn(cp.Size)
	if r.URL.Query().Get("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		c.dec.figures.writeAnnouncedCSV(w, reported)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	c.dec.figures.writeAnnounced(w, cp.Size, string(cp.Raw), reported)
}

func (f *figures) writeAnnouncedCSV(w io.Writer, reported []int) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"station", "index", "registered", "ballots", "contest", "candidate", "votes"})
	for _, i := range reported {
		st := f.def.Stations[i]
		index, _ := f.reported(i)
		ballot, ballots, nums := f.station(i)
		head := []string{st.ID, strconv.FormatUint(index, 10), strconv.Itoa(st.Registered), strconv.Itoa(ballots)}
		for _, ct := range ballot {
			for j, x := range ct.Candidates {
				cw.Write(append(head[:4:4], ct.ID, x.ID, strconv.Itoa(int(nums[j]))))
			}
			nums = nums[len(ct.Candidates):]
			cw.Write(append(head[:4:4], ct.ID, "blank", strconv.Itoa(int(nums[0]))))
			cw.Write(append(head[:4:4], ct.ID, "null", strconv.Itoa(int(nums[1]))))
			nums = nums[2:]
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeAnnounced writes the announced figures of the given stations (as
// reportedIn returns them) exactly as writeJSON writes the Announced that
// Announce returns — TestAnnouncedStreamed holds them byte for byte — but a
// station at a time: at some 650 bytes a station it is the largest thing
// the center writes, and it is never in memory whole.
func (f *figures) writeAnnounced(w io.Writer, size uint64, checkpoint string, reported []int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	contests := make(map[*election.Contest]*jsonContest, len(f.def.Contests))
	totals := make([]*jsonContest, len(f.def.Contests))
	for k, ct := range f.def.Contests {
		jc := &jsonContest{id: jsonString(ct.ID), name: jsonString(ct.Name), votes: make([]int, len(ct.Candidates))}
		for _, x := range ct.Candidates {
			jc.candidates = append(jc.candidates, [2][]byte{jsonString(x.ID), jsonString(x.Name)})
		}
		contests[ct], totals[k] = jc, jc
	}
	b := make([]byte, 0, 4096)
	b = append(b, "{\n  \"election\": "...)
	b = append(b, jsonString(f.def.ID)...)
	b = append(b, ",\n  \"log_size\": "...)
	b = strconv.AppendUint(b, size, 10)
	b = append(b, ",\n  \"checkpoint\": "...)
	b = append(b, jsonString(checkpoint)...)
	b = append(b, ",\n  \"stations\": ["...)
	for n, i := range reported {
		st := f.def.Stations[i]
		index, _ := f.reported(i)
		ballot, ballots, nums := f.station(i)
		if n > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    {\n      \"station\": "...)
		b = appendJSONString(b, st.ID)
		b = append(b, ",\n      \"index\": "...)
		b = strconv.AppendUint(b, index, 10)
		b = append(b, ",\n      \"registered\": "...)
		b = strconv.AppendInt(b, int64(st.Registered), 10)
		b = append(b, ",\n      \"ballots\": "...)
		b = strconv.AppendInt(b, int64(ballots), 10)
		b = append(b, ",\n      \"contests\": ["...)
		for k, ct := range ballot {
			jc := contests[ct]
			votes := nums[:len(ct.Candidates)]
			blank, null := int(nums[len(votes)]), int(nums[len(votes)+1])
			nums = nums[len(votes)+2:]
			for j, v := range votes {
				jc.votes[j] += int(v)
			}
			jc.blank += blank
			jc.null += null
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n        "...)
			b = appendContest(b, jc, "        ", votes, blank, null, "null")
		}
		if len(ballot) > 0 {
			b = append(b, "\n      ]"...)
		} else {
			b = append(b[:len(b)-1], "null"...)
		}
		b = append(b, "\n    }"...)
		if len(b) > 32<<10 {
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	if len(reported) > 0 {
		b = append(b, "\n  "...)
	}
	b = append(b, "],\n  \"totals\": ["...)
	for k, jc := range totals {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    "...)
		b = appendContest(b, jc, "    ", jc.votes, jc.blank, jc.null, "[]")
	}
	if len(totals) > 0 {
		b = append(b, "\n  "...)
	}
	b = append(b, "]\n}\n"...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

// jsonContest is a contest's strings in JSON, and its totals.
type jsonContest struct {
	id, name    []byte
	candidates  [][2][]byte // id and name
	votes       []int
	blank, null int
}

// appendContest appends a ContestResult of the contest as encoding/json
// writes it at the given indent; empty is what it writes for no candidates
// ("null" for a nil slice, "[]" for an empty one).
func appendContest[T int | int32](b []byte, jc *jsonContest, indent string, votes []T, blank, null int, empty string) []byte {
	b = append(b, "{\n"...)
	b = append(b, indent...)
	b = append(b, "  \"id\": "...)
	b = append(b, jc.id...)
	b = append(b, ",\n"...)
	b = append(b, indent...)
	b = append(b, "  \"name\": "...)
	b = append(b, jc.name...)
	b = append(b, ",\n"...)
	b = append(b, indent...)
	b = append(b, "  \"candidates\": "...)
	if len(jc.candidates) == 0 {
		b = append(b, empty...)
	} else {
		b = append(b, '[')
		for j, x := range jc.candidates {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, '\n')
			b = append(b, indent...)
			b = append(b, "    {\n"...)
			b = append(b, indent...)
			b = append(b, "      \"id\": "...)
			b = append(b, x[0]...)
			b = append(b, ",\n"...)
			b = append(b, indent...)
			b = append(b, "      \"name\": "...)
			b = append(b, x[1]...)
			b = append(b, ",\n"...)
			b = append(b, indent...)
			b = append(b, "      \"votes\": "...)
			b = strconv.AppendInt(b, int64(votes[j]), 10)
			b = append(b, '\n')
			b = append(b, indent...)
			b = append(b, "    }"...)
		}
		b = append(b, '\n')
		b = append(b, indent...)
		b = append(b, "  ]"...)
	}
	b = append(b, ",\n"...)
	b = append(b, indent...)
	b = append(b, "  \"blank\": "...)
	b = strconv.AppendInt(b, int64(blank), 10)
	b = append(b, ",\n"...)
	b = append(b, indent...)
	b = append(b, "  \"null\": "...)
	b = strconv.AppendInt(b, int64(null), 10)
	b = append(b, '\n')
	b = append(b, indent...)
	b = append(b, '}')
	return b
}

// jsonString is s as encoding/json writes a string.
func jsonString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

// appendJSONString appends s as encoding/json writes a string: as it is,
// quoted, if it has only characters encoding/json leaves alone, as the ids
// of the definition do.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return append(b, jsonString(s)...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
