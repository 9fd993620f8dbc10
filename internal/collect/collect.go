// Package collect is a party's collection server: it serves its witnesses
// the phone app (package phone) and receives the signed actas they read at
// the tables, keeping each one only if it verifies against the election
// definition ([acta.Open], by way of package check, the code the phone
// runs too). Kept actas are files in a directory as `acta scan` leaves
// them (STATION.KIND.acta, [qr.Keep]), written durably before the phone is
// told they are kept, so the directory is a source of copies for
// `triplicate verify -copies DIR`.
//
// A party's collector takes uploads only from the witness keys it enrolled
// ([Collector.OnlyParty], [Collector.Enrol]): each upload is signed by the
// phone's key over [check.UploadMessage], and a nonce is taken once.
//
// HTTP handlers translate, the Collector decides: [Collector.Authenticate]
// and [Collector.Receive] are what the handler and the tests call.
package collect

import (
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/qr"
	"github.com/triplicate-vote/triplicate/internal/web/phone/check"
)

var (
	// ErrDuplicate: the same bytes were kept before.
	ErrDuplicate = errors.New("already held: the party has this very acta")
	// ErrNotOurs: the collector takes only actas its party's witnesses
	// cosigned, and this one is not.
	ErrNotOurs = errors.New("not cosigned by a witness of the party")
	// ErrTooLarge: more bytes than any acta has.
	ErrTooLarge = fmt.Errorf("larger than any acta (at most %d KiB)", acta.MaxBytes>>10)
)

// RejectedError is an acta that does not verify; Result says why, in the
// witness's words.
type RejectedError struct{ Result check.Result }

func (e *RejectedError) Error() string { return "acta refused: " + e.Result.Error }

// Collector keeps the actas of one election in a directory.
type Collector struct {
	def   *election.Definition
	dir   string
	party string // if set, only actas a witness of this party cosigned
	// enrolled, if set, are the keys that may upload (see Authenticate).
	enrolled *enrolment
	// locks serialize qr.Keep, which reads before it writes, for one
	// station at a time: the actas of different stations are written (and
	// synced) at once.
	locks [64]sync.Mutex
}

func (c *Collector) lock(station string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(station))
	return &c.locks[h.Sum32()%uint32(len(c.locks))]
}

// Open returns a collector keeping actas of the definition in dir, which
// it creates if need be.
func Open(dir string, def *election.Definition) (*Collector, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Collector{def: def, dir: dir}, nil
}

// OnlyParty has the collector take only actas that a witness of the party
// (its id in the definition) cosigned: the witnesses the party enrolled are
// who may add to its collection, each with the key on the phone.
func (c *Collector) OnlyParty(party string) error {
	if c.def.Party(party) == nil {
		return fmt.Errorf("election %s has no party %q", c.def.ID, party)
	}
	c.party = party
	if c.enrolled == nil {
		var err error
		c.enrolled, err = newEnrolment(c.def.Party(party).Witnesses, fmt.Sprintf("the witness keys of party %s in election %s", party, c.def.ID))
		return err
	}
	return nil
}

// Enrol has the collector take uploads signed by these keys only (note
// verifier keys; what says where they come from, for messages): OnlyParty
// enrols the party's witness keys of the definition unless Enrol came
// first.
func (c *Collector) Enrol(vkeys []string, what string) error {
	e, err := newEnrolment(vkeys, what)
	if err != nil {
		return err
	}
	c.enrolled = e
	return nil
}

// Authenticate checks that an upload of msg was signed by an enrolled key
// at about the time now, with a nonce not used before (check.UploadMessage).
// It fails with ErrUnsigned, ErrNotEnrolled or ErrReplayed; a collector
// that enrolled no key takes any upload.
func (c *Collector) Authenticate(msg []byte, u Upload, now time.Time) error {
	if c.enrolled == nil {
		return nil
	}
	return c.enrolled.check(c.def.ID, msg, u, now)
}

// Receipt is what the phone is told of an acta kept.
type Receipt struct {
	check.Result
	// Kept says how: "new", "resigned" (the same count with other
	// signatures, kept beside the first) or "differs" (another count of
	// the same station: both kept, as evidence).
	Kept string `json:"kept"`
}

// Receive checks a signed acta and keeps it if it verifies. It fails with
// ErrTooLarge, a *RejectedError, ErrDuplicate, or the error of writing it.
func (c *Collector) Receive(msg []byte) (Receipt, error) {
	if len(msg) > acta.MaxBytes {
		return Receipt{}, ErrTooLarge
	}
	sa, r := check.Open(c.def, msg)
	if !r.OK {
		return Receipt{Result: r}, &RejectedError{r}
	}
	if c.party != "" && !slices.ContainsFunc(sa.Signatures, func(s acta.Signature) bool {
		return s.Signer.Role == election.RoleWitness && s.Signer.Party == c.party
	}) {
		return Receipt{Result: r}, fmt.Errorf("%w %s: cosign it with your witness key first", ErrNotOurs, c.party)
	}
	mu := c.lock(sa.Station)
	mu.Lock()
	_, _, k, err := qr.Keep(c.dir, sa)
	mu.Unlock()
	if err != nil {
		return Receipt{}, fmt.Errorf("keeping the acta of station %s: %w", sa.Station, err)
	}
	rc := Receipt{Result: r}
	switch k {
	case qr.KeptAlready:
		return rc, ErrDuplicate
	case qr.KeptNew:
		rc.Kept = "new"
	case qr.KeptResigned:
		rc.Kept = "resigned"
	case qr.KeptDiffers:
		rc.Kept = "differs"
	}
	return rc, nil
}

// Held lists the stations of which the collector holds an acta, with the
// kinds held: "100.1 final", sorted.
func (c *Collector) Held() ([]string, error) {
	names, err := filepath.Glob(filepath.Join(c.dir, "*.acta"))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		// STATION.KIND.acta or STATION.KIND.DIGEST.acta; station ids may
		// hold dots, kinds do not.
		base := strings.TrimSuffix(filepath.Base(n), ".acta")
		for _, k := range []acta.Kind{acta.Zero, acta.Final, acta.Hand} {
			i := strings.LastIndex(base, "."+string(k))
			if i < 0 || (base[i+1+len(k):] != "" && base[i+1+len(k)] != '.') {
				continue
			}
			s := base[:i] + " " + string(k)
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
			break
		}
	}
	sort.Strings(out)
	return out, nil
}
