package collect

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/intake"
	"github.com/triplicate-vote/triplicate/internal/web/phone"
)

// Handler serves the phone app at / and, for the phones, POST /actas (the
// body is one signed acta) and GET /held (the stations held, one a line).
// With the URL of the tallying center, it also relays the center's public
// answers the phones compare their actas with (see relay).
// Bodies are read within intake's bounds: phones on a poor network send
// slowly, and slow or idle senders must not crowd out the rest.
func (c *Collector) Handler(app *phone.App, center string, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /", app)
	if center != "" {
		app.RelayCenter()
		mux.Handle("GET /center/", relay(strings.TrimSuffix(center, "/"), logger))
	}
	limits := intake.New(64, acta.MaxBytes, 30*time.Second)
	mux.HandleFunc("POST /actas", func(w http.ResponseWriter, r *http.Request) { c.serveReceive(w, r, limits, logger) })
	mux.HandleFunc("GET /held", c.serveHeld)
	return mux
}

// serveReceive maps Authenticate's and Receive's outcomes to a status:
// 201 kept, 409 held already, 422 does not verify, 401 not signed by a
// witness key or replayed, 403 signed by a key the party did not enrol or
// not cosigned by the party's witness, 413 too large, 503 busy or too
// slow (the phone tries again), 500 not written.
func (c *Collector) serveReceive(w http.ResponseWriter, r *http.Request, limits *intake.Limits, logger *slog.Logger) {
	msg, err := limits.Read(w, r)
	var rc Receipt
	if err == nil {
		var u Upload
		if u, err = UploadOf(r.Header); err == nil {
			err = c.Authenticate(msg, u, time.Now())
		}
	}
	if err == nil {
		rc, err = c.Receive(msg)
	}
	status := http.StatusCreated
	var rej *RejectedError
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		logger.Info("acta kept", "station", rc.Station, "kind", rc.ActaKind, "kept", rc.Kept, "sha256", rc.SHA256)
	case errors.Is(err, ErrDuplicate):
		status = http.StatusConflict
	case errors.Is(err, ErrNotOurs), errors.Is(err, ErrNotEnrolled):
		status = http.StatusForbidden
		logger.Warn("upload refused", "error", err)
	case errors.Is(err, ErrUnsigned), errors.Is(err, ErrReplayed):
		status = http.StatusUnauthorized
		w.Header().Set("WWW-Authenticate", "Triplicate-Upload")
		logger.Warn("upload refused", "error", err)
	case errors.As(err, &rej):
		status = http.StatusUnprocessableEntity
		logger.Warn("acta refused", "kind", rej.Result.Kind, "error", rej.Result.Error, "sha256", rej.Result.SHA256)
	case errors.Is(err, ErrTooLarge), errors.As(err, &tooBig):
		status, err = http.StatusRequestEntityTooLarge, ErrTooLarge
		intake.Drop(w)
	case errors.Is(err, intake.ErrBusy), errors.Is(err, intake.ErrSlow):
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "1")
		intake.Drop(w)
	default:
		status = http.StatusInternalServerError
		logger.Error("acta not kept", "error", err)
	}
	body := struct {
		Receipt
		Error string `json:"error,omitempty"`
	}{Receipt: rc}
	if err != nil {
		body.Error = err.Error()
		if rej != nil {
			body.Error = rej.Result.Error
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func (c *Collector) serveHeld(w http.ResponseWriter, r *http.Request) {
	held, err := c.Held()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, strings.Join(held, "\n"))
	if len(held) > 0 {
		io.WriteString(w, "\n")
	}
}
