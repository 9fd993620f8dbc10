package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// AddAnnounced reads the center's announced figures from a file or an
// http(s) URL: the JSON of /v1/announced, or its CSV (?format=csv), or the
// center's signed announcements (?format=signed, or notes the witnesses'
// phones saved: doc/spec/announced.md). Read it before the log: the log is then at least as recent as the checkpoint the
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
	if a.Signed {
		v.readSigned(src, a.Stations)
		return
	}
	src.ofLog = true
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

// readSigned adds the stations' figures the center signed. Signed notes
// need not be all of an announcement (a phone keeps its station's), so
// they are held against the actas and one another, not taken for the
// center's whole announcement: no station is found omitted for want of
// one. Each note is its own evidence, signed by the center. Two notes the
// center signed at one log size that disagree — of one station, or on the
// log's root — are its split view.
func (v *Verifier) readSigned(src *Source, stations []tally.AnnouncedStation) {
	src.Layout = "signed"
	if v.signedAt == nil {
		v.signedAt = map[uint64][]signedNote{}
	}
	for _, s := range stations {
		c := Count{Source: src, Where: s.Where, Kind: acta.Final, Figures: s.Figures, Index: int64(s.Index), Msg: s.Signed.Msg}
		v.add(s.Station, c)
		n := signedNote{c, s.Signed}
		for _, o := range v.signedAt[s.Signed.Size] {
			if why := announced.Equivocation(o.sa, n.sa); why != "" {
				station := ""
				if o.sa.Station == n.sa.Station {
					station = n.sa.Station
				}
				v.findings = append(v.findings, Finding{Check: CheckSplitView, Station: station, Proven: true,
					Summary: why + ": both notes carry the center's signature",
					Evidence: []Evidence{
						{Kind: "announced-signed", Source: o.c.Source.Name, Where: o.c.Where, Announcement: string(o.sa.Msg)},
						{Kind: "announced-signed", Source: n.c.Source.Name, Where: n.c.Where, Announcement: string(n.sa.Msg)},
					}})
				break
			}
		}
		v.signedAt[s.Signed.Size] = append(v.signedAt[s.Signed.Size], n)
	}
}

// signedNote is a signed announcement read, and its count.
type signedNote struct {
	c  Count
	sa *announced.Signed
}
