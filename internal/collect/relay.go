package collect

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// relay passes to the phones the answers of the tallying center they
// compare their actas with: GET /center/v1/stations/{id} (what the center
// logged for a station), GET /center/v1/receipts/{index} (the proof of an
// entry in a witnessed checkpoint), GET /center/log/checkpoint (the log's
// latest checkpoint: of a station not logged, whether the deadline has
// passed in the log's own time) and GET /center/v1/announced/{id} (the
// center's signed announcement of one station, doc/spec/announced.md). The
// phone's app is served by this server and may talk to no other (its
// Content-Security-Policy), so the server carries the center's answers;
// it is trusted with none of them, since the phone checks every entry and
// checkpoint against the election's log witnesses (check.Compare) and
// every announcement against the center's key (check.CompareAnnounced).
func relay(center string, logger *slog.Logger) http.Handler {
	client := &http.Client{Timeout: 30 * time.Second}
	pass := func(w http.ResponseWriter, path string) {
		resp, err := client.Get(center + path)
		if err != nil {
			logger.Warn("center unreachable", "error", err)
			http.Error(w, "the tallying center does not answer: "+err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, io.LimitReader(resp.Body, 4<<20))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/center/log/checkpoint" {
			pass(w, "/log/checkpoint")
			return
		}
		rest := strings.TrimPrefix(r.URL.Path, "/center/v1/")
		kind, id, ok := strings.Cut(rest, "/")
		if !ok || id == "" || strings.Contains(id, "/") || (kind != "stations" && kind != "receipts" && kind != "announced") {
			http.NotFound(w, r)
			return
		}
		pass(w, "/v1/"+kind+"/"+url.PathEscape(id))
	})
}
