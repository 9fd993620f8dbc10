// Package machine is the voting terminal of one polling station. It opens the
// polls with a signed zero tape, takes votes — each gives the voter a paper
// [Voucher] and leaves an electronic record — and closes the polls with the
// final acta, signed with the machine key. The actas and the records are
// specified in doc/spec/acta.md.
//
// A terminal keeps all its state in a directory that [Setup] makes and that
// one process at a time works on through [Load]:
//
//	election.txt   the election definition, restricted to this station; only
//	               [Terminal.UpdateDefinition] replaces it
//	machine.key    the machine's private key (mode 0600)
//	zero.acta      the signed zero tape: present once the polls are open
//	records.slots  the electronic records, one slot per registered voter
//	final.acta     the signed final acta: present once the polls are closed
//	records.txt    the record set (the records sorted), written with final.acta
//
// # Durability
//
// [Terminal.Vote] returns only once its record is on stable storage (written
// with one pwrite and flushed with fdatasync); the zero and final actas are
// written to a temporary file, flushed, renamed into place and the directory
// flushed. So a process killed at any moment loses no acknowledged vote and
// counts none twice: [Load] recovers the state from the files, and a vote cut
// short before it was acknowledged is either wholly there or not at all.
// [Options].NoSync turns the flushes off, for simulations only.
//
// # Secrecy of the order of voting
//
// records.slots is written in full at opening — zeros, one slot per
// registered voter — and each vote goes into a slot drawn uniformly at random
// among the empty ones. A slot holds the record (the voucher's random serial
// and the choices) and nothing else: no counter, no time. So the file, and
// the disk blocks under it, all allocated at opening, show which slots are
// taken but not in what order. (Whoever can read the file while people vote
// sees which slot changes: the directory is mode 0700 and the file 0600.)
// That holds on file systems that write a file's blocks in place, as ext4
// and XFS do by default; a copy-on-write or log-structured file system
// (btrfs, ZFS, F2FS) or data journaling (ext4 data=journal) allocates blocks
// or journal entries in the order of writing, and may keep that order on
// disk. A terminal's state directory belongs on the former.
//
// # The slots file
//
// Every slot has the same size, a multiple of 64 bytes large enough for the
// longest record of the ballot. The file is a header slot holding the line
// "triplicate slots v1 SIZE COUNT\n" (slot size in bytes, registered voters)
// followed by COUNT slots. A slot is a record line with its "\n", zero bytes,
// and the CRC-32C (Castagnoli) of all the bytes before it, big-endian, in its
// last four bytes. A slot of zeros is empty. A slot whose checksum fails is a
// write cut short by a crash, never acknowledged: Load clears it. Votes are
// written one at a time, so there is never more than one such slot; a second
// means the file is damaged (and may have lost an acknowledged vote), and
// Load fails, as it does on a slot whose checksum holds but that is not a
// record of the ballot, or that repeats a serial.
package machine

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/dirlock"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// Errors that the terminal's methods wrap, with the station's id, for the
// requests a terminal refuses.
var (
	ErrNotOpen     = errors.New("polls not open")
	ErrAlreadyOpen = errors.New("polls already open")
	ErrClosed      = errors.New("polls closed")
	ErrFull        = errors.New("every registered voter has voted")
	ErrChoice      = errors.New("not a choice on the ballot")
	ErrLocked      = errors.New("state directory in use by another terminal")
)

// Options adjust a terminal. The zero value is right for a real one.
type Options struct {
	// NoSync skips every flush to stable storage. A crash may then lose or
	// garble votes that were acknowledged: for simulations only.
	NoSync bool
	// Now is the clock; time.Now if nil. Actas hold whole seconds, UTC.
	Now func() time.Time
	// Rand is the source of serials and slot choices; crypto/rand if nil.
	Rand io.Reader
}

// Phase is where a terminal is in election day.
type Phase string

const (
	PhaseNew    Phase = "new"    // set up, polls not yet open
	PhaseOpen   Phase = "open"   // zero tape signed, taking votes
	PhaseClosed Phase = "closed" // final acta signed
)

// Status is what a terminal reports about itself.
type Status struct {
	Election   string // the election's id
	Station    string
	Phase      Phase
	Registered int
	Ballots    int       // votes cast
	Opened     time.Time // zero unless open or closed
	Closed     time.Time // zero unless closed
}

// Terminal is the voting terminal of a station, working on its state
// directory, which it holds locked. Its methods are safe for concurrent use;
// votes are taken one at a time.
type Terminal struct {
	mu  sync.Mutex
	dir *os.File // the state directory, locked; nil once Close is called
	o   Options

	def    *election.Definition
	st     *election.Station
	ballot []*election.Contest
	key    *keys.Key
	size   int // of a slot

	phase          Phase
	opened, closed time.Time
	slots          *os.File // open for writing while the polls are open
	free           []int32  // indexes of the empty slots
	serials        map[string]bool
	failed         error // a storage failure: the terminal does nothing more
}

// Load opens the state directory of a station, made by [Setup], and recovers
// the terminal's state from it. The directory itself stays locked (flock)
// until [Terminal.Close] or the end of the process, so that two terminals
// never act on one station; Load fails with [ErrLocked] if another holds it.
func Load(dir string, o Options) (*Terminal, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	d, err := dirlock.Open(dir)
	if errors.Is(err, dirlock.ErrLocked) {
		return nil, fmt.Errorf("%s: %w", dir, ErrLocked)
	}
	if err != nil {
		return nil, err
	}
	t := &Terminal{dir: d, o: o, phase: PhaseNew}
	if err := t.load(); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

func (t *Terminal) path(name string) string { return filepath.Join(t.dir.Name(), name) }

func (t *Terminal) load() error {
	def, err := election.ReadFile(t.path(defFile))
	if err != nil {
		return err
	}
	if len(def.Stations) != 1 {
		return fmt.Errorf("%s: %d stations, want the one of the machine", t.path(defFile), len(def.Stations))
	}
	t.def, t.st = def, def.Stations[0]
	if t.st.Observer() {
		return fmt.Errorf("%s: %w", t.path(defFile), t.st.NoMachine())
	}
	t.ballot = def.Ballot(t.st)
	t.size = slotSize(t.ballot)
	if t.key, err = keys.ReadFile(t.path(keyFile)); err != nil {
		return err
	}
	if t.key.Public != t.st.Machine {
		return fmt.Errorf("%s: not the key of the machine of station %s", t.path(keyFile), t.st.ID)
	}
	if err := durable.RemoveTemps(t.dir.Name()); err != nil {
		return err
	}

	zero, err := t.readActa(zeroFile, acta.Zero)
	if err != nil {
		return err
	}
	final, err := t.readActa(finalFile, acta.Final)
	if err != nil {
		return err
	}
	switch {
	case zero == nil && final != nil:
		return fmt.Errorf("station %s: %s without %s", t.st.ID, finalFile, zeroFile)
	case zero == nil:
		return nil
	case final != nil && !final.Opened.Equal(zero.Opened):
		return fmt.Errorf("station %s: %s and %s differ on the opening time", t.st.ID, finalFile, zeroFile)
	case final != nil:
		t.phase, t.opened, t.closed = PhaseClosed, zero.Opened, final.Closed
	default:
		t.phase, t.opened = PhaseOpen, zero.Opened
	}

	flag := os.O_RDWR
	if t.phase == PhaseClosed {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(t.path(slotsFile), flag, 0)
	if err != nil {
		return err
	}
	recs, free, torn, err := readSlots(f, t.size, t.ballot, t.st.Registered)
	if err != nil {
		f.Close()
		return err
	}
	if torn >= 0 && t.phase == PhaseOpen {
		// A vote cut short by a crash, never acknowledged: clear its slot,
		// so that a torn slot found later is one more crash, not this one.
		off := int64(torn+1) * int64(t.size)
		if _, err := f.WriteAt(make([]byte, t.size), off); err != nil {
			f.Close()
			return err
		}
		if !t.o.NoSync {
			if err := datasync(f); err != nil {
				f.Close()
				return err
			}
		}
	}
	t.free = free
	t.serials = make(map[string]bool, len(recs))
	for _, r := range recs {
		t.serials[r.serial] = true
	}
	if final == nil {
		t.slots = f
		return nil
	}
	f.Close()
	if lines := t.lines(recs); final.Ballots != len(recs) || final.Records != acta.Digest(lines) {
		return fmt.Errorf("station %s: %s does not count the records in %s", t.st.ID, finalFile, slotsFile)
	}
	return nil
}

// readActa reads and checks an acta of the terminal's station, if the file
// exists; it returns nil if not.
func (t *Terminal) readActa(name string, kind acta.Kind) (*acta.Signed, error) {
	msg, err := os.ReadFile(t.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a, err := acta.Open(msg, t.def)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", t.path(name), err)
	}
	if a.Kind != kind || a.Station != t.st.ID {
		return nil, fmt.Errorf("%s: a %s acta of station %s, want a %s acta of station %s", t.path(name), a.Kind, a.Station, kind, t.st.ID)
	}
	return a, nil
}

// Close closes the terminal, leaving its state on disk, and releases the
// state directory. It does not close the polls: see [Terminal.ClosePolls].
func (t *Terminal) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dir == nil {
		return nil
	}
	var err error
	if t.slots != nil {
		err = t.slots.Close()
		t.slots = nil
	}
	if derr := t.dir.Close(); err == nil {
		err = derr
	}
	t.dir = nil
	return err
}

// Status reports the terminal's phase and counts.
func (t *Terminal) Status() Status {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Status{
		Election:   t.def.ID,
		Station:    t.st.ID,
		Phase:      t.phase,
		Registered: t.st.Registered,
		Ballots:    len(t.serials),
		Opened:     t.opened,
		Closed:     t.closed,
	}
}

// usable returns why the terminal can do nothing, if it cannot.
func (t *Terminal) usable() error {
	if t.dir == nil {
		return fmt.Errorf("station %s: terminal closed", t.st.ID)
	}
	return t.failed
}

// fail stops the terminal after a storage failure. What the disk holds after
// a failed write or flush is unknown until it is read again, so the terminal
// takes nothing more; loading the directory again recovers what is there.
func (t *Terminal) fail(err error) error {
	t.failed = fmt.Errorf("station %s: storage failure, the terminal stops (load it again to recover): %v", t.st.ID, err)
	return t.failed
}

// refuse returns why the terminal refuses a request in its phase, if it does.
func (t *Terminal) refuse(want Phase) error {
	if err := t.usable(); err != nil {
		return err
	}
	switch {
	case t.phase == want:
		return nil
	case t.phase == PhaseClosed:
		return fmt.Errorf("station %s: %w", t.st.ID, ErrClosed)
	case t.phase == PhaseOpen:
		return fmt.Errorf("station %s: %w", t.st.ID, ErrAlreadyOpen)
	}
	return fmt.Errorf("station %s: %w", t.st.ID, ErrNotOpen)
}

// now returns the time as actas hold it.
func (t *Terminal) now() time.Time { return t.o.Now().UTC().Truncate(time.Second) }

// Definition returns the election definition of the terminal, restricted to
// its station (see [Setup]). The caller must not change it.
func (t *Terminal) Definition() *election.Definition { return t.def }

// Acta returns the signed acta of a kind that the terminal made: the zero
// tape once the polls are open, the final acta once they are closed. It
// returns nil, and no error, for one not yet made.
func (t *Terminal) Acta(kind acta.Kind) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.usable(); err != nil {
		return nil, err
	}
	name := map[acta.Kind]string{acta.Zero: zeroFile, acta.Final: finalFile}[kind]
	switch {
	case name == "":
		return nil, fmt.Errorf("station %s: a terminal makes no %s acta", t.st.ID, kind)
	case kind == acta.Zero && t.phase == PhaseNew, kind == acta.Final && t.phase != PhaseClosed:
		return nil, nil
	}
	return os.ReadFile(t.path(name))
}
