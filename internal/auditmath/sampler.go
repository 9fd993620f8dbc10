package auditmath

// The public-seed sampler is Ronald Rivest's consistent sampler
// (github.com/ron-rivest/consistent_sampler, as forked by VotingWorks for
// Arlo), with the parameters Arlo uses. Anyone holding the seed and the list
// of ids can recompute every ticket with nothing but SHA-256 and decimal
// arithmetic. Byte by byte:
//
//  1. Text is hashed as its UTF-8 bytes. H(s) is the SHA-256 digest of s read
//     as a 256-bit big-endian unsigned integer; hex(s) is the digest as 64
//     lower-case hexadecimal characters.
//  2. U(s), the uniform fraction of s, is the string "0." followed by the
//     decimal digits of H(s), left-padded with zeros to at least 64 digits
//     (a 256-bit number has up to 78), written in reverse order: the least
//     significant digit comes first. U(s) has between 64 and 78 digits.
//  3. An item's id is a string: the text of Python's str() of Arlo's id. For
//     a string id that is the string itself; for a tuple it is Python's
//     repr of the tuple, e.g. "('pct 1', 3)" (see PyRepr and PyTuple).
//  4. The first ticket number of an item is T1(id) = U(hex(seed) + id): the
//     64 hexadecimal characters of the seed's digest followed directly by
//     the id, with no separator.
//  5. The next ticket number after x (a ticket number string "0.ddd") is
//     found as follows. Let x0 = x + "0" and let p be the position (from 0)
//     in x0 of its first digit after "0." that is not 9, so that x0[:p] is
//     "0." and the 9s x starts with. For i = 1, 2, 3, ...:
//     y = x0[:p] + U(x + ":" + decimal(i))[2:], that is, those 9s followed
//     by the digits of U of the full ticket x, a colon and i; the first y
//     with y > x0 is the next ticket number. It depends only on x, not on
//     the seed or the id.
//  6. Ticket numbers are compared as byte strings, which orders them as
//     decimal fractions; ties, which need a SHA-256 collision, are broken by
//     the id and then by the generation.
//  7. Without replacement, the sample of size n is the n items with the
//     smallest first ticket numbers, in increasing ticket order; every item
//     is generation 1.
//  8. With replacement, every item starts in a basket with its first ticket.
//     A draw takes the smallest ticket in the basket, and puts back the same
//     item with the next ticket number after the full-precision number just
//     drawn (rule 5) and a generation one higher. The sample is the first n
//     draws.
//  9. A ticket number is published trimmed: let p be the position of the
//     first digit after "0." that is not 9 (as in rule 5); the published
//     number is the first p + 18 characters (truncated, not rounded). So
//     "0.123..." keeps 18 digits and "0.99912..." keeps 21, the three 9s
//     and 18 more. Trimming is for display only: rules 5 to 8 use the full
//     digits.
//  10. Arlo's ballot-polling sample: ballot k (from 1) of batch b has id
//     "(" + repr(b) + ", " + decimal(k) + ")"; the sample is drawn with
//     replacement; a later round drawing n more after m earlier draws takes
//     draws m+1 to m+n of the same sequence.
//
// Batch comparison (BatchSample) draws batches with probability
// proportional to error bound as Arlo's draw_ppeb_sample does, with NumPy's
// random generator seeded from the same seed; its exact construction is in
// the comment on BatchSample. That generator, NumPy's
// default_rng(int(hex(seed), 16)), is in short: the entropy is the seed's
// digest as 32-bit words, least significant first, without high zero
// words; NumPy's SeedSequence hashes them into a pool of four words and
// expands the pool into four 64-bit words s0..s3 (seedSequenceState); PCG64
// starts from state 0 and increment 2·(s2·2^64 + s3) + 1, steps once, adds
// s0·2^64 + s1 to the state and steps again (newPCG64); each output steps
// the 128-bit LCG (multiplier 2549297995355413924·2^64 +
// 4865540595714422341) and returns the high and low halves of the new state
// XORed and rotated right by the state's top 6 bits; random() is the output
// shifted right by 11, times 2^-53.

import (
	"cmp"
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TicketDigits is how many significant digits a published ticket number
// keeps after any leading 9s, as Arlo sets it.
const TicketDigits = 18

// Ticket is one draw of the sampler: the item drawn, its ticket number as the
// sampler writes it (a decimal fraction string, for publication), and which
// draw of that item it is (1 for the first; with replacement an item can be
// drawn again).
type Ticket struct {
	Number     string
	Item       string
	Generation int
}

// Sample draws n tickets from the items (ids) with the given public seed, in
// ticket order, exactly as Rivest's consistent_sampler with Arlo's
// parameters (with or without replacement). Each item is hashed as given:
// it is the text of Python's str() of the id that Arlo would pass.
//
// Without replacement, n larger than len(items) draws every item once. The
// order of items does not matter. The items must be distinct, as
// consistent_sampler requires. Sample does not check the whole list, which
// would cost as much as the hashing: it panics if a repeated item is among
// those drawn, and a repeat that is not drawn does not change the result.
func Sample(seed string, items []string, n int, withReplacement bool) []Ticket {
	src := stringSource(items)
	draws := drawTickets(seed, src, n, withReplacement, TicketDigits)
	out := make([]Ticket, len(draws))
	for i, d := range draws {
		out[i] = Ticket{Number: d.number, Item: items[d.idx], Generation: d.gen}
	}
	return out
}

// BallotDraw is one draw of a ballot: its ticket number, the batch and the
// ballot's position in it (from 1), and how many times the ballot has been
// drawn so far, this draw included.
type BallotDraw struct {
	Ticket string
	Batch  string
	Ballot int
	Times  int
}

// BallotSample draws n ballots from a manifest of batches (batch id → ballots
// in it), ballots numbered from 1 within a batch, as Arlo's draw_sample
// does: the id of a ballot is Python's str() of the tuple (batch, ballot),
// e.g. "('pct 1', 3)". It returns draws alreadyDrawn+1 to alreadyDrawn+n of
// the sampler's sequence, in ticket order, so that a later round extends an
// earlier one. Batches with no ballots (or a negative count) add nothing.
//
// Arlo itself draws with replacement and keys batches by the tuple
// (jurisdiction name, tabulator, batch name); to reproduce its ids for such
// keys, build them with PyTuple and call Sample.
func BallotSample(seed string, manifest map[string]int, n int, withReplacement bool, alreadyDrawn int) []BallotDraw {
	if n <= 0 {
		return nil
	}
	alreadyDrawn = max(alreadyDrawn, 0)
	src := newBallotSource(manifest)
	draws := drawTickets(seed, src, alreadyDrawn+n, withReplacement, TicketDigits)
	if len(draws) <= alreadyDrawn {
		return nil
	}
	draws = draws[alreadyDrawn:]
	out := make([]BallotDraw, len(draws))
	for i, d := range draws {
		b, k := src.locate(d.idx)
		out[i] = BallotDraw{Ticket: d.number, Batch: src.names[b], Ballot: k, Times: d.gen}
	}
	return out
}

// TicketNumber returns the full-precision first ticket number of the id
// under the seed: U(hex(seed) + id) in the terms of the comment at the top
// of this file.
func TicketNumber(seed, id string) string {
	h := newTicketHasher(seed)
	return string(appendUniform(nil, h.first([]byte(id))))
}

// NextTicketNumber returns the ticket number that follows x for the same
// item when sampling with replacement. x must be a decimal fraction
// "0.ddd..." as the sampler writes it.
func NextTicketNumber(x string) string {
	return nextFraction(x)
}

// TrimTicket returns the ticket number x as published: truncated to digits
// significant digits after any 9s that follow "0.".
func TrimTicket(x string, digits int) string {
	p := firstNon9(x + "0")
	return x[:min(len(x), p+digits)]
}

// PyRepr returns Python 3's repr() of the string s: quoted with ' (or with "
// when s contains ' but not "), with \\, the quote, \t, \n, \r and other
// unprintable characters escaped as Python escapes them. Printable means
// Unicode categories L, M, N, P, S and the ASCII space, as in Python; a
// character assigned in a later Unicode version than Go's tables may differ.
// s should be valid UTF-8.
func PyRepr(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	b := make([]byte, 0, len(s)+2)
	b = append(b, quote)
	const hexd = "0123456789abcdef"
	for _, r := range s {
		switch {
		case r == rune(quote) || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r < ' ' || r == 0x7f:
			b = append(b, '\\', 'x', hexd[r>>4], hexd[r&15])
		case r < 0x7f:
			b = append(b, byte(r))
		case unicode.IsPrint(r):
			b = utf8.AppendRune(b, r)
		case r <= 0xff:
			b = append(b, '\\', 'x', hexd[r>>4], hexd[r&15])
		case r <= 0xffff:
			b = append(b, '\\', 'u')
			for sh := 12; sh >= 0; sh -= 4 {
				b = append(b, hexd[(r>>sh)&15])
			}
		default:
			b = append(b, '\\', 'U')
			for sh := 28; sh >= 0; sh -= 4 {
				b = append(b, hexd[(r>>sh)&15])
			}
		}
	}
	return string(append(b, quote))
}

// PyTuple returns Python's str() of a tuple whose elements have the given
// reprs: PyTuple(PyRepr("pct 1"), "3") is "('pct 1', 3)", and a one-element
// tuple is written "(x,)". Use "None" for Python's None and strconv.Itoa for
// integers.
func PyTuple(reprs ...string) string {
	if len(reprs) == 1 {
		return "(" + reprs[0] + ",)"
	}
	return "(" + strings.Join(reprs, ", ") + ")"
}

// ticketDraw is one ticket drawn from a source: the index of its item, its
// published (trimmed) number and its generation.
type ticketDraw struct {
	idx    int
	number string
	gen    int
}

// idSource is the list of ids a sample is drawn from.
type idSource interface {
	len() int
	// appendID appends the id of item i to dst.
	appendID(dst []byte, i int) []byte
	// each calls f with every item's index and id, in index order; id is
	// valid only during the call.
	each(f func(i int, id []byte))
}

type stringSource []string

func (s stringSource) len() int                          { return len(s) }
func (s stringSource) appendID(dst []byte, i int) []byte { return append(dst, s[i]...) }
func (s stringSource) each(f func(int, []byte)) {
	var buf []byte
	for i, it := range s {
		buf = append(buf[:0], it...)
		f(i, buf)
	}
}

// ballotSource numbers the ballots of a manifest batch by batch, batches in
// byte order of their ids, ballots from 1.
type ballotSource struct {
	names  []string
	reprs  []string // "(" + repr(batch) + ", "
	starts []int    // index of each batch's first ballot; one extra at the end
}

func newBallotSource(manifest map[string]int) *ballotSource {
	s := &ballotSource{}
	for name, count := range manifest {
		if count > 0 {
			s.names = append(s.names, name)
		}
	}
	slices.Sort(s.names)
	total := 0
	for _, name := range s.names {
		s.reprs = append(s.reprs, "("+PyRepr(name)+", ")
		s.starts = append(s.starts, total)
		total += manifest[name]
	}
	s.starts = append(s.starts, total)
	return s
}

func (s *ballotSource) len() int { return s.starts[len(s.starts)-1] }

// locate returns the batch and ballot position (from 1) of ballot i.
func (s *ballotSource) locate(i int) (batch, ballot int) {
	b := sort.SearchInts(s.starts, i+1) - 1
	return b, i - s.starts[b] + 1
}

func (s *ballotSource) appendID(dst []byte, i int) []byte {
	b, k := s.locate(i)
	dst = append(dst, s.reprs[b]...)
	dst = strconv.AppendInt(dst, int64(k), 10)
	return append(dst, ')')
}

func (s *ballotSource) each(f func(int, []byte)) {
	var buf []byte
	for b, prefix := range s.reprs {
		start, end := s.starts[b], s.starts[b+1]
		for i := start; i < end; i++ {
			buf = append(buf[:0], prefix...)
			buf = strconv.AppendInt(buf, int64(i-start+1), 10)
			buf = append(buf, ')')
			f(i, buf)
		}
	}
}

// ticketHasher computes H(hex(seed) + id) for many ids. hex(seed) is 64
// bytes, exactly one SHA-256 block, so the state after it is computed once
// and restored for each id.
type ticketHasher struct {
	h     hash.Hash
	u     encoding.BinaryUnmarshaler
	state []byte
	sum   [32]byte
}

func newTicketHasher(seed string) *ticketHasher {
	var hexSeed [64]byte
	sd := sha256.Sum256([]byte(seed))
	hex.Encode(hexSeed[:], sd[:])
	h := sha256.New()
	h.Write(hexSeed[:])
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		panic(err) // cannot happen for crypto/sha256
	}
	return &ticketHasher{h: h, u: h.(encoding.BinaryUnmarshaler), state: state}
}

func (t *ticketHasher) first(id []byte) *[32]byte {
	if err := t.u.UnmarshalBinary(t.state); err != nil {
		panic(err) // cannot happen: the state came from MarshalBinary
	}
	t.h.Write(id)
	t.h.Sum(t.sum[:0])
	return &t.sum
}

// tenPow19 is 10^19, the largest power of ten below 2^64.
const tenPow19 = 10_000_000_000_000_000_000

// sortKey returns the first 19 digits of U for the digest d, as a number:
// the 19 least significant decimal digits of H, reversed. Ticket numbers
// with different keys compare as their keys do.
func sortKey(d *[32]byte) uint64 {
	var r uint64
	for i := 0; i < 32; i += 8 {
		_, r = bits.Div64(r, binary.BigEndian.Uint64(d[i:]), tenPow19)
	}
	// Reverse the 19 digits: the lowest becomes the highest.
	lo, hi := r%1e9, r/1e9 // 9 digits, 10 digits
	return reverse9(lo)*1e10 + reverse9(hi%1e9)*10 + hi/1e9
}

// prefixKey returns the first 9 digits of U for the digest d: the first
// 9 digits of sortKey(d), sortKey(d) / 10^10, computed without division of
// the 256-bit number.
func prefixKey(d *[32]byte) uint64 {
	const m = 1_000_000_000
	const c1, c2, c3 = (1 << 64) % m, (1 << 128) % m, (1 << 192) % m
	r := binary.BigEndian.Uint64(d[0:])%m*c3 + binary.BigEndian.Uint64(d[8:])%m*c2 +
		binary.BigEndian.Uint64(d[16:])%m*c1 + binary.BigEndian.Uint64(d[24:])%m
	return reverse9(r % m)
}

// reverse9 returns the 9 decimal digits of x < 10^9 in reverse order.
func reverse9(x uint64) uint64 {
	return uint64(rev3[x%1000])*1e6 + uint64(rev3[x/1000%1000])*1e3 + uint64(rev3[x/1e6])
}

// rev3[x] is the 3 decimal digits of x in reverse order.
var rev3 = func() (t [1000]uint16) {
	for x := range t {
		t[x] = uint16(x%10*100 + x/10%10*10 + x/100)
	}
	return t
}()

// appendUniform appends U for the digest d: "0." and the decimal digits of
// the digest as a big-endian integer, padded to 64 digits, least significant
// first.
func appendUniform(dst []byte, d *[32]byte) []byte {
	w := [4]uint64{
		binary.BigEndian.Uint64(d[0:]), binary.BigEndian.Uint64(d[8:]),
		binary.BigEndian.Uint64(d[16:]), binary.BigEndian.Uint64(d[24:]),
	}
	dst = append(dst, '0', '.')
	start := len(dst)
	for w != [4]uint64{} {
		var r uint64
		for j := range w {
			w[j], r = bits.Div64(r, w[j], tenPow19)
		}
		if w == [4]uint64{} {
			for ; r > 0; r /= 10 {
				dst = append(dst, byte('0'+r%10))
			}
			break
		}
		for range 19 {
			dst = append(dst, byte('0'+r%10))
			r /= 10
		}
	}
	for len(dst)-start < 64 {
		dst = append(dst, '0')
	}
	return dst
}

// uniformFraction returns U(s).
func uniformFraction(s string) string {
	d := sha256.Sum256([]byte(s))
	return string(appendUniform(nil, &d))
}

// firstNon9 returns the position of the first byte after "0." in x0 that is
// less than '9'; x0 must end in such a byte.
func firstNon9(x0 string) int {
	p := 2
	for p < len(x0)-1 && x0[p] >= '9' {
		p++
	}
	return p
}

// nextFraction returns the next ticket number after x (rule 5).
func nextFraction(x string) string {
	x0 := x + "0"
	prefix := x0[:firstNon9(x0)]
	for i := 1; ; i++ {
		y := prefix + uniformFraction(x + ":" + strconv.Itoa(i))[2:]
		if y > x0 {
			return y
		}
	}
}

// ticketCand is an item in the running selection of the smallest first tickets.
type ticketCand struct {
	key uint64
	d   [32]byte
	idx int
}

// ticketCandLess orders candidates by full ticket number, then id.
func ticketCandLess(src idSource, a, b *ticketCand) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	an := string(appendUniform(nil, &a.d))
	bn := string(appendUniform(nil, &b.d))
	if an != bn {
		return an < bn
	}
	return string(src.appendID(nil, a.idx)) < string(src.appendID(nil, b.idx))
}

// smallestTickets returns the k items of src with the smallest first ticket
// numbers, in increasing order. Every item is hashed once; a max-heap of k
// candidates keeps the selection, so the cost beyond hashing is
// O(len·log k) comparisons of 64-bit keys in the worst case and far fewer
// in practice.
func smallestTickets(seed string, src idSource, k int) []ticketCand {
	k = min(k, src.len())
	if k <= 0 {
		return nil
	}
	th := newTicketHasher(seed)
	heap := make([]ticketCand, 0, k)
	// less for the max-heap: a ranks above b when a's ticket is larger.
	above := func(a, b *ticketCand) bool { return ticketCandLess(src, b, a) }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(heap) {
				return
			}
			m := l
			if r := l + 1; r < len(heap) && above(&heap[r], &heap[l]) {
				m = r
			}
			if !above(&heap[m], &heap[i]) {
				return
			}
			heap[i], heap[m] = heap[m], heap[i]
			i = m
		}
	}
	var c ticketCand
	var limit uint64 // prefix of the largest ticket kept, once k are kept
	src.each(func(i int, id []byte) {
		d := th.first(id)
		if len(heap) == k && prefixKey(d) > limit {
			return
		}
		c.key, c.d, c.idx = sortKey(d), *d, i
		if len(heap) < k {
			heap = append(heap, c)
			for j := len(heap) - 1; j > 0; {
				p := (j - 1) / 2
				if !above(&heap[j], &heap[p]) {
					break
				}
				heap[j], heap[p] = heap[p], heap[j]
				j = p
			}
			limit = heap[0].key / 1e10
			return
		}
		if c.key > heap[0].key || !ticketCandLess(src, &c, &heap[0]) {
			return
		}
		heap[0] = c
		down(0)
		limit = heap[0].key / 1e10
	})
	slices.SortFunc(heap, func(a, b ticketCand) int {
		if ticketCandLess(src, &a, &b) {
			return -1
		}
		if ticketCandLess(src, &b, &a) {
			return 1
		}
		return 0
	})
	return heap
}

// drawTickets draws take tickets from src (rules 7 and 8), trimming ticket
// numbers to digits.
func drawTickets(seed string, src idSource, take int, withReplacement bool, digits int) []ticketDraw {
	first := smallestTickets(seed, src, take)
	for i := 1; i < len(first); i++ {
		if first[i].d == first[i-1].d {
			panic(fmt.Sprintf("auditmath: item %q listed twice", src.appendID(nil, first[i].idx)))
		}
	}
	if !withReplacement {
		out := make([]ticketDraw, len(first))
		for i := range first {
			num := string(appendUniform(nil, &first[i].d))
			out[i] = ticketDraw{idx: first[i].idx, number: TrimTicket(num, digits), gen: 1}
		}
		return out
	}
	if len(first) == 0 {
		return nil
	}
	// A ticket outside the take smallest first tickets is larger than take
	// tickets already in the basket, and so is never among the first take
	// draws: the basket needs only these.
	type entry struct {
		number string // full precision
		id     string
		idx    int
		gen    int
	}
	less := func(a, b *entry) bool {
		if c := cmp.Compare(a.number, b.number); c != 0 {
			return c < 0
		}
		if a.id != b.id {
			return a.id < b.id
		}
		return a.gen < b.gen
	}
	basket := make([]entry, len(first)) // sorted, hence a min-heap
	for i := range first {
		basket[i] = entry{
			number: string(appendUniform(nil, &first[i].d)),
			id:     string(src.appendID(nil, first[i].idx)),
			idx:    first[i].idx,
			gen:    1,
		}
	}
	out := make([]ticketDraw, 0, take)
	for len(out) < take {
		e := &basket[0]
		out = append(out, ticketDraw{idx: e.idx, number: TrimTicket(e.number, digits), gen: e.gen})
		e.number = nextFraction(e.number)
		e.gen++
		for i := 0; ; {
			l := 2*i + 1
			if l >= len(basket) {
				break
			}
			m := l
			if r := l + 1; r < len(basket) && less(&basket[r], &basket[l]) {
				m = r
			}
			if !less(&basket[m], &basket[i]) {
				break
			}
			basket[i], basket[m] = basket[m], basket[i]
			i = m
		}
	}
	return out
}

// BatchKey is Arlo's key of a batch in a batch-comparison audit: the tuple
// (jurisdiction name, batch name). Its id for the sampler is Python's str()
// of that tuple, e.g. "('Jx 1', 'pct 8')".
type BatchKey struct {
	Jurisdiction string
	Name         string
}

func (k BatchKey) id() string {
	return PyTuple(PyRepr(k.Jurisdiction), PyRepr(k.Name))
}

func compareBatchKeys(a, b BatchKey) int {
	if c := strings.Compare(a.Jurisdiction, b.Jurisdiction); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

// WeightedBatch is a batch that BatchSample may draw, with its weight: its
// error bound divided by the sum of all batches' error bounds (for MACRO,
// MacroErrorBound of the batch over U), as the float64 that Arlo's
// ppeb_weights computes.
type WeightedBatch struct {
	Key    BatchKey
	Weight float64
}

// BatchDraw is one draw of a batch: its ticket number, the batch, and how
// many times the batch has been drawn so far, this draw included.
type BatchDraw struct {
	Ticket string
	Key    BatchKey
	Times  int
}

// BatchSample draws n batches with replacement, with probability
// proportional to error bound (PPEB), exactly as Arlo's draw_ppeb_sample
// does for a contest not nested under another; previous lists the batches
// drawn in earlier rounds, in the order they were drawn. It returns the new
// draws in draw order (not ticket order: the ticket numbers only label the
// draws).
//
// The construction, after Arlo:
//
//  1. Sort the batches by key (jurisdiction, then name, by code point).
//     Let k = len(previous) + n.
//  2. If k >= len(batches), every batch is to be counted: the sequence is
//     previous followed by every batch not in previous, in key order.
//  3. Otherwise the sequence is k draws from NumPy's
//     numpy.random.default_rng(int(hex(seed), 16)), that is PCG64 seeded by
//     SeedSequence with the seed's SHA-256 digest as a 256-bit integer.
//     With cdf the running sum of the weights in key order, divided by its
//     last element, draw j is the first batch i with cdf[i] > u_j, where
//     u_j is the generator's j-th random() double ((next64 >> 11)·2^-53).
//  4. Ticket numbers label the sequence: the first time a batch appears its
//     ticket is TicketNumber(seed, id) trimmed to 18 digits; each later
//     time, NextTicketNumber of its previous trimmed ticket, trimmed again.
//  5. The result is the sequence without its first len(previous) entries.
//
// The weights must be finite and not negative, and some weight must be
// positive (Arlo refuses a contest with no results in any batch). Batch
// keys must be distinct. Arlo's nested samples (a contest's draws derived
// from another's) are not implemented.
func BatchSample(seed string, batches []WeightedBatch, n int, previous []BatchKey) ([]BatchDraw, error) {
	if n < 0 {
		return nil, fmt.Errorf("auditmath: negative sample size %d", n)
	}
	if len(batches) == 0 {
		return nil, fmt.Errorf("auditmath: no batches to sample")
	}
	sorted := slices.Clone(batches)
	slices.SortFunc(sorted, func(a, b WeightedBatch) int { return compareBatchKeys(a.Key, b.Key) })
	keys := make([]BatchKey, len(sorted))
	weights := make([]float64, len(sorted))
	positive := false
	for i, b := range sorted {
		if i > 0 && b.Key == sorted[i-1].Key {
			return nil, fmt.Errorf("auditmath: batch %q/%q listed twice", b.Key.Jurisdiction, b.Key.Name)
		}
		if !(b.Weight >= 0) || b.Weight > math.MaxFloat64 {
			return nil, fmt.Errorf("auditmath: batch %q/%q has weight %v", b.Key.Jurisdiction, b.Key.Name, b.Weight)
		}
		positive = positive || b.Weight > 0
		keys[i], weights[i] = b.Key, b.Weight
	}
	if !positive {
		return nil, fmt.Errorf("auditmath: every batch has weight 0")
	}
	var total float64
	for _, w := range weights {
		total += w
	}
	if total > math.MaxFloat64 {
		return nil, fmt.Errorf("auditmath: the weights' sum overflows")
	}
	k := len(previous) + n
	var seq []BatchKey
	if k >= len(keys) {
		prev := make(map[BatchKey]bool, len(previous))
		for _, p := range previous {
			prev[p] = true
		}
		seq = slices.Clone(previous)
		for _, key := range keys {
			if !prev[key] {
				seq = append(seq, key)
			}
		}
	} else {
		for _, i := range ppebIndexes(seed, weights, k) {
			seq = append(seq, keys[i])
		}
	}
	trim := func(x string) string { return TrimTicket(x, TicketDigits) }
	return labelBatches(seed, seq, trim)[len(previous):], nil
}

// ppebIndexes returns k draws of indexes into weights as NumPy's
// Generator.choice(p=weights) makes them (step 3 of BatchSample).
func ppebIndexes(seed string, weights []float64, k int) []int {
	cdf := make([]float64, len(weights))
	var sum float64
	for i, w := range weights {
		sum += w
		cdf[i] = sum
	}
	last := cdf[len(cdf)-1]
	for i := range cdf {
		cdf[i] /= last
	}
	d := sha256.Sum256([]byte(seed))
	g := newPCG64(seedSequenceState(bigEndianWords(d[:])))
	out := make([]int, k)
	for j := range out {
		u := g.random()
		out[j] = sort.Search(len(cdf), func(i int) bool { return cdf[i] > u })
	}
	return out
}

// labelBatches gives each entry of seq its ticket number, trimmed by trim,
// and its count (step 4 of BatchSample).
func labelBatches(seed string, seq []BatchKey, trim func(string) string) []BatchDraw {
	last := make(map[BatchKey]BatchDraw)
	out := make([]BatchDraw, len(seq))
	for i, key := range seq {
		d, seen := last[key]
		if seen {
			d.Ticket = trim(nextFraction(d.Ticket))
			d.Times++
		} else {
			d = BatchDraw{Ticket: trim(TicketNumber(seed, key.id())), Key: key, Times: 1}
		}
		last[key] = d
		out[i] = d
	}
	return out
}

// bigEndianWords returns the big-endian integer b as 32-bit words, least
// significant first, without high zero words (but at least one word), as
// NumPy's SeedSequence takes a Python int.
func bigEndianWords(b []byte) []uint32 {
	var w []uint32
	for i := len(b); i > 0; i -= 4 {
		var v uint32
		for _, c := range b[max(i-4, 0):i] {
			v = v<<8 | uint32(c)
		}
		w = append(w, v)
	}
	for len(w) > 1 && w[len(w)-1] == 0 {
		w = w[:len(w)-1]
	}
	if len(w) == 0 {
		w = append(w, 0)
	}
	return w
}

// seedSequenceState returns the four 64-bit words that NumPy's
// SeedSequence(entropy).generate_state(4, np.uint64) gives for a
// SeedSequence with no spawn key and the default pool of four 32-bit words
// (Melissa O'Neill's seed_seq_fe hashing, as numpy/random/bit_generator.pyx
// does it).
func seedSequenceState(entropy []uint32) [4]uint64 {
	const (
		initA = 0x43b0d7e5
		multA = 0x931e8875
		initB = 0x8b51f9dd
		multB = 0x58f38ded
		mixL  = 0xca01f9dd
		mixR  = 0x4973f715
	)
	hc := uint32(initA)
	hashmix := func(v uint32) uint32 {
		v ^= hc
		hc *= multA
		v *= hc
		return v ^ v>>16
	}
	mix := func(x, y uint32) uint32 {
		r := mixL*x - mixR*y
		return r ^ r>>16
	}
	var pool [4]uint32
	for i := range pool {
		var e uint32
		if i < len(entropy) {
			e = entropy[i]
		}
		pool[i] = hashmix(e)
	}
	for src := range pool {
		for dst := range pool {
			if src != dst {
				pool[dst] = mix(pool[dst], hashmix(pool[src]))
			}
		}
	}
	for src := len(pool); src < len(entropy); src++ {
		for dst := range pool {
			pool[dst] = mix(pool[dst], hashmix(entropy[src]))
		}
	}
	hb := uint32(initB)
	var words [8]uint32
	for i := range words {
		v := pool[i%len(pool)] ^ hb
		hb *= multB
		v *= hb
		words[i] = v ^ v>>16
	}
	var out [4]uint64
	for i := range out {
		out[i] = uint64(words[2*i]) | uint64(words[2*i+1])<<32
	}
	return out
}

// pcg64 is NumPy's PCG64 bit generator: a 128-bit LCG with the XSL-RR
// output function.
type pcg64 struct {
	hi, lo       uint64 // state
	inchi, inclo uint64 // increment, odd
}

const pcgMulHi, pcgMulLo = 2549297995355413924, 4865540595714422341

// newPCG64 seeds the generator as NumPy's PCG64(seed_seq) does: the state
// words give initstate = s[0]·2^64 + s[1] and initseq = s[2]·2^64 + s[3].
func newPCG64(s [4]uint64) *pcg64 {
	g := &pcg64{inchi: s[2]<<1 | s[3]>>63, inclo: s[3]<<1 | 1}
	g.step()
	var c uint64
	g.lo, c = bits.Add64(g.lo, s[1], 0)
	g.hi += s[0] + c
	g.step()
	return g
}

func (g *pcg64) step() {
	h, l := bits.Mul64(g.lo, pcgMulLo)
	h += g.hi*pcgMulLo + g.lo*pcgMulHi
	var c uint64
	g.lo, c = bits.Add64(l, g.inclo, 0)
	g.hi = h + g.inchi + c
}

// next64 advances the generator and returns the output of the new state.
func (g *pcg64) next64() uint64 {
	g.step()
	return bits.RotateLeft64(g.hi^g.lo, -int(g.hi>>58))
}

// random returns a double in [0, 1) as NumPy's Generator.random does.
func (g *pcg64) random() float64 {
	return float64(g.next64()>>11) * (1.0 / 9007199254740992.0)
}
