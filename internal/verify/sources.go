package verify

import (
	"context"
	"net/http"
	"os"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// Sources names where an election's evidence is, as files and URLs: what
// "triplicate verify" takes on its command line.
type Sources struct {
	Log         string        // the center's log: a directory of its tlog-tiles files, or their URL
	Checkpoints []string      // checkpoints of the log saved earlier (files); need Log
	Copies      []string      // signed actas and scans of the printed sheets: files or directories
	Announced   string        // the center's announced figures: a file or URL
	CSVs        []string      // per-station counts from elsewhere, unsigned (files)
	CSVMap      tally.Mapping // the CSVs' columns
	Audits      []string      // audits' reports (files)
	// Client fetches the log and the announcement over HTTP; nil for the
	// verifier's default (see HTTPClient).
	Client *http.Client
}

// Gather reads every source into a new verifier and reconciles them. A
// source that cannot be read is a Problem of the report.
func Gather(ctx context.Context, def *election.Definition, s Sources) *Report {
	v := New(def)
	// The announcement first: the log read after it is at least as recent
	// as the checkpoint it names.
	if s.Announced != "" {
		v.AddAnnounced(ctx, s.Announced, s.Client)
	}
	if s.Log != "" {
		ls := LogSource{Location: s.Log, Client: s.Client}
		for _, f := range s.Checkpoints {
			raw, err := os.ReadFile(f)
			if err != nil {
				v.Unreadable(f, err)
				continue
			}
			ls.Saved = append(ls.Saved, SavedCheckpoint{Name: f, Raw: raw})
		}
		v.AddLog(ctx, ls)
	}
	if len(s.Copies) > 0 {
		v.AddCopies(strings.Join(s.Copies, ", "), s.Copies)
	}
	for _, name := range s.CSVs {
		f, err := os.Open(name)
		if err != nil {
			v.Unreadable(name, err)
			continue
		}
		v.AddCSV(name, f, s.CSVMap)
		f.Close()
	}
	for _, name := range s.Audits {
		data, err := os.ReadFile(name)
		if err != nil {
			v.Unreadable(name, err)
			continue
		}
		v.AddAudit(name, data)
	}
	return v.Report(ctx)
}
