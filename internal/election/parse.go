package election

import (
	"bytes"
	"compress/gzip"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// Version is the first line of every definition.
const Version = "triplicate election v1"

// maxErrors bounds how many errors one Parse reports.
const maxErrors = 50

// Error is one problem in a definition, at a line.
type Error struct {
	Line    int
	Station string // the station the line declares, if any
	Msg     string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	if e.Station != "" {
		return fmt.Sprintf("line %d: station %s: %s", e.Line, e.Station, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// ErrorList is every problem Parse found, in line order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// maxGunzipped bounds a gzipped definition once inflated: Brazil's
// 470,000 stations take some 100 MB.
var maxGunzipped = 1 << 30

// ReadFile reads and parses the definition in the named file. Errors are
// prefixed with the file name.
func ReadFile(name string) (*Definition, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(name, ".gz") {
		// A definition of tens of thousands of stations travels gzipped.
		z, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: not gzip, though its name ends in .gz: %v", name, err)
		}
		if data, err = io.ReadAll(io.LimitReader(z, int64(maxGunzipped)+1)); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if len(data) > maxGunzipped {
			// A few KB can inflate to gigabytes: stop before memory does.
			return nil, fmt.Errorf("%s: more than %d MB once gunzipped: not a definition", name, maxGunzipped>>20)
		}
	}
	d, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}

// Parse parses and checks a definition, in its plain form or its signed one
// (see [Sign]). A definition with an authority line must be in the signed
// form, signed by that key; one without must not be signed. On failure the
// error is an [ErrorList].
func Parse(data []byte) (*Definition, error) {
	text, signed := splitSigned(data)
	d, err := parse(text)
	if err != nil {
		return nil, err
	}
	if err := d.checkSigned(data, text, signed); err != nil {
		return nil, ErrorList{{Msg: err.Error()}}
	}
	sum := d.Digest()
	d.digest = &sum
	return d, nil
}

func parse(data []byte) (*Definition, error) {
	p := &parser{lineOf: map[*Contest]int{}, districtLine: map[*District]int{}, memberLine: map[string]int{}, raw: map[string]Signer{}, lines: map[string]int{}, d: &Definition{
		stations:  map[string]int{},
		areas:     map[string]*Area{},
		districts: map[string]*District{},
		keys:      map[string]int32{},
		verifier:  map[nameHash]int32{},
	}}
	if !utf8.Valid(data) {
		return nil, ErrorList{{Line: 1, Msg: "not UTF-8 text"}}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	lines := strings.Split(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, line := range lines {
		p.line = i + 1
		p.station = ""
		line = strings.TrimSuffix(line, "\r")
		if j := strings.IndexFunc(line, unicode.IsControl); j >= 0 {
			r, _ := utf8.DecodeRuneInString(line[j:])
			p.errorf("control character %U at byte %d", r, j+1)
			continue
		}
		if i == 0 {
			if line != Version {
				p.errorf("first line must be %q", Version)
			}
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		if strings.HasPrefix(line, "— ") {
			p.errorf("a signature line, but not after a blank line at the end (a signed definition is its canonical text, a blank line and the signatures)")
			continue
		}
		p.parseLine(line)
		if len(p.errs) >= maxErrors {
			p.errs = append(p.errs, &Error{Line: p.line, Msg: "too many errors"})
			return nil, p.errs
		}
	}
	p.finish()
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
		return nil, p.errs
	}
	return p.d, nil
}

type parser struct {
	d       *Definition
	line    int
	station string
	errs    ErrorList
	seen    map[string]bool // id, name, levels
	lineOf  map[*Contest]int
	// the lines of districts and of their members, for errors found at the end
	districtLine map[*District]int
	memberLine   map[string]int
	raw          map[string]Signer // by the 32 bytes of the public key
	lines        map[string]int    // how many lines of each kind, valid or not

	quorumLine       int // of a logquorum GROUP line
	publicQuorumLine int // of a publicquorum line
}

func (p *parser) errorf(f string, args ...any) {
	p.errs = append(p.errs, &Error{Line: p.line, Station: p.station, Msg: fmt.Sprintf(f, args...)})
}

func (p *parser) parseLine(line string) {
	word, rest, _ := strings.Cut(line, " ")
	p.lines[word]++
	switch word {
	case "id", "name", "levels", "timezone", "deadline":
		if p.seen[word] {
			p.errorf("repeated %q line", word)
			return
		}
		if p.seen == nil {
			p.seen = map[string]bool{}
		}
		p.seen[word] = true
		switch word {
		case "id":
			if !ValidID(rest) {
				p.errorf("malformed election id %q", rest)
			}
			p.d.ID = rest
		case "name":
			if strings.TrimSpace(rest) == "" {
				p.errorf("empty election name")
			}
			p.d.Name = rest
		case "timezone":
			if !ValidTimeZone(rest) {
				p.errorf("timezone %q is not an IANA time zone name such as America/Caracas or UTC", clip(rest, 60))
			}
			p.d.TimeZone = rest
		case "deadline":
			t, err := time.Parse(time.RFC3339, rest)
			if err != nil || t.Format(time.RFC3339) != rest || t.Year() < 2000 {
				p.errorf("deadline %q is not a time in the form 2024-07-28T23:59:59-04:00 (RFC 3339 to the second, with its offset; Z for UTC)", clip(rest, 60))
			}
			p.d.Deadline = t
		case "levels":
			for _, l := range strings.Split(rest, " ") {
				if !ValidID(l) {
					p.errorf("malformed level name %q", l)
				}
				if slices.Contains(p.d.Levels, l) {
					p.errorf("level %s repeated", l)
				}
				p.d.Levels = append(p.d.Levels, l)
			}
		}
	case "boundaries":
		p.addBoundaries(rest)
	case "whole":
		b, err := hex.DecodeString(rest)
		switch {
		case p.lines["whole"] > 1:
			p.errorf("repeated %q line", word)
		case err != nil || len(b) != 32 || strings.ToLower(rest) != rest || string(b) == string(make([]byte, 32)):
			p.errorf("whole: malformed digest %q (want 64 lower-case hex digits, not all zero)", clip(rest, 70))
		default:
			copy(p.d.Whole[:], b)
		}
	case "contest":
		f, ok := p.fields(rest, 3, "contest ID SCOPE NAME")
		if !ok {
			return
		}
		id, scope := f[0], f[1]
		switch {
		case !ValidID(id):
			p.errorf("malformed contest id %q", id)
		case p.d.Contest(id) != nil:
			p.errorf("duplicate contest %s", id)
		default:
			c := &Contest{ID: id, Scope: scope, Name: f[2]}
			p.d.Contests = append(p.d.Contests, c)
			p.lineOf[c] = p.line
		}
	case "candidate":
		f, ok := p.fields(rest, 3, "candidate CONTEST ID NAME")
		if !ok {
			return
		}
		c := p.d.Contest(f[0])
		switch {
		case c == nil:
			p.errorf("candidate %s: unknown contest %q", f[1], f[0])
		case !ValidID(f[1]):
			p.errorf("malformed candidate id %q", f[1])
		case f[1] == "blank" || f[1] == "null":
			p.errorf("candidate id %q is reserved", f[1])
		case hasCandidate(c, f[1]):
			p.errorf("duplicate candidate %s in contest %s", f[1], c.ID)
		case c.Rule.Method != 0:
			p.errorf("candidate %s: after the rule of contest %s", f[1], c.ID)
		default:
			c.Candidates = append(c.Candidates, Candidate{ID: f[1], Name: f[2]})
		}
	case "rule":
		p.addRule(rest)
	case "party":
		f, ok := p.fields(rest, 2, "party ID NAME")
		if !ok {
			return
		}
		switch {
		case !ValidID(f[0]):
			p.errorf("malformed party id %q", f[0])
		case p.d.Party(f[0]) != nil:
			p.errorf("duplicate party %s", f[0])
		default:
			p.d.Parties = append(p.d.Parties, &Party{ID: f[0], Name: f[1]})
		}
	case "witness":
		f, ok := p.fields(rest, 2, "witness PARTY KEY")
		if !ok {
			return
		}
		party := p.d.Party(f[0])
		if party == nil {
			p.errorf("witness: unknown party %q", f[0])
			return
		}
		if p.addKey(f[1], Signer{Role: RoleWitness, Party: party.ID}) {
			party.Witnesses = append(party.Witnesses, f[1])
		}
	case "auditor":
		if p.addKey(rest, Signer{Role: RoleAuditor}) {
			p.d.Auditors = append(p.d.Auditors, rest)
		}
	case "logwitness":
		f, ok := p.fields(rest, 2, "logwitness PARTY KEY")
		if !ok {
			return
		}
		if p.d.Party(f[0]) == nil {
			p.errorf("logwitness: unknown party %q", f[0])
			return
		}
		if p.addKey(f[1], Signer{Role: RoleLog, Party: f[0]}) {
			p.d.LogWitnesses = append(p.d.LogWitnesses, LogWitness{Party: f[0], Key: f[1]})
		}
	case "publicwitness":
		p.addPublicWitness(rest)
	case "loggroup":
		p.addLogGroup(rest)
	case "logquorum":
		n, err := ParseCount(rest)
		switch {
		case p.lines["logquorum"] > 1:
			p.errorf("repeated %q line", word)
		case err != nil && ValidID(rest) && (rest[0] < '0' || rest[0] > '9'):
			p.d.LogQuorumGroup = rest // a group, which may come further down
			p.quorumLine = p.line
		case err != nil:
			p.errorf("logquorum: %v", err)
		default:
			p.d.LogQuorum = n
		}
	case "publicquorum":
		n, err := ParseCount(rest)
		p.publicQuorumLine = p.line
		switch {
		case p.lines["publicquorum"] > 1:
			p.errorf("repeated %q line", word)
		case err != nil && ValidID(rest) && (rest[0] < '0' || rest[0] > '9'):
			p.d.PublicQuorumGroup = rest // a group, which may come further down
		case err != nil:
			p.errorf("publicquorum: %v", err)
		default:
			p.d.PublicQuorum = n
		}
	case "authority":
		switch {
		case p.lines["authority"] > 1:
			p.errorf("repeated %q line", word)
		case p.addKey(rest, Signer{Role: RoleAuth}):
			p.d.Authority = rest
		}
	case "center":
		switch {
		case p.lines["center"] > 1:
			p.errorf("repeated %q line", word)
		case p.addKey(rest, Signer{Role: RoleCenter}):
			p.d.Center = rest
		}
	case "area":
		f, ok := p.fields(rest, 2, "area PATH NAME")
		if !ok {
			return
		}
		p.addArea(f[0], f[1])
	case "district":
		p.addDistrict(rest)
	case "station":
		f, ok := p.fields(rest, 4, "station ID AREA REGISTERED KEY")
		if !ok {
			return
		}
		p.addStation(f)
	default:
		p.errorf("unknown line %q", clip(word, 40))
	}
}

// addRule reads "rule CONTEST RULETEXT", the rule of a contest declared
// above, after its candidates.
func (p *parser) addRule(rest string) {
	f, ok := p.fields(rest, 2, "rule CONTEST RULETEXT")
	if !ok {
		return
	}
	c := p.d.Contest(f[0])
	if c == nil {
		p.errorf("rule: unknown contest %q", clip(f[0], 70))
		return
	}
	r, err := contest.Parse(f[1])
	switch {
	case err != nil:
		p.errorf("contest %s: %v", c.ID, err)
	case c.Rule.Method != 0:
		p.errorf("contest %s: repeated rule", c.ID)
	case r == defaultRule:
		p.errorf("contest %s: rule %q is the default: leave the line out", c.ID, f[1])
	case r.Method == contest.Referendum && len(c.Candidates) != 2:
		p.errorf("contest %s: a referendum has two candidates, yes then no, not %d", c.ID, len(c.Candidates))
	case r.Method == contest.Plurality && r.Seats > len(c.Candidates):
		p.errorf("contest %s: %d seats but %d candidates", c.ID, r.Seats, len(c.Candidates))
	default:
		c.Rule = r
	}
}

// fields splits rest into n fields; the last one takes the rest of the line.
func (p *parser) fields(rest string, n int, usage string) ([]string, bool) {
	f := strings.SplitN(rest, " ", n)
	if len(f) != n || f[n-1] == "" {
		p.errorf("want %q", usage)
		return nil, false
	}
	for _, x := range f[:n-1] {
		if x == "" {
			p.errorf("want %q (one space between fields)", usage)
			return nil, false
		}
	}
	return f, true
}

func hasCandidate(c *Contest, id string) bool {
	for _, x := range c.Candidates {
		if x.ID == id {
			return true
		}
	}
	return false
}

// addKey enrols a key. One public key serves one signer: keys are compared
// by their 32 bytes, not their text, since the same key under another name
// would let one signer's signature pass for another's.
//
// A log witness's key may be written in the cosignature/v1 form too (as
// witnesses' key generators print it): its signed-note form, with the same
// public key, is the one enrolled for looking signatures up.
func (p *parser) addKey(key string, s Signer) bool {
	vkey := key
	if (s.Role == RoleLog || s.Role == RolePublic) && canonicalCosignatureKey(key) {
		vkey, _ = note.NewEd25519VerifierKey(KeyName(key), KeyBytes(key))
	}
	v, err := note.NewVerifier(vkey)
	if err != nil || !CanonicalKey(vkey) {
		p.errorf("malformed %s key %q", s.Role, clip(key, 80))
		return false
	}
	if err := keys.CheckPublic(KeyBytes(key)); err != nil {
		p.errorf("%s key %s: %v", s.Role, KeyID(key), err)
		return false
	}
	if !printableASCII(v.Name()) {
		p.errorf("%s key name %q: must be printable ASCII, as actas are", s.Role, clip(v.Name(), 80))
		return false
	}
	raw := KeyBytes(key)
	if prev, dup := p.raw[string(raw)]; dup {
		p.errorf("key %s is already enrolled for %s", v.Name(), prev)
		return false
	}
	nh := nameHash{v.Name(), v.KeyHash()}
	if prev, dup := p.d.verifier[nh]; dup {
		p.errorf("key %s has the name and key hash of the key of %s: signatures could not tell them apart", v.Name(), p.d.signer(prev))
		return false
	}
	s.Key = key
	p.raw[string(raw)] = s
	// A machine's key is its station's, which addStation appends next.
	who := int32(len(p.d.Stations))
	if s.Role != RoleMachine {
		p.d.others = append(p.d.others, enrolled{v, s, raw})
		who = -int32(len(p.d.others))
	}
	p.d.keys[key] = who
	p.d.keys[vkey] = who // the same, if a log witness key is in the cosignature/v1 form
	p.d.verifier[nh] = who
	return true
}

// addPublicWitness reads "publicwitness NAME KEY": a log witness outside
// the parties, a voice of its own under its name.
func (p *parser) addPublicWitness(rest string) {
	f, ok := p.fields(rest, 2, "publicwitness NAME KEY")
	if !ok {
		return
	}
	name := f[0]
	switch {
	case !ValidID(name) || (name[0] >= '0' && name[0] <= '9'):
		p.errorf("malformed public witness name %q (an id that starts with a letter)", clip(name, 70))
	case p.d.Party(name) != nil || p.d.logGroup(name) != nil || p.d.PublicWitness(name) != nil:
		p.errorf("public witness %s: the name of a party, a log group or another public witness", name)
	case p.addKey(f[1], Signer{Role: RolePublic, Party: name}):
		p.d.PublicWitnesses = append(p.d.PublicWitnesses, PublicWitness{Name: name, Key: f[1]})
	}
}

// addLogGroup reads "loggroup NAME K MEMBER...": its members are parties
// with log witnesses and groups, declared above.
func (p *parser) addLogGroup(rest string) {
	f := strings.Split(rest, " ")
	if len(f) < 3 || slices.Contains(f, "") {
		p.errorf("want %q", "loggroup NAME K MEMBER...")
		return
	}
	name, members := f[0], f[2:]
	k, err := ParseCount(f[1])
	switch {
	case !ValidID(name) || (name[0] >= '0' && name[0] <= '9'):
		p.errorf("malformed log group name %q (an id that starts with a letter)", clip(name, 70))
		return
	case p.d.Party(name) != nil || p.d.logGroup(name) != nil || p.d.PublicWitness(name) != nil:
		p.errorf("log group %s: the name of a party, a public witness or another group", name)
		return
	case err != nil:
		p.errorf("log group %s: %v", name, err)
		return
	case k < 1 || k > len(members):
		p.errorf("log group %s: threshold %d of %d members: want 1 to %d", name, k, len(members), len(members))
		return
	}
	parties := p.d.LogParties()
	for i, m := range members {
		switch {
		case slices.Contains(members[:i], m):
			p.errorf("log group %s: member %s listed twice", name, m)
			return
		case !slices.Contains(parties, m) && p.d.logGroup(m) == nil && p.d.PublicWitness(m) == nil:
			p.errorf("log group %s: %q is neither a party with log witnesses, a public witness nor a log group declared above", name, clip(m, 70))
			return
		}
	}
	p.d.LogGroups = append(p.d.LogGroups, LogGroup{Name: name, Threshold: k, Members: members})
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

func (p *parser) addArea(path, name string) {
	ids := strings.Split(path, "/")
	for _, id := range ids {
		if !ValidID(id) {
			p.errorf("area %q: malformed id %q", path, id)
			return
		}
	}
	switch {
	case len(ids) > len(p.d.Levels):
		p.errorf("area %s is deeper than the %d levels", path, len(p.d.Levels))
	case p.d.areas[path] != nil:
		p.errorf("duplicate area %s", path)
	case len(ids) > 1 && p.d.areas[path[:strings.LastIndexByte(path, '/')]] == nil:
		p.errorf("area %s: unknown parent area %s", path, path[:strings.LastIndexByte(path, '/')])
	default:
		a := &Area{Path: path, Name: name}
		p.d.Areas = append(p.d.Areas, a)
		p.d.areas[path] = a
	}
}

func (p *parser) addStation(f []string) {
	id, area, reg, key := f[0], f[1], f[2], f[3]
	if !ValidID(id) {
		p.errorf("malformed station id %q", clip(id, 70))
		return
	}
	p.station = id
	n, err := Unknown, error(nil)
	if reg != "-" {
		n, err = ParseCount(reg)
	}
	switch {
	case p.d.Station(id) != nil:
		p.errorf("duplicate station")
	case p.d.areas[area] == nil:
		p.errorf("unknown area %q", area)
	case strings.Count(area, "/")+1 != len(p.d.Levels):
		p.errorf("area %s is not at the deepest level (%s)", area, p.d.Levels[len(p.d.Levels)-1])
	case err != nil:
		p.errorf("registered voters: %v", err)
	case key != "-" && n == Unknown:
		p.errorf("registered voters unknown (-), but a machine is enrolled: its machine needs them")
	default:
		// An observer's definition enrols no machine: key "-".
		if key == "-" {
			key = ""
		} else if !p.addKey(key, Signer{Role: RoleMachine, Station: id}) {
			return
		}
		s := &Station{ID: id, Area: area, Registered: n, Machine: key}
		p.d.stations[id] = len(p.d.Stations)
		p.d.Stations = append(p.d.Stations, s)
	}
}

func (p *parser) finish() {
	p.station = ""
	p.line = 0 // errors about the file as a whole
	for _, w := range []string{"id", "name", "levels"} {
		if !p.seen[w] {
			p.errorf("missing %q line", w)
		}
	}
	// A file with no contest or station lines at all; lines that failed
	// have their own errors.
	if p.lines["contest"] == 0 {
		p.errorf("no contests")
	}
	if p.lines["station"] == 0 {
		p.errorf("no stations")
	}
	// The quorum counts parties, not keys: a party with many log witnesses
	// is one voice.
	switch n := len(p.d.LogParties()); {
	case p.d.LogQuorumGroup != "":
		p.line = p.quorumLine
		switch {
		case p.d.logGroup(p.d.LogQuorumGroup) == nil:
			p.errorf("logquorum: unknown log group %q", p.d.LogQuorumGroup)
		case p.d.CountsPublic(p.d.LogQuorumGroup):
			p.errorf("logquorum: log group %s counts public witnesses, which cosign only the slow feed: the log quorum is of parties", p.d.LogQuorumGroup)
		}
		p.line = 0
	case p.lines["logquorum"] == 0:
		p.d.LogQuorum = n
	case p.d.LogQuorum < 1 || p.d.LogQuorum > n:
		what := fmt.Sprintf("%d log witnesses", n)
		if n != len(p.d.LogWitnesses) {
			what = fmt.Sprintf("%d parties with log witnesses (a party's several keys count once)", n)
		}
		p.errorf("logquorum %d of %s: want 1 to %d", p.d.LogQuorum, what, n)
	}
	p.checkPublicQuorum()
	p.checkDistricts()
	p.line = 0
	for _, st := range p.d.Stations {
		ballot := p.d.Ballot(st)
		if len(ballot) == 0 {
			p.errorf("station %s has no contest on its ballot", st.ID)
		}
		// An acta states the votes a contest's ballots left unused, up
		// to seats × registered: it must be a count an acta can hold.
		for _, c := range ballot {
			if r := c.DecidedBy(); r.Method == contest.Plurality && int64(r.Seats)*int64(st.Registered) > MaxCount {
				p.line = p.lineOf[c]
				p.errorf("station %s: %d registered voters with %d votes each in contest %s make more votes than an acta can count (%d)", st.ID, st.Registered, r.Seats, c.ID, MaxCount)
				p.line = 0
			}
		}
	}
	for _, c := range p.d.Contests {
		p.line = p.lineOf[c]
		if c.Scope != "*" && p.d.areas[c.Scope] == nil && p.d.District(c.Scope) == nil {
			p.errorf("contest %s: unknown area %q (nor a district)", c.ID, c.Scope)
		}
		if len(c.Candidates) == 0 {
			p.errorf("contest %s has no candidates", c.ID)
		}
	}
}

// checkPublicQuorum checks the public quorum, once every group is read: it
// is a number of public witnesses, by default 1, or a group that counts
// some; and there is none without public witnesses.
func (p *parser) checkPublicQuorum() {
	n := len(p.d.PublicWitnesses)
	p.line = p.publicQuorumLine
	defer func() { p.line = 0 }()
	switch {
	case p.lines["publicquorum"] == 0:
		if n > 0 {
			p.d.PublicQuorum = 1
		}
	case n == 0:
		p.errorf("publicquorum without publicwitness lines")
	case p.d.PublicQuorumGroup != "" && p.d.logGroup(p.d.PublicQuorumGroup) == nil:
		p.errorf("publicquorum: unknown log group %q", p.d.PublicQuorumGroup)
	case p.d.PublicQuorumGroup != "" && !p.d.CountsPublic(p.d.PublicQuorumGroup):
		p.errorf("publicquorum: log group %s counts no public witness", p.d.PublicQuorumGroup)
	case p.d.PublicQuorumGroup == "" && (p.d.PublicQuorum < 1 || p.d.PublicQuorum > n):
		p.errorf("publicquorum %d of %d public witnesses: want 1 to %d", p.d.PublicQuorum, n, n)
	}
}
