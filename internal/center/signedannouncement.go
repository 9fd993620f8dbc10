package center

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/transparency-dev/formats/log"

	"github.com/triplicate-vote/triplicate/internal/announced"
)

// SignedAnnouncement returns the center's signed announcement of a
// station's figures (doc/spec/announced.md) at the latest published
// checkpoint; an error wrapping errNotFound if the election has no such
// station or it has not reported by then.
//
// The center never signs two different announcements of one station at
// one log size: the figures of a station are those of its first accepted
// final acta, which the log's order decides once and for all, and Ed25519
// signatures are deterministic, so asking again gives the same bytes.
func (c *Center) SignedAnnouncement(ctx context.Context, station string) ([]byte, error) {
	i := c.def.StationIndex(station)
	if i < 0 {
		return nil, fmt.Errorf("%w: election %s has no station %q", errNotFound, c.def.ID, station)
	}
	cp, err := c.ledger.Published(ctx)
	if err != nil {
		return nil, err
	}
	as, ok := c.dec.announcedIn(i, cp.Size)
	if !ok {
		return nil, fmt.Errorf("%w: station %s has no figures in the log's %d published entries", errNotFound, station, cp.Size)
	}
	return announced.Sign(c.announcement(&cp.Checkpoint, as), c.key)
}

// announcement is the signed form of a station's announced figures at a
// checkpoint.
func (c *Center) announcement(cp *log.Checkpoint, as AnnouncedStation) *announced.Announcement {
	a := &announced.Announcement{Election: c.def.ID, Definition: c.def.Digest(), Size: cp.Size, Station: as.Station,
		Index: as.Index, Registered: as.Registered, Ballots: as.Ballots}
	copy(a.Root[:], cp.Hash)
	for _, ct := range as.Contests {
		ac := announced.Contest{ID: ct.ID, Blank: ct.Blank, Null: ct.Null}
		for _, x := range ct.Candidates {
			ac.Candidates = append(ac.Candidates, announced.Candidate{ID: x.ID, Votes: x.Votes})
		}
		a.Contests = append(a.Contests, ac)
	}
	return a
}

// announcedIn returns the announced figures of station i if its accepted
// final acta is among the first size entries of the log.
func (d *decider) announcedIn(i int, size uint64) (AnnouncedStation, bool) {
	d.logging.Lock()
	defer d.logging.Unlock()
	d.mu.RLock()
	defer d.mu.RUnlock()
	if index, ok := d.figures.reported(i); !ok || index >= size {
		return AnnouncedStation{}, false
	}
	return d.figures.announced(i), true
}

func (c *Center) serveSignedAnnouncement(w http.ResponseWriter, r *http.Request) {
	msg, err := c.SignedAnnouncement(r.Context(), r.PathValue("station"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(msg)
}

// writeSigned writes the signed announcements of the given stations (as
// reportedIn returns them) one after another: a bundle that
// announced.Split cuts back into notes.
func (c *Center) writeSigned(w io.Writer, cp *log.Checkpoint, reported []int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	for _, i := range reported {
		c.dec.mu.RLock()
		as := c.dec.figures.announced(i)
		c.dec.mu.RUnlock()
		msg, err := announced.Sign(c.announcement(cp, as), c.key)
		if err != nil {
			return err
		}
		if _, err := bw.Write(msg); err != nil {
			return err
		}
	}
	return bw.Flush()
}
