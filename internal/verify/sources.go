package verify

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// Sources names where an election's evidence is, as files and URLs: what
// "triplicate verify" takes on its command line or in a manifest.
type Sources struct {
	Log         string        // the center's log: a directory of its tlog-tiles files, or their URL
	Checkpoints []string      // checkpoints of the log saved earlier (files); need Log
	Copies      []string      // signed actas and scans of the printed sheets: files or directories
	Announced   string        // the center's announced figures: a file or URL
	CSVs        []string      // per-station counts from elsewhere, unsigned (files)
	CSVMap      tally.Mapping // the CSVs' columns
	Tables      []TableSource // tables of per-station figures, each with its own layout and mapping
	Audits      []string      // audits' reports (files)
	// Described says what the user says of each source, by its location
	// (a manifest's names, publishers, "alone"); Precedence the order of
	// the unsigned sources, by name (see Verifier.Precedence).
	Described  map[string]Described
	Precedence []string
	// KeepCorrected: the report keeps each station's corrected figures.
	KeepCorrected bool
	// Client fetches the log and the announcement over HTTP; nil for the
	// verifier's default (see HTTPClient).
	Client *http.Client
}

// TableSource is a table of per-station figures: unsigned counts, or the
// center's announcement in a layout of its own.
type TableSource struct {
	Location string     // a file (.gz read as gzip) or an http(s) URL
	Kind     SourceKind // KindUnsigned or KindAnnounced
	Table    tally.Table
}

// Gather reads every source into a new verifier and reconciles them. A
// source that cannot be read is a Problem of the report.
func Gather(ctx context.Context, def *election.Definition, s Sources) *Report {
	v := New(def)
	v.KeepCorrected = s.KeepCorrected
	for loc, d := range s.Described {
		v.Describe(loc, d)
	}
	if len(s.Precedence) > 0 {
		v.Precedence(s.Precedence)
	}
	// The announcement first: the log read after it is at least as recent
	// as the checkpoint it names.
	if s.Announced != "" {
		v.AddAnnounced(ctx, s.Announced, s.Client)
	}
	if s.Log != "" {
		ls := LogSource{Location: s.Log, Client: s.Client}
		for _, f := range s.Checkpoints {
			// A checkpoint, or a receipt with its proof: far smaller than an acta.
			raw, err := acta.ReadFile(f)
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
		s.Tables = append(s.Tables, TableSource{Location: name, Kind: KindUnsigned, Table: tally.Table{Name: name, Mapping: s.CSVMap}})
	}
	for _, t := range s.Tables {
		r, err := openTable(ctx, t.Location, s.Client)
		if err != nil {
			v.unread(t.Location, "", "%v", err)
			v.source(t.Location, t.Kind) // named in the report, with no counts
			continue
		}
		v.AddTable(t.Location, t.Kind, r, t.Table)
		r.Close()
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

// openTable opens a table: a file, read through gzip if its name ends in
// .gz, or a URL.
func openTable(ctx context.Context, location string, client *http.Client) (io.ReadCloser, error) {
	var rc io.ReadCloser
	if strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://") {
		data, err := tally.Fetch(ctx, location, client)
		if err != nil {
			return nil, err
		}
		rc = io.NopCloser(bytes.NewReader(data))
	} else {
		f, err := os.Open(location)
		if err != nil {
			return nil, err
		}
		rc = f
	}
	if !strings.HasSuffix(location, ".gz") {
		return rc, nil
	}
	z, err := gzip.NewReader(rc)
	if err != nil {
		rc.Close()
		return nil, fmt.Errorf("not gzip, though its name ends in .gz: %v", err)
	}
	return struct {
		io.Reader
		io.Closer
	}{z, rc}, nil
}

// Resolve makes the manifest's sources Sources, their mappings resolved
// against the definition, with what the user says of each.
func (m *Manifest) Resolve(def *election.Definition) (Sources, error) {
	s := Sources{Described: map[string]Described{}, Precedence: m.Precedence}
	for i, src := range m.Sources {
		fail := func(err error) (Sources, error) {
			return Sources{}, fmt.Errorf("%s: source %d (%s): %v", m.Path, i+1, src.Name, err)
		}
		loc := src.Location()
		if _, dup := s.Described[loc]; dup {
			return fail(fmt.Errorf("%s is read by another source too", loc))
		}
		s.Described[loc] = Described{Name: src.Name, By: src.By, Layout: src.Layout, Alone: src.Alone, Partial: src.Partial}
		switch {
		case src.Kind == "log" && s.Log != "":
			return fail(fmt.Errorf("a second log: a verification reads the center's one log"))
		case src.Kind == "log":
			s.Log, s.Checkpoints = loc, src.Checkpoints
		case src.Kind == "copies" && len(s.Copies) > 0:
			return fail(fmt.Errorf("a second set of copies: list every file and directory in one source's files"))
		case src.Kind == "copies":
			s.Copies = src.Files
			if src.File != "" {
				s.Copies = []string{src.File}
			}
		case src.Kind == "audit":
			s.Audits = append(s.Audits, loc)
		case src.table():
			t, err := src.Table(def)
			if err != nil {
				return fail(err)
			}
			kind := KindUnsigned
			if src.Kind == "announced" {
				kind = KindAnnounced
			}
			s.Tables = append(s.Tables, TableSource{Location: loc, Kind: kind, Table: t})
		case s.Announced != "":
			return fail(fmt.Errorf("a second announcement in the center's own layout"))
		default:
			s.Announced = loc
		}
	}
	return s, nil
}
