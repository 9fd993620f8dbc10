package auditlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/client"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// ErrCut is returned by Verify when the log is not a continuation of a
// checkpoint saved earlier: shorter than it (the trail was cut), or
// holding other entries up to its size.
var ErrCut = errors.New("the log is not consistent with the checkpoint saved earlier")

// evidenceName matches the names of the files an entry may carry
// (audit.EvidenceOf): nothing else is written when the audit is rebuilt.
var evidenceName = regexp.MustCompile(`^(election\.txt|announced\.(json|csv)|audit\.json|report\.json|polls-[0-9]+\.note|hand/[A-Za-z0-9_-][A-Za-z0-9_.-]*\.acta)$`)

// Source is where a log is read from: a client.FileFetcher for a log on
// disk, a client.HTTPFetcher for one served over HTTP.
type Source interface {
	ReadCheckpoint(ctx context.Context) ([]byte, error)
	ReadEntryBundle(ctx context.Context, i uint64, p uint8) ([]byte, error)
}

// Result is what Verify recomputed.
type Result struct {
	Report     *audit.Report  // the audit recomputed from the log
	Checkpoint log.Checkpoint // the log's checkpoint, checked
	Raw        []byte         // the checkpoint as published, with its cosignatures
}

// Verify recomputes an audit of def from its log alone: the log's
// checkpoint must be signed by an auditor key of def and cosigned under
// def's policy; every entry up to it must hash to its root; saved, if not
// nil, is a checkpoint saved earlier, which must meet the same policy and
// of which the log must be a continuation (else ErrCut); then the audit's
// directory is rebuilt from the entries in work (a new or empty
// directory) and recomputed by audit.VerifyTrail.
func Verify(ctx context.Context, def *election.Definition, src Source, saved []byte, work string) (*Result, error) {
	raw, err := src.ReadCheckpoint(ctx)
	if err != nil {
		return nil, fmt.Errorf("the log's checkpoint: %w", err)
	}
	cp, err := Check(def, raw)
	if err != nil {
		return nil, fmt.Errorf("the log's checkpoint: %v", err)
	}
	var old *log.Checkpoint
	if saved != nil {
		if old, err = Check(def, saved); err != nil {
			return nil, fmt.Errorf("the checkpoint saved earlier: %v", err)
		}
		if old.Origin != cp.Origin {
			return nil, fmt.Errorf("the checkpoint saved earlier is of log %s, the log is %s: %w", old.Origin, cp.Origin, ErrCut)
		}
		if old.Size > cp.Size {
			return nil, fmt.Errorf("the log has %d entries, the checkpoint saved earlier %d: the trail was cut: %w", cp.Size, old.Size, ErrCut)
		}
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	trail, err := os.OpenFile(filepath.Join(work, audit.TrailFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("rebuilding the audit: %v", err)
	}
	defer trail.Close()
	rf := compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}
	tree := rf.NewEmptyRange(0)
	root := func() []byte {
		if tree.End() == 0 {
			return rfc6962.DefaultHasher.EmptyRoot()
		}
		h, _ := tree.GetRootHash(nil)
		return h
	}
	if old != nil && old.Size == 0 && !bytes.Equal(old.Hash, root()) {
		return nil, fmt.Errorf("the checkpoint saved earlier has a wrong empty root: %w", ErrCut)
	}
	err = tlog.Entries(ctx, src.ReadEntryBundle, 0, cp.Size, cp.Size, func(i uint64, data []byte) error {
		if err := tree.Append(rfc6962.DefaultHasher.HashLeaf(data), nil); err != nil {
			return err
		}
		if old != nil && i+1 == old.Size && !bytes.Equal(root(), old.Hash) {
			return fmt.Errorf("its first %d entries are not those of the checkpoint saved earlier: %w", old.Size, ErrCut)
		}
		e, err := Parse(data)
		if err != nil {
			return fmt.Errorf("entry %d: %v", i, err)
		}
		if _, err := trail.Write(append(e.Line, '\n')); err != nil {
			return err
		}
		for _, f := range e.Files {
			if !evidenceName.MatchString(f.Name) {
				return fmt.Errorf("entry %d: file %s is not one an audit's trail commits to", i, f.Name)
			}
			path := filepath.Join(work, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			if err := durable.WriteFile(path, f.Data, 0o644); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("the log: %w", err)
	}
	if !bytes.Equal(root(), cp.Hash) {
		return nil, fmt.Errorf("the log's %d entries do not hash to its checkpoint's root: an entry was altered", cp.Size)
	}
	if err := trail.Close(); err != nil {
		return nil, err
	}
	r, err := audit.VerifyTrail(work)
	if err != nil {
		return nil, fmt.Errorf("the audit in the log: %w", err)
	}
	return &Result{Report: r, Checkpoint: *cp, Raw: raw}, nil
}

// Check checks a checkpoint of an audit's log against def's policy: signed
// by one of def's auditor keys (each is tried as the log's), cosigned by
// def's log witnesses as its policy requires. It returns the checkpoint
// parsed.
func Check(def *election.Definition, raw []byte) (*log.Checkpoint, error) {
	if len(def.Auditors) == 0 {
		return nil, fmt.Errorf("election %s has no auditor key to sign an audit's log", def.ID)
	}
	var first error
	for _, a := range def.Auditors {
		p := tlog.ElectionPolicy(def)
		p.Center = a
		cp, err := p.Check(raw)
		if err == nil {
			return cp, nil
		}
		// The auditor whose key names the log says why it is refused.
		if first == nil || bytes.HasPrefix(raw, []byte(election.KeyName(a)+"\n")) {
			first = err
		}
	}
	return nil, first
}

// Location returns the source of a log at a location: a directory, or an
// http(s) URL where its files are served.
func Location(location string) (Source, error) {
	if strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://") {
		u, err := url.Parse(strings.TrimSuffix(location, "/") + "/")
		if err != nil {
			return nil, err
		}
		return client.NewHTTPFetcher(u, tally.HTTPClient(tally.DefaultTimeout))
	}
	return client.FileFetcher{Root: location}, nil
}
