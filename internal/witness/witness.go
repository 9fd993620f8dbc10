// Package witness is a party's log witness: it cosigns a checkpoint of the
// tallying center's log only if the checkpoint is consistent with every
// checkpoint it cosigned before for that log, so that the center cannot show
// different histories to different people. It speaks [C2SP tlog-witness] to
// the log, which is how Tessera asks its witnesses, and its cosignatures are
// [C2SP tlog-cosignature] "cosignature/v1" signatures, timestamped.
//
// The log sends a POST to /add-checkpoint with a body of an old size line
// (the size the log believes the witness last cosigned), the lines of a
// consistency proof from that size to the new one (at most 63 base64
// hashes), an empty line and the checkpoint, a [signed note]. Here the
// witness last cosigned the log's tree of its first 3 entries, and the log
// now has 7 ("acta 0\n" to "acta 6\n"):
//
//	old 3
//	LUPeJvd0gr20xeJIAg5CRcCYb69KO35zCcwxtPLR9u4=
//	omoayqSE1kGRjncB8VgxwkWBay5C48yeDjDNVTDOIzY=
//	vDDxap8PDrniVoUYUVRBbHQL0kmzaAhOmLsYnET1LdU=
//	P/cdcmyEg0w1uip9ZH9RpWNbRkpqHonWCtdtoYe0JBw=
//
//	example.org/center
//	7
//	kczGl8nUeJRwMT8ivV13mlHhztfzYFFxYCqjchIDoKc=
//
//	— example.org/center LtVPLEoNviPBZ/+gijxAiqWW3Vh8Fn5yi6gKm9L1gNDq3yejmWPid4qV54JOYctdKBbOdgqhda9oXE0n/7mPlH1uMgo=
//
// and the witness answers with its cosignature, to be appended to the
// checkpoint:
//
//	— witness.example/party-a gY6g/QAAAABrBgjrc2LOqjOqc6ehU6goZwe0RXlnQiFo/WGOeqyhOnn6C6PDOA34NllumzjE3ok+pCVLFmTYLFFw+06sadLVQu6KBg==
//
// It checks the request in this order, and answers:
//
//   - 404 if it is not configured for the checkpoint's origin ([ErrUnknownLog]);
//   - 403 if no signature of the log's key verifies ([ErrUntrusted]);
//   - 400 if the request is malformed, or the old size is larger than the
//     checkpoint's ([ErrMalformed]);
//   - 409 with the size it last cosigned for the log ("3\n", Content-Type
//     text/x.tlog.size) if the old size is not that size, 0 if it never
//     cosigned one ([ConflictError]): the log asks again from there;
//   - 409 if the checkpoint has the size of the one it last cosigned but
//     another root hash, and no proof ([ErrFork]): the log signed two
//     different trees of one size;
//   - 422 if the proof does not show the checkpoint consistent with the one
//     it last cosigned, or a checkpoint of size 0 has a root other than the
//     empty tree's ([ErrInconsistent]);
//   - 200 with its cosignature line, once it has written the checkpoint to
//     disk as the latest it cosigned for the log.
//
// Checking a request against the latest cosigned checkpoint and recording
// the new one is atomic: of two requests from one old size, only one is
// cosigned, and the other gets a 409 with the new size. A witness that loses
// its state directory would cosign a log's checkpoint again from scratch, so
// the directory is as precious as the key. One restored from a backup would
// cosign a fork of a size it cosigned since: [Open] refuses a state behind
// the append-only journal the witness keeps beside it, and
// [Witness.CheckPublished] a state behind a checkpoint the log published
// with this witness's cosignature ([ErrRolledBack]).
//
// [Serve] runs a witness as an HTTP server, from a [ServeConfig], until its
// context ends.
//
// [C2SP tlog-witness]: https://c2sp.org/tlog-witness
// [C2SP tlog-cosignature]: https://c2sp.org/tlog-cosignature
// [signed note]: https://c2sp.org/signed-note
package witness

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/intake"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// Log is a log the witness cosigns for.
type Log struct {
	Origin string // the checkpoints' first line; the key's name if empty
	Key    string // the log's note verifier key ("name+hash+keydata")
}

// Witness cosigns the checkpoints of its logs. Its methods are safe for
// concurrent use.
type Witness struct {
	signer   *fnote.Signer // cosignature/v1
	cosigKey string        // its verifier key
	logger   *slog.Logger
	dir      *os.File // the state directory, locked while open
	logs     map[string]*logState
	intake   *intake.Limits // on reading add-checkpoint requests

	// testingOnlyStall, if set, runs after a request is checked against the
	// latest cosigned checkpoint and before the new one replaces it: tests
	// stall requests there to race them.
	testingOnlyStall func()
}

// logState is what the witness knows of one log.
type logState struct {
	origin   string
	verifier note.Verifiers
	path     string   // the state file
	journal  *journal // every checkpoint cosigned, appended under mu

	mu     sync.Mutex // held while replacing latest, from the last check to the write
	latest atomic.Pointer[cosigned]
}

// cosigned is the latest checkpoint the witness cosigned for a log.
type cosigned struct {
	size uint64
	hash []byte
	note []byte // the checkpoint with the log's signatures and the cosignature; nil if none yet
}

// Errors of [Witness.AddCheckpoint], with their HTTP status. Its errors wrap
// one of these and say what failed on which input.
var (
	ErrMalformed    = errors.New("malformed add-checkpoint request")              // 400
	ErrUntrusted    = errors.New("no trusted signature")                          // 403
	ErrUnknownLog   = errors.New("unknown log")                                   // 404
	ErrFork         = errors.New("checkpoint forks from the cosigned one")        // 409
	ErrInconsistent = errors.New("checkpoint inconsistent with the cosigned one") // 422
)

// ConflictError is the error of [Witness.AddCheckpoint] when the old size of
// a request is not the size of the checkpoint the witness last cosigned: the
// log should ask again from that size. Its HTTP status is 409.
type ConflictError struct {
	Origin string
	Old    uint64 // the request's old size
	Size   uint64 // the size of the latest cosigned checkpoint, 0 if none
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("log %s: old size %d, but the latest cosigned checkpoint has size %d", e.Origin, e.Old, e.Size)
}

// Open opens a witness that cosigns with key for logs, keeping the latest
// checkpoint it cosigned for each log in stateDir, which it makes if needed
// and holds locked until [Witness.Close]. It logs each request to logger
// (slog.Default() if nil).
func Open(stateDir string, key *keys.Key, logs []Log, logger *slog.Logger) (*Witness, error) {
	if logger == nil {
		logger = slog.Default()
	}
	signer, err := fnote.NewSignerForCosignatureV1(key.Private)
	if err != nil {
		return nil, fmt.Errorf("witness key %s: %v", key.Name(), err)
	}
	cosigKey, err := keys.CosignatureKey(key.Public)
	if err != nil {
		return nil, fmt.Errorf("witness key %q: %v", key.Public, err)
	}
	w := &Witness{signer: signer, cosigKey: cosigKey, logger: logger, logs: make(map[string]*logState),
		intake: intake.New(maxReading, maxRequest, readTimeout)}
	for _, l := range logs {
		if err := keys.CheckVerifier(l.Key); err != nil {
			return nil, fmt.Errorf("log key %q: %v", l.Key, err)
		}
		v, err := note.NewVerifier(l.Key)
		if err != nil {
			return nil, fmt.Errorf("log key %q: %v", l.Key, err)
		}
		origin := l.Origin
		if origin == "" {
			origin = v.Name()
		}
		if _, dup := w.logs[origin]; dup {
			return nil, fmt.Errorf("log %s: configured twice", origin)
		}
		w.logs[origin] = &logState{origin: origin, verifier: note.VerifierList(v), path: statePath(stateDir, origin)}
	}
	if w.dir, err = openStateDir(stateDir); err != nil {
		return nil, err
	}
	for _, l := range w.logs {
		c, err := readState(l.path, l.origin, signer.Verifier())
		if err != nil {
			w.Close()
			return nil, err
		}
		l.latest.Store(c)
		path := strings.TrimSuffix(l.path, stateSuffix) + journalSuffix
		if l.journal, err = openJournal(w.dir, path); err != nil {
			w.Close()
			return nil, fmt.Errorf("witness journal %s: %v", path, err)
		}
		if err := l.journal.check(l.origin, c); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

// Close releases the state directory.
func (w *Witness) Close() error {
	for _, l := range w.logs {
		if l.journal != nil {
			l.journal.f.Close()
		}
	}
	return w.dir.Close()
}

// Latest returns the latest checkpoint the witness cosigned for origin, with
// the log's signatures and the witness's cosignature, if there is one.
func (w *Witness) Latest(origin string) (checkpoint []byte, ok bool) {
	l := w.logs[origin]
	if l == nil {
		return nil, false
	}
	c := l.latest.Load()
	return c.note, c.note != nil
}
