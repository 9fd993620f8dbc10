package center

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/intake"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/store"
)

// MaxActaBytes is the largest request body the center reads: the largest
// acta anyone reads.
const MaxActaBytes = acta.MaxBytes

// Handler returns the center's HTTP API:
//
//	POST /v1/actas                 submit a signed acta (the body, verbatim)
//	GET  /v1/receipts/{index}      the receipt of a log entry, once published (?wait=10s)
//	GET  /v1/stations/{id}         a station: its actas in the log and what was made of them
//	GET  /v1/results[/{area...}]   totals of the election or of a jurisdiction (?format=csv)
//	GET  /v1/announced             the center's announced per-station figures (?format=csv; ?format=signed: each station's signed announcement)
//	GET  /v1/announced/{station}   one station's announced figures, signed by the center (doc/spec/announced.md)
//	GET  /v1/definition            the election definition the center holds: as the authority signed it, or its text (the digest every acta and the log's entry 0 name, in X-Definition-Digest)
//	POST /v1/admin/ingest          open or close ingest: body "open" or "closed" (bearer admin token)
//	GET  /log/...                  the log's public files: checkpoint, tiles, entry bundles
//	GET  /log/checkpoint.public    the slow feed's latest checkpoint, cosigned by public witnesses too
//	GET  /public/results/...       the results' static files, by published log size (see Publish), unless Config.NoPublish
//	GET  /metrics                  Prometheus metrics, if a registry is given
func (c *Center) Handler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/actas", c.serveSubmit)
	mux.HandleFunc("GET /v1/receipts/{index}", c.serveReceipt)
	mux.HandleFunc("GET /v1/stations/{id}", c.serveStation)
	mux.HandleFunc("GET /v1/results", c.serveResults)
	mux.HandleFunc("GET /v1/results/{area...}", c.serveResults)
	mux.HandleFunc("GET /v1/announced", c.serveAnnounced)
	mux.HandleFunc("GET /v1/announced/{station}", c.serveSignedAnnouncement)
	mux.HandleFunc("GET /v1/definition", c.serveDefinition)
	mux.HandleFunc("POST /v1/admin/ingest", c.serveIngest)
	mux.Handle("GET /log/", http.StripPrefix("/log", c.ledger.Handler()))
	mux.HandleFunc("GET /log/checkpoint.public", c.servePublicCheckpoint)
	if !c.noPublish {
		mux.HandleFunc("GET /public/", c.pub.serve)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	if reg != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	}
	return mux
}

// servePublicCheckpoint serves the slow feed's latest checkpoint, as the
// log's checkpoint is served: it changes, so it is not cached.
func (c *Center) servePublicCheckpoint(w http.ResponseWriter, r *http.Request) {
	if c.slow == nil {
		http.Error(w, "this center runs no slow feed: no public witnesses given, or it does not publish (-publish=false)", http.StatusNotFound)
		return
	}
	cp := c.slow.Latest()
	if cp == nil {
		http.Error(w, "no checkpoint cosigned by public witnesses yet", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(cp)
}

// serveDefinition serves the election definition the center holds, so
// that anyone can check it is the one the authority published, and the
// one the log's entry 0 and every acta name.
func (c *Center) serveDefinition(w http.ResponseWriter, r *http.Request) {
	data := c.def.Signed()
	if data == nil {
		data = c.def.Marshal()
	}
	d := c.def.Digest()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	// The digest is of the definition's text (its canonical form), which
	// is what actas name: the signed form adds the authority's signature.
	w.Header().Set("X-Definition-Digest", fmt.Sprintf("%x", d))
	w.Header().Set("Cache-Control", "public, max-age=60")
	http.ServeContent(w, r, "election.txt", time.Time{}, bytes.NewReader(data))
}

// status maps an error to its HTTP status: the one place that does.
func status(err error) int {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, acta.ErrMalformed), errors.Is(err, errBadRequest):
		return http.StatusBadRequest
	case errors.Is(err, acta.ErrSignature), errors.Is(err, acta.ErrUnknownSigner), errors.Is(err, acta.ErrNotEnrolled):
		return http.StatusForbidden
	case errors.Is(err, errUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, acta.ErrMismatch), errors.Is(err, acta.ErrImpossible):
		return http.StatusUnprocessableEntity
	case errors.Is(err, ErrTooMuchEvidence):
		return http.StatusConflict // for good: retrying cannot help
	case errors.Is(err, errNotFound):
		return http.StatusNotFound
	case errors.Is(err, intake.ErrBusy), errors.Is(err, intake.ErrSlow):
		return http.StatusServiceUnavailable
	case errors.Is(err, ErrIngestClosed), errors.Is(err, ledger.ErrNotPublished),
		errors.Is(err, ErrIndexUnavailable), errors.Is(err, store.ErrUnavailable), errors.Is(err, ErrLogUnavailable):
		return http.StatusServiceUnavailable
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

var (
	errBadRequest   = errors.New("bad request")
	errNotFound     = errors.New("not found")
	errUnauthorized = errors.New("not authorized")
)

func (c *Center) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := status(err)
	if code == http.StatusInternalServerError {
		c.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	switch code {
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "1")
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="triplicate center admin"`)
	}
	http.Error(w, err.Error(), code)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// SubmitResponse is the answer to a submitted acta.
type SubmitResponse struct {
	Station  string `json:"station"`
	Kind     string `json:"kind"`
	Index    uint64 `json:"index"`
	Status   string `json:"status"`
	Accepted uint64 `json:"accepted_index,omitempty"` // for a conflict: the station's accepted acta
	Message  string `json:"message"`
}

func (c *Center) serveSubmit(w http.ResponseWriter, r *http.Request) {
	msg, err := c.readActa(w, r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if len(msg) == 0 {
		c.fail(w, r, fmt.Errorf("%w: empty body: want a signed acta", errBadRequest))
		return
	}
	out, err := c.Submit(r.Context(), msg)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	resp := SubmitResponse{Station: out.Station, Kind: string(out.Kind), Index: out.Index, Status: string(out.Status)}
	code := http.StatusOK
	switch out.Status {
	case store.Accepted:
		resp.Message = "accepted and logged"
	case store.Duplicate:
		resp.Message = "already logged: the same acta"
	case store.SameCount:
		resp.Message = "already logged: the same count, with other signatures"
	case store.Conflict:
		code = http.StatusConflict
		resp.Accepted = out.Accepted
		resp.Message = fmt.Sprintf("refused: station %s already has a different %s acta (log entry %d); this one is logged as evidence", out.Station, out.Kind, out.Accepted)
	}
	writeJSON(w, code, resp)
}

func (c *Center) serveReceipt(w http.ResponseWriter, r *http.Request) {
	index, err := strconv.ParseUint(r.PathValue("index"), 10, 64)
	if err != nil {
		c.fail(w, r, fmt.Errorf("%w: log index %q is not a number", errBadRequest, r.PathValue("index")))
		return
	}
	size, err := c.ledger.Integrated(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if index >= size {
		c.fail(w, r, fmt.Errorf("%w: no log entry %d (the log has %d)", errNotFound, index, size))
		return
	}
	wait := 10 * time.Second
	if s := r.URL.Query().Get("wait"); s != "" {
		if wait, err = time.ParseDuration(s); err != nil || wait < 0 || wait > time.Minute {
			c.fail(w, r, fmt.Errorf("%w: wait %q: want a duration up to 1m", errBadRequest, s))
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), wait)
	defer cancel()
	rc, err := c.ledger.Receipt(ctx, index)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rc)
}

// StationResponse is what the center has of a station.
type StationResponse struct {
	Station    string         `json:"station"`
	Area       string         `json:"area"`
	Place      []string       `json:"place"`
	Registered int            `json:"registered"`
	Reported   bool           `json:"reported"` // an accepted final acta
	Actas      []StationEntry `json:"actas"`
}

// StationEntry is one logged acta of a station.
type StationEntry struct {
	Kind   string `json:"kind"`
	Index  uint64 `json:"index"`
	Status string `json:"status"`
	Acta   string `json:"acta"`
}

func (c *Center) serveStation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	resp, err := c.Station(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		cw := csv.NewWriter(w)
		cw.Write([]string{"station", "area", "registered", "kind", "index", "status", "acta"})
		for _, a := range resp.Actas {
			cw.Write([]string{id, resp.Area, strconv.Itoa(resp.Registered), a.Kind, strconv.FormatUint(a.Index, 10), a.Status, a.Acta})
		}
		cw.Flush()
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (c *Center) serveResults(w http.ResponseWriter, r *http.Request) {
	area := strings.Trim(r.PathValue("area"), "/")
	res, ok := c.Result(r.Context(), area)
	if !ok {
		c.fail(w, r, fmt.Errorf("%w: election %s has no area %q", errNotFound, c.def.ID, area))
		return
	}
	if r.URL.Query().Get("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		writeResultCSV(w, res)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// Result returns the totals of an area ("" for the whole election).
func (c *Center) Result(ctx context.Context, area string) (*Result, bool) {
	return c.dec.result(area)
}

func writeResultCSV(w io.Writer, res *Result) {
	cw := csv.NewWriter(w)
	cw.Write([]string{"election", "area", "name", "stations_expected", "stations_reported", "registered", "ballots", "contest", "candidate", "votes"})
	head := []string{res.Election, res.Area, res.Name, strconv.Itoa(res.StationsExpected), strconv.Itoa(res.StationsReported),
		strconv.Itoa(res.Registered), strconv.Itoa(res.Ballots)}
	for _, ct := range res.Contests {
		for _, x := range ct.Candidates {
			cw.Write(append(head[:len(head):len(head)], ct.ID, x.ID, strconv.Itoa(x.Votes)))
		}
		cw.Write(append(head[:len(head):len(head)], ct.ID, "blank", strconv.Itoa(ct.Blank)))
		cw.Write(append(head[:len(head):len(head)], ct.ID, "null", strconv.Itoa(ct.Null)))
	}
	cw.Flush()
}

func (c *Center) serveIngest(w http.ResponseWriter, r *http.Request) {
	if err := c.authorize(r); err != nil {
		c.fail(w, r, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	state := strings.TrimSpace(string(body))
	if state != "open" && state != "closed" {
		c.fail(w, r, fmt.Errorf("%w: want \"open\" or \"closed\"", errBadRequest))
		return
	}
	if err := c.setIngest(r.Context(), state == "closed"); err != nil {
		c.fail(w, r, err)
		return
	}
	c.log.Info("ingest", "state", strings.TrimSpace(string(body)), "from", r.RemoteAddr)
	fmt.Fprintf(w, "ingest %s\n", strings.TrimSpace(string(body)))
}

// authorize checks the admin bearer token.
func (c *Center) authorize(r *http.Request) error {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if c.admin == "" || !ok || subtle.ConstantTimeCompare([]byte(token), []byte(c.admin)) != 1 {
		return fmt.Errorf("%w: admin operations need the admin token", errUnauthorized)
	}
	return nil
}
