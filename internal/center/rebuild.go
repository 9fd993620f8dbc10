package center

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/dirlock"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// Rebuild makes the center's index anew from its log alone: every acta up
// to the latest published checkpoint (entry 0, the definition, must be the
// election's), which must be signed by the
// election's center key, decided again as Submit decided it. The log and
// the index are where a center with the same Config keeps them (Dir, Store,
// Log; Dir is not needed for a shared log with a PostgreSQL index). The new
// index replaces the old only once it is complete (see store.Rebuild). No
// center may be running on them: Rebuild refuses if the data directory is
// locked, or if other sessions are connected to the shared log's database.
// It returns the number of entries it indexed.
func Rebuild(ctx context.Context, cfg Config) (uint64, error) {
	def := cfg.Election
	if def.Center == "" {
		return 0, fmt.Errorf("election %s enrols no center key to check the log's checkpoints with", def.ID)
	}
	if cfg.Dir == "" && (cfg.Log == "" || cfg.Store == "") {
		return 0, fmt.Errorf("rebuilding the index of election %s: no data directory for the log or the index", def.ID)
	}
	loc, err := indexLocation(cfg.Dir, cfg.Store)
	if err != nil {
		return 0, err
	}
	v, err := note.NewVerifier(def.Center)
	if err != nil {
		return 0, err
	}
	var f interface {
		ReadCheckpoint(context.Context) ([]byte, error)
		ReadEntryBundle(context.Context, uint64, uint8) ([]byte, error)
	} = client.FileFetcher{Root: filepath.Join(cfg.Dir, "log")}
	if cfg.Log != "" {
		r, err := openSharedLog(ctx, cfg.Log)
		if err != nil {
			return 0, err
		}
		defer r.Close()
		f = r
	}
	raw, err := f.ReadCheckpoint(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the log's checkpoint: %w", err)
	}
	cp, _, _, err := log.ParseCheckpoint(raw, v.Name(), v)
	if err != nil {
		return 0, fmt.Errorf("the log's checkpoint: %w", err)
	}
	if cfg.Dir != "" {
		lock, err := dirlock.Open(cfg.Dir)
		if err != nil {
			return 0, fmt.Errorf("center data %s: %w (is the center running?)", cfg.Dir, err)
		}
		defer lock.Close()
	}
	if cp.Size > 0 {
		err := tlog.Entries(ctx, f.ReadEntryBundle, 0, 1, cp.Size, func(_ uint64, msg []byte) error {
			return checkDefinitionEntry(def, msg)
		})
		if err != nil {
			return 0, err
		}
	}
	var n uint64
	err = store.Rebuild(ctx, loc, store.DefaultSchema(def.ID), func(st store.Index) error {
		d := newDecider(def)
		var batch []store.Entry
		err := tlog.Entries(ctx, f.ReadEntryBundle, min(firstActa, cp.Size), cp.Size, cp.Size, func(index uint64, msg []byte) error {
			if d.skip(msg) {
				return nil
			}
			e, err := d.replay(index, msg, "")
			if err != nil {
				return err
			}
			if batch = append(batch, *e); len(batch) == 512 {
				err, batch = st.Put(ctx, batch...), batch[:0]
			}
			n++
			return err
		})
		if err == nil && len(batch) > 0 {
			err = st.Put(ctx, batch...)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// openSharedLog opens the shared log at location for reading, once no
// center is connected to its database.
func openSharedLog(ctx context.Context, location string) (*ledger.MySQLReader, error) {
	if !ledger.IsMySQL(location) {
		return nil, fmt.Errorf("log %q: want a mysql:// URL (the log of the center's own is always in the data directory)", location)
	}
	dsn, err := ledger.MySQLDSN(location)
	if err != nil {
		return nil, err
	}
	r, err := ledger.OpenMySQLReader(ctx, dsn)
	if err != nil {
		return nil, err
	}
	n, err := r.Sessions(ctx)
	if err == nil && n > 0 {
		err = fmt.Errorf("the shared log's database has %d other sessions (is a front-end running?)", n)
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}
