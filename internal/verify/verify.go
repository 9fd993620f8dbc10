// Package verify is the independent verifier: it gathers the counts of an
// election's stations from any mix of sources — the center's public log,
// signed actas that witnesses hold (files or scans of the printed sheets),
// signed hand counts, the center's announced figures, other per-station
// counts as CSV — reconciles them station by station with one check per line
// of the trust model, and weighs what it finds against the announced outcome.
//
// It works from evidence alone: it imports none of the center's code, and
// every discrepancy it reports carries what a third party needs to recheck it
// offline (the signed actas verbatim, log entries with their inclusion proofs
// and the checkpoints they lead to).
//
// A source that cannot be read in part is not a reason to stop: what could
// not be checked is a Problem in the report. A source that cannot be read
// at all (a center that does not answer, a file that is not there) is an
// unread Problem, and the report claims nothing that its absence would
// make: no station is missing for want of a count it might hold, and no
// contest is weighed.
package verify

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// SourceKind is what a source's counts are worth as evidence.
type SourceKind string

const (
	// KindLog: actas in the center's public log, each signed and proven in
	// a checkpoint the center signed.
	KindLog SourceKind = "log"
	// KindCopy: signed actas that witnesses (or auditors) hold: files, or
	// scans of the printed sheets.
	KindCopy SourceKind = "copy"
	// KindAnnounced: the figures the center announces. Unsigned: the log is
	// what the center answers for.
	KindAnnounced SourceKind = "announced"
	// KindUnsigned: per-station figures from elsewhere (an observers' CSV),
	// with no signature: they weigh less.
	KindUnsigned SourceKind = "unsigned"
)

// Source is one place the verifier read counts from.
type Source struct {
	// Name is the user's name for it (a manifest's), or the path or URL
	// given on the command line.
	Name string     `json:"name"`
	Kind SourceKind `json:"kind"`
	// By says who published or signed it, as the user describes it
	// ("OEP, preliminary count").
	By string `json:"by,omitempty"`
	// Location is the file or URL read, when it is not the name.
	Location string `json:"location,omitempty"`
	// Layout is a table's layout (wide, long, json, nist; "center" for the
	// center's announcement; "signed" for its signed announcements, which
	// doc/spec/announced.md gives).
	Layout string `json:"layout,omitempty"`
	// Rank orders unsigned and announced sources when a station's figures
	// are chosen: the lowest rank first (see Precedence; the report lists
	// the order).
	Rank int `json:"-"`
	// Alone: the user accepts that this source may be compared with
	// nothing; it is still said, but does not make the run unclean.
	Alone bool `json:"alone,omitempty"`
	// Partial: the user accepts that this source gives only some
	// candidates' figures; those it lacks are said, not counted against
	// the run.
	Partial  bool `json:"partial,omitempty"`
	Counts   int  `json:"counts"`             // counts read
	Stations int  `json:"stations,omitempty"` // distinct stations it gives a count of

	index int    // in Verifier.sources
	key   string // the name its Add method was given, its problems' source
	sum   string // SHA-256 of the bytes read (tables and announcements), hex
	// ofLog: the center's announcement in its own format, which says what
	// part of its log it is of (not a table of its figures)
	ofLog bool
}

// About says who published the source, where it is and its layout:
// "by OEP, trep.csv.gz, wide layout".
func (s *Source) About() string {
	var about []string
	if s.By != "" {
		about = append(about, "by "+s.By)
	}
	if s.Location != "" && s.Location != s.Name {
		about = append(about, s.Location)
	}
	switch s.Layout {
	case "":
	case "signed":
		about = append(about, "each station's figures signed by the center")
	default:
		about = append(about, s.Layout+" layout")
	}
	return strings.Join(about, ", ")
}

// Signed reports whether the source's counts carry signatures: are signed
// actas. (The center's signed announcements are announced counts, which
// its signature makes undeniable, not actas: see CenterSigned.)
func (s *Source) Signed() bool { return s.Kind == KindLog || s.Kind == KindCopy }

// CenterSigned reports whether the source is the center's signed
// announcements (doc/spec/announced.md).
func (s *Source) CenterSigned() bool { return s.Kind == KindAnnounced && s.Layout == "signed" }

// Count is one source's count of one station.
type Count struct {
	Source  *Source
	Where   string    // where in the source: a file and line, "entry N"
	Kind    acta.Kind // final, hand or zero; unsigned and announced counts are final
	Figures tally.Figures

	// Signed actas only.
	Msg       []byte   // the signed acta verbatim; nil for log entries (read again when needed)
	Body      [32]byte // SHA-256 of the signed body: two counts are the same acta if equal
	Primary   string   // verifier key of the machine or auditor that signed
	Witnesses []string // parties whose witnesses cosigned
	Index     int64    // the log entry; -1 if not from the log
	Opened    int64    // zero and final: when the machine was opened, Unix seconds
}

// Problem is something the verifier could not check, and why.
type Problem struct {
	Source string `json:"source"`
	Where  string `json:"where,omitempty"`
	What   string `json:"what"`
	// Unread: the source could not be read at all; nothing is claimed
	// from it.
	Unread bool `json:"unread,omitempty"`
	// Accepted: the user said this may be so (a source that may stand
	// alone): the report says it, and it does not make the run unclean.
	Accepted bool `json:"accepted,omitempty"`
}

func (p Problem) String() string {
	s := p.Source
	if p.Where != "" {
		s += ": " + p.Where
	}
	return s + ": " + p.What
}

// Verifier gathers counts and reconciles them. Its Add methods are not safe
// for concurrent use.
type Verifier struct {
	// KeepCorrected: the report keeps each station's corrected figures
	// (Report.Corrected), to be written out as results.
	KeepCorrected bool

	def      *election.Definition
	head     []byte // the log's entry 0 for def (election.Definition.LogHead)
	sources  []*Source
	stations []stationCounts // by position in def.Stations
	problems []Problem
	findings []Finding // found while reading (split views, invalid log entries)
	log      *logState
	// announced totals, by contest and candidate (or "blank", "null"), if a
	// source gave them
	totals       map[string]map[string]int64
	totalsSource string
	// the log size the announcement names: its figures are of the entries
	// before it (nil: all)
	announcedLogSize *uint64
	// the checkpoints the announcements name, compared with the log
	announcedCheckpoints []SavedCheckpoint
	audits               []*AuditSummary
	announcedSums        []string // SHA-256 of each announcement read, hex
	// the center's signed announcements read, by log size: two at one
	// size that disagree are its split view
	signedAt map[uint64][]signedNote
	// described holds what the user said of each source by name (a
	// manifest's by, rank, alone), applied when the source is read
	described map[string]Described
	// signedRank is where signed evidence stands among the ranks of the
	// unsigned sources: those ranked below it outrank it
	signedRank int
	pairs      pairTally
	warnings   []Problem // what can still be compared but a user must know
}

// Described is what a user says of a source beyond where it is: who
// published it, where it stands in precedence, and whether it may be
// compared with nothing.
type Described struct {
	Name     string // the user's name for the source; "": as read
	By       string
	Location string // "": the location described
	Layout   string
	Rank     *int
	Alone    bool
	Partial  bool
}

// Describe records what the user says of the source read from location
// (the path or URL its Add method is given), before it is read: the source
// and its problems then go by d.Name.
func (v *Verifier) Describe(location string, d Described) {
	if v.described == nil {
		v.described = map[string]Described{}
	}
	v.described[location] = d
}

// Precedence declares the order in which unsigned and announced sources'
// figures are taken for a station, strongest first, by name. The name
// "signed" stands for the signed evidence (a hand count of the vouchers,
// then the machine's acta), which otherwise comes first. Sources not named
// come after those named, in the order they were read.
func (v *Verifier) Precedence(names []string) {
	v.signedRank = -1 << 30
	for i, n := range names {
		r := i - len(names) - 1<<20 // below every default rank
		if n == "signed" {
			v.signedRank = r
			continue
		}
		loc := n
		for l, d := range v.described {
			if d.Name == n {
				loc = l
			}
		}
		d := v.described[loc]
		d.Rank = &r
		v.Describe(loc, d)
	}
}

type stationCounts struct {
	counts []Count
}

// New returns a verifier of the election with the given definition.
func New(def *election.Definition) *Verifier {
	return &Verifier{def: def, head: def.LogHead(), stations: make([]stationCounts, len(def.Stations)), signedRank: -1 << 30, pairs: pairTally{}}
}

func (v *Verifier) source(name string, kind SourceKind) *Source {
	s := &Source{Name: name, Kind: kind, Rank: len(v.sources), index: len(v.sources), key: name}
	if d, ok := v.described[name]; ok {
		s.By, s.Location, s.Layout, s.Alone, s.Partial = d.By, d.Location, d.Layout, d.Alone, d.Partial
		if d.Name != "" {
			s.Name = d.Name
			s.Location = cmp.Or(d.Location, name)
		}
		if d.Rank != nil {
			s.Rank = *d.Rank
		}
	}
	v.sources = append(v.sources, s)
	return s
}

func (v *Verifier) problem(src, where, format string, args ...any) {
	v.problems = append(v.problems, Problem{Source: src, Where: where, What: fmt.Sprintf(format, args...)})
}

// unread records a source that could not be read at all.
func (v *Verifier) unread(src, where, format string, args ...any) {
	v.problems = append(v.problems, Problem{Source: src, Where: where, What: fmt.Sprintf(format, args...), Unread: true})
}

// precedence lists the order in which a station's figures are taken, by
// source name, strongest first; "signed" stands for the signed evidence.
func (v *Verifier) precedence() []string {
	var un []*Source
	signed := true // placed: none read
	for _, s := range v.sources {
		if !s.Signed() {
			un = append(un, s)
		} else {
			signed = false
		}
	}
	slices.SortStableFunc(un, func(a, b *Source) int { return cmp.Compare(a.Rank, b.Rank) })
	var out []string
	for _, s := range un {
		if !signed && s.Rank > v.signedRank {
			out, signed = append(out, "signed"), true
		}
		out = append(out, s.Name)
	}
	if !signed {
		out = append(out, "signed")
	}
	return out
}

// at returns the counts of the station with that id, nil if the election
// has no such station.
func (v *Verifier) at(station string) *stationCounts {
	i := v.def.StationIndex(station)
	if i < 0 {
		return nil
	}
	return &v.stations[i]
}

func (v *Verifier) add(station string, c Count) {
	sc := v.at(station)
	if sc == nil {
		// Not a station of the election: whoever read it said so.
		c.Source.Counts++
		return
	}
	v.addAt(sc, c)
}

// addAt adds a count to a station's.
func (v *Verifier) addAt(sc *stationCounts, c Count) {
	if !slices.ContainsFunc(sc.counts, func(o Count) bool { return o.Source == c.Source }) {
		c.Source.Stations++
	}
	sc.counts = append(sc.counts, c)
	c.Source.Counts++
}

// signedCount makes the count of a signed acta, holding no reference into
// its bytes (the verifier may keep millions).
func signedCount(src *Source, def *election.Definition, sa *acta.Signed, index int64) Count {
	who, _ := def.Signer(sa.Primary())
	c := Count{Source: src, Kind: sa.Kind, Figures: tally.FromActa(sa.Acta), Body: sha256.Sum256(sa.Body), Primary: who.Key, Index: index}
	if !sa.Acta.Opened.IsZero() {
		c.Opened = sa.Acta.Opened.Unix()
	}
	for _, s := range sa.Signatures {
		// Parties, not keys: a party with several keys is one voice.
		if s.Signer.Role == election.RoleWitness && !slices.Contains(c.Witnesses, s.Signer.Party) {
			c.Witnesses = append(c.Witnesses, s.Signer.Party)
		}
	}
	// The constants, not the parsed strings, which point into the body.
	switch c.Kind {
	case acta.Final:
		c.Kind = acta.Final
	case acta.Hand:
		c.Kind = acta.Hand
	default:
		c.Kind = acta.Zero
	}
	return c
}
