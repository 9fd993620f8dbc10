package tlog_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/transparency-dev/tessera/api/layout"

	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// bundles is a log's entry bundles as tlog-tiles serves them, by index.
type bundles map[uint64][]byte

// logOf returns the bundles of a log of n entries, "entry 0" on.
func logOf(n uint64) bundles {
	b := bundles{}
	for i := range n {
		k := i / layout.EntryBundleWidth
		b[k] = appendEntry(b[k], entryData(i))
	}
	return b
}

func entryData(i uint64) []byte { return []byte(fmt.Sprintf("entry %d", i)) }

func appendEntry(b, data []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}

// fetcher serves the bundles, checking that the partial size asked for is
// the one a log of size has.
func (b bundles) fetcher(t *testing.T, size uint64) func(context.Context, uint64, uint8) ([]byte, error) {
	return func(_ context.Context, k uint64, p uint8) ([]byte, error) {
		if want := layout.PartialTileSize(0, k, size); p != want {
			t.Errorf("bundle %d read with partial size %d, want %d", k, p, want)
		}
		raw, ok := b[k]
		if !ok {
			return nil, fmt.Errorf("no bundle %d", k)
		}
		return raw, nil
	}
}

// read returns the indexes Entries passes fn, checking each entry's data.
func read(t *testing.T, b bundles, from, to, size uint64) ([]uint64, error) {
	var got []uint64
	err := tlog.Entries(context.Background(), b.fetcher(t, size), from, to, size, func(i uint64, data []byte) error {
		if string(data) != string(entryData(i)) {
			t.Errorf("entry %d: %q", i, data)
		}
		got = append(got, i)
		return nil
	})
	return got, err
}

func TestEntries(t *testing.T) {
	// Every range between the points around the bundles' edges, of logs
	// whose size is one of those points: each entry from..min(to, size),
	// once, in order.
	w := uint64(layout.EntryBundleWidth)
	points := []uint64{0, 1, w - 1, w, w + 1, 2*w - 1, 2 * w, 2*w + 1, 3*w + 7}
	for _, size := range points {
		b := logOf(size)
		for _, from := range points {
			for _, to := range points {
				got, err := read(t, b, from, to, size)
				if err != nil {
					t.Fatalf("size %d, %d to %d: %v", size, from, to, err)
				}
				var want []uint64
				for i := from; i < min(to, size); i++ {
					want = append(want, i)
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("size %d, %d to %d: got %d entries %v..., want %d", size, from, to, len(got), got[:min(len(got), 3)], len(want))
				}
			}
		}
	}
}

func TestEntriesLongerBundle(t *testing.T) {
	// A bundle with more entries than the size needs (served at a larger
	// size): the entries past the size are not read.
	b := logOf(10)
	got, err := read(t, b, 0, 10, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 7 {
		t.Errorf("read %d entries of a log of size 7", len(got))
	}
}

func TestEntriesTruncated(t *testing.T) {
	w := uint64(layout.EntryBundleWidth)
	// A bundle with fewer entries than the size says it has.
	for _, c := range []struct {
		size, have uint64
	}{{5, 4}, {5, 0}, {w, w - 1}, {w + 3, w + 2}} {
		b := logOf(c.have)
		if c.have == 0 {
			b[0] = []byte{}
		}
		_, err := read(t, b, 0, c.size, c.size)
		want := fmt.Sprintf("has %d entries, want %d", c.have%w, c.size-c.have/w*w)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("size %d with %d entries: %v, want %q", c.size, c.have, err, want)
		}
	}
	// A bundle cut anywhere inside its last entry.
	full := logOf(3)[0]
	last := len(full) - len(entryData(2)) - 2
	for cut := last + 1; cut < len(full); cut++ {
		b := bundles{0: full[:cut]}
		if _, err := read(t, b, 0, 3, 3); err == nil || !strings.Contains(err.Error(), "entry bundle 0") {
			t.Errorf("bundle cut at byte %d of %d: %v", cut, len(full), err)
		}
	}
}

func TestEntriesMalformed(t *testing.T) {
	for _, raw := range [][]byte{
		{0},              // a dangling byte
		{0, 5, 'a', 'b'}, // an entry longer than the bundle
		append(appendEntry(nil, []byte("a")), 0xff), // a good entry and a dangling byte
	} {
		b := bundles{0: raw}
		_, err := read(t, b, 0, 2, 2)
		if err == nil || !strings.Contains(err.Error(), "entry bundle 0") {
			t.Errorf("bundle %q: %v", raw, err)
		}
	}
}

func TestEntriesErrors(t *testing.T) {
	// A bundle that cannot be read.
	b := logOf(300)
	delete(b, 1)
	got, err := read(t, b, 0, 300, 300)
	if err == nil || !strings.Contains(err.Error(), "entry bundle 1: no bundle 1") {
		t.Errorf("missing bundle: %v", err)
	}
	if len(got) != layout.EntryBundleWidth {
		t.Errorf("missing bundle 1: %d entries read before it, want %d", len(got), layout.EntryBundleWidth)
	}
	// fn's error stops the reading and is returned as it is.
	stop := errors.New("stop")
	n := 0
	err = tlog.Entries(context.Background(), logOf(300).fetcher(t, 300), 0, 300, 300, func(i uint64, data []byte) error {
		n++
		if i == 10 {
			return stop
		}
		return nil
	})
	if err != stop || n != 11 {
		t.Errorf("fn failing at entry 10: %v after %d entries", err, n)
	}
}
