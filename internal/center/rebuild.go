package center

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/dirlock"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// Rebuild makes the center's index anew from its log in dir alone: every
// entry up to the latest published checkpoint, which must be signed by the
// election's center key, decided again as Submit decided it. The index is
// where the center keeps it (see Config.Store: location, or SQLite in dir if
// location is empty). The new index replaces the old only once it is
// complete (see store.Rebuild). The center must not be running. It returns
// the number of entries it indexed.
func Rebuild(ctx context.Context, def *election.Definition, dir, location string) (uint64, error) {
	if def.Center == "" {
		return 0, fmt.Errorf("election %s enrols no center key to check the log's checkpoints with", def.ID)
	}
	loc, err := indexLocation(dir, location)
	if err != nil {
		return 0, err
	}
	v, err := note.NewVerifier(def.Center)
	if err != nil {
		return 0, err
	}
	f := client.FileFetcher{Root: filepath.Join(dir, "log")}
	raw, err := f.ReadCheckpoint(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the log's checkpoint: %w", err)
	}
	cp, _, _, err := log.ParseCheckpoint(raw, v.Name(), v)
	if err != nil {
		return 0, fmt.Errorf("the log's checkpoint: %w", err)
	}
	lock, err := dirlock.Open(dir)
	if err != nil {
		return 0, fmt.Errorf("center data %s: %w (is the center running?)", dir, err)
	}
	defer lock.Close()
	var n uint64
	err = store.Rebuild(ctx, loc, store.DefaultSchema(def.ID), func(st store.Index) error {
		c := &Center{def: def, store: st, log: slog.Default(), m: newMetrics(nil),
			accepted: map[stationKind]*logged{}, evidence: map[stationKind][]*logged{},
			figures: newFigures(def), results: newResults(def)}
		var batch []store.Entry
		err := tlog.Entries(ctx, f.ReadEntryBundle, 0, cp.Size, cp.Size, func(index uint64, msg []byte) error {
			e, err := c.replay(index, msg, "")
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
