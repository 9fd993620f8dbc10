package announced_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// station returns an honest announcement of station 100.1 of the fixture.
func station(fx *electiontest.Fixture, size uint64, alba int) *announced.Announcement {
	a := &announced.Announcement{Election: fx.Def.ID, Definition: fx.Def.Digest(), Size: size, Root: sha256.Sum256([]byte{byte(size)}),
		Station: "100.1", Index: 1, Registered: 500, Ballots: alba + 4}
	for _, c := range fx.Def.Contests {
		a.Contests = append(a.Contests, announced.Contest{ID: c.ID, Candidates: []announced.Candidate{{"ALBA", alba}, {"BRUNO", 3}, {"CORA", 0}}, Null: 1})
	}
	return a
}

func sign(t *testing.T, fx *electiontest.Fixture, a *announced.Announcement) []byte {
	t.Helper()
	msg, err := announced.Sign(a, fx.Center)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// Every one-byte change of a signed announcement is refused: of the body
// by the signature, of the signature by itself.
func TestEveryByteCounts(t *testing.T) {
	fx := electiontest.New(electiontest.Options{})
	msg := sign(t, fx, station(fx, 3, 6))
	if _, err := announced.Open(msg, fx.Def); err != nil {
		t.Fatal(err)
	}
	for i := range msg {
		for _, d := range []byte{1, 0x20} {
			m := bytes.Clone(msg)
			m[i] ^= d
			if _, err := announced.Open(m, fx.Def); err == nil {
				t.Fatalf("byte %d changed (%q to %q): Open accepts it", i, msg[i], m[i])
			}
		}
	}
}

// A note with its signature line twice is refused: note.Open would drop
// the second, and one note would have two spellings.
func TestSignatureTwice(t *testing.T) {
	fx := electiontest.New(electiontest.Options{})
	msg := sign(t, fx, station(fx, 3, 6))
	sig := msg[bytes.Index(msg, []byte("\n\n"))+2:]
	if _, err := announced.Open(append(bytes.Clone(msg), sig...), fx.Def); !errors.Is(err, announced.ErrSignature) {
		t.Errorf("the signature line twice: %v", err)
	}
}

// Marshal refuses what Parse would not read: one encoding, both ways.
func TestMarshalRefuses(t *testing.T) {
	fx := electiontest.New(electiontest.Options{})
	for name, edit := range map[string]func(*announced.Announcement){
		"an entry beyond the log": func(a *announced.Announcement) { a.Index = a.Size },
		"a negative count":        func(a *announced.Announcement) { a.Ballots = -1 },
		"a station id with space": func(a *announced.Announcement) { a.Station = "100 1" },
		"a reserved candidate id": func(a *announced.Announcement) { a.Contests[0].Candidates[0].ID = "blank" },
		"no contests":             func(a *announced.Announcement) { a.Contests = nil },
		"an empty log":            func(a *announced.Announcement) { a.Size, a.Index = 0, 0 },
	} {
		a := station(fx, 3, 6)
		edit(a)
		if _, err := announced.Sign(a, fx.Center); err == nil {
			t.Errorf("%s: signed", name)
		}
	}
}

// The center's signed bundle is cut back into the notes it is made of; a
// bundle cut short or with a note unsigned is refused.
func TestSplit(t *testing.T) {
	fx := electiontest.New(electiontest.Options{})
	a, b := sign(t, fx, station(fx, 3, 6)), sign(t, fx, station(fx, 4, 6))
	notes, err := announced.Split(append(bytes.Clone(a), b...))
	if err != nil || len(notes) != 2 || !bytes.Equal(notes[0], a) || !bytes.Equal(notes[1], b) {
		t.Fatalf("Split: %q, %v", notes, err)
	}
	if notes, err := announced.Split(nil); err != nil || len(notes) != 0 {
		t.Errorf("an empty bundle: %q, %v", notes, err)
	}
	body := a[:bytes.Index(a, []byte("\n\n"))+2]
	for name, bad := range map[string][]byte{
		"cut in a signature": append(bytes.Clone(a), b[:len(b)-3]...),
		"cut in a body":      append(bytes.Clone(a), b[:40]...),
		"a body unsigned":    append(bytes.Clone(body), b...),
	} {
		if _, err := announced.Split(bad); !errors.Is(err, announced.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A center that signs two announcements of one station at one log size,
// or two roots of one size, has equivocated, and Equivocation says so; an
// announcement at a later size with other figures is no equivocation (a
// second final acta is a conflict, not a change, but that is the
// verifier's to judge against the log).
func TestEquivocation(t *testing.T) {
	fx := electiontest.New(electiontest.Options{})
	open := func(a *announced.Announcement) *announced.Signed {
		s, err := announced.Open(sign(t, fx, a), fx.Def)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	honest := open(station(fx, 3, 6))
	if got := announced.Equivocation(honest, open(station(fx, 3, 6))); got != "" {
		t.Errorf("the same announcement twice: %q", got)
	}
	if got := announced.Equivocation(honest, open(station(fx, 3, 60))); !strings.Contains(got, "two different announcements of station 100.1 at log size 3") {
		t.Errorf("two figures at one size: %q", got)
	}
	if got := announced.Equivocation(honest, open(station(fx, 4, 60))); got != "" {
		t.Errorf("two sizes: %q", got)
	}
	other := station(fx, 3, 6)
	other.Station, other.Root = "100.2", sha256.Sum256([]byte("another history"))
	if got := announced.Equivocation(honest, open(other)); !strings.Contains(got, "two different roots of its log at size 3") {
		t.Errorf("two roots at one size: %q", got)
	}
	other.Root = honest.Root
	if got := announced.Equivocation(honest, open(other)); got != "" {
		t.Errorf("two stations of one log: %q", got)
	}
}
