package witness

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/intake"
)

// Handler serves the witness over HTTP: POST /add-checkpoint as C2SP
// tlog-witness says, and GET / a short text with the witness's cosignature
// key and, for each log, the size it last cosigned:
//
//	C2SP tlog-witness party-a+2a3c9b41+BEz...
//	log example.org/center size 1234
func (w *Witness) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /add-checkpoint", w.serveAddCheckpoint)
	mux.HandleFunc("GET /{$}", w.serveIndex)
	return mux
}

// The requests read at once, and how long a slow one has, are bounded (see
// package intake): a few logs send a witness requests, each in one write,
// and clients that open many and send them slowly must not exhaust the
// witness's memory nor keep the logs out.
const (
	maxReading  = 64
	readTimeout = 10 * time.Second
)

func (w *Witness) serveAddCheckpoint(rw http.ResponseWriter, r *http.Request) {
	body, err := w.intake.Read(rw, r)
	if err != nil {
		intake.Drop(rw)
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			http.Error(rw, fmt.Sprintf("request of more than %d bytes", maxRequest), http.StatusRequestEntityTooLarge)
			return
		case errors.Is(err, intake.ErrBusy), errors.Is(err, intake.ErrSlow):
			rw.Header().Set("Retry-After", "1")
			http.Error(rw, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.logger.Debug("reading an add-checkpoint request", "error", err)
		http.Error(rw, "reading the request: "+err.Error(), http.StatusBadRequest)
		return
	}
	cosig, err := w.AddCheckpoint(body)
	var conflict *ConflictError
	switch {
	case err == nil:
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		rw.Write(cosig)
	case errors.As(err, &conflict):
		rw.Header().Set("Content-Type", "text/x.tlog.size")
		rw.WriteHeader(http.StatusConflict)
		fmt.Fprintf(rw, "%d\n", conflict.Size)
	case errors.Is(err, ErrMalformed):
		http.Error(rw, err.Error(), http.StatusBadRequest)
	case errors.Is(err, ErrUntrusted):
		http.Error(rw, err.Error(), http.StatusForbidden)
	case errors.Is(err, ErrUnknownLog):
		http.Error(rw, err.Error(), http.StatusNotFound)
	case errors.Is(err, ErrFork):
		http.Error(rw, err.Error(), http.StatusConflict)
	case errors.Is(err, ErrInconsistent):
		http.Error(rw, err.Error(), http.StatusUnprocessableEntity)
	default:
		http.Error(rw, "internal error", http.StatusInternalServerError)
	}
}

func (w *Witness) serveIndex(rw http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	fmt.Fprintf(&b, "C2SP tlog-witness %s\n", w.cosigKey)
	origins := make([]string, 0, len(w.logs))
	for o := range w.logs {
		origins = append(origins, o)
	}
	slices.Sort(origins)
	for _, o := range origins {
		fmt.Fprintf(&b, "log %s size %d\n", o, w.logs[o].latest.Load().size)
	}
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(rw, b.String())
}
