package witness

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
)

// A witness whose state directory is restored from a backup has forgotten
// the checkpoints it cosigned since: a log could then have it cosign a fork
// of a size it already cosigned. Two guards:
//
// The journal. Beside each log's state file, the witness appends a line
// for every checkpoint it cosigns, "SIZE BASE64-ROOT-HASH\n", synced to
// disk before the cosignature leaves. The state file is replaced whole;
// the journal only grows. Opening a state whose latest checkpoint is
// behind the journal's last line, or of its size with another root hash,
// fails with [ErrRolledBack]: the state file was restored, not the journal.
// (The state is written before the journal, so a crash between the two
// leaves the state ahead, which Open mends by appending its line.)
//
// The published checkpoint. A backup of the whole directory restores the
// journal too. The log itself remembers: its published checkpoint carries
// the witness's cosignature. [Witness.CheckPublished] refuses a state
// behind a checkpoint the witness cosigned, and `witness serve -log-url`
// checks each log's published checkpoint before serving.

// ErrRolledBack is the error of [Open] and [Witness.CheckPublished] when
// the witness's state is behind a checkpoint it is known to have cosigned.
var ErrRolledBack = errors.New("witness state rolled back")

const journalSuffix = ".journal"

// journal is the append-only record of the checkpoints cosigned for a log.
type journal struct {
	f    *os.File // opened for appending
	size uint64   // of the last line; hash is nil if there is none
	hash []byte
}

// openJournal opens the journal at path, making it if needed, and reads its
// last line. A last line without its newline is what a crash while
// appending left: its cosignature never left, so it is cut off.
func openJournal(dir *os.File, path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	j := &journal{f: f}
	if err := j.read(path); err != nil {
		f.Close()
		return nil, err
	}
	// A new journal's name must outlive a crash too.
	if err := dir.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

func (j *journal) read(path string) error {
	data, err := io.ReadAll(j.f)
	if err != nil {
		return err
	}
	if i := bytes.LastIndexByte(data, '\n') + 1; i < len(data) {
		if err := j.f.Truncate(int64(i)); err != nil {
			return err
		}
		data = data[:i]
	}
	if _, err := j.f.Seek(0, io.SeekEnd); err != nil {
		return err
	}
	var prev uint64
	for n, line := range strings.SplitAfter(string(data), "\n") {
		if line == "" {
			break
		}
		size, hash, err := parseJournalLine(strings.TrimSuffix(line, "\n"))
		if err != nil || (n > 0 && size < prev) {
			return fmt.Errorf("%s line %d: malformed journal line %.100q", path, n+1, line)
		}
		prev, j.size, j.hash = size, size, hash
	}
	return nil
}

func parseJournalLine(line string) (uint64, []byte, error) {
	s, h, ok := strings.Cut(line, " ")
	if !ok {
		return 0, nil, errors.New("want SIZE HASH")
	}
	size, err := strconv.ParseUint(s, 10, 64)
	if err != nil || strconv.FormatUint(size, 10) != s {
		return 0, nil, errors.New("malformed size")
	}
	hash, err := base64.StdEncoding.Strict().DecodeString(h)
	if err != nil || len(hash) != hashSize || base64.StdEncoding.EncodeToString(hash) != h {
		return 0, nil, errors.New("malformed hash")
	}
	return size, hash, nil
}

// append records a cosigned checkpoint, durably.
func (j *journal) append(size uint64, hash []byte) error {
	if _, err := fmt.Fprintf(j.f, "%d %s\n", size, base64.StdEncoding.EncodeToString(hash)); err != nil {
		return err
	}
	if err := j.f.Sync(); err != nil {
		return err
	}
	j.size, j.hash = size, hash
	return nil
}

// check compares the state read at start with the journal: the state may
// be ahead (a crash between writing it and appending), never behind.
func (j *journal) check(origin string, c *cosigned) error {
	switch {
	case j.hash == nil && c.note == nil:
		return nil
	case j.hash == nil || c.size > j.size:
		return j.append(c.size, c.hash)
	case c.size < j.size || c.note == nil:
		return fmt.Errorf("%w: log %s: the state's latest cosigned checkpoint has size %d, but the journal records one of size %d: "+
			"the state directory was restored from a backup? cosigning from it could cosign a fork", ErrRolledBack, origin, c.size, j.size)
	case !bytes.Equal(c.hash, j.hash):
		return fmt.Errorf("%w: log %s: the state's latest cosigned checkpoint of size %d has root hash %x, the journal records %x",
			ErrRolledBack, origin, c.size, c.hash, j.hash)
	}
	return nil
}

// CheckPublished checks the witness's state against a checkpoint a log
// published. If the checkpoint carries this witness's cosignature and is
// ahead of the latest checkpoint the state holds for the log (or of its
// size with another root), the state was rolled back: CheckPublished
// returns an error wrapping [ErrRolledBack], and the witness must not
// serve. A checkpoint without its cosignature says nothing, and is no error.
func (w *Witness) CheckPublished(checkpoint []byte) error {
	origin, _, _ := bytes.Cut(checkpoint, []byte("\n"))
	l := w.logs[string(origin)]
	if l == nil {
		return fmt.Errorf("%w: checkpoint origin %.100q", ErrUnknownLog, origin)
	}
	v, err := fnote.NewVerifierForCosignatureV1(w.cosigKey)
	if err != nil {
		return err
	}
	n, err := note.Open(checkpoint, note.VerifierList(v))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		if errors.As(err, &unverified) {
			return nil // not cosigned by this witness
		}
		return fmt.Errorf("published checkpoint of log %s: %v", l.origin, err)
	}
	cp, err := parseCheckpoint(n.Text)
	if err != nil {
		return fmt.Errorf("published checkpoint of log %s: %v", l.origin, err)
	}
	cur := l.latest.Load()
	switch {
	case cp.Size > cur.size:
		return fmt.Errorf("%w: log %s publishes a checkpoint of size %d that this witness cosigned, but its state's latest has size %d: "+
			"the state directory was restored from a backup? cosigning from it could cosign a fork", ErrRolledBack, l.origin, cp.Size, cur.size)
	case cp.Size == cur.size && !bytes.Equal(cp.Hash, cur.hash):
		return fmt.Errorf("%w: log %s publishes a checkpoint of size %d with root hash %x that this witness cosigned, but its state has %x",
			ErrRolledBack, l.origin, cp.Size, cp.Hash, cur.hash)
	}
	return nil
}

// CheckLog fetches the checkpoint a tlog-tiles log publishes at
// logURL/checkpoint and checks the state against it with
// [Witness.CheckPublished].
func (w *Witness) CheckLog(ctx context.Context, client *http.Client, logURL string) error {
	url := strings.TrimSuffix(logURL, "/") + "/checkpoint"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("fetching the published checkpoint: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetching the published checkpoint %s: %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRequest))
	if err != nil {
		return fmt.Errorf("fetching the published checkpoint %s: %v", url, err)
	}
	if err := w.CheckPublished(body); err != nil {
		return fmt.Errorf("%s: %w", url, err)
	}
	return nil
}
