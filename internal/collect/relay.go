package collect

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// relay passes to the phones the two answers of the tallying center they
// compare their actas with: GET /center/v1/stations/{id} (what the center
// logged for a station) and GET /center/v1/receipts/{index} (the proof of
// an entry in a witnessed checkpoint). The phone's app is served by this
// server and may talk to no other (its Content-Security-Policy), so the
// server carries the center's answers; it is trusted with none of them,
// since the phone checks every entry against a checkpoint the election's
// log witnesses cosigned (check.Compare).
func relay(center string, logger *slog.Logger) http.Handler {
	client := &http.Client{Timeout: 30 * time.Second}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, "/center/v1/")
		kind, id, ok := strings.Cut(rest, "/")
		if !ok || id == "" || strings.Contains(id, "/") || (kind != "stations" && kind != "receipts") {
			http.NotFound(w, r)
			return
		}
		resp, err := client.Get(center + "/v1/" + kind + "/" + url.PathEscape(id))
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
	})
}
