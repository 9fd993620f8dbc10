package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// AddAnnounced reads the center's announced figures from a file or an
// http(s) URL: the JSON of /v1/announced, or its CSV (?format=csv). Read it
// before the log: the log is then at least as recent as the checkpoint the
// announcement names, which is checked against it.
func (v *Verifier) AddAnnounced(ctx context.Context, location string, client *http.Client) {
	data, err := tally.Fetch(ctx, location, client)
	if err != nil {
		v.unread(location, "", "%v", err)
		return
	}
	v.ReadAnnounced(location, data)
}

// ReadAnnounced reads announced figures (JSON or CSV) from data; name says
// where they came from.
func (v *Verifier) ReadAnnounced(name string, data []byte) {
	src := v.source(name, KindAnnounced)
	src.ofLog = true
	sum := sha256.Sum256(data)
	src.sum = hex.EncodeToString(sum[:])
	a, errs := tally.ParseAnnounced(v.def, name, data)
	for _, err := range errs {
		p := Problem{Source: name, What: err.Error()}
		var e *tally.SourceError
		if errors.As(err, &e) {
			p = Problem{Source: e.Source, Where: e.Where, What: e.What}
		}
		// Not an announcement: nothing is read from it.
		p.Unread = a == nil
		v.problems = append(v.problems, p)
	}
	if a == nil {
		return
	}
	// Only an announcement that was read is one the stations are held
	// against (omitted) and an audit can be of.
	v.announcedSums = append(v.announcedSums, src.sum)
	for _, s := range a.Stations {
		v.add(s.Station, Count{Source: src, Where: s.Where, Kind: acta.Final, Figures: s.Figures, Index: int64(s.Index)})
	}
	if a.LogSize != nil {
		v.announcedLogSize = a.LogSize
	}
	if a.Checkpoint != "" {
		// Compared with the log when it is read: read the announcement
		// first.
		v.announcedCheckpoints = append(v.announcedCheckpoints, SavedCheckpoint{Name: name + " (the checkpoint it names)", Raw: []byte(a.Checkpoint)})
	}
	if a.Totals != nil {
		v.announcedTotals(name, a.Totals)
	}
}

// announcedTotals records the announced totals.
func (v *Verifier) announcedTotals(name string, totals []tally.ContestTotal) {
	v.totals = map[string]map[string]int64{}
	v.totalsSource = name
	for _, ct := range totals {
		c := v.def.Contest(ct.Contest)
		if c == nil {
			v.problem(name, "totals", "no contest %q in election %s", ct.Contest, v.def.ID)
			continue
		}
		v.totals[ct.Contest] = ct.Votes
	}
}
