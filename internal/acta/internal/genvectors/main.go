// Command genvectors writes the acta test vectors in doc/spec/vectors.
//
// Each vector is a txtar archive with an election definition, a signed acta
// and the expected result, written by hand in the table below: "ok", or
// "error", the sentinel error of package acta it wraps, ":" and a substring
// of its message. The keys are deterministic, so
// running it again gives the same files.
//
//	go run ./internal/acta/internal/genvectors
package main

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

type vector struct {
	name     string
	comment  string
	msg      []byte
	want     string
	election []byte // the fixture's definition if nil
}

func main() {
	dir := flag.String("dir", "doc/spec/vectors", "output directory")
	flag.Parse()
	f := electiontest.New(electiontest.Options{Seed: "vectors", Contests: 2})
	var vs []vector
	add := func(name, comment string, msg []byte, want string) {
		vs = append(vs, vector{name, comment, msg, want, nil})
	}
	sign := func(a *acta.Acta) []byte {
		k := f.Machines[a.Station]
		if a.Kind == acta.Hand {
			k = f.Auditor
		}
		msg, err := acta.Sign(a, k)
		if err != nil {
			log.Fatal(err)
		}
		return msg
	}
	cosign := func(msg []byte, parties ...string) []byte {
		for _, p := range parties {
			var err error
			if msg, err = acta.Cosign(msg, f.Def, f.Witness[p]); err != nil {
				log.Fatal(err)
			}
		}
		return msg
	}
	// resign signs an arbitrary body with the given keys, bypassing Marshal,
	// so that malformed bodies carry valid signatures and fail for the
	// reason under test only.
	resign := func(body string, signers ...note.Signer) []byte {
		msg, err := note.Sign(&note.Note{Text: body}, signers...)
		if err != nil {
			log.Fatal(err)
		}
		return msg
	}
	machine := f.Machines["100.1"]
	stranger := electiontest.Key("stranger", "test/machine/100.1")
	strangerWitness := electiontest.Key("stranger", "test/witness/pa")

	final := finalActa(f)
	finalMsg := sign(final)
	body := string(finalMsg[:bytes.Index(finalMsg, []byte("\n\n"))+1])
	edit := func(old, new string) string {
		if !strings.Contains(body, old) {
			log.Fatalf("body has no %q", old)
		}
		return strings.Replace(body, old, new, 1)
	}

	add("ok-final", "A final acta signed by its machine.", finalMsg, "ok")
	add("ok-final-cosigned", "A final acta cosigned by the witnesses of three parties.", cosign(finalMsg, "pa", "pb", "pc"), "ok")
	zero := &acta.Acta{Election: "test", Station: "100.1", Kind: acta.Zero, Machine: final.Machine,
		Opened: final.Opened, Registered: final.Registered, Records: acta.Digest(nil), Contests: acta.Blank(f.Def.Ballot(f.Def.Station("100.1")))}
	add("ok-zero", "A zero tape, cosigned by one witness.", cosign(sign(zero), "pa"), "ok")
	hand := *final
	hand.Kind, hand.Auditor, hand.Counted, hand.Opened, hand.Closed, hand.Records = acta.Hand, f.Auditor.Public, final.Closed.Add(time.Hour), time.Time{}, time.Time{}, [32]byte{}
	add("ok-hand", "A hand count signed by an auditor and cosigned by two witnesses.", cosign(sign(&hand), "pa", "pb"), "ok")

	// The body.
	add("bad-version", "An unknown version line.", resign(edit("triplicate acta v1", "triplicate acta v4"), machine), "error ErrMalformed: unknown version")
	add("bad-first-line", "No version line.", resign(strings.TrimPrefix(body, "triplicate acta v1\n"), machine), "error ErrMalformed: line 1: first line must be")
	add("bad-reordered", "The election and station lines swapped.", resign(edit("election test\nstation 100.1\n", "station 100.1\nelection test\n"), machine), `error ErrMalformed: line 2: want "election" line`)
	add("bad-unknown-line", "An extra line.", resign(edit("ballots 10\n", "ballots 10\nturnout 2%\n"), machine), `error ErrMalformed: line 10: want "records" line`)
	add("bad-leading-zero", "A count with a leading zero.", resign(edit("candidate ALBA 6\n", "candidate ALBA 06\n"), machine), "error ErrMalformed: not in canonical form")
	add("bad-plus-sign", "A count with a sign.", resign(edit("candidate ALBA 6\n", "candidate ALBA +6\n"), machine), "error ErrMalformed: malformed number")
	add("bad-too-many-ballots", "More ballots than registered voters.", resign(edit("registered 500\n", "registered 9\n"), machine), "error ErrImpossible: 10 ballots but only 9 registered")
	add("bad-sum", "Candidate counts that do not add up to the ballots.", resign(edit("candidate BRUNO 3\n", "candidate BRUNO 4\n"), machine), "error ErrImpossible: contest president: candidates, blank and null add up to 11, not the 10 ballots")
	add("bad-time", "A time not in the one form.", resign(edit("opened 2024-07-28T06:00:00Z", "opened 2024-07-28T06:00:00+00:00"), machine), "error ErrMalformed: opened: malformed time")
	add("bad-closed-before-opened", "Closed before it opened.", resign(edit("closed 2024-07-28T18:04:31Z", "closed 2024-07-28T05:04:31Z"), machine), "error ErrImpossible: closed at 2024-07-28T05:04:31Z before it opened")
	add("bad-digest-case", "A records digest in upper case.", resign(strings.Replace(body, "records "+fmt.Sprintf("%x", final.Records), "records "+strings.ToUpper(fmt.Sprintf("%x", final.Records)), 1), machine), "error ErrMalformed: records: malformed digest")
	add("bad-kind", "An unknown kind.", resign(edit("kind final", "kind partial"), machine), `error ErrMalformed: unknown kind "partial"`)
	add("bad-truncated", "A body cut short after the first contest.", resign(body[:strings.Index(body, "contest contest2")], machine), "error ErrMismatch: station 100.1: 1 contests, its ballot has 2")
	add("bad-trailing-space", "A trailing space.", resign(edit("ballots 10\n", "ballots 10 \n"), machine), "error ErrMalformed: ballots: malformed number")
	add("bad-crlf", "A carriage return.", resign(edit("ballots 10\n", "ballots 10\r\n"), machine), "error ErrMalformed: byte 0x0d is not printable ASCII")
	add("bad-zero-with-ballots", "A zero tape that is not zero.", resign(strings.Replace(edit("kind final\n", "kind zero\n"), "closed 2024-07-28T18:04:31Z\n", "", 1), machine), "error ErrImpossible: zero tape with 10 ballots")

	// Against the definition.
	add("bad-station", "A station the election does not have.", resign(edit("station 100.1", "station 100.9"), machine), "error ErrMismatch: no station 100.9")
	add("bad-registered", "Registered voters that are not the definition's.", resign(edit("registered 500", "registered 501"), machine), "error ErrMismatch: 501 registered voters, the definition says 500")
	add("bad-candidate-order", "Candidates out of ballot order.", resign(edit("candidate ALBA 6\ncandidate BRUNO 3\n", "candidate BRUNO 3\ncandidate ALBA 6\n"), machine), "error ErrMismatch: candidate 1 is BRUNO, the ballot's is ALBA")
	other := f.Machines["100.2"]
	add("bad-not-enrolled", "Signed by the machine of another station, which the acta names.", resign(edit(final.Machine, other.Public), other), "error ErrNotEnrolled: acta names machine key test/machine/100.2+66188c8f, but the enrolled one is test/machine/100.1+d3b10f02")

	// Signatures.
	add("bad-substituted", "Signed by a key the election does not enrol, under the machine's name, which the acta names.", resign(edit(final.Machine, stranger.Public), stranger), "error ErrNotEnrolled: acta names machine key test/machine/100.1+")
	add("bad-signature", "A body changed after signing.", []byte(strings.Replace(string(finalMsg), "candidate ALBA 6", "candidate ALBA 7", 1)), "error ErrSignature: signature by test/machine/100.1 does not verify")
	add("bad-unknown-cosigner", "Cosigned by a key with a witness's name that the election does not enrol.", cosignWith(finalMsg, strangerWitness), "error ErrUnknownSigner: unknown signer: station 100.1: signed by test/witness/pa, not a key of election test")
	add("bad-only-witnesses", "Signed by witnesses, not by the machine.", resign(body, f.Witness["pa"], f.Witness["pb"]), "error ErrSignature: not signed by its machine")
	add("bad-machine-cosigns", "Cosigned by the machine of another station.", cosignWith(finalMsg, other), "error ErrUnknownSigner: cosigned by the machine of station 100.2, which is not a witness key")
	add("bad-repeated-signature", "The same signature line twice.", append(append([]byte{}, finalMsg...), finalMsg[bytes.Index(finalMsg, []byte("\n\n"))+2:]...), "error ErrMalformed: a signature is repeated")
	add("bad-signature-base64", "A signature in non-canonical base64 that decodes to the same bytes.", malleate(finalMsg), "error ErrMalformed: signature by test/machine/100.1 is not in canonical base64")
	add("bad-no-signatures", "A body with no signature block.", []byte(body), "error ErrMalformed: no signature block")
	add("bad-hand-by-machine", "A hand count signed by the machine, not an auditor.", resign(string(mustMarshal(&hand)), machine), "error ErrSignature: not signed by its auditor")

	// Version 2: the definition's digest, and the machine's software.
	const software = "triplicate v1.4.0 5db9d8c1e0f2a3b4c5d6e7f8091a2b3c4d5e6f70"
	final2 := *final
	final2.Definition, final2.Software = f.Def.Digest(), software
	final2Msg := sign(&final2)
	body2 := string(final2Msg[:bytes.Index(final2Msg, []byte("\n\n"))+1])
	edit2 := func(old, new string) string {
		if !strings.Contains(body2, old) {
			log.Fatalf("v2 body has no %q", old)
		}
		return strings.Replace(body2, old, new, 1)
	}
	digest := fmt.Sprintf("%x", final2.Definition)
	add("ok-v2-final", "A version 2 final acta: it names its definition's digest and its machine's software, and is cosigned by one witness.", cosign(final2Msg, "pa"), "ok")
	zero2 := *zero
	zero2.Definition, zero2.Software = f.Def.Digest(), software
	add("ok-v2-zero", "A version 2 zero tape.", sign(&zero2), "ok")
	hand2 := hand
	hand2.Definition = f.Def.Digest()
	add("ok-v2-hand", "A version 2 hand count: the definition's digest, no software line (no machine made it).", cosign(sign(&hand2), "pa"), "ok")
	otherText := strings.Replace(string(f.Text), "station 100.2 1/100 500 ", "station 100.2 1/100 600 ", 1)
	otherDef, err := election.Parse([]byte(otherText))
	if err != nil || otherText == string(f.Text) {
		log.Fatalf("other definition: %v", err)
	}
	otherDigest := otherDef.Digest()
	add("bad-v2-other-definition", "A version 2 acta of another definition of the same election id, one where station 100.2 has 600 registered voters: the acta is otherwise the station's, and signed by its machine.",
		resign(edit2(digest, fmt.Sprintf("%x", otherDigest)), machine), fmt.Sprintf("error ErrOtherDefinition: the acta names definition %x of election test, this definition is %s", otherDigest, digest))
	add("bad-v2-digest-case", "A definition digest in upper case.", resign(edit2(digest, strings.ToUpper(digest)), machine), "error ErrMalformed: line 3: definition: malformed digest")
	add("bad-v2-digest-short", "A definition digest one digit short.", resign(edit2(digest, digest[:63]), machine), "error ErrMalformed: line 3: definition: malformed digest")
	add("bad-v2-digest-zero", "The all-zero definition digest, which would read as a version 1 acta's.", resign(edit2(digest, strings.Repeat("0", 64)), machine), "error ErrMalformed: line 3: definition: the all-zero digest")
	add("bad-v2-no-definition", "A version 2 acta without its definition line.", resign(edit2("definition "+digest+"\n", ""), machine), `error ErrMalformed: line 3: want "definition" line, have "station"`)
	add("bad-v1-definition", "A version 1 acta with a definition line, which only version 2 has.", resign(edit2("triplicate acta v2\n", "triplicate acta v1\n"), machine), `error ErrMalformed: line 3: want "station" line, have "definition"`)
	add("bad-v2-no-software", "A version 2 final acta without its software line.", resign(edit2("software "+software+"\n", ""), machine), `error ErrMalformed: line 7: want "software" line, have "opened"`)
	add("bad-v2-software-empty", "An empty software identity.", resign(edit2(software, ""), machine), "error ErrMalformed: line 7: software: malformed")
	add("bad-v2-software-spaces", "Two spaces between the tokens of the software identity.", resign(edit2("v1.4.0 ", "v1.4.0  "), machine), "error ErrMalformed: line 7: software: malformed")
	add("bad-v2-software-trailing-space", "A trailing space after the software identity.", resign(edit2(software, software+" "), machine), "error ErrMalformed: line 7: software: malformed")
	add("bad-v2-software-long", "A software identity of 201 bytes.", resign(edit2(software, software+" "+strings.Repeat("x", acta.MaxSoftware-len(software))), machine), "error ErrMalformed: line 7: software: 201 bytes, more than 200")
	add("bad-v2-software-tokens", "A software identity of nine tokens.", resign(edit2(software, "a b c d e f g h i"), machine), "error ErrMalformed: line 7: software: 9 tokens, more than 8")
	add("bad-v2-software-tab", "A tab in the software identity.", resign(edit2("v1.4.0 ", "v1.4.0\t"), machine), "error ErrMalformed: line 7: byte 0x09 is not printable ASCII")
	hand2Msg := sign(&hand2)
	hand2Body := string(hand2Msg[:bytes.Index(hand2Msg, []byte("\n\n"))+1])
	add("bad-v2-hand-software", "A version 2 hand count with a software line: no machine made it.",
		resign(strings.Replace(hand2Body, "\nauditor ", "\nsoftware "+software+"\nauditor ", 1), f.Auditor), `error ErrMalformed: line 7: want "auditor" line, have "software"`)

	vs = append(vs, version3(f, software)...)

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(*dir, "*.txt"))
	for _, o := range old {
		os.Remove(o)
	}
	for _, v := range vs {
		ar := &txtar.Archive{
			Comment: []byte(v.comment + "\n"),
			Files: []txtar.File{
				{Name: "election", Data: []byte(cmp.Or(string(v.election), string(f.Text)))},
				{Name: "acta", Data: v.msg},
				{Name: "want", Data: []byte(v.want + "\n")},
			},
		}
		if err := os.WriteFile(filepath.Join(*dir, v.name+".txt"), txtar.Format(ar), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("wrote %d vectors to %s\n", len(vs), *dir)
}

// cosignWith appends a signature without the checks of acta.Cosign.
func cosignWith(msg []byte, s note.Signer) []byte {
	// With no known key, note.Open returns the note inside its error.
	_, err := note.Open(msg, knowsNone{})
	var unv *note.UnverifiedNoteError
	if !errors.As(err, &unv) {
		log.Fatal(err)
	}
	n := unv.Note
	out, err := note.Sign(&note.Note{Text: n.Text, UnverifiedSigs: n.UnverifiedSigs}, s)
	if err != nil {
		log.Fatal(err)
	}
	return out
}

// knowsNone knows no key, so note.Open keeps every signature unverified.
type knowsNone struct{}

func (knowsNone) Verifier(name string, hash uint32) (note.Verifier, error) {
	return nil, &note.UnknownVerifierError{Name: name, KeyHash: hash}
}

func mustMarshal(a *acta.Acta) []byte {
	b, err := a.Marshal()
	if err != nil {
		log.Fatal(err)
	}
	return b
}

func finalActa(f *electiontest.Fixture) *acta.Acta {
	st := f.Def.Station("100.1")
	a := &acta.Acta{
		Election: f.Def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened:     time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Closed:     time.Date(2024, 7, 28, 18, 4, 31, 0, time.UTC),
		Registered: st.Registered, Ballots: 10,
		Contests: acta.Blank(f.Def.Ballot(st)),
	}
	var records []string
	for i, c := range []string{"ALBA", "ALBA", "ALBA", "ALBA", "ALBA", "ALBA", "BRUNO", "BRUNO", "BRUNO", "null"} {
		records = append(records, fmt.Sprintf("%012d president=%s contest2=blank\n", i, c))
	}
	a.Records = acta.Digest(records)
	a.Contests[0].Candidates[0].Votes = 6
	a.Contests[0].Candidates[1].Votes = 3
	a.Contests[0].Null = 1
	a.Contests[1].Blank = 10
	return a
}

// malleate changes the last base64 character of the last signature to one
// that lenient decoders read as the same bytes (it differs in the unused bits).
func malleate(msg []byte) []byte {
	i := bytes.LastIndexByte(msg[:len(msg)-1], ' ') + 1
	sig := string(msg[i : len(msg)-1])
	raw, _ := base64.StdEncoding.DecodeString(sig)
	j := strings.IndexByte(sig, '=') - 1
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		alt := sig[:j] + string(c) + sig[j+1:]
		if got, err := base64.StdEncoding.DecodeString(alt); err == nil && alt != sig && bytes.Equal(got, raw) {
			out := append([]byte{}, msg[:i]...)
			return append(append(out, alt...), '\n')
		}
	}
	log.Fatal("no malleable character found")
	return nil
}

// version3 returns the vectors of version 3 actas: each contest with its
// own ballots and undervotes, under a definition whose second contest
// elects two (a ballot carries up to two votes in it).
func version3(f *electiontest.Fixture, software string) []vector {
	text := strings.Replace(string(f.Text), "candidate contest2 CORA Candidate CORA\n", "candidate contest2 CORA Candidate CORA\nrule contest2 plurality seats=2\n", 1)
	def, err := election.Parse([]byte(text))
	if err != nil || text == string(f.Text) {
		log.Fatalf("version 3 definition: %v", err)
	}
	machine := f.Machines["100.1"]
	a := finalActa(f)
	a.Definition, a.Software, a.PerContest = def.Digest(), software, true
	// Ten ballots. In contest2 two are blank; the eight others carry
	// twelve votes, four short of the sixteen they could.
	a.Contests[0].Ballots = 10
	a.Contests[1] = acta.Tally{Contest: "contest2", Ballots: 10, Candidates: []acta.Count{{Candidate: "ALBA", Votes: 5}, {Candidate: "BRUNO", Votes: 4}, {Candidate: "CORA", Votes: 3}}, Blank: 2, Undervotes: 4}
	var records []string
	second := []string{"ALBA+BRUNO", "ALBA+BRUNO", "ALBA+BRUNO", "ALBA+BRUNO", "ALBA", "CORA", "CORA", "CORA", "blank", "blank"}
	for i, c := range []string{"ALBA", "ALBA", "ALBA", "ALBA", "ALBA", "ALBA", "BRUNO", "BRUNO", "BRUNO", "null"} {
		records = append(records, fmt.Sprintf("%012d president=%s contest2=%s\n", i, c, second[i]))
	}
	a.Records = acta.Digest(records)
	sign := func(a *acta.Acta, k *keys.Key) []byte {
		msg, err := acta.Sign(a, k)
		if err != nil {
			log.Fatal(err)
		}
		return msg
	}
	msg := sign(a, machine)
	cosigned, err := acta.Cosign(msg, def, f.Witness["pa"])
	if err != nil {
		log.Fatal(err)
	}
	body := string(msg[:bytes.Index(msg, []byte("\n\n"))+1])
	resign := func(old, new string) []byte {
		if !strings.Contains(body, old) {
			log.Fatalf("v3 body has no %q", old)
		}
		m, err := note.Sign(&note.Note{Text: strings.Replace(body, old, new, 1)}, machine)
		if err != nil {
			log.Fatal(err)
		}
		return m
	}
	var vs []vector
	add := func(name, comment string, msg []byte, want string) {
		vs = append(vs, vector{name, comment, msg, want, []byte(text)})
	}
	add("ok-v3-final", "A version 3 final acta, cosigned by one witness: each contest gives its ballots and undervotes. Contest contest2 elects two; its eight ballots neither blank nor null carry 12 votes and 4 undervotes.", cosigned, "ok")
	zero := &acta.Acta{Election: "test", Definition: def.Digest(), PerContest: true, Station: "100.1", Kind: acta.Zero, Machine: a.Machine, Software: software,
		Opened: a.Opened, Registered: a.Registered, Records: acta.Digest(nil), Contests: acta.Blank(def.Ballot(def.Station("100.1")))}
	add("ok-v3-zero", "A version 3 zero tape.", sign(zero, machine), "ok")
	hand := *a
	hand.Kind, hand.Auditor, hand.Counted, hand.Opened, hand.Closed, hand.Records, hand.Software = acta.Hand, f.Auditor.Public, a.Closed.Add(time.Hour), time.Time{}, time.Time{}, [32]byte{}, ""
	add("ok-v3-hand", "A version 3 hand count, signed by an auditor.", sign(&hand, f.Auditor), "ok")
	v2 := finalActa(f)
	v2.Definition, v2.Software = def.Digest(), software
	v2.Contests[1] = acta.Tally{Contest: "contest2", Candidates: []acta.Count{{Candidate: "ALBA", Votes: 7}, {Candidate: "BRUNO", Votes: 6}, {Candidate: "CORA", Votes: 1}}, Blank: 3}
	add("ok-v2-two-seats", "A version 2 acta of a contest that elects two is still read: its seven ballots neither blank nor null carry 14 votes, two each at most.", sign(v2, machine), "ok")

	add("bad-v3-contest-ballots", "A contest with fewer ballots than the station: every voter of a station is given every contest of its ballot.", resign("contest contest2\nballots 10\n", "contest contest2\nballots 9\n"), "error ErrImpossible: contest contest2: 9 ballots, not the station's 10")
	add("bad-v3-blank", "Blank and null more than the contest's ballots.", resign("candidate CORA 3\nblank 2\nnull 0\nundervotes 4\n", "candidate CORA 3\nblank 10\nnull 1\nundervotes 4\n"), "error ErrImpossible: contest contest2: 11 blank and null, more than its 10 ballots")
	add("bad-v3-candidate", "A candidate with more votes than the ballots neither blank nor null: nobody votes twice for one candidate.", resign("candidate ALBA 5\n", "candidate ALBA 9\n"), "error ErrImpossible: contest contest2: candidate ALBA has 9 votes, more than the 8 ballots")
	add("bad-v3-too-few-votes", "Fewer votes than ballots neither blank nor null: each carries at least one.", resign("candidate ALBA 5\ncandidate BRUNO 4\ncandidate CORA 3\n", "candidate ALBA 3\ncandidate BRUNO 2\ncandidate CORA 2\n"), "error ErrImpossible: contest contest2: 7 votes on 8 ballots neither blank nor null")
	add("bad-v3-undervotes-uneven", "Votes and undervotes that are not the same number on every ballot neither blank nor null.", resign("undervotes 4\n", "undervotes 5\n"), "error ErrImpossible: contest contest2: 12 votes and 5 undervotes are not the same number of votes on each of the 8 ballots")
	add("bad-v3-undervotes-rule", "Votes and undervotes of three votes a ballot where the definition gives two.", resign("undervotes 4\n", "undervotes 12\n"), "error ErrImpossible: contest contest2: 12 votes and 12 undervotes, not the 16 votes that 8 ballots neither blank nor null carry at 2 a ballot")
	add("bad-v3-undervotes-one-vote", "Undervotes in a contest of one vote a ballot: a ballot with no vote in it is blank.", resign("null 1\nundervotes 0\n", "null 1\nundervotes 9\n"), "error ErrImpossible: contest president: 9 votes and 9 undervotes, not the 9 votes that 9 ballots neither blank nor null carry at 1 a ballot")
	add("bad-v3-no-contest-ballots", "A version 3 contest without its ballots line.", resign("contest contest2\nballots 10\n", "contest contest2\n"), `error ErrMalformed: line 22: want "ballots" line, have "candidate"`)
	add("bad-v3-no-undervotes", "A version 3 contest without its undervotes line.", resign("null 0\nundervotes 4\n", "null 0\n"), `error ErrMalformed: line 27: missing "undervotes" line`)
	add("bad-v2-contest-ballots", "A version 2 acta with version 3's contest lines.", resign("triplicate acta v3\n", "triplicate acta v2\n"), "error ErrMalformed: line 13: contest president has no candidate lines")
	v2bad := finalActa(f)
	v2bad.Definition, v2bad.Software = def.Digest(), software
	v2bad.Contests[1] = acta.Tally{Contest: "contest2", Candidates: []acta.Count{{Candidate: "ALBA", Votes: 6}, {Candidate: "BRUNO", Votes: 1}, {Candidate: "CORA", Votes: 0}}, Blank: 5}
	add("bad-v2-two-seats-candidate", "A version 2 acta of a contest that elects two, one candidate with more votes than the five ballots neither blank nor null: a version 2 acta is held to that too.", sign(v2bad, machine), "error ErrImpossible: contest contest2: candidate ALBA has 6 votes, more than the 5 ballots neither blank nor null")
	one := *a
	one.Definition = f.Def.Digest()
	one.Contests = append([]acta.Tally{}, a.Contests...)
	one.Contests[1] = acta.Tally{Contest: "contest2", Ballots: 10, Candidates: []acta.Count{{Candidate: "ALBA", Votes: 5}, {Candidate: "BRUNO", Votes: 3}, {Candidate: "CORA", Votes: 0}}, Blank: 2}
	vs = append(vs, vector{"bad-v3-one-vote-ballot", "A version 3 acta of a ballot of one vote in each contest (the fixture's own definition): version 2 says all of it, and one count has one encoding.", sign(&one, machine), "error ErrMismatch: station 100.1: a version 3 acta, but its ballot has no contest of more than one vote a ballot", nil})
	return vs
}
