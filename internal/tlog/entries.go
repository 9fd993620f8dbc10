//go:build !js

// The phone's WebAssembly (package check) verifies receipts against the
// witness policy and reads no log: leaving this reader out of js builds
// keeps tessera's client, net/http and OpenTelemetry out of the app.

package tlog

import (
	"context"
	"fmt"

	"github.com/transparency-dev/tessera/api"
	"github.com/transparency-dev/tessera/api/layout"
	"github.com/transparency-dev/tessera/client"
)

// Entries calls fn with each entry of a log of the given size from index
// from up to (not including) to, in order, reading entry bundles with read: a
// client.FileFetcher's ReadEntryBundle for a log on disk, an HTTPFetcher's
// for one served over HTTP. The size names the bundles (the last one is
// partial at that size).
func Entries(ctx context.Context, read client.EntryBundleFetcherFunc, from, to, size uint64, fn func(index uint64, data []byte) error) error {
	to = min(to, size)
	for i := from; i < to; {
		bundle := i / layout.EntryBundleWidth
		raw, err := read(ctx, bundle, layout.PartialTileSize(0, bundle, size))
		if err != nil {
			return fmt.Errorf("entry bundle %d: %w", bundle, err)
		}
		var b api.EntryBundle
		if err := b.UnmarshalText(raw); err != nil {
			return fmt.Errorf("entry bundle %d: %w", bundle, err)
		}
		first := bundle * layout.EntryBundleWidth
		want := min(size-first, layout.EntryBundleWidth)
		if uint64(len(b.Entries)) < want {
			return fmt.Errorf("entry bundle %d has %d entries, want %d", bundle, len(b.Entries), want)
		}
		for ; i < min(first+want, to); i++ {
			if err := fn(i, b.Entries[i-first]); err != nil {
				return err
			}
		}
	}
	return nil
}
