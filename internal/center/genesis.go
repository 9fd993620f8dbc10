package center

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/ledger"
)

// The log's entry 0 names the election definition the center was opened
// with, by its digest (election.Definition.LogHead): so the log says which
// definition its actas were decided against, and a center never decides one
// election's actas into another's log. Every other entry is an acta;
// whatever indexes or counts actas starts at entry 1.

// firstActa is the index of a log's first acta.
const firstActa = 1

// A center killed after logging the definition but before the log counted
// it logs it again when it restarts, and centers sharing a new log may each
// log it: an entry past 0 that is the definition entry again is no acta,
// and is skipped wherever entries are decided.

// definitionEntry returns the log entry of a definition.
func definitionEntry(def *election.Definition) []byte { return def.LogHead() }

// checkDefinitionEntry checks that a log's entry 0 is the definition def.
func checkDefinitionEntry(def *election.Definition, entry []byte) error {
	d := def.Digest()
	id, g, err := election.ParseLogHead(entry)
	if err != nil {
		return fmt.Errorf("the log's entry 0 does not name a definition (%v), so it is not a log of election %s (definition %x): refusing to start on it", err, def.ID, d)
	}
	if g != d {
		return fmt.Errorf("the log's entry 0 names definition %x of election %s, not definition %x of election %s: refusing to start on another election's log", g, id, d, def.ID)
	}
	return nil
}

// startLog makes the definition the entry 0 of a new log, and checks that
// an existing log's entry 0 is the definition. It returns the log's size.
func startLog(ctx context.Context, lg *ledger.Ledger, def *election.Definition) (uint64, error) {
	size, err := lg.Integrated(ctx)
	if err != nil {
		return 0, err
	}
	if size == 0 {
		index, err := lg.Add(ctx, definitionEntry(def))
		if err != nil {
			return 0, fmt.Errorf("logging the definition as the log's entry 0: %w", err)
		}
		for size <= index {
			if size, err = lg.Integrated(ctx); err != nil {
				return 0, err
			}
			if size <= index {
				select {
				case <-ctx.Done():
					return 0, ctx.Err()
				case <-time.After(10 * time.Millisecond):
				}
			}
		}
	}
	var entry []byte
	err = lg.Entries(ctx, 0, 1, func(_ uint64, data []byte) error {
		entry = data
		return nil
	})
	if err == nil && entry == nil {
		err = errors.New("no entry 0")
	}
	if err != nil {
		return 0, fmt.Errorf("reading the log's entry 0: %w", err)
	}
	if err := checkDefinitionEntry(def, entry); err != nil {
		return 0, err
	}
	return size, nil
}
