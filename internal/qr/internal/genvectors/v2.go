package main

import (
	"fmt"
	"log"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// v2vectors returns the version 2 vectors: every set of K parts of a
// two-part and a three-part acta joins, fewer do not, and each rule of the
// header and of the parts together is broken once. p2v1 are the version 1
// parts of the acta two.
func v2vectors(f1, f, f6 *electiontest.Fixture, one, two, three, other []byte, p2v1 []string) []vector {
	parts := func(msg []byte, k, n int) []string {
		p, err := qr.Parts(msg)
		if err != nil || len(p) != n || !strings.Contains(p[0], fmt.Sprintf("/%d %d %d ", n, k, len(msg))) {
			log.Fatalf("acta of %d bytes: %d parts, want %d of which %d rebuild it: %v", len(msg), len(p), n, k, err)
		}
		return p
	}
	p1, p2, p3, po := parts(one, 1, 2), parts(two, 2, 3), parts(three, 3, 5), parts(other, 2, 3)
	header := func(p string) string { return p[:strings.IndexByte(p, '\n')+1] }
	chunk := func(p string) string { return p[strings.IndexByte(p, '\n')+1:] }
	with := func(p, h string) string { return h + chunk(p) }
	d2, l2 := digest(two), len(two)
	// flip changes one byte of a part's shard: as a misread or a forger
	// would.
	flip := func(p string, at int) string {
		b := []byte(p)
		b[len(header(p))+at] ^= 0x04
		return string(b)
	}

	var vs []vector
	good := func(name, comment string, f *electiontest.Fixture, msg []byte, payloads []string) {
		vs = append(vs, vector{name, comment, f.Text, msg, payloads, "ok"})
	}
	bad := func(name, comment string, payloads []string, want string) {
		vs = append(vs, vector{name, comment, nil, nil, payloads, want})
	}
	pick := func(ps []string, idx ...int) []string {
		var out []string
		for _, i := range idx {
			out = append(out, ps[i])
		}
		return out
	}

	good("ok-v2-one-part", "A zero tape short enough for one data part, with its parity part: two codes.", f1, one, p1)
	good("ok-v2-one-part-parity-only", "The parity part of that zero tape alone rebuilds it.", f1, one, p1[1:])
	good("ok-v2-all-parts", "A final acta of two contests signed by its machine: two data parts and a parity part, all given.", f, two, p2)
	good("ok-v2-any-order", "A final acta of six contests cosigned by three witnesses, all five parts in the reverse order.", f6, three, []string{p3[4], p3[3], p3[2], p3[1], p3[0]})
	for _, s := range subsetsOf(3, 2) {
		good(fmt.Sprintf("ok-v2-two-of-three-%d%d", s[0]+1, s[1]+1), fmt.Sprintf("Parts %d and %d of the three of a final acta: any two rebuild it.", s[0]+1, s[1]+1), f, two, pick(p2, s...))
	}
	for _, s := range subsetsOf(5, 3) {
		good(fmt.Sprintf("ok-v2-three-of-five-%d%d%d", s[0]+1, s[1]+1, s[2]+1), fmt.Sprintf("Parts %d, %d and %d of the five of a final acta cosigned by three witnesses: any three rebuild it.", s[0]+1, s[1]+1, s[2]+1), f6, three, pick(p3, s...))
	}

	bad("bad-v2-fewer-than-k", "Two of the five parts of an acta that needs three.", pick(p3, 1, 4),
		fmt.Sprintf("error ErrMissing: acta %s: missing QR part: 2 read, 1 more needed (any 3 of its 5 codes rebuild it; read 2/5, 5/5)", digest(three)))
	bad("bad-v2-one-of-two-needed", "One part of an acta that needs two.", pick(p2, 2), "error ErrMissing: 1 read, 1 more needed")
	bad("bad-v2-parity-altered", "Data part 1 and the parity part, one byte of the parity changed: the rebuilt acta has the wrong digest.",
		[]string{p2[0], flip(p2[2], 10)}, "error: acta "+d2+": the rebuilt acta has digest")
	bad("bad-v2-parity-altered-all-given", "All three parts, one byte of the parity changed: it disagrees with the data parts, and is named.",
		[]string{p2[0], p2[1], flip(p2[2], 10)}, "error: acta "+d2+": QR part 3/3 disagrees with the other parts")
	vote := slices.IndexFunc(p2[:2], func(p string) bool { return strings.Contains(p, "candidate ALBA 6") })
	if vote < 0 {
		log.Fatal("no data part holds ALBA's votes")
	}
	bad("bad-v2-data-altered", fmt.Sprintf("A vote changed in data part %d, given with the parity part.", vote+1),
		[]string{strings.Replace(p2[vote], "candidate ALBA 6", "candidate ALBA 7", 1), p2[2]}, "error: acta "+d2+": the rebuilt acta has digest")
	bad("bad-v2-two-actas", "Part 1 of one acta and part 2 of another.", []string{p2[0], po[1]}, "error: QR part 2/3 is of another acta: digest "+digest(other)+", but part 1/3 has "+d2)
	bad("bad-v2-mixed-versions", "Version 2 part 1 and version 1 part 2 of the same acta.", []string{p2[0], p2v1[1]}, "error: QR part 2/2 is version 1, but part 1/3 of the same acta is version 2")
	bad("bad-v2-inconsistent-k", "A header that says 3 parts rebuild an acta whose length makes it 2.",
		[]string{with(p2[0], strings.Replace(header(p2[0]), " 2 ", " 3 ", 1)), p2[1]},
		fmt.Sprintf("error: an acta of %d bytes is 3 codes of which 2 rebuild it, not 3 and 3", l2))
	bad("bad-v2-count-disagrees", "A header that says 4 codes where the length makes 3.",
		[]string{with(p2[0], strings.Replace(header(p2[0]), "1/3 ", "1/4 ", 1)), p2[1]},
		fmt.Sprintf("error: an acta of %d bytes is 3 codes of which 2 rebuild it, not 4 and 2", l2))
	bad("bad-v2-length-wrong", "A header whose length is one byte more: the shards are the wrong size for it.",
		[]string{with(p2[0], strings.Replace(header(p2[0]), fmt.Sprintf(" %d ", l2), fmt.Sprintf(" %d ", l2+2), 1)), p2[1]},
		fmt.Sprintf("error: QR part 1/3: carries %d bytes, but each part of an acta of %d bytes carries %d", (l2+1)/2, l2+2, (l2+3)/2))
	bad("bad-v2-length-leading-zero", "A length with a leading zero.", []string{with(p2[0], strings.Replace(header(p2[0]), fmt.Sprintf(" %d ", l2), fmt.Sprintf(" 0%d ", l2), 1))}, "error: length")
	bad("bad-v2-extra-field", "A header with a field too many.", []string{with(p2[0], strings.Replace(header(p2[0]), "\n", " x\n", 1))}, `error: want "triplicate qr v2 I/N K L DIGEST"`)
	bad("bad-v2-v1-header", "A version 2 part with a version 1 header's fields.", []string{with(p2[0], "triplicate qr v2 1/3 "+d2+"\n")}, `error: want "triplicate qr v2 I/N K L DIGEST"`)
	bad("bad-v2-twice", "Part 1 given twice.", []string{p2[0], p2[0], p2[1]}, "error: QR part 1/3 is given twice")
	bad("bad-v2-swapped-shards", "The shards of data parts 1 and 2 swapped, each under the other's header: the padding, now in the middle, is caught first.", []string{with(p2[1], header(p2[0])), with(p2[0], header(p2[1]))}, "error: acta "+d2+": the padding after the acta's")
	if l2%2 == 0 {
		log.Fatalf("the acta of two parts has %d bytes: the padding vector needs an odd length", l2)
	}
	// An acta one byte shorter than two shards of (l2+1)/2 bytes has a
	// byte of padding. Make the parts of the acta with one more byte, not
	// zero, whose parity is right, and say in the headers that the byte is
	// padding.
	longer := append(slices.Clone(two), 'x')
	pl := parts(longer, 2, 3)
	for i := range pl {
		pl[i] = strings.Replace(pl[i], fmt.Sprintf(" %d %s", len(longer), digest(longer)), fmt.Sprintf(" %d %s", l2, d2), 1)
	}
	bad("bad-v2-padding-not-zero", "The acta's bytes with a padding byte that is not zero, the parity made over it.", pl[:2],
		fmt.Sprintf("error: acta %s: the padding after the acta's %d bytes is not zero bytes", d2, l2))
	return vs
}

// subsetsOf returns every set of k of the numbers 0..n-1, each in order.
func subsetsOf(n, k int) [][]int {
	if k == 0 {
		return [][]int{nil}
	}
	var out [][]int
	for first := 0; first <= n-k; first++ {
		for _, rest := range subsetsOf(n-first-1, k-1) {
			s := []int{first}
			for _, r := range rest {
				s = append(s, first+1+r)
			}
			out = append(out, s)
		}
	}
	return out
}
