package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/api"
	"github.com/transparency-dev/tessera/client"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/strictjson"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// LogSource is where to read the center's log, and what the user saved of it
// before.
type LogSource struct {
	// Location is a directory holding the log's tlog-tiles files (checkpoint,
	// tile/, tile/entries/) or the http(s) URL of the same.
	Location string
	// Saved are checkpoints of the log the user saved earlier (a witness's,
	// or a machine's receipt.json, whose checkpoint is read): the log must
	// be consistent with each.
	Saved []SavedCheckpoint
	// Client fetches over HTTP; nil means tally.HTTPClient(tally.DefaultTimeout).
	Client *http.Client
}

// SavedCheckpoint is a checkpoint the user kept, and where from.
type SavedCheckpoint struct {
	Name string
	Raw  []byte
}

// logState is what the verifier knows of the log it read.
type logState struct {
	src        *Source
	checkpoint *log.Checkpoint
	raw        []byte // the checkpoint as served
	rawText    string // the same, for evidence
	witnessed  bool   // the checkpoint meets the election's witness policy
	complete   bool   // every entry was read
	rootOK     bool   // the entries hash to the checkpoint's root
	// other: entry 0 does not name the definition given; nothing in the
	// log is used
	other   bool
	tiles   client.TileFetcherFunc
	bundles client.EntryBundleFetcherFunc
	proofs  *client.ProofBuilder
}

// fetchers returns the functions that read a log at a location.
func fetchers(ls LogSource) (client.CheckpointFetcherFunc, client.TileFetcherFunc, client.EntryBundleFetcherFunc, error) {
	if strings.HasPrefix(ls.Location, "http://") || strings.HasPrefix(ls.Location, "https://") {
		u, err := url.Parse(strings.TrimSuffix(ls.Location, "/") + "/")
		if err != nil {
			return nil, nil, nil, err
		}
		c := ls.Client
		if c == nil {
			c = tally.HTTPClient(tally.DefaultTimeout)
		}
		f, err := client.NewHTTPFetcher(u, c)
		if err != nil {
			return nil, nil, nil, err
		}
		return f.ReadCheckpoint, f.ReadTile, f.ReadEntryBundle, nil
	}
	f := client.FileFetcher{Root: ls.Location}
	return f.ReadCheckpoint, f.ReadTile, f.ReadEntryBundle, nil
}

// AddLog reads the center's log: it checks the checkpoint against the
// election's witness policy and its consistency with the saved checkpoints,
// reads every entry, checks that together they hash to the checkpoint's root
// (which proves each one's inclusion), and opens each entry as an acta,
// checking the signatures in batches on every core. Each valid acta is a
// count of its station; an invalid one is a finding.
func (v *Verifier) AddLog(ctx context.Context, ls LogSource) {
	if v.log != nil {
		v.unread(ls.Location, "", "a second log: the verifier reads one log per election (the first was %s)", v.log.src.Name)
		return
	}
	if v.def.Center == "" {
		v.unread(ls.Location, "", "the election definition enrols no center key, so no checkpoint of the log can be checked")
		return
	}
	readCP, tiles, bundles, err := fetchers(ls)
	if err != nil {
		v.unread(ls.Location, "", "%v", err)
		return
	}
	raw, err := readCP(ctx)
	if err != nil {
		v.unread(ls.Location, "checkpoint", "cannot read the checkpoint: %v", err)
		return
	}
	st := &logState{raw: raw, rawText: string(raw), tiles: tiles, bundles: bundles, witnessed: true}
	st.checkpoint, err = tlog.ElectionPolicy(v.def).Check(raw)
	if err != nil {
		st.witnessed = false
		cp, err2 := tlog.Policy{Center: v.def.Center}.Check(raw)
		if err2 != nil {
			v.unread(ls.Location, "checkpoint", "not a checkpoint signed by the center: %v", err2)
			return
		}
		st.checkpoint = cp
		v.problem(ls.Location, "checkpoint", "does not meet the election's witness policy (%v): the log is checked against the center's signature alone", err)
	}
	if st.proofs, err = client.NewProofBuilder(ctx, st.checkpoint.Size, tiles); err != nil {
		v.unread(ls.Location, "", "%v", err)
		return
	}
	st.src = v.source(ls.Location, KindLog)
	v.log = st

	// Checkpoints saved earlier, and the one the announcement names. Two
	// checkpoints of one size and different roots are a split view by
	// themselves; one of a smaller size is compared with the root of the
	// log's first entries, which counts only if every entry then hashes to
	// the checkpoint read.
	type saved struct {
		SavedCheckpoint
		cp   *log.Checkpoint
		root []byte      // of the log's entries up to its size
		note *signedNote // if it is a signed announcement's size and root
	}
	var pending []*saved
	for _, s := range append(ls.Saved, v.announcedCheckpoints...) {
		var err error
		if s.Raw, err = checkpointOf(s.Raw); err != nil {
			v.problem(s.Name, "", "%v", err)
			continue
		}
		cp, err := tlog.Policy{Center: v.def.Center}.Check(s.Raw)
		switch {
		case err != nil && !bytes.Contains(s.Raw, []byte("\n\n")):
			v.problem(s.Name, "", "not a checkpoint (%v): %s", err, checkpointFiles)
		case err != nil:
			v.problem(s.Name, "", "saved checkpoint: not signed by the center: %v", err)
		case cp.Origin != st.checkpoint.Origin:
			v.problem(s.Name, "", "saved checkpoint of log %q, not %q", cp.Origin, st.checkpoint.Origin)
		case cp.Size > st.checkpoint.Size:
			v.problem(s.Name, "", "a checkpoint of %d entries, and the log read has %d: it is older than this one; read a newer copy of the log to check their consistency", cp.Size, st.checkpoint.Size)
		case cp.Size == st.checkpoint.Size && string(cp.Hash) != string(st.checkpoint.Hash):
			v.findings = append(v.findings, splitView(s.Name, s.Raw, ls.Location, raw,
				fmt.Sprintf("the center signed two checkpoints of %d entries with different roots (%s and the log's): two histories", cp.Size, s.Name)))
		case cp.Size < st.checkpoint.Size:
			pending = append(pending, &saved{SavedCheckpoint: s, cp: cp})
		}
	}

	// The announcements the center signed name the log's size and root
	// they are of: each is held against the log as a checkpoint it
	// signed would be, so that figures bound to another history are the
	// center's split view, not figures that agree.
	for _, size := range slices.Sorted(maps.Keys(v.signedAt)) {
		n := &v.signedAt[size][0]
		name := n.c.Source.Name + " (" + n.c.Where + ")"
		switch {
		case size > st.checkpoint.Size:
			v.problem(name, "", "an announcement the center signed at a log of %d entries, and the log read has %d: its root is not compared with the log; read a newer copy of the log", size, st.checkpoint.Size)
		case size == st.checkpoint.Size && string(n.sa.Root[:]) != string(st.checkpoint.Hash):
			v.findings = append(v.findings, signedRootSplit(n, ls.Location, raw,
				fmt.Sprintf("the center signed an announcement of station %s at a log of %d entries whose root is not that of the checkpoint of %d entries it also signed: two histories", n.sa.Station, size, size)))
		case size < st.checkpoint.Size:
			pending = append(pending, &saved{SavedCheckpoint: SavedCheckpoint{Name: name, Raw: n.sa.Msg}, cp: &log.Checkpoint{Size: size, Hash: n.sa.Root[:]}, note: n})
		}
	}

	size := st.checkpoint.Size
	tree := (&compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}).NewEmptyRange(0)
	atSize := func() {
		for _, p := range pending {
			if p.cp.Size == tree.End() {
				p.root, _ = rootOf(tree)
			}
		}
	}
	atSize()
	read, err := v.readEntries(ctx, st, func(leaf []byte) { tree.Append(leaf, nil); atSize() })
	if err != nil {
		v.problem(ls.Location, fmt.Sprintf("entry %d", read), "reading the log stopped: %v; entries from %d to %d were not checked, and without them none of the log's entries is proven or taken as evidence", err, read, size)
	}
	st.complete = read == size
	if st.complete {
		root, _ := rootOf(tree)
		st.rootOK = string(root) == string(st.checkpoint.Hash)
		if !st.rootOK {
			v.problem(ls.Location, "", "the %d entries the log serves do not hash to the root of its checkpoint: their inclusion is not proven, and none of them is taken as evidence", size)
		}
	}
	for _, p := range pending {
		switch {
		case !st.rootOK:
			v.problem(p.Name, "", "checkpoint of %d entries not compared with the log: the log's entries are not proven", p.cp.Size)
		case string(p.root) != string(p.cp.Hash) && p.note != nil:
			v.findings = append(v.findings, signedRootSplit(p.note, ls.Location, raw,
				fmt.Sprintf("the center signed an announcement of station %s at a log of %d entries whose root is not that of the log's first %d entries, under a checkpoint it also signed: two histories", p.note.sa.Station, p.cp.Size, p.cp.Size)))
		case string(p.root) != string(p.cp.Hash):
			v.findings = append(v.findings, splitView(p.Name, p.Raw, ls.Location, raw,
				fmt.Sprintf("the center signed a checkpoint of %d entries (%s) whose tree is not the first %d entries of the log it serves now, under a checkpoint it also signed: two histories", p.cp.Size, p.Name, p.cp.Size)))
		}
	}
}

// logProven reports whether a log was read whole and its entries hash to
// its checkpoint's root: only then does anything rest on it — its actas as
// counts, a station missing from it, its sums.
func (v *Verifier) logProven() bool { return v.log != nil && v.log.rootOK && !v.log.other }

// checkpointFiles says what a saved checkpoint can be.
const checkpointFiles = "give the log's checkpoint as saved (its origin, size and root hash, a blank line and the signatures: the file checkpoint of the log, or a witness's copy) or a machine's receipt.json"

// checkpointOf returns the checkpoint a saved file holds: the file itself,
// or the checkpoint of a machine's receipt (the JSON of [tlog.Receipt] that
// a machine keeps after transmitting).
func checkpointOf(data []byte) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // an editor's byte-order mark
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		return data, nil
	}
	var r tlog.Receipt
	if err := strictjson.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("JSON, but not a machine's receipt (%v): %s", err, checkpointFiles)
	}
	if r.Checkpoint == "" {
		return nil, fmt.Errorf("a receipt without a checkpoint: %s", checkpointFiles)
	}
	return []byte(r.Checkpoint), nil
}

func rootOf(r *compact.Range) ([]byte, error) {
	if r.End() == 0 {
		return rfc6962.DefaultHasher.EmptyRoot(), nil
	}
	return r.GetRootHash(nil)
}

// entryResult is what a worker found of one log entry.
type entryResult struct {
	head    bool // entry 0, or the definition's log head again
	leaf    [32]byte
	station string
	count   Count
	err     error
	data    []byte // kept only when the entry is invalid
}

type bundleJob struct {
	first   uint64
	entries [][]byte
	out     chan []entryResult
}

// readEntries reads every entry of the log in order, opens them on every
// core and hands each leaf hash to leaf, in order. It returns how many
// entries it read.
func (v *Verifier) readEntries(ctx context.Context, st *logState, leaf func([]byte)) (uint64, error) {
	size := st.checkpoint.Size
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *bundleJob, workers)
	order := make(chan *bundleJob, 4*workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range workers {
		go func() {
			for j := range jobs {
				j.out <- v.openEntries(j.first, j.entries)
			}
		}()
	}
	var readErr error
	go func() {
		defer close(order)
		defer close(jobs)
		next := uint64(0)
		for b, err := range client.EntryBundles(ctx, 4, func(context.Context) (uint64, error) { return size, nil }, st.bundles, 0, size) {
			if err != nil {
				readErr = err
				return
			}
			var eb api.EntryBundle
			if err := eb.UnmarshalText(b.Data); err != nil {
				readErr = fmt.Errorf("entry bundle %d: %w", b.RangeInfo.Index, err)
				return
			}
			if uint(len(eb.Entries)) < b.RangeInfo.First+b.RangeInfo.N {
				readErr = fmt.Errorf("entry bundle %d has %d entries, want %d", b.RangeInfo.Index, len(eb.Entries), b.RangeInfo.First+b.RangeInfo.N)
				return
			}
			j := &bundleJob{first: next, entries: eb.Entries[b.RangeInfo.First : b.RangeInfo.First+b.RangeInfo.N], out: make(chan []entryResult, 1)}
			next += uint64(b.RangeInfo.N)
			select {
			case order <- j:
			case <-ctx.Done():
				return
			}
			jobs <- j
		}
	}()
	read := uint64(0)
	for j := range order {
		for i, r := range <-j.out {
			leaf(r.leaf[:])
			v.addEntry(j.first+uint64(i), r)
		}
		read = j.first + uint64(len(j.entries))
	}
	if readErr == nil && ctx.Err() != nil {
		readErr = ctx.Err()
	}
	return read, readErr
}

// openEntries opens the entries of one bundle, starting at index first, and
// checks all their signatures in batches.
func (v *Verifier) openEntries(first uint64, entries [][]byte) []entryResult {
	out := make([]entryResult, len(entries))
	checks := make([]acta.SignatureCheck, 0, 4*len(entries))
	owner := make([]int, 0, 4*len(entries))
	for i, data := range entries {
		r := &out[i]
		r.leaf = [32]byte(rfc6962.DefaultHasher.HashLeaf(data))
		if first+uint64(i) == 0 || bytes.Equal(data, v.head) {
			r.head, r.data = true, data
			continue
		}
		sa, cs, err := acta.OpenUnverified(data, v.def)
		if err != nil {
			r.err, r.data = err, data
			continue
		}
		r.station = v.def.Station(sa.Station).ID
		r.count = signedCount(nil, v.def, sa, int64(first)+int64(i))
		checks = append(checks, cs...)
		for range cs {
			owner = append(owner, i)
		}
	}
	ok := make([]bool, len(checks))
	verifyBatches(checks, ok)
	for k, good := range ok {
		if r := &out[owner[k]]; !good && r.err == nil {
			r.err = fmt.Errorf("%w: a signature does not verify (altered body or signature?)", acta.ErrSignature)
			r.data = entries[owner[k]]
		}
	}
	return out
}

// addEntry records what was found of one log entry.
func (v *Verifier) addEntry(index uint64, r entryResult) {
	switch {
	case index == 0:
		v.checkHead(r)
		return
	case v.log.other:
		return
	case r.head:
		return // the log head again, which a center restarting may log twice
	}
	if r.err == nil {
		r.count.Source = v.log.src
		v.add(r.station, r.count)
		return
	}
	check, station := CheckInvalidEntry, ""
	if a, err := acta.Parse(bodyOf(r.data)); err == nil {
		station = a.Station
	}
	if errors.Is(r.err, acta.ErrSignature) || errors.Is(r.err, acta.ErrNotEnrolled) || errors.Is(r.err, acta.ErrUnknownSigner) {
		check = CheckSubstitution
	}
	v.findings = append(v.findings, Finding{
		Check: check, Station: station, Proven: true,
		Summary: fmt.Sprintf("log entry %d is not a valid acta of the election: %v", index, r.err),
		entries: []uint64{index},
	})
}

// checkHead checks the log's entry 0: it must name the definition the
// verifier was given. If it does not, the log is of another definition
// (perhaps of the same election id, with other voters or keys): a proven
// finding, and nothing else in the log is used.
func (v *Verifier) checkHead(r entryResult) {
	want := v.def.Digest()
	id, got, err := election.ParseLogHead(r.data)
	var summary string
	switch {
	case err != nil:
		summary = fmt.Sprintf("the log's entry 0 does not name an election definition (%v): it is not a log of definition %x of election %s, and nothing in it is used", err, want, v.def.ID)
	case got != want:
		summary = fmt.Sprintf("the log's entry 0 names definition %x of election %s, not the definition given, %x of election %s: the log is of another definition, and nothing in it is used", got, id, want, v.def.ID)
	default:
		return
	}
	v.log.other = true
	v.findings = append(v.findings, Finding{Check: CheckOtherDefinition, Proven: true, Summary: summary, entries: []uint64{0}})
}

// bodyOf returns the body of a signed note, or all of it if it has no
// signature block.
func bodyOf(msg []byte) []byte {
	if i := strings.LastIndex(string(msg), "\n\n"); i >= 0 {
		return msg[:i+1]
	}
	return msg
}

// inclusion returns an entry of the log, its inclusion proof in the log's
// checkpoint, and checks the proof.
func (st *logState) inclusion(ctx context.Context, index uint64) ([]byte, [][]byte, error) {
	var data []byte
	err := tlog.Entries(ctx, st.bundles, index, index+1, st.checkpoint.Size, func(_ uint64, d []byte) error {
		data = d
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	p, err := st.proofs.InclusionProof(ctx, index)
	if err != nil {
		return data, nil, err
	}
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, index, st.checkpoint.Size, rfc6962.DefaultHasher.HashLeaf(data), p, st.checkpoint.Hash); err != nil {
		return data, p, err
	}
	return data, p, nil
}

// signedRootSplit is the finding of an announcement the center signed at a
// log size whose root is not the log's: the note and the log's checkpoint,
// both signed by the center, are the evidence.
func signedRootSplit(n *signedNote, logName string, checkpoint []byte, summary string) Finding {
	return Finding{Check: CheckSplitView, Station: n.sa.Station, Proven: true, Summary: summary, Evidence: []Evidence{
		{Kind: "announced-signed", Source: n.c.Source.Name, Where: n.c.Where, Announcement: string(n.sa.Msg)},
		{Kind: "checkpoint", Source: logName, Checkpoint: string(checkpoint)},
	}}
}
