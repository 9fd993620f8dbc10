package ledger

import (
	"context"

	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// Entries calls fn with each entry sequenced from index from up to (not
// including) to, published or not yet.
func (l *Ledger) Entries(ctx context.Context, from, to uint64, fn func(index uint64, data []byte) error) error {
	size, err := l.reader.IntegratedSize(ctx)
	if err != nil {
		return err
	}
	return tlog.Entries(ctx, l.reader.ReadEntryBundle, from, to, size, fn)
}
