// Package election reads, checks and writes election definitions: everything that
// is fixed before election day — the election's id, its contests and candidates,
// the jurisdiction tree, every station with its registered voters and the public
// key enrolled for its machine, the parties' witness keys and the auditors' keys.
//
// The format is specified in doc/spec/election.md. [Parse] reports every error it
// finds, each naming its line and, where there is one, its station.
//
// An observer with only published results builds a definition with [Observe]:
// its stations enrol no machine ([Station.Observer]), and everything that needs
// a machine's key refuses them.
package election

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/contest"
)

// Definition is a parsed election definition.
type Definition struct {
	ID     string
	Name   string
	Levels []string // jurisdiction levels above the station, outermost first
	// TimeZone is the election's time zone, an IANA name ("America/Caracas"),
	// in which pages give times; empty if the definition names none.
	TimeZone string
	// Deadline is when every station's final acta should be in the
	// center's log: after it, a witness whose station is absent from a
	// witnessed checkpoint raises the alarm. Zero if the definition names
	// none.
	Deadline time.Time
	// Boundaries names the GeoJSON file of the areas' boundaries, from
	// which pages draw a map; nil if the definition names none.
	Boundaries *BoundaryFile
	// Whole is, for a part — the definition of one station that a terminal
	// keeps — the digest of the whole definition it was cut from, which is
	// then its Digest; all zero for a whole definition.
	Whole    [32]byte
	Contests []*Contest
	Parties  []*Party
	Auditors []string // verifier keys
	Center   string   // verifier key of the tallying center, which signs its log; may be empty
	// Authority is the verifier key of the election authority, which signs
	// the definition; may be empty, and then the definition is unsigned.
	Authority string

	// The log's witness policy: a checkpoint of the center's log counts
	// only if log witnesses of LogQuorum distinct parties have cosigned it.
	// A party may enrol several log witnesses (keys); they count as one.
	LogWitnesses []LogWitness
	LogQuorum    int
	// LogGroups, if the definition has any, are k-of-n groups of parties
	// with log witnesses and of earlier groups; if LogQuorumGroup names one,
	// a checkpoint counts only if that group is met, and LogQuorum is 0.
	LogGroups      []LogGroup
	LogQuorumGroup string

	// Public witnesses are log witnesses outside the parties (the public
	// witness network's), which take about one request a second per log at
	// most: the center asks them to cosign only now and then, for a second,
	// slower feed of checkpoints. A checkpoint of that feed meets the log
	// quorum and the public quorum: PublicQuorum public witnesses, or, if
	// PublicQuorumGroup names one, that log group (then PublicQuorum is 0).
	// The log quorum never counts them: the log is published at its pace.
	PublicWitnesses   []PublicWitness
	PublicQuorum      int
	PublicQuorumGroup string

	Areas     []*Area
	Districts []*District
	Stations  []*Station

	stations  map[string]int // position in Stations
	areas     map[string]*Area
	districts map[string]*District // Districts by id, when Parse made the definition
	// Every enrolled key, as the signer it belongs to (see signer), by its
	// text and by its signed-note name and key hash. Machines' keys are only
	// their stations' positions: at a country's size their verifiers would
	// be most of the definition's memory, and are made when asked for.
	keys     map[string]int32
	verifier map[nameHash]int32
	others   []enrolled // the keys of signers other than machines

	signed []byte    // the signed form Parse read, if it read one
	digest *[32]byte // Digest, computed by Parse
}

// Contest is one race on the ballot.
type Contest struct {
	ID    string
	Scope string // "*" for every station, an area path, or a district id
	Name  string

	Candidates []Candidate
	// Rule is how the contest is decided (doc/spec/contest.md); the zero
	// Rule, a contest without a rule line, is plurality with one seat.
	// Use [Contest.DecidedBy] to read it.
	Rule contest.Rule
}

// defaultRule is the rule of a contest without a rule line.
var defaultRule = contest.Rule{Method: contest.Plurality, Seats: 1}

// DecidedBy returns the contest's rule: its Rule, or plurality with one
// seat if it has none.
func (c *Contest) DecidedBy() contest.Rule {
	if c.Rule.Method == 0 {
		return defaultRule
	}
	return c.Rule
}

// Candidate is one choice in a contest.
type Candidate struct {
	ID   string
	Name string
}

// Party is a party with witnesses at the tables.
type Party struct {
	ID        string
	Name      string
	Witnesses []string // verifier keys
}

// LogWitness is a party's witness of the center's log: the note key it
// cosigns checkpoints with.
type LogWitness struct {
	Party string
	Key   string
}

// PublicWitness is a log witness outside the parties: a voice of its own,
// by its name, which log groups may count.
type PublicWitness struct {
	Name string
	Key  string
}

// LogGroup is a threshold of parties with log witnesses and of other groups:
// it is met when at least Threshold of its Members are (a party when any of
// its log witnesses cosigned).
type LogGroup struct {
	Name      string
	Threshold int
	Members   []string
}

// Area is one node of the jurisdiction tree.
type Area struct {
	Path string // "1/1/13": the ids of the area and its ancestors, outermost first
	Name string
}

// Station is one polling station (a table).
type Station struct {
	ID         string
	Area       string // path of its area, at the deepest level
	Registered int    // registered voters, or Unknown
	Machine    string // verifier key of its machine; "" if none is enrolled
}

// Unknown is a station's Registered when the definition does not say
// (written "-"): an observer's definition, built from published results
// that do not give them.
const Unknown = -1

// Observer reports whether the station has no enrolled machine, as in an
// observer's definition: nothing its machine signs can be checked, so
// everything that needs its machine's key refuses it with NoMachine.
func (s *Station) Observer() bool { return s.Machine == "" }

// ErrNoMachine is what NoMachine wraps.
var ErrNoMachine = errors.New("no enrolled machine")

// NoMachine is the error of everything that needs the machine key of a
// station that has none.
func (s *Station) NoMachine() error {
	return fmt.Errorf("station %s has %w: this is an observer's definition", s.ID, ErrNoMachine)
}

// CandidateIndex returns the position of a candidate in the contest, or -1.
func (c *Contest) CandidateIndex(id string) int {
	for i, x := range c.Candidates {
		if x.ID == id {
			return i
		}
	}
	return -1
}

// ContestIndex returns the position of a contest in a station's ballot, or
// -1 if the ballot does not have it.
func ContestIndex(ballot []*Contest, id string) int {
	for i, c := range ballot {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// Role is what a key is enrolled for.
type Role string

const (
	RoleMachine Role = "machine"
	RoleWitness Role = "witness"
	RoleAuditor Role = "auditor"
	RoleCenter  Role = "center"
	RoleLog     Role = "log witness"
	RoleAuth    Role = "authority"
	RolePublic  Role = "public witness"
)

// Signer is who a public key belongs to.
type Signer struct {
	Role    Role
	Key     string // verifier key text
	Station string // for machines
	Party   string // for witnesses and log witnesses; a public witness's name
}

// String describes who the signer is, for people.
func (s Signer) String() string {
	switch s.Role {
	case RoleMachine:
		return "the machine of station " + s.Station
	case RoleWitness:
		return "a witness of party " + s.Party
	case RoleCenter:
		return "the tallying center"
	case RoleLog:
		return "the log witness of party " + s.Party
	case RoleAuth:
		return "the election authority"
	case RolePublic:
		return "public witness " + s.Party
	}
	return "an auditor"
}

// Station returns the station with the given id, or nil.
func (d *Definition) Station(id string) *Station {
	i, ok := d.stations[id]
	if !ok {
		return nil
	}
	return d.Stations[i]
}

// StationIndex returns the position in Stations of the station with the
// given id, or -1.
func (d *Definition) StationIndex(id string) int {
	i, ok := d.stations[id]
	if !ok {
		return -1
	}
	return i
}

// StationIndexBytes is StationIndex of an id given as bytes, without
// making a string of them: readers of tables of a country's stations look
// up one a row.
func (d *Definition) StationIndexBytes(id []byte) int {
	i, ok := d.stations[string(id)]
	if !ok {
		return -1
	}
	return i
}

// Area returns the area with the given path, or nil.
func (d *Definition) Area(path string) *Area { return d.areas[path] }

// Party returns the party with the given id, or nil.
func (d *Definition) Party(id string) *Party {
	for _, p := range d.Parties {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Contest returns the contest with the given id, or nil.
func (d *Definition) Contest(id string) *Contest {
	for _, c := range d.Contests {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Ballot returns the contests on the ballot of a station, in ballot order.
func (d *Definition) Ballot(s *Station) []*Contest {
	var b []*Contest
	for _, c := range d.Contests {
		if d.inScope(c, s) {
			b = append(b, c)
		}
	}
	return b
}

// Signer says who a verifier key belongs to.
func (d *Definition) Signer(key string) (Signer, bool) {
	who, ok := d.keys[key]
	if !ok {
		return Signer{}, false
	}
	return d.signer(who), true
}

// Verifiers returns the verifiers of every key in the definition, for note.Open.
func (d *Definition) Verifiers() note.Verifiers { return verifiers{d} }

// SignerOf says whose key has the given signed-note name and key hash, as
// found on a signature line.
func (d *Definition) SignerOf(name string, hash uint32) (Signer, bool) {
	who, ok := d.verifier[nameHash{name, hash}]
	if !ok {
		return Signer{}, false
	}
	return d.signer(who), true
}

// signer is who a key is enrolled for: station who's machine if who is not
// negative, else others[-who-1].
func (d *Definition) signer(who int32) Signer {
	if who >= 0 {
		st := d.Stations[who]
		return Signer{Role: RoleMachine, Key: st.Machine, Station: st.ID}
	}
	return d.others[-who-1].signer
}

// LogParties returns the parties with log witnesses, in the order of their
// first logwitness line: what the log quorum counts.
func (d *Definition) LogParties() []string {
	var out []string
	for _, lw := range d.LogWitnesses {
		if !slices.Contains(out, lw.Party) {
			out = append(out, lw.Party)
		}
	}
	return out
}

// PublicWitness returns the public witness of that name, or nil.
func (d *Definition) PublicWitness(name string) *PublicWitness {
	for i := range d.PublicWitnesses {
		if d.PublicWitnesses[i].Name == name {
			return &d.PublicWitnesses[i]
		}
	}
	return nil
}

// CountsPublic reports whether a log group counts a public witness, as its
// member or through a group it counts. Such a group is met only on the slow
// feed, which public witnesses cosign.
func (d *Definition) CountsPublic(group string) bool {
	g := d.logGroup(group)
	if g == nil {
		return false
	}
	for _, m := range g.Members {
		if d.PublicWitness(m) != nil || (m != group && d.CountsPublic(m)) {
			return true
		}
	}
	return false
}

// logGroup returns the log group of that name, or nil.
func (d *Definition) logGroup(name string) *LogGroup {
	for i := range d.LogGroups {
		if d.LogGroups[i].Name == name {
			return &d.LogGroups[i]
		}
	}
	return nil
}

// enrolledKey returns the verifier and the public key of who's key.
func (d *Definition) enrolledKey(who int32) (note.Verifier, ed25519.PublicKey, error) {
	if who < 0 {
		e := d.others[-who-1]
		return e.Verifier, e.public, nil
	}
	key := d.Stations[who].Machine
	v, err := note.NewVerifier(key) // Parse checked it
	if err != nil {
		return nil, nil, err
	}
	return v, KeyBytes(key), nil
}

// AreaPath returns the areas from the outermost down to the given path.
func (d *Definition) AreaPath(path string) []*Area {
	var out []*Area
	for i := 0; i <= len(path); i++ {
		if i == len(path) || path[i] == '/' {
			if a := d.areas[path[:i]]; a != nil {
				out = append(out, a)
			}
		}
	}
	return out
}

// Ed25519Verifier returns the verifier of the enrolled key with the given
// signed-note name and key hash, and its Ed25519 public key, in one lookup:
// for callers that check signatures themselves, in batches.
func (d *Definition) Ed25519Verifier(name string, hash uint32) (note.Verifier, ed25519.PublicKey, error) {
	who, ok := d.verifier[nameHash{name, hash}]
	if !ok {
		return nil, nil, &note.UnknownVerifierError{Name: name, KeyHash: hash}
	}
	return d.enrolledKey(who)
}

// verifiers looks verifiers up by name and key hash, as note.Open needs.
// Parse refuses two keys of one name and hash, so there is never a choice
// to make between them.
type verifiers struct{ d *Definition }

type enrolled struct {
	note.Verifier
	signer Signer
	public ed25519.PublicKey
}

type nameHash struct {
	name string
	hash uint32
}

func (vs verifiers) Verifier(name string, hash uint32) (note.Verifier, error) {
	who, ok := vs.d.verifier[nameHash{name, hash}]
	if !ok {
		return nil, &note.UnknownVerifierError{Name: name, KeyHash: hash}
	}
	v, _, err := vs.d.enrolledKey(who)
	return v, err
}
