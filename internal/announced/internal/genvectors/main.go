// Command genvectors writes the signed announcement's test vectors in
// doc/spec/vectors/announced.
//
// Each vector is a txtar archive with an election definition, a signed
// announcement and the expected result, written by hand in the table
// below: "ok", or "error", the sentinel error of package announced it
// wraps, ":" and a substring of its message. The keys are deterministic,
// so running it again gives the same files.
//
//	go run ./internal/announced/internal/genvectors
package main

import (
	"crypto/sha256"
	"flag"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

type vector struct {
	name, comment string
	msg           []byte
	want          string
	election      []byte // the fixture's definition if nil
}

func main() {
	dir := flag.String("dir", "doc/spec/vectors/announced", "output directory")
	flag.Parse()
	f := electiontest.New(electiontest.Options{Seed: "vectors", Contests: 2})
	other := electiontest.New(electiontest.Options{Seed: "other", Contests: 2})
	var vs []vector
	add := func(name, comment string, msg []byte, want string) {
		vs = append(vs, vector{name, comment, msg, want, nil})
	}
	a := &announced.Announcement{Election: "test", Definition: f.Def.Digest(), Size: 12, Root: sha256.Sum256([]byte("root")),
		Station: "100.1", Index: 5, Registered: 500, Ballots: 10}
	for _, c := range f.Def.Contests {
		a.Contests = append(a.Contests, announced.Contest{ID: c.ID, Candidates: []announced.Candidate{{ID: "ALBA", Votes: 6}, {ID: "BRUNO", Votes: 3}, {ID: "CORA", Votes: 0}}, Blank: 0, Null: 1})
	}
	msg, err := announced.Sign(a, f.Center)
	if err != nil {
		log.Fatal(err)
	}
	body := string(msg[:strings.Index(string(msg), "\n\n")+1])
	// resign signs an arbitrary body, so that a malformed body carries a
	// valid signature and fails for the reason under test only.
	resign := func(body string, signers ...note.Signer) []byte {
		msg, err := note.Sign(&note.Note{Text: body}, signers...)
		if err != nil {
			log.Fatal(err)
		}
		return msg
	}
	edit := func(old, new string) string {
		if !strings.Contains(body, old) {
			log.Fatalf("body has no %q", old)
		}
		return strings.Replace(body, old, new, 1)
	}
	center := f.Center

	add("ok", "A station's figures at log size 12, signed by the center.", msg, "ok")
	wrong := *a
	wrong.Ballots, wrong.Contests = 400, append([]announced.Contest{}, a.Contests...)
	wrong.Contests[0].Candidates = []announced.Candidate{{ID: "ALBA", Votes: 396}, {ID: "BRUNO", Votes: 3}, {ID: "CORA", Votes: 0}}
	impossible, err := announced.Sign(&wrong, center)
	if err != nil {
		log.Fatal(err)
	}
	add("ok-figures-do-not-add-up", "Figures that do not add up (contest2 sums to 10 of 400 ballots) still open: signed, they are evidence of what the center said.", impossible, "ok")

	// The signature.
	add("bad-relay-altered", "A relay changed a figure after the center signed.", []byte(strings.Replace(string(msg), "candidate ALBA 6\n", "candidate ALBA 7\n", 1)), "error ErrSignature: invalid signature")
	add("bad-unsigned", "The body alone, no signature.", []byte(body), "error ErrMalformed: not a signed note")
	add("bad-other-key", "Signed by a key named as the center's but not the center's (a stolen or made-up key).", resign(body, electiontest.Key("stranger", "test/center")), "error ErrSignature: no signature by the center's key")
	add("bad-machine-key", "Signed by a machine's key, which the election knows, but not the center's.", resign(body, f.Machines["100.1"]), "error ErrSignature: no signature by the center's key")
	add("bad-two-signatures", "Signed by the center and cosigned by another key: the center's alone is wanted.", resign(body, center, f.Witness["pa"]), "error ErrSignature: 2 signatures, want the center's alone")
	add("bad-other-election-center", "Another election's announcement, signed by that election's center.", func() []byte {
		o := *a
		o.Definition = other.Def.Digest()
		m, err := announced.Sign(&o, other.Center)
		if err != nil {
			log.Fatal(err)
		}
		return m
	}(), "error ErrSignature: no signature by the center's key")

	// The body.
	add("bad-version", "An unknown version line.", resign(edit("triplicate announced v1", "triplicate announced v2"), center), "error ErrMalformed: line 1: unknown version")
	add("bad-first-line", "A checkpoint's body signed by the center is not an announcement.", resign("test/center\n12\n"+strings.Repeat("A", 43)+"=\n", center), `error ErrMalformed: line 1: first line must be "triplicate announced v1"`)
	add("bad-reordered", "The size and root lines swapped.", resign(strings.Replace(edit("size 12\n", ""), "station 100.1\n", "station 100.1\nsize 12\n", 1), center), `error ErrMalformed: line 4: want "size" line`)
	add("bad-leading-zero", "A count with a leading zero.", resign(edit("candidate ALBA 6\n", "candidate ALBA 06\n"), center), "error ErrMalformed: line 11: candidate ALBA: number \"06\" not in canonical form")
	add("bad-size-leading-zero", "A log size with a leading zero.", resign(edit("size 12\n", "size 012\n"), center), "error ErrMalformed: line 4: size: \"012\" is not a number in canonical form")
	add("bad-index-beyond", "An entry beyond the log size.", resign(edit("index 5\n", "index 12\n"), center), "error ErrMalformed: line 7: index 12 is not in a log of 12 entries")
	add("bad-root-case", "A root in upper case.", resign(strings.Replace(body, "root ", "root "+strings.ToUpper(body[strings.Index(body, "root ")+5:strings.Index(body, "root ")+69])+"\nx ", 1), center), "error ErrMalformed: line 5: root: malformed digest")
	add("bad-crlf", "A carriage return: no signed note has one.", resign(edit("ballots 10\n", "ballots 10\r\n"), center), "error ErrMalformed: not a signed note")
	add("bad-trailing-space", "A trailing space.", resign(edit("ballots 10\n", "ballots 10 \n"), center), `error ErrMalformed: line 9: ballots: malformed number "10 "`)
	add("bad-unknown-line", "An extra line.", resign(edit("ballots 10\n", "ballots 10\nturnout 2%\n"), center), `error ErrMalformed: line 10: want "contest" line`)
	add("bad-no-contests", "No contest.", resign(body[:strings.Index(body, "contest ")], center), `error ErrMalformed: line 10: want "contest" line`)

	// The definition.
	add("bad-other-station", "A station the election does not have.", resign(edit("station 100.1\n", "station 100.9\n"), center), `error ErrMismatch: election test has no station "100.9"`)
	add("bad-other-definition", "The digest of another definition of the same election id, signed by this center.", resign(edit(strings.SplitN(body, "\n", 4)[2], "definition "+strings.Repeat("ab", 32)), center), "error ErrMismatch: announcement of definition abababababab")
	add("bad-other-election", "Another election id.", resign(edit("election test\n", "election other\n"), center), `error ErrMismatch: announcement of election "other", not test`)
	add("bad-registered", "Registered voters that are not the definition's.", resign(edit("registered 500\n", "registered 501\n"), center), "error ErrMismatch: station 100.1: 501 registered, the definition has 500")
	add("bad-truncated", "The second contest left out.", resign(body[:strings.Index(body, "contest contest2")], center), "error ErrMismatch: station 100.1: 1 contests, its ballot has 2")
	add("bad-candidate-order", "Candidates out of the definition's order.", resign(edit("candidate ALBA 6\ncandidate BRUNO 3\n", "candidate BRUNO 3\ncandidate ALBA 6\n"), center), `error ErrMismatch: station 100.1: contest president: candidate 1 is "BRUNO", the definition's is ALBA`)
	add("bad-candidate-missing", "A candidate left out.", resign(edit("candidate CORA 0\n", ""), center), "error ErrMismatch: station 100.1: contest president: 2 candidates, the definition has 3")

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, v := range vs {
		def := v.election
		if def == nil {
			def = f.Text
		}
		ar := &txtar.Archive{Comment: []byte(v.comment + "\n"), Files: []txtar.File{
			{Name: "election", Data: def},
			{Name: "announcement", Data: v.msg},
			{Name: "want", Data: []byte(v.want + "\n")},
		}}
		if err := os.WriteFile(filepath.Join(*dir, v.name+".txt"), txtar.Format(ar), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
