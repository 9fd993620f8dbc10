package verify

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// ReadTable reads the per-station figures of the manifest's table source
// of the given name — unsigned counts, or an announcement in a layout of
// its own — as Gather does: a file (.gz read as gzip) or a URL, in its
// layout and mapping. It is for readers of one source's figures (triplicate
// forensics), which hold it against nothing. errs and warnings are
// tally.ReadTable's, each naming the file and line; err says that the
// source is not in the manifest, is not a table, or cannot be opened.
func (m *Manifest) ReadTable(ctx context.Context, def *election.Definition, name string, client *http.Client) (rows []tally.CSVRow, errs []error, warnings []string, err error) {
	i := slices.IndexFunc(m.Sources, func(s ManifestSource) bool { return s.Name == name })
	if i < 0 {
		var names []string
		for _, s := range m.Sources {
			if s.table() {
				names = append(names, s.Name)
			}
		}
		return nil, nil, nil, fmt.Errorf("%s: no source named %s (its tables: %s)", m.Path, strconv.Quote(name), quoted(names))
	}
	src := &m.Sources[i]
	if !src.table() {
		return nil, nil, nil, fmt.Errorf("%s: source %s is of kind %s, not a table of per-station figures (kind unsigned, or announced with a layout)", m.Path, src.Name, src.Kind)
	}
	t, err := src.Table(def)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: source %s: %v", m.Path, src.Name, err)
	}
	r, err := openTable(ctx, src.Location(), client)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: source %s: %v", m.Path, src.Name, err)
	}
	defer r.Close()
	rows, errs, warnings = tally.ReadTable(r, t, def)
	return rows, errs, warnings, nil
}

// Signed returns the manifest's signed evidence, its log (with its saved
// checkpoints) and its copies, as Sources for MachineSigned; ok is false
// if it has neither, or m is nil.
func (m *Manifest) Signed() (s Sources, ok bool) {
	if m == nil {
		return s, false
	}
	for _, src := range m.Sources {
		switch src.Kind {
		case "log":
			s.Log, s.Checkpoints = src.Location(), src.Checkpoints
		case "copies":
			s.Copies = src.Files
			if src.File != "" {
				s.Copies = []string{src.File}
			}
		}
	}
	return s, s.Log != "" || len(s.Copies) > 0
}

// quoted joins names, each quoted, or says there are none.
func quoted(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += strconv.Quote(n)
	}
	return out
}
