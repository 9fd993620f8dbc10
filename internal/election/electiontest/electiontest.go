// Package electiontest makes small election definitions with deterministic
// keys, for tests and test vectors.
package electiontest

import (
	"fmt"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// Fixture is an election definition and every private key enrolled in it.
type Fixture struct {
	Def      *election.Definition
	Machines map[string]*keys.Key // by station id
	Parties  []string             // party ids, in definition order
	Witness  map[string]*keys.Key // one witness key per party, by party id
	Auditor  *keys.Key
	Center   *keys.Key
	Log      map[string]*keys.Key // log witness keys, by party id
	Public   map[string]*keys.Key // public witness keys, by name (pw1, pw2...)
	Text     []byte               // the definition as written
}

// Options shape the fixture. The zero value is one contest of three
// candidates, two stations, and the parties "pa", "pb" and "pc".
type Options struct {
	Seed       string // varies every key
	Stations   int
	Registered int // per station
	Contests   int
	// LogWitnesses is how many parties (of pa, pb, pc) have a witness of
	// the center's log; all of them must cosign.
	LogWitnesses int
	// PublicWitnesses is how many public witnesses (pw1, pw2...) the
	// definition declares; any one of them meets the public quorum.
	PublicWitnesses int
	// Deadline, if set, is the definition's deadline line's time.
	Deadline string
	// TimeZone, if set, is the definition's timezone line's zone.
	TimeZone string
	// Rules gives contests (president, contest2, ...) a rule line's text,
	// as "plurality seats=2"; the others are plurality with one seat.
	Rules map[string]string
}

// New returns a fixture. The same options give the same keys and bytes.
func New(o Options) *Fixture {
	if o.Stations == 0 {
		o.Stations = 2
	}
	if o.Registered == 0 {
		o.Registered = 500
	}
	if o.Contests == 0 {
		o.Contests = 1
	}
	f := &Fixture{Machines: map[string]*keys.Key{}, Witness: map[string]*keys.Key{}, Log: map[string]*keys.Key{}, Public: map[string]*keys.Key{}}
	key := func(name string) *keys.Key { return Key(o.Seed, name) }
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nid test\nname Test election\nlevels state centre\n", election.Version)
	if o.TimeZone != "" {
		fmt.Fprintf(&b, "timezone %s\n", o.TimeZone)
	}
	if o.Deadline != "" {
		fmt.Fprintf(&b, "deadline %s\n", o.Deadline)
	}
	for c := 0; c < o.Contests; c++ {
		id := "president"
		if c > 0 {
			id = fmt.Sprintf("contest%d", c+1)
		}
		fmt.Fprintf(&b, "contest %s * Contest %d\n", id, c+1)
		for _, x := range []string{"ALBA", "BRUNO", "CORA"} {
			fmt.Fprintf(&b, "candidate %s %s Candidate %s\n", id, x, x)
		}
		if r, ok := o.Rules[id]; ok {
			fmt.Fprintf(&b, "rule %s %s\n", id, r)
		}
	}
	for _, p := range []string{"pa", "pb", "pc"} {
		f.Parties = append(f.Parties, p)
		f.Witness[p] = key("test/witness/" + p)
		fmt.Fprintf(&b, "party %s Party %s\nwitness %s %s\n", p, strings.ToUpper(p), p, f.Witness[p].Public)
	}
	f.Auditor = key("test/auditor/1")
	f.Center = key("test/center")
	fmt.Fprintf(&b, "auditor %s\ncenter %s\n", f.Auditor.Public, f.Center.Public)
	for _, p := range f.Parties[:o.LogWitnesses] {
		f.Log[p] = key("test/logwitness/" + p)
		fmt.Fprintf(&b, "logwitness %s %s\n", p, f.Log[p].Public)
	}
	for i := 1; i <= o.PublicWitnesses; i++ {
		name := fmt.Sprintf("pw%d", i)
		f.Public[name] = key("test/publicwitness/" + name)
		fmt.Fprintf(&b, "publicwitness %s %s\n", name, f.Public[name].Public)
	}
	fmt.Fprintf(&b, "area 1 North\narea 1/100 Centre 100\n")
	for s := 1; s <= o.Stations; s++ {
		id := fmt.Sprintf("100.%d", s)
		f.Machines[id] = key("test/machine/" + id)
		fmt.Fprintf(&b, "station %s 1/100 %d %s\n", id, o.Registered, f.Machines[id].Public)
	}
	f.Text = []byte(b.String())
	def, err := election.Parse(f.Text)
	if err != nil {
		panic(err)
	}
	f.Def = def
	return f
}

// Key returns a deterministic key with the given name: the same seed and name
// give the same key.
func Key(seed, name string) *keys.Key {
	skey, _, err := keys.Derive(seed, name)
	if err != nil {
		panic(err)
	}
	k, err := keys.Parse(skey)
	if err != nil {
		panic(err)
	}
	return k
}
