package dashboard

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// reportFile is the verifier's report the dashboard shows on station pages,
// read again when the file changes (checked at most once a second).
type reportFile struct {
	path string
	def  *election.Definition // the dashboard's: a report of another election is refused
	log  *slog.Logger

	mu      sync.Mutex
	checked time.Time
	mod     time.Time
	size    int64
	loaded  *loadedReport
	absent  bool // the file was not there when last looked for, and the log said so
}

// loadedReport is a report as the station pages read it.
type loadedReport struct {
	*verify.Report
	File      string
	Mod       time.Time
	byStation map[string][]verify.Finding
	disputes  *disputes
	file      *dataFile // the report as read, for the open data
}

// get returns the report, nil if there is none (or it cannot be read: the
// last good one stays, and the log says why). A file that is not there yet
// is waited for: the verifier may write it after the center starts, and
// it is read when it appears.
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
	if errors.Is(err, fs.ErrNotExist) {
		if !f.absent {
			f.log.Info("verifier report not there yet: waiting for it", "file", f.path)
			f.absent = true
		}
		return f.loaded
	}
	if err != nil {
		f.log.Warn("verifier report", "err", err)
		return f.loaded
	}
	f.absent = false
	if f.loaded != nil && fi.ModTime().Equal(f.mod) && fi.Size() == f.size {
		return f.loaded
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		f.log.Warn("verifier report", "err", err)
		return f.loaded
	}
	r, err := loadReport(data, f.def.ID)
	if err != nil {
		f.log.Warn("verifier report", "file", f.path, "err", err)
		return f.loaded
	}
	lr := &loadedReport{Report: r, File: f.path, Mod: fi.ModTime(), byStation: map[string][]verify.Finding{},
		disputes: newDisputes(f.def, r.Findings), file: newDataFile(dataReport, "application/json", data)}
	for _, x := range r.Findings {
		if x.Station != "" {
			lr.byStation[x.Station] = append(lr.byStation[x.Station], x)
		}
	}
	f.loaded, f.mod, f.size = lr, fi.ModTime(), fi.Size()
	f.log.Info("verifier report loaded", "file", f.path, "findings", len(r.Findings))
	return lr
}

// loadReport reads a verifier's report of an election, strictly.
func loadReport(data []byte, election string) (*verify.Report, error) {
	r, err := verify.ReadReport(data)
	if err != nil {
		return nil, err
	}
	if r.Election != election {
		return nil, fmt.Errorf("a report of election %q, not %q", r.Election, election)
	}
	return r, nil
}

// CheckReport reads a verifier's report file as the dashboard will, so that
// a command can refuse a bad one at once instead of logging it later. A
// file that does not exist yet passes: the dashboard waits for it.
func CheckReport(path, election string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := loadReport(data, election); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
