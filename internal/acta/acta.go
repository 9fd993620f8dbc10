// Package acta reads, writes, signs and verifies actas: the signed tally sheets
// of triplicate. An acta is one count of one polling station — the machine's
// zero tape at opening, its final tally at close, or the auditors' hand count
// of the paper vouchers — as a C2SP signed note whose body is canonical text.
// The machine (or, for a hand count, an auditor) signs; party witnesses cosign
// the same bytes; one note.Open checks them all.
//
// The format is specified in doc/spec/acta.md. A final acta's body reads:
//
//	triplicate acta v1
//	election ve2024
//	station 10113042.1
//	kind final
//	machine ve2024/machine/10113042.1+4d5b3f08+AYgD...
//	opened 2024-07-28T06:00:00Z
//	closed 2024-07-28T18:04:31Z
//	registered 666
//	ballots 364
//	records 0f8c2b3a...
//	contest president
//	candidate EG 232
//	candidate NM 125
//	blank 0
//	null 7
//
// There is one encoding of each acta: [Parse] rejects anything [Acta.Marshal]
// would not write (reordered, repeated or unknown lines, numbers not in
// canonical form) and any arithmetic that cannot hold. [Open] checks an acta
// and its signatures against the election definition.
package acta

import (
	"fmt"
	"io"
	"os"
	"time"
)

// MaxBytes is the most bytes a signed acta can hold: far above an acta of
// a ballot of many contests with every party's cosignature. Whoever reads
// actas (the center, the verifier, the command line) refuses larger input
// before reading it.
const MaxBytes = 64 << 10

// ReadFile reads an acta file, refusing one larger than MaxBytes before
// reading it: one huge file among a party's copies must not cost the reader
// its memory.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%s: larger than any acta (at most %d KiB)", path, MaxBytes>>10)
	}
	return data, nil
}

// Version is the first line of a version 1 acta body, Version2 of a version
// 2 one: one that names its election definition's digest and, for a zero
// tape or a final acta, the software of the machine that made it; Version3
// of a version 3 one: a version 2 acta whose every contest also gives its
// own ballots and its undervotes, for ballots that carry several votes in a
// contest or contests a voter may not be given.
const (
	Version  = "triplicate acta v1"
	Version2 = "triplicate acta v2"
	Version3 = "triplicate acta v3"
)

// TimeFormat is the only form of times in an acta.
const TimeFormat = "2006-01-02T15:04:05Z"

// Kind is what count an acta records.
type Kind string

const (
	Zero  Kind = "zero"  // the machine's zero tape at opening
	Final Kind = "final" // the machine's tally at close
	Hand  Kind = "hand"  // the auditors' hand count of the vouchers
)

// Acta is the body of an acta.
type Acta struct {
	Election string
	// Definition is the digest of the election definition
	// (election.Definition.Digest) in a version 2 acta; all zero in a
	// version 1 acta, which names only the election's id.
	Definition [32]byte
	Station    string
	Kind       Kind
	Machine    string // verifier key of the station's machine
	Auditor    string // verifier key of the auditor; Hand only
	// Software is the machine's software identity (its module version and
	// VCS revision, see ValidSoftware); Zero and Final of version 2 only.
	Software string

	Opened  time.Time // Zero and Final
	Closed  time.Time // Final
	Counted time.Time // Hand

	Registered int
	Ballots    int
	Records    [32]byte // digest of the electronic vote records; Zero and Final

	// PerContest makes a version 3 acta: each contest gives its own
	// Ballots and Undervotes. It needs a Definition.
	PerContest bool

	Contests []Tally
}

// Tally is the count of one contest.
type Tally struct {
	Contest    string
	Ballots    int // ballots cast in this contest; version 3 only
	Candidates []Count
	Blank      int
	Null       int
	// Undervotes are the votes the ballots neither blank nor null could
	// still have carried: N times those ballots, less the candidates'
	// votes, in a contest of N votes a ballot; version 3 only.
	Undervotes int
}

// Count is the votes of one candidate.
type Count struct {
	Candidate string
	Votes     int
}

// Total returns the candidates' votes, blank and null: under one vote a
// ballot, the ballots the tally accounts for.
func (t Tally) Total() int {
	n := t.Blank + t.Null
	for _, c := range t.Candidates {
		n += c.Votes
	}
	return n
}

// Votes returns the votes of a candidate, and whether the tally has it.
func (t Tally) Votes(candidate string) (int, bool) {
	for _, c := range t.Candidates {
		if c.Candidate == candidate {
			return c.Votes, true
		}
	}
	return 0, false
}

// Version returns the acta's format version: 3 if its contests give their
// own ballots, else 2 if it names its definition's digest, else 1.
func (a *Acta) Version() int {
	switch {
	case a.PerContest:
		return 3
	case a.Definition == ([32]byte{}):
		return 1
	}
	return 2
}

// BallotsIn returns the ballots cast in a contest of the acta: the
// contest's own in a version 3 acta, else every ballot of the station.
func (a *Acta) BallotsIn(t Tally) int {
	if a.PerContest {
		return t.Ballots
	}
	return a.Ballots
}

// Marked returns the ballots of a contest neither blank nor null: those
// that carry votes.
func (a *Acta) Marked(t Tally) int { return a.BallotsIn(t) - t.Blank - t.Null }

// Primary returns the verifier key of the acta's primary signer: the machine,
// or for a hand count the auditor.
func (a *Acta) Primary() string {
	if a.Kind == Hand {
		return a.Auditor
	}
	return a.Machine
}
