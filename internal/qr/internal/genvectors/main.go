// Command genvectors writes the QR parts test vectors in doc/spec/vectors/qr.
//
// Version 2 vectors (named ok-v2-* and bad-v2-*) hold parts that qr.Parts
// makes, some of them altered; version 1 vectors (the others) hold parts
// split here as doc/spec/qr.md says version 1 splits, since qr.Parts makes
// only version 2: readers still join version 1.
//
// Each vector is a txtar archive with the payloads of QR codes, in the order
// a reader is given them, and the expected result of joining them, written
// by hand in the table below: "ok", or "error", the sentinel error of
// package qr it wraps if any, ":" and a substring of its message. A good
// vector also holds the election definition and the signed acta the
// payloads join to. The keys are deterministic, so running it again gives
// the same files.
//
//	go run ./internal/qr/internal/genvectors
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

type vector struct {
	name, comment string
	election      []byte // the definition and the acta, for good vectors
	msg           []byte
	payloads      []string
	want          string
}

func main() {
	dir := flag.String("dir", "doc/spec/vectors/qr", "output directory")
	flag.Parse()
	// Fixtures of one, two and six contests: a zero tape of the first fits
	// one part, a final acta of the second two, and of the third three.
	f1 := electiontest.New(electiontest.Options{Seed: "vectors", Contests: 1})
	f := electiontest.New(electiontest.Options{Seed: "vectors", Contests: 2})
	f6 := electiontest.New(electiontest.Options{Seed: "vectors", Contests: 6})
	sign := func(f *electiontest.Fixture, a *acta.Acta, parties ...string) []byte {
		msg, err := acta.Sign(a, f.Machines[a.Station])
		if err != nil {
			log.Fatal(err)
		}
		for _, p := range parties {
			if msg, err = acta.Cosign(msg, f.Def, f.Witness[p]); err != nil {
				log.Fatal(err)
			}
		}
		return msg
	}
	st := f1.Def.Station("100.1")
	zero := &acta.Acta{Election: f1.Def.ID, Station: st.ID, Kind: acta.Zero, Machine: st.Machine,
		Opened: time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC), Registered: st.Registered,
		Records: acta.Digest(nil), Contests: acta.Blank(f1.Def.Ballot(st))}
	one := sign(f1, zero)
	two := sign(f, finalActa(f))
	three := sign(f6, finalActa(f6), "pa", "pb", "pc")
	other := sign(f, finalActa(f), "pa") // another acta, of two parts
	parts := func(msg []byte, n int) []string {
		p := partsV1(msg)
		if len(p) != n {
			log.Fatalf("acta of %d bytes: %d version 1 parts, want %d", len(msg), len(p), n)
		}
		return p
	}
	p1, p2, p3, po := parts(one, 1), parts(two, 2), parts(three, 3), parts(other, 2)
	// header returns a payload's header line, with its newline.
	header := func(p string) string { return p[:strings.IndexByte(p, '\n')+1] }
	chunk := func(p string) string { return p[strings.IndexByte(p, '\n')+1:] }
	// with replaces the header of a payload.
	with := func(p, h string) string { return h + chunk(p) }
	d2 := digest(two)
	tamper := func(p, old, new string) string {
		if !strings.Contains(p, old) {
			log.Fatalf("payload has no %q", old)
		}
		return strings.Replace(p, old, new, 1)
	}

	var vs []vector
	good := func(name, comment string, f *electiontest.Fixture, msg []byte, payloads []string) {
		vs = append(vs, vector{name, comment, f.Text, msg, payloads, "ok"})
	}
	bad := func(name, comment string, payloads []string, want string) {
		vs = append(vs, vector{name, comment, nil, nil, payloads, want})
	}

	good("ok-one-part", "A zero tape of one contest, short enough for one part.", f1, one, p1)
	good("ok-two-parts", "A final acta of two contests signed by its machine: two parts of about the same size.", f, two, p2)
	good("ok-three-parts", "A final acta of six contests cosigned by three witnesses: three parts, the last shorter.", f6, three, p3)
	good("ok-any-order", "The parts of that acta given in the reverse order.", f6, three, []string{p3[2], p3[1], p3[0]})

	// The header.
	bad("bad-not-part", "A QR code that is not a part at all.", []string{"https://example.org/acta"}, `error ErrNotPart: (it starts "https://example.org/acta")`)
	bad("bad-version", "A part of an unknown version.", []string{with(p2[0], strings.Replace(header(p2[0]), "v1", "v3", 1)), p2[1]}, `error: unknown version (want "triplicate qr v2" or "triplicate qr v1")`)
	bad("bad-no-newline", "A header with no newline after it.", []string{strings.TrimSuffix(header(p1[0]), "\n")}, "error: no newline after the header")
	bad("bad-crlf", "A header line ending in a carriage return.", []string{with(p1[0], strings.Replace(header(p1[0]), "\n", "\r\n", 1))}, "error: is not 16 lower-case hexadecimal digits")
	bad("bad-extra-field", "A header with a field too many.", []string{with(p1[0], strings.Replace(header(p1[0]), "\n", " x\n", 1))}, `error: want "triplicate qr v1 I/N DIGEST"`)
	bad("bad-double-space", "Two spaces between the fields of the header.", []string{with(p1[0], strings.Replace(header(p1[0]), " 1/1 ", " 1/1  ", 1))}, `error: want "triplicate qr v1 I/N DIGEST"`)
	bad("bad-leading-zero", "A part number with a leading zero.", []string{with(p2[0], "triplicate qr v1 01/2 "+d2+"\n"), p2[1]}, `error: part number "01/2" is not I/N`)
	bad("bad-plus-sign", "A count with a sign.", []string{with(p2[0], "triplicate qr v1 1/+2 "+d2+"\n"), p2[1]}, `error: part number "1/+2" is not I/N`)
	bad("bad-index-zero", "Part number 0.", []string{with(p2[0], "triplicate qr v1 0/2 "+d2+"\n"), p2[1]}, `error: part number "0/2" is not I/N`)
	bad("bad-index-out-of-range", "Part number 3 of 2.", []string{p2[0], with(p2[1], "triplicate qr v1 3/2 "+d2+"\n")}, `error: part number "3/2" is not I/N`)
	bad("bad-count-too-large", "A count of 100 parts, more than 99.", []string{with(p2[0], "triplicate qr v1 1/100 "+d2+"\n")}, `error: part number "1/100" is not I/N`)
	bad("bad-digest-case", "A digest in upper case.", []string{with(p2[0], "triplicate qr v1 1/2 "+strings.ToUpper(d2)+"\n"), p2[1]}, "error: is not 16 lower-case hexadecimal digits")
	bad("bad-digest-short", "A digest of 15 digits.", []string{with(p2[0], "triplicate qr v1 1/2 "+d2[:15]+"\n"), p2[1]}, "error: is not 16 lower-case hexadecimal digits")
	// The chunk.
	bad("bad-empty-chunk", "A part that carries no bytes.", []string{"triplicate qr v1 1/1 " + digest(nil) + "\n"}, "error: QR part 1/1: carries 0 bytes, want 1 to 521")
	bad("bad-chunk-too-long", fmt.Sprintf("An acta of %d bytes in one part.", len(two)), []string{"triplicate qr v1 1/1 " + d2 + "\n" + string(two)}, fmt.Sprintf("error: QR part 1/1: carries %d bytes, want 1 to 521", len(two)))
	// The parts together.
	bad("bad-count-disagrees", "Two parts of the same acta that disagree on the count.", []string{p2[0], with(p2[1], "triplicate qr v1 2/3 "+d2+"\n")}, "error: QR part 2/3 and part 1/2 disagree on the number of parts")
	bad("bad-two-actas", "Part 1 of one acta and part 2 of another.", []string{p2[0], po[1]}, "error: QR part 2/2 is of another acta: digest "+digest(other)+", but part 1/2 has "+d2)
	bad("bad-twice", "Part 1 given twice.", []string{p2[0], p2[0], p2[1]}, "error: QR part 1/2 is given twice")
	bad("bad-missing", "Part 2 of 3 missing.", []string{p3[0], p3[2]}, "error ErrMissing: acta "+digest(three)+": missing QR part 2/3 (have 2 of 3)")
	bad("bad-none", "No parts at all.", nil, "error ErrMissing: no parts")
	bad("bad-tampered", "A vote changed in the chunk of part 2.", []string{p2[0], tamper(p2[1], "candidate ALBA 6", "candidate ALBA 7")}, "error: acta "+d2+": the joined parts have digest "+digest(bytes.Replace(two, []byte("candidate ALBA 6"), []byte("candidate ALBA 7"), 1))+": a part was altered or misread")
	bad("bad-swapped-chunks", "The chunks of parts 1 and 2 swapped, each under the other's header.", []string{with(p2[1], header(p2[0])), with(p2[0], header(p2[1]))}, "error: acta "+d2+": the joined parts have digest")
	split := func(at int) []string {
		return []string{
			fmt.Sprintf("triplicate qr v1 1/2 %s\n%s", d2, two[:at]),
			fmt.Sprintf("triplicate qr v1 2/2 %s\n%s", d2, two[at:]),
		}
	}
	bad("bad-uneven-split", "The right acta and digest, split into parts of 300 and 535 bytes: not the one split.", split(300), fmt.Sprintf("error: acta %s: QR part 1/2 carries 300 bytes, but version 1 puts %d in each part but the last", d2, (len(two)+1)/2))
	bad("bad-too-many-parts", "A zero tape that fits one part, split into two.", []string{
		fmt.Sprintf("triplicate qr v1 1/2 %s\n%s", digest(one), one[:len(one)/2]),
		fmt.Sprintf("triplicate qr v1 2/2 %s\n%s", digest(one), one[len(one)/2:]),
	}, fmt.Sprintf("error: acta %s: %d bytes in 2 parts, but version 1 makes 1", digest(one), len(one)))

	vs = append(vs, v2vectors(f1, f, f6, one, two, three, other, p2)...)

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(*dir, "*.txt"))
	for _, o := range old {
		os.Remove(o)
	}
	for _, v := range vs {
		ar := &txtar.Archive{Comment: []byte(v.comment + "\n")}
		if v.msg != nil {
			ar.Files = append(ar.Files, txtar.File{Name: "election", Data: v.election}, txtar.File{Name: "acta", Data: v.msg})
		}
		for i, p := range v.payloads {
			// Every payload is followed by one newline that is not part
			// of it: a chunk need not end in one.
			ar.Files = append(ar.Files, txtar.File{Name: fmt.Sprintf("payload %d", i+1), Data: []byte(p + "\n")})
		}
		ar.Files = append(ar.Files, txtar.File{Name: "want", Data: []byte(v.want + "\n")})
		data := txtar.Format(ar)
		if back := txtar.Parse(data); len(back.Files) != len(ar.Files) {
			log.Fatalf("%s: does not read back as txtar", v.name)
		}
		if err := os.WriteFile(filepath.Join(*dir, v.name+".txt"), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("wrote %d vectors to %s\n", len(vs), *dir)
}

// partsV1 splits a message into version 1 parts as doc/spec/qr.md says: N =
// ceil(L/521) parts, each of ceil(L/N) bytes but the last.
func partsV1(msg []byte) []string {
	n := (len(msg) + 520) / 521
	size := (len(msg) + n - 1) / n
	d := digest(msg)
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("triplicate qr v1 %d/%d %s\n%s", i+1, n, d, msg[i*size:min(len(msg), (i+1)*size)]))
	}
	return out
}

// digest is the digest of a part header, computed here as doc/spec/qr.md
// says rather than by package qr.
func digest(msg []byte) string {
	h := sha256.Sum256(msg)
	return hex.EncodeToString(h[:])[:16]
}

// finalActa returns a final acta of station 100.1 as the acta vectors have
// it: ten ballots, the first contest's 6 for ALBA, 3 for BRUNO and 1 null,
// every other contest's all blank.
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
	for i := 1; i < len(a.Contests); i++ {
		a.Contests[i].Blank = 10
	}
	return a
}
