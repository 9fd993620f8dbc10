package dashboard

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/printing"
	"github.com/triplicate-vote/triplicate/internal/qr"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// stationData is a station's page: its accepted final acta as printed, with
// its signatures, downloads and receipt; every other acta of the station in
// the log; its hand count; and what the verifier found.
type stationData struct {
	Station  *election.Station
	Area     *areaNode
	Crumbs   []*areaNode
	Reported bool
	Main     *entryView   // the accepted final acta, if any
	Others   []*entryView // the station's other log entries, in log order
	Hand     string       // hand-count status: "none", "agrees", "differs"
	HandAt   *entryView
	Report   *loadedReport
	Findings []verify.Finding
	Verdict  *verdictView
}

// entryView is one logged acta as the page shows it. Everything but the
// receipt is fixed by the entry's bytes, so it is cached by log index.
type entryView struct {
	Index      uint64
	Kind       acta.Kind
	Status     store.Status
	Station    string
	Text       string // as printed
	Registered int
	Ballots    int
	Contests   []figures
	Signatures []signatureView
	Unsigned   []string // parties none of whose witnesses cosigned
	QR         []int    // the QR codes' numbers, from 1
	sa         *acta.Signed

	receipt atomic.Pointer[receiptView]
}

type figures struct {
	Name       string
	Candidates []candidateView
	Blank      int
	Null       int
}

type signatureView struct {
	Valid   bool // its Ed25519 equation holds
	Role    election.Role
	Party   string // the party's name, for a witness
	KeyName string
	KeyHash string
}

// receiptView is an entry's inclusion proof in the latest published
// checkpoint, checked.
type receiptView struct {
	Size     uint64 // of the checkpoint
	Root     string // hex
	Proof    []string
	Verified bool
	Err      string
	passing  bool // Err is a passing failure (not "not yet published")
}

// PDF, TXT and PNG are the entry's downloads.
func (e *entryView) PDF() string { return fmt.Sprintf("/stations/%s/%d/acta.pdf", e.Station, e.Index) }
func (e *entryView) TXT() string { return fmt.Sprintf("/stations/%s/%d/acta.txt", e.Station, e.Index) }
func (e *entryView) PNG(n int) string {
	return fmt.Sprintf("/stations/%s/%d/qr-%d.png", e.Station, e.Index, n)
}

// Receipt is the entry's receipt as last looked up.
func (e *entryView) Receipt() *receiptView { return e.receipt.Load() }

// entryCache keeps the views of logged actas, which never change, so that a
// page opens each acta (and checks its signatures) once. When full it
// starts again.
type entryCache struct {
	mu    sync.Mutex
	max   int
	views map[uint64]*entryView
}

func newEntryCache(max int) *entryCache {
	return &entryCache{max: max, views: map[uint64]*entryView{}}
}

// view returns the view of a logged acta.
func (d *Dashboard) view(e center.StationEntry) (*entryView, error) {
	d.cache.mu.Lock()
	v := d.cache.views[e.Index]
	d.cache.mu.Unlock()
	if v != nil && string(v.sa.Msg) == e.Acta {
		return v, nil
	}
	// The center checked every signature before logging the acta; the page
	// checks them again, once an entry, to show each one's status.
	sa, checks, err := acta.OpenUnverified([]byte(e.Acta), d.def)
	if err != nil {
		return nil, fmt.Errorf("log entry %d: %w", e.Index, err)
	}
	valid := map[string]bool{} // by public key
	for _, c := range checks {
		valid[string(c.Key)] = ed25519.Verify(c.Key, c.Message, c.Signature)
	}
	v = &entryView{Index: e.Index, Kind: sa.Kind, Status: store.Status(e.Status), Station: sa.Station,
		Registered: sa.Registered, Ballots: sa.Ballots, sa: sa}
	var text bytes.Buffer
	printing.WriteText(&text, sa, d.def, printing.English)
	v.Text = text.String()
	for _, t := range sa.Contests {
		c := d.def.Contest(t.Contest)
		f := figures{Name: c.Name, Blank: t.Blank, Null: t.Null}
		for i, x := range t.Candidates {
			f.Candidates = append(f.Candidates, candidateView{ID: x.Candidate, Name: c.Candidates[i].Name, Votes: x.Votes})
		}
		v.Contests = append(v.Contests, f)
	}
	signed := map[string]bool{}
	for _, s := range sa.Signatures {
		sv := signatureView{Role: s.Signer.Role, KeyName: s.Name, KeyHash: fmt.Sprintf("%08x", s.Hash)}
		if _, pub, err := d.def.Ed25519Verifier(s.Name, s.Hash); err == nil {
			sv.Valid = valid[string(pub)]
		}
		if p := d.def.Party(s.Signer.Party); p != nil {
			sv.Party = p.Name
			signed[p.ID] = true
		}
		v.Signatures = append(v.Signatures, sv)
	}
	for _, p := range d.def.Parties {
		if len(p.Witnesses) > 0 && !signed[p.ID] {
			v.Unsigned = append(v.Unsigned, p.Name)
		}
	}
	if parts, err := qr.Parts(sa.Msg); err == nil {
		for i := range parts {
			v.QR = append(v.QR, i+1)
		}
	}
	d.cache.mu.Lock()
	if len(d.cache.views) >= d.cache.max {
		clear(d.cache.views)
	}
	d.cache.views[e.Index] = v
	d.cache.mu.Unlock()
	return v, nil
}

// lookUpReceipt makes sure the entry's receipt is of the latest published
// checkpoint, or says why there is none.
func (d *Dashboard) lookUpReceipt(ctx context.Context, v *entryView, cp *ledger.Checkpoint) {
	if rv := v.receipt.Load(); rv != nil && cp != nil && rv.Size == cp.Size && rv.Err == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	rc, err := d.c.Ledger().Receipt(ctx, v.Index)
	if err != nil {
		v.receipt.Store(&receiptView{Err: err.Error(), passing: !errors.Is(err, ledger.ErrNotPublished)})
		return
	}
	// The checkpoint is the published one the ledger checked against the
	// witness policy: what is left to check is the proof.
	rv := &receiptView{}
	for _, h := range rc.Proof {
		rv.Proof = append(rv.Proof, fmt.Sprintf("%x", h))
	}
	cp, err = d.c.Ledger().Published(ctx)
	if err == nil && string(cp.Raw) == rc.Checkpoint {
		leaf := rfc6962.DefaultHasher.HashLeaf(v.sa.Msg)
		err = proof.VerifyInclusion(rfc6962.DefaultHasher, rc.Index, cp.Size, leaf, rc.Proof, cp.Hash)
		rv.Size, rv.Root = cp.Size, fmt.Sprintf("%x", cp.Hash)
	} else if err == nil {
		// A checkpoint published since: check the receipt's own.
		checked, verr := rc.Verify(v.sa.Msg, d.policy())
		if err = verr; err == nil {
			rv.Size, rv.Root = checked.Size, fmt.Sprintf("%x", checked.Hash)
		}
	}
	if err != nil {
		rv.Err = err.Error()
	} else {
		rv.Verified = true
	}
	v.receipt.Store(rv)
}

// policy is the election's witness policy for the log's checkpoints: its
// quorum counts parties, or is a group of them.
func (d *Dashboard) policy() tlog.Policy { return tlog.ElectionPolicy(d.def) }

func (d *Dashboard) serveStation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	st := d.def.Station(id)
	if st == nil {
		d.pages.Fail(w, r, http.StatusNotFound, "election %s has no station %q", d.def.ID, page.Clip(id, 80))
		return
	}
	cp, _ := d.c.Ledger().Published(r.Context())
	rep := d.report.get()
	// The page changes with the station's entries (an entry, once decided,
	// never changes), the checkpoint its receipt is in, and the verifier's
	// report: a kept page costs no query of the index.
	version := fnv.New64a()
	fmt.Fprintf(version, "entries %d,", d.c.StationEntries(id))
	if cp != nil {
		fmt.Fprintf(version, "cp %d,", cp.Size)
	}
	if rep != nil {
		fmt.Fprintf(version, "report %d", rep.Mod.UnixNano())
	}
	d.rendered.serve(w, r, version.Sum64(), func(w http.ResponseWriter) bool {
		resp, err := d.c.Station(r.Context(), id)
		if err != nil {
			d.unavailable(w, r, err)
			return false
		}
		return d.renderStation(w, r, st, resp, cp, rep)
	})
}

// renderStation writes a station's page, and reports whether it may be
// kept: not if it shows a receipt that could not be looked up for a passing
// reason.
func (d *Dashboard) renderStation(w http.ResponseWriter, r *http.Request, st *election.Station, resp *center.StationResponse, cp *ledger.Checkpoint, rep *loadedReport) bool {
	id := st.ID
	area := d.tree.nodes[st.Area]
	data := &stationData{Station: st, Area: area, Crumbs: append(area.ancestors(), area), Reported: resp.Reported, Hand: "none"}
	var hand *entryView
	for _, e := range resp.Actas {
		v, err := d.view(e)
		if err != nil {
			d.unavailable(w, r, err)
			return false
		}
		switch {
		case v.Kind == acta.Final && v.Status == store.Accepted:
			data.Main = v
			d.lookUpReceipt(r.Context(), v, cp)
		default:
			if v.Kind == acta.Hand && v.Status == store.Accepted {
				hand = v
			}
			data.Others = append(data.Others, v)
		}
	}
	if hand != nil {
		data.HandAt, data.Hand = hand, "differs"
		if data.Main != nil && sameCount(hand.sa.Acta, data.Main.sa.Acta) {
			data.Hand = "agrees"
		}
	}
	if rep != nil {
		data.Report = rep
		data.Findings = rep.byStation[id]
	}
	data.Verdict = d.verdict(data)
	lang := d.pages.Lang(r)
	d.pages.Render(w, r, http.StatusOK, "station.html", d.pages.T(lang, "Station")+" "+id, data)
	return data.Main == nil || data.Main.Receipt() == nil || !data.Main.Receipt().passing
}

// sameCount reports whether two actas count the same ballots and votes.
func sameCount(a, b *acta.Acta) bool {
	return a.Ballots == b.Ballots && slices.EqualFunc(a.Contests, b.Contests, func(x, y acta.Tally) bool {
		return x.Contest == y.Contest && x.Blank == y.Blank && x.Null == y.Null && slices.Equal(x.Candidates, y.Candidates)
	})
}

// unavailable answers a page the center cannot give now.
func (d *Dashboard) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	d.log.Warn("dashboard page", "path", r.URL.Path, "err", err)
	w.Header().Set("Retry-After", "1")
	d.pages.Fail(w, r, http.StatusServiceUnavailable, "the center cannot show this page now; try again in a moment")
}
