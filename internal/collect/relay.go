package collect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// relay passes to the phones the answers of the tallying center they
// compare their actas with: GET /center/v1/stations/{id} (what the center
// logged for a station), GET /center/v1/receipts/{index} (the proof of an
// entry in a witnessed checkpoint), GET /center/log/checkpoint (the log's
// latest checkpoint: of a station not logged, whether the deadline has
// passed in the log's own time) and GET /center/v1/announced/{id} (the
// center's announced figures for one station: see announcements). The
// phone's app is served by this server and may talk to no other (its
// Content-Security-Policy), so the server carries the center's answers;
// it is trusted with none of them, since the phone checks every entry and
// checkpoint against the election's log witnesses (check.Compare,
// check.CompareAnnounced).
func relay(center string, logger *slog.Logger) http.Handler {
	client := &http.Client{Timeout: 30 * time.Second}
	ann := &announcements{center: center, client: client, every: 30 * time.Second}
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
		if kind != "announced" {
			pass(w, "/v1/"+kind+"/"+url.PathEscape(id))
			return
		}
		body, err := ann.station(id)
		if err != nil {
			logger.Warn("center's announcement unread", "error", err)
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(body)
	})
}

// announcements keeps the center's announced figures (GET /v1/announced,
// the figures of every station reported in a published checkpoint) and
// answers for one station at a time, as check.StationAnnouncement: a
// phone needs its station's figures, not a country's. It asks the center
// again at most once every so often, for all the phones at once.
type announcements struct {
	center string
	client *http.Client
	every  time.Duration

	mu       sync.Mutex
	fetched  time.Time
	head     announcedHead
	stations map[string]json.RawMessage
}

type announcedHead struct {
	Election   string `json:"election"`
	LogSize    uint64 `json:"log_size"`
	Checkpoint string `json:"checkpoint"`
}

// station returns the announcement for station id, null figures if the
// center announced none.
func (a *announcements) station(id string) ([]byte, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stations == nil || time.Since(a.fetched) > a.every {
		if err := a.fetch(); err != nil {
			return nil, err
		}
	}
	out := struct {
		announcedHead
		Station json.RawMessage `json:"station"`
	}{a.head, a.stations[id]}
	if out.Station == nil {
		out.Station = json.RawMessage("null")
	}
	return json.Marshal(out)
}

func (a *announcements) fetch() error {
	resp, err := a.client.Get(a.center + "/v1/announced")
	if err != nil {
		return fmt.Errorf("the tallying center does not answer: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("the tallying center's announcement: %s %s", resp.Status, bytes.TrimSpace(b))
	}
	var all struct {
		announcedHead
		Stations []json.RawMessage `json:"stations"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&all); err != nil {
		return fmt.Errorf("the tallying center's announcement does not read: %v", err)
	}
	stations := make(map[string]json.RawMessage, len(all.Stations))
	for i, s := range all.Stations {
		var st struct{ Station string }
		if err := json.Unmarshal(s, &st); err != nil || st.Station == "" {
			return fmt.Errorf("the tallying center's announcement: station %d does not read", i+1)
		}
		stations[st.Station] = s
	}
	a.head, a.stations, a.fetched = all.announcedHead, stations, time.Now()
	return nil
}
