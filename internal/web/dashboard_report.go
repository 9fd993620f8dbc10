package web

import (
	"encoding/json"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/verify"
)

// reportFile is the verifier's report the dashboard shows on station pages,
// read again when the file changes (checked at most once a second).
type reportFile struct {
	path string
	log  *slog.Logger

	mu      sync.Mutex
	checked time.Time
	mod     time.Time
	size    int64
	loaded  *loadedReport
}

// loadedReport is a report as the station pages read it.
type loadedReport struct {
	*verify.Report
	File      string
	Mod       time.Time
	byStation map[string][]verify.Finding
}

// get returns the report, nil if there is none (or it cannot be read: the
// last good one stays, and the log says why).
func (f *reportFile) get() *loadedReport {
	if f.path == "" {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if now.Sub(f.checked) < time.Second {
		return f.loaded
	}
	f.checked = now
	fi, err := os.Stat(f.path)
	if err != nil {
		f.log.Warn("verifier report", "err", err)
		return f.loaded
	}
	if f.loaded != nil && fi.ModTime().Equal(f.mod) && fi.Size() == f.size {
		return f.loaded
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		f.log.Warn("verifier report", "err", err)
		return f.loaded
	}
	r := new(verify.Report)
	if err := json.Unmarshal(data, r); err != nil {
		f.log.Warn("verifier report: not a report of triplicate verify -json", "file", f.path, "err", err)
		return f.loaded
	}
	lr := &loadedReport{Report: r, File: f.path, Mod: fi.ModTime(), byStation: map[string][]verify.Finding{}}
	for _, x := range r.Findings {
		if x.Station != "" {
			lr.byStation[x.Station] = append(lr.byStation[x.Station], x)
		}
	}
	f.loaded, f.mod, f.size = lr, fi.ModTime(), fi.Size()
	f.log.Info("verifier report loaded", "file", f.path, "findings", len(r.Findings))
	return lr
}
