package witness

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/durable"
)

// AddCheckpoint handles an add-checkpoint request body: it checks the
// checkpoint against the latest one the witness cosigned for its log, and if
// it is consistent, writes it to disk as the new latest and returns the
// cosignature line(s), "— name base64\n", to be appended to the checkpoint.
// Its errors wrap the Err values of this package, or are a [*ConflictError];
// any other error is a failure of the witness itself, as a full disk.
func (w *Witness) AddCheckpoint(body []byte) (cosig []byte, err error) {
	var attrs []any // what is known of the request, for the log
	defer func() { w.logAdd(body, attrs, err) }()
	r, err := parseRequest(body)
	if err != nil {
		return nil, err
	}
	origin, _, _ := bytes.Cut(r.checkpoint, []byte("\n"))
	l := w.logs[string(origin)]
	if l == nil {
		return nil, fmt.Errorf("%w: checkpoint origin %.100q", ErrUnknownLog, origin)
	}
	attrs = append(attrs, "origin", l.origin, "old", r.old)
	n, err := note.Open(r.checkpoint, l.verifier)
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		if errors.As(err, &unverified) || errors.As(err, &invalid) {
			return nil, fmt.Errorf("%w: checkpoint of log %s: %v", ErrUntrusted, l.origin, err)
		}
		return nil, fmt.Errorf("%w: checkpoint of log %s: %v", ErrMalformed, l.origin, err)
	}
	cp, err := parseCheckpoint(n.Text)
	if err != nil {
		return nil, fmt.Errorf("%w: checkpoint of log %s: %v", ErrMalformed, l.origin, err)
	}
	attrs = append(attrs, "size", cp.Size)
	if r.old > cp.Size {
		return nil, fmt.Errorf("%w: log %s: old size %d is larger than the checkpoint's %d", ErrMalformed, l.origin, r.old, cp.Size)
	}
	prev := l.latest.Load()
	if err := checkConsistency(l.origin, prev, r, cp); err != nil {
		return nil, err
	}
	if w.testingOnlyStall != nil {
		w.testingOnlyStall()
	}
	return w.replace(l, prev, n, cp)
}

// logAdd logs the outcome of an add-checkpoint request: a refused
// checkpoint that the log signed and that is not consistent with the
// cosigned one is evidence of a split view, so it is logged whole as a
// warning. Requests that anyone could send are logged for debugging only.
func (w *Witness) logAdd(body []byte, attrs []any, err error) {
	var conflict *ConflictError
	switch {
	case err == nil:
		w.logger.Info("cosigned", attrs...)
	case errors.As(err, &conflict):
		w.logger.Info("refused: old size", append(attrs, "cosigned", conflict.Size)...)
	case errors.Is(err, ErrFork), errors.Is(err, ErrInconsistent):
		w.logger.Warn("refused: not consistent with the cosigned checkpoint", append(attrs, "error", err, "request", string(body))...)
	case errors.Is(err, ErrMalformed), errors.Is(err, ErrUntrusted), errors.Is(err, ErrUnknownLog):
		w.logger.Debug("refused", append(attrs, "error", err)...)
	default:
		w.logger.Error("failed", append(attrs, "error", err)...)
	}
}

// parseCheckpoint parses the text of a checkpoint strictly: a canonical size
// and a 32-byte root hash in canonical base64.
func parseCheckpoint(text string) (*log.Checkpoint, error) {
	cp := new(log.Checkpoint)
	if _, err := cp.Unmarshal([]byte(text)); err != nil {
		return nil, err
	}
	if len(cp.Hash) != hashSize {
		return nil, fmt.Errorf("root hash of %d bytes, want %d", len(cp.Hash), hashSize)
	}
	if !strings.HasPrefix(text, string(cp.Marshal())) {
		return nil, errors.New("size or root hash not in canonical form")
	}
	return cp, nil
}

// checkConsistency checks a request's checkpoint against the latest one the
// witness cosigned for its log.
func checkConsistency(origin string, prev *cosigned, r *request, cp *log.Checkpoint) error {
	h := rfc6962.DefaultHasher
	switch {
	case r.old != prev.size:
		return &ConflictError{Origin: origin, Old: r.old, Size: prev.size}
	case cp.Size == 0 && !bytes.Equal(cp.Hash, h.EmptyRoot()):
		return fmt.Errorf("%w: log %s: checkpoint of size 0 with root hash %x, not the empty tree's", ErrInconsistent, origin, cp.Hash)
	case cp.Size == prev.size && len(r.proof) == 0 && !bytes.Equal(cp.Hash, prev.hash):
		return fmt.Errorf("%w: log %s: checkpoint of size %d with root hash %x, the cosigned one has %x", ErrFork, origin, cp.Size, cp.Hash, prev.hash)
	}
	if err := proof.VerifyConsistency(h, prev.size, cp.Size, r.proof, prev.hash, cp.Hash); err != nil {
		return fmt.Errorf("%w: log %s: consistency proof from size %d to %d: %v", ErrInconsistent, origin, prev.size, cp.Size, err)
	}
	return nil
}

// replace makes the checkpoint of n, checked against prev, the latest
// cosigned for l, unless another request replaced prev since; it returns
// the cosignature only once the checkpoint is on disk.
func (w *Witness) replace(l *logState, prev *cosigned, n *note.Note, cp *log.Checkpoint) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// The check holds for any state of the same size and root, as after a
	// request that cosigned the same checkpoint again.
	if cur := l.latest.Load(); cur.size != prev.size || !bytes.Equal(cur.hash, prev.hash) {
		return nil, &ConflictError{Origin: l.origin, Old: prev.size, Size: cur.size}
	}
	signed, err := note.Sign(&note.Note{Text: n.Text}, w.signer)
	if err != nil {
		return nil, fmt.Errorf("cosigning the checkpoint of log %s: %v", l.origin, err)
	}
	cosig := signed[len(n.Text)+1:]
	// The checkpoint as the witness keeps it: the text, the log's verified
	// signatures (not the unknown ones) and the cosignature.
	var b bytes.Buffer
	b.WriteString(n.Text)
	b.WriteString("\n")
	for _, s := range n.Sigs {
		fmt.Fprintf(&b, "— %s %s\n", s.Name, s.Base64)
	}
	b.Write(cosig)
	c := &cosigned{size: cp.Size, hash: cp.Hash, note: b.Bytes()}
	if err := durable.WriteFile(l.path, c.note, 0o600); err != nil {
		return nil, fmt.Errorf("saving the checkpoint of log %s: %v", l.origin, err)
	}
	if err := l.journal.append(c.size, c.hash); err != nil {
		return nil, fmt.Errorf("journaling the checkpoint of log %s: %v", l.origin, err)
	}
	l.latest.Store(c)
	return cosig, nil
}
