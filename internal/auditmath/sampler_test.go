package auditmath

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func readSamplerVectors(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sampler", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestSampleArloBallotVectors checks BallotSample against Arlo's published
// draw_sample snapshots.
func TestSampleArloBallotVectors(t *testing.T) {
	var f struct {
		Seed            string
		Manifest        map[string]int
		WithReplacement bool
		Cases           []struct {
			Name         string
			N            int
			AlreadyDrawn int
			Draws        [][4]json.RawMessage
		}
	}
	readSamplerVectors(t, "arlo_ballots.json", &f)
	if len(f.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range f.Cases {
		var want []BallotDraw
		for _, d := range c.Draws {
			var bd BallotDraw
			for i, p := range []any{&bd.Ticket, &bd.Batch, &bd.Ballot, &bd.Times} {
				if err := json.Unmarshal(d[i], p); err != nil {
					t.Fatal(err)
				}
			}
			want = append(want, bd)
		}
		got := BallotSample(f.Seed, f.Manifest, c.N, f.WithReplacement, c.AlreadyDrawn)
		if !slices.Equal(got, want) {
			t.Errorf("%s:\ngot  %v\nwant %v", c.Name, got, want)
		}
	}
}

// TestBatchSampleArloVectors checks the PPEB draws (NumPy's generator and
// choice) and the batch tickets against Arlo's published draw_ppeb_sample
// snapshots. That Arlo version kept the batches in insertion order and cut
// tickets to 18 characters, so the test calls the steps BatchSample is made
// of rather than BatchSample itself.
func TestBatchSampleArloVectors(t *testing.T) {
	var f struct {
		Seed  string
		Cases []struct {
			Name     string
			Batches  json.RawMessage
			N        int
			Previous int
			Draws    [][4]json.RawMessage
		}
	}
	readSamplerVectors(t, "arlo_ppeb.json", &f)
	var lastBatches json.RawMessage
	for _, c := range f.Cases {
		if c.Batches[0] == '"' {
			c.Batches = lastBatches
		}
		lastBatches = c.Batches
		var rows [][3]json.RawMessage
		if err := json.Unmarshal(c.Batches, &rows); err != nil {
			t.Fatal(err)
		}
		var keys []BatchKey
		var bounds []float64
		var sum float64
		for _, r := range rows {
			var k BatchKey
			var u float64
			for i, p := range []any{&k.Jurisdiction, &k.Name, &u} {
				if err := json.Unmarshal(r[i], p); err != nil {
					t.Fatal(err)
				}
			}
			keys, bounds, sum = append(keys, k), append(bounds, u), sum+u
		}
		weights := make([]float64, len(bounds))
		for i, u := range bounds {
			weights[i] = u / sum
		}
		var want []BatchDraw
		for _, d := range c.Draws {
			var bd BatchDraw
			for i, p := range []any{&bd.Ticket, &bd.Key.Jurisdiction, &bd.Key.Name, &bd.Times} {
				if err := json.Unmarshal(d[i], p); err != nil {
					t.Fatal(err)
				}
			}
			want = append(want, bd)
		}
		var seq []BatchKey
		for _, i := range ppebIndexes(f.Seed, weights, c.Previous+c.N) {
			seq = append(seq, keys[i])
		}
		first18 := func(x string) string { return x[:min(len(x), 18)] }
		got := labelBatches(f.Seed, seq, first18)[c.Previous:]
		if !slices.Equal(got, want) {
			t.Errorf("%s:\ngot  %v\nwant %v", c.Name, got, want)
		}
	}
}

// TestSamplerRivestVectors checks the ticket arithmetic and the sampler
// against the examples published with consistent_sampler.
func TestSamplerRivestVectors(t *testing.T) {
	var f struct {
		Uniform []struct{ Input, Output string }
		First   []struct{ Seed, ID, Number string }
		Next    []struct{ X, Y string }
		Trim    []struct {
			X       string
			Digits  int
			Trimmed string
		}
		Samples []struct {
			Source          string
			Seed            string
			Items           []string
			Range           int
			WithReplacement bool
			Take            int
			Digits          int
			IDs             []string
			Tickets         [][3]json.RawMessage
		}
	}
	readSamplerVectors(t, "rivest.json", &f)
	for _, u := range f.Uniform {
		if got := uniformFraction(u.Input); got != u.Output {
			t.Errorf("U(%q) = %s, want %s", u.Input, got, u.Output)
		}
	}
	for _, c := range f.First {
		if got := TicketNumber(c.Seed, c.ID); got != c.Number {
			t.Errorf("TicketNumber(%q, %q) = %s, want %s", c.Seed, c.ID, got, c.Number)
		}
	}
	for _, c := range f.Next {
		if got := NextTicketNumber(c.X); got != c.Y {
			t.Errorf("NextTicketNumber(%s) = %s, want %s", c.X, got, c.Y)
		}
	}
	for _, c := range f.Trim {
		if got := TrimTicket(c.X, c.Digits); got != c.Trimmed {
			t.Errorf("TrimTicket(%s, %d) = %s, want %s", c.X, c.Digits, got, c.Trimmed)
		}
	}
	if len(f.Samples) == 0 {
		t.Fatal("no samples")
	}
	for _, c := range f.Samples {
		items := c.Items
		for i := range c.Range {
			items = append(items, strconv.Itoa(i))
		}
		take := c.Take
		if take == 0 {
			take = len(items)
		}
		digits := c.Digits
		if digits == 0 {
			digits = 9 // consistent_sampler's default
		}
		draws := drawTickets(c.Seed, stringSource(items), take, c.WithReplacement, digits)
		var got []Ticket
		for _, d := range draws {
			got = append(got, Ticket{Number: d.number, Item: items[d.idx], Generation: d.gen})
		}
		if c.IDs != nil {
			var samplerIDs []string
			for _, tk := range got {
				samplerIDs = append(samplerIDs, tk.Item)
			}
			if !slices.Equal(samplerIDs, c.IDs) {
				t.Errorf("%s: ids %q, want %q", c.Source, samplerIDs, c.IDs)
			}
		}
		if c.Tickets != nil {
			var want []Ticket
			for _, r := range c.Tickets {
				var tk Ticket
				for i, p := range []any{&tk.Number, &tk.Item, &tk.Generation} {
					if err := json.Unmarshal(r[i], p); err != nil {
						t.Fatal(err)
					}
				}
				want = append(want, tk)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s:\ngot  %v\nwant %v", c.Source, got, want)
			}
		}
	}
}

// TestPCG64NumPyVectors checks SeedSequence and PCG64 against NumPy's
// published raw outputs.
func TestSamplerPCG64NumPyVectors(t *testing.T) {
	var f struct {
		Entropy []uint32
		Next64  []string
	}
	readSamplerVectors(t, "numpy_pcg64.json", &f)
	g := newPCG64(seedSequenceState(f.Entropy))
	for i, s := range f.Next64 {
		want, err := strconv.ParseUint(s, 0, 64)
		if err != nil {
			t.Fatal(err)
		}
		got := g.next64()
		if got != want {
			t.Errorf("output %d = %#x, want %#x", i, got, want)
		}
	}
	// random() is the top 53 bits over 2^53.
	g1, g2 := newPCG64(seedSequenceState(f.Entropy)), newPCG64(seedSequenceState(f.Entropy))
	for range 4 {
		if u, v := g1.random(), math.Ldexp(float64(g2.next64()>>11), -53); u != v || u < 0 || u >= 1 {
			t.Fatalf("random() = %v, want %v", u, v)
		}
	}
}

func TestSamplerBigEndianWords(t *testing.T) {
	for _, c := range []struct {
		hex  string
		want []uint32
	}{
		{"00", []uint32{0}},
		{"deadbeaf", []uint32{0xdeadbeaf}},
		{"0000000100000002", []uint32{2, 1}},
		{"00000000ffffffff", []uint32{0xffffffff}},
		{"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
			[]uint32{0x1d1e1f20, 0x191a1b1c, 0x15161718, 0x11121314, 0x0d0e0f10, 0x090a0b0c, 0x05060708, 0x01020304}},
	} {
		b, _ := hex.DecodeString(c.hex)
		if got := bigEndianWords(b); !slices.Equal(got, c.want) {
			t.Errorf("bigEndianWords(%s) = %x, want %x", c.hex, got, c.want)
		}
	}
}

// TestSampleKeys checks the fast ordering keys against the digits of U,
// including numbers short enough to be padded.
func TestSampleKeys(t *testing.T) {
	var digests [][32]byte
	digests = append(digests, [32]byte{}, [32]byte{31: 1}, [32]byte{24: 0x8a, 31: 0xc7})
	var ff [32]byte
	for i := range ff {
		ff[i] = 0xff
	}
	digests = append(digests, ff)
	for i := range 2000 {
		digests = append(digests, sha256.Sum256([]byte(strconv.Itoa(i))))
	}
	for _, d := range digests {
		u := string(appendUniform(nil, &d))
		n := new(big.Int).SetBytes(d[:]).Text(10)
		want := "0." + samplerReverse(fmt.Sprintf("%064s", n))
		if u != want {
			t.Fatalf("U(%x) = %s, want %s", d, u, want)
		}
		k19, _ := strconv.ParseUint(u[2:21], 10, 64)
		k9, _ := strconv.ParseUint(u[2:11], 10, 64)
		if got := sortKey(&d); got != k19 {
			t.Fatalf("sortKey(%x) = %d, want %d", d, got, k19)
		}
		if got := prefixKey(&d); got != k9 {
			t.Fatalf("prefixKey(%x) = %d, want %d", d, got, k9)
		}
	}
}

func samplerReverse(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

// TestCandTies checks that tickets whose first 19 digits agree are ordered
// by their full numbers.
func TestSamplerCandTies(t *testing.T) {
	a := sha256.Sum256([]byte("tie"))
	n := new(big.Int).SetBytes(a[:])
	n.Add(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(19), nil))
	var b [32]byte
	n.FillBytes(b[:])
	ca, cb := ticketCand{key: sortKey(&a), d: a, idx: 0}, ticketCand{key: sortKey(&b), d: b, idx: 1}
	if ca.key != cb.key {
		t.Fatalf("keys differ: %d %d", ca.key, cb.key)
	}
	ua, ub := string(appendUniform(nil, &a)), string(appendUniform(nil, &b))
	src := stringSource{"a", "b"}
	if ticketCandLess(src, &ca, &cb) != (ua < ub) || ticketCandLess(src, &cb, &ca) != (ub < ua) {
		t.Errorf("candLess disagrees with %s < %s", ua, ub)
	}
	if cc := ca; ticketCandLess(src, &ca, &cc) || ticketCandLess(src, &cc, &ca) {
		t.Error("equal candidates are not equal")
	}
}

func TestSamplerTrimTicket(t *testing.T) {
	for _, c := range []struct {
		x      string
		digits int
		want   string
	}{
		{"0.123456", 3, "0.123"},
		{"0.123", 18, "0.123"},
		{"0.999", 2, "0.999"},
		{"0.9990123", 2, "0.99901"},
		{"0.0001234", 2, "0.00"},
	} {
		if got := TrimTicket(c.x, c.digits); got != c.want {
			t.Errorf("TrimTicket(%s, %d) = %s, want %s", c.x, c.digits, got, c.want)
		}
	}
}

func TestSamplerNextTicketNumber(t *testing.T) {
	for _, x := range []string{"0.5", "0.9", "0.99", "0.999999999999999999999", "0.0", "0.123456789"} {
		y := x
		for range 5 {
			z := NextTicketNumber(y)
			if !(z > y+"0") || !strings.HasPrefix(z, "0.") || len(z) < 66 {
				t.Fatalf("NextTicketNumber(%s) = %s", y, z)
			}
			y = z
		}
	}
}

func TestSamplerPyRepr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `''`},
		{"pct 1", `'pct 1'`},
		{"it's", `"it's"`},
		{`say "hi"`, `'say "hi"'`},
		{`both ' and "`, `'both \' and "'`},
		{`back\slash`, `'back\\slash'`},
		{"tab\tnl\ncr\r", `'tab\tnl\ncr\r'`},
		{"\x00\x1f\x7f", `'\x00\x1f\x7f'`},
		{"é ñ 中文 😊 \ufffd", "'é ñ 中文 😊 \ufffd'"},
		{"\u00a0\u0085", `'\xa0\x85'`},
		{"\u200b\u2028\ue000", `'\u200b\u2028\ue000'`},
		{"\U0010ffff", `'\U0010ffff'`},
	} {
		if got := PyRepr(c.in); got != c.want {
			t.Errorf("PyRepr(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	if got := PyTuple(PyTuple(PyRepr("J"), "None", PyRepr("B")), "3"); got != "(('J', None, 'B'), 3)" {
		t.Errorf("PyTuple = %s", got)
	}
	if got := PyTuple(PyRepr("x")); got != "('x',)" {
		t.Errorf("PyTuple of one = %s", got)
	}
}

func samplerIDs(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("station %d", i)
	}
	return s
}

// TestSampleExhaustive draws every item once without replacement, for every
// small population.
func TestSampleExhaustive(t *testing.T) {
	for n := range 40 {
		items := samplerIDs(n)
		for _, take := range []int{n, n + 3} {
			got := Sample("exhaustive", items, take, false)
			if len(got) != n {
				t.Fatalf("n=%d take=%d: %d tickets", n, take, len(got))
			}
			seen := map[string]bool{}
			for i, tk := range got {
				if seen[tk.Item] || tk.Generation != 1 {
					t.Fatalf("n=%d: %v", n, got)
				}
				seen[tk.Item] = true
				if i > 0 && !(TicketNumber("exhaustive", tk.Item) > TicketNumber("exhaustive", got[i-1].Item)) {
					t.Fatalf("n=%d: not in ticket order at %d", n, i)
				}
				if tk.Number != TrimTicket(TicketNumber("exhaustive", tk.Item), TicketDigits) {
					t.Fatalf("n=%d: ticket %s of %s", n, tk.Number, tk.Item)
				}
			}
		}
	}
	if got := Sample("s", samplerIDs(5), 0, true); len(got) != 0 {
		t.Errorf("n=0: %v", got)
	}
	if got := Sample("s", nil, 5, true); len(got) != 0 {
		t.Errorf("no items: %v", got)
	}
}

func TestSampleSeed(t *testing.T) {
	items := samplerIDs(50)
	for _, wr := range []bool{false, true} {
		a := Sample("seed one", items, 20, wr)
		if b := Sample("seed one", items, 20, wr); !slices.Equal(a, b) {
			t.Errorf("replacement %v: same seed, different samples", wr)
		}
		if b := Sample("seed two", items, 20, wr); slices.Equal(a, b) {
			t.Errorf("replacement %v: different seeds, same sample", wr)
		}
		var shuffled []string
		for _, i := range rand.New(rand.NewPCG(1, 2)).Perm(len(items)) {
			shuffled = append(shuffled, items[i])
		}
		if b := Sample("seed one", shuffled, 20, wr); !slices.Equal(a, b) {
			t.Errorf("replacement %v: order of items changes the sample", wr)
		}
	}
}

func TestSampleWithReplacement(t *testing.T) {
	items := samplerIDs(3)
	got := Sample("replace", items, 30, true)
	if len(got) != 30 {
		t.Fatalf("%d tickets", len(got))
	}
	gen := map[string]int{}
	last := map[string]string{}
	full := map[string]string{}
	repeated := false
	for i, tk := range got {
		gen[tk.Item]++
		if tk.Generation != gen[tk.Item] {
			t.Fatalf("draw %d: %s generation %d, want %d", i, tk.Item, tk.Generation, gen[tk.Item])
		}
		repeated = repeated || tk.Generation > 1
		if x, ok := full[tk.Item]; ok {
			full[tk.Item] = NextTicketNumber(x)
		} else {
			full[tk.Item] = TicketNumber("replace", tk.Item)
		}
		if tk.Number != TrimTicket(full[tk.Item], TicketDigits) {
			t.Fatalf("draw %d: ticket %s, want %s", i, tk.Number, TrimTicket(full[tk.Item], TicketDigits))
		}
		if p, ok := last[tk.Item]; ok && !(tk.Number > p) {
			t.Fatalf("draw %d: %s not above %s", i, tk.Number, p)
		}
		last[tk.Item] = tk.Number
	}
	if !repeated {
		t.Error("no item drawn twice in 30 draws from 3")
	}
}

func TestSampleDuplicateDrawn(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a repeated item")
		}
	}()
	Sample("dup", []string{"a", "b", "a"}, 3, false)
}

// TestSampleProperties checks, on pseudo-random populations, what makes the
// sampler consistent: a smaller sample is a prefix of a larger one, a sample
// from a subset is the larger sample restricted to the subset, and a later
// round extends an earlier one.
func TestSampleProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 7))
	for trial := range 30 {
		n := 1 + r.IntN(60)
		items := samplerIDs(n)
		seed := fmt.Sprintf("property %d", trial)
		for _, wr := range []bool{false, true} {
			big := Sample(seed, items, 2*n, wr)
			k := r.IntN(2*n + 1)
			if small := Sample(seed, items, k, wr); !slices.Equal(small, big[:min(k, len(big))]) {
				t.Fatalf("trial %d replacement %v: take %d is not a prefix", trial, wr, k)
			}
			var sub []string
			in := map[string]bool{}
			for _, it := range items {
				if r.IntN(2) == 0 {
					sub = append(sub, it)
					in[it] = true
				}
			}
			var want []Ticket
			for _, tk := range Sample(seed, items, 1<<20, false) {
				if in[tk.Item] {
					want = append(want, tk)
				}
			}
			if got := Sample(seed, sub, len(sub), false); !slices.Equal(got, want) {
				t.Fatalf("trial %d: subset sample is not the restriction", trial)
			}
			if wr {
				want = want[:0]
				for _, tk := range Sample(seed, items, 4*n, true) {
					if in[tk.Item] {
						want = append(want, tk)
					}
				}
				// The restriction is complete up to the last ticket drawn.
				got := Sample(seed, sub, len(want), true)
				if !slices.Equal(got, want) {
					t.Fatalf("trial %d: subset sample with replacement is not the restriction", trial)
				}
			}
		}
		manifest := map[string]int{}
		for b := range 1 + r.IntN(6) {
			manifest[fmt.Sprintf("batch %d", b)] = r.IntN(12)
		}
		all := BallotSample(seed, manifest, 40, true, 0)
		m := r.IntN(41)
		if later := BallotSample(seed, manifest, 40-m, true, m); !slices.Equal(later, all[min(m, len(all)):]) {
			t.Fatalf("trial %d: round after %d draws does not extend the first", trial, m)
		}
		for _, d := range all {
			if d.Ballot < 1 || d.Ballot > manifest[d.Batch] {
				t.Fatalf("trial %d: ballot %d of %s", trial, d.Ballot, d.Batch)
			}
			id := PyTuple(PyRepr(d.Batch), strconv.Itoa(d.Ballot))
			if d.Times == 1 && d.Ticket != TrimTicket(TicketNumber(seed, id), TicketDigits) {
				t.Fatalf("trial %d: ticket of %s", trial, id)
			}
		}
	}
}

func TestBallotSampleWithoutReplacement(t *testing.T) {
	manifest := map[string]int{"a": 3, "b": 0, "c": 2, "d": -1}
	got := BallotSample("polling", manifest, 10, false, 0)
	if len(got) != 5 {
		t.Fatalf("%d draws: %v", len(got), got)
	}
	var samplerIDs []string
	for _, d := range got {
		samplerIDs = append(samplerIDs, PyTuple(PyRepr(d.Batch), strconv.Itoa(d.Ballot)))
	}
	var want []BallotDraw
	for _, tk := range Sample("polling", samplerIDs, 5, false) {
		for _, d := range got {
			if PyTuple(PyRepr(d.Batch), strconv.Itoa(d.Ballot)) == tk.Item {
				want = append(want, BallotDraw{Ticket: tk.Number, Batch: d.Batch, Ballot: d.Ballot, Times: 1})
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if got := BallotSample("polling", manifest, 3, false, 4); len(got) != 1 {
		t.Errorf("after 4 of 5: %v", got)
	}
}

func samplerBatchFixture() []WeightedBatch {
	var bs []WeightedBatch
	for i := range 20 {
		w := 0.08
		if i >= 10 {
			w = 0.04
		}
		if i == 7 {
			w = 0
		}
		bs = append(bs, WeightedBatch{Key: BatchKey{"Jx 1", fmt.Sprintf("pct %d", i)}, Weight: w / 1.16})
	}
	return bs
}

func TestBatchSample(t *testing.T) {
	const seed = "batch comparison"
	bs := samplerBatchFixture()
	ten, err := BatchSample(seed, bs, 10, nil)
	if err != nil || len(ten) != 10 {
		t.Fatalf("BatchSample: %v %v", ten, err)
	}
	times := map[BatchKey]int{}
	for _, d := range ten {
		times[d.Key]++
		if d.Times != times[d.Key] {
			t.Fatalf("%v: times %d, want %d", d.Key, d.Times, times[d.Key])
		}
		if d.Key.Name == "pct 7" {
			t.Fatalf("drew a batch of weight 0")
		}
	}
	if d := ten[0]; d.Ticket != TrimTicket(TicketNumber(seed, "('Jx 1', '"+d.Key.Name+"')"), TicketDigits) {
		t.Errorf("first ticket %s", d.Ticket)
	}
	// The batches' order does not matter; a later round extends the first.
	rev := slices.Clone(bs)
	slices.Reverse(rev)
	if again, _ := BatchSample(seed, rev, 10, nil); !slices.Equal(again, ten) {
		t.Error("order of batches changes the sample")
	}
	var prev []BatchKey
	for _, d := range ten[:4] {
		prev = append(prev, d.Key)
	}
	if later, _ := BatchSample(seed, bs, 6, prev); !slices.Equal(later, ten[4:]) {
		t.Errorf("later round:\ngot  %v\nwant %v", later, ten[4:])
	}
	// Enough draws to reach the number of batches: every batch not yet
	// drawn, in key order.
	all, err := BatchSample(seed, bs, 20-len(prev), prev)
	if err != nil {
		t.Fatal(err)
	}
	var keys []BatchKey
	for _, b := range bs {
		if !slices.Contains(prev, b.Key) {
			keys = append(keys, b.Key)
		}
	}
	slices.SortFunc(keys, compareBatchKeys)
	var gotKeys []BatchKey
	for _, d := range all {
		gotKeys = append(gotKeys, d.Key)
		if d.Times != 1 {
			t.Errorf("full count: %v drawn %d times", d.Key, d.Times)
		}
	}
	if !slices.Equal(gotKeys, keys) {
		t.Errorf("full count:\ngot  %v\nwant %v", gotKeys, keys)
	}
	if none, err := BatchSample(seed, bs, 0, nil); err != nil || len(none) != 0 {
		t.Errorf("n=0: %v %v", none, err)
	}
}

func TestBatchSampleErrors(t *testing.T) {
	bs := samplerBatchFixture()
	zero := slices.Clone(bs)
	for i := range zero {
		zero[i].Weight = 0
	}
	for name, c := range map[string]struct {
		batches []WeightedBatch
		n       int
	}{
		"no batches": {nil, 1},
		"negative n": {bs, -1},
		"negative":   {append(slices.Clone(bs), WeightedBatch{BatchKey{"J", "x"}, -0.1}), 1},
		"NaN":        {append(slices.Clone(bs), WeightedBatch{BatchKey{"J", "x"}, math.NaN()}), 1},
		"Inf":        {append(slices.Clone(bs), WeightedBatch{BatchKey{"J", "x"}, math.Inf(1)}), 1},
		"duplicate":  {append(slices.Clone(bs), bs[3]), 1},
		"all zero":   {zero, 1},
	} {
		if _, err := BatchSample("s", c.batches, c.n, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// BenchmarkSample470k draws 1,000 of 470,000 stations without replacement,
// and in the same run the floor: one SHA-256 of hex(seed)+id per station,
// as the sampler's definition hashes them. It reports both in milliseconds.
func BenchmarkSample470k(b *testing.B) {
	items := make([]string, 470_000)
	for i := range items {
		items[i] = fmt.Sprintf("%08d.%d", 10_000_000+7*(i/3), i%3+1)
	}
	const seed = "12345678901234567890"
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if got := Sample(seed, items, 1000, false); len(got) != 1000 {
			b.Fatal(len(got))
		}
	}
	b.StopTimer()
	drawTickets := b.Elapsed()

	sd := sha256.Sum256([]byte(seed))
	prefix := []byte(hex.EncodeToString(sd[:]))
	buf := slices.Clone(prefix)
	var sink byte
	start := time.Now()
	for range b.N {
		for _, it := range items {
			buf = append(buf[:len(prefix)], it...)
			d := sha256.Sum256(buf)
			sink ^= d[0]
		}
	}
	floor := time.Since(start)
	_ = sink
	b.ReportMetric(float64(drawTickets.Microseconds())/1e3/float64(b.N), "ms/sample")
	b.ReportMetric(float64(floor.Microseconds())/1e3/float64(b.N), "floor-ms")
	b.ReportMetric(float64(drawTickets)/float64(floor), "x-floor")
}
