package machine

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

func testBallot() []*election.Contest {
	f := electiontest.New(electiontest.Options{Contests: 2})
	return f.Def.Ballot(f.Def.Station("100.1"))
}

func TestSlotRoundTrip(t *testing.T) {
	ballot := testBallot()
	size := slotSize(ballot)
	if size%slotAlign != 0 {
		t.Fatalf("slot size %d", size)
	}
	// The longest record fits; the one-byte changes of a slot are all torn.
	r := record{serial: "ZZZZZZZZZZZZ", choices: []string{"blank", "BRUNO"}}
	line := r.line(ballot)
	slot := encodeSlot(size, line)
	got, state, err := decodeSlot(slot)
	if err != nil || state != slotFull || got != line {
		t.Fatalf("decodeSlot(encodeSlot(%q)) = %q, %v, %v", line, got, state, err)
	}
	back, err := parseRecord(got, ballot)
	if err != nil || back.line(ballot) != line {
		t.Fatalf("parseRecord(%q) = %v, %v", got, back, err)
	}
	for i := range slot {
		b := bytes.Clone(slot)
		b[i] ^= 0x10
		if _, state, err := decodeSlot(b); state != slotTorn || err != nil {
			t.Errorf("byte %d changed: state %v, %v; want torn", i, state, err)
		}
	}
	if _, state, err := decodeSlot(make([]byte, size)); state != slotEmpty || err != nil {
		t.Errorf("zeros: state %v, %v; want empty", state, err)
	}
}

func TestParseRecord(t *testing.T) {
	ballot := testBallot()
	for _, line := range []string{
		"0123456789AB president=ALBA contest2=null",   // no newline
		"0123456789AB president=ALBA\n",               // a contest missing
		"0123456789AB contest2=null president=ALBA\n", // out of order
		"0123456789Ab president=ALBA contest2=null\n", // lower case
		"0123456789AI president=ALBA contest2=null\n", // not Crockford
		"0123456789A president=ALBA contest2=null\n",
		"0123456789AB president=ALBA contest2=null \n",
		"0123456789AB  president=ALBA contest2=null\n",
		"0123456789AB president=DORA contest2=null\n",
		"0123456789AB president contest2=null\n",
		"0123456789AB president=ALBA=ALBA contest2=null\n",
		"0123456789AB president=ALBA contest2=null x=y\n",
	} {
		if _, err := parseRecord(line, ballot); err == nil {
			t.Errorf("parseRecord(%q) succeeded", line)
		}
	}
	if _, err := parseRecord("0123456789AB president=ALBA contest2=null\n", ballot); err != nil {
		t.Error(err)
	}
}

// FuzzDecodeSlot checks that no bytes make the slot decoder panic, and that
// whatever it accepts is exactly what the encoder writes. Each input is tried
// as it is and with a valid checksum, so that the fuzzer reaches the parser.
func FuzzDecodeSlot(f *testing.F) {
	ballot := testBallot()
	size := slotSize(ballot)
	f.Add(encodeSlot(size, "0123456789AB president=ALBA contest2=null\n"))
	f.Add(encodeSlot(size, slotsHeader(size, 500)))
	f.Add(make([]byte, size))
	f.Add([]byte("0123456789AB president=ALBA contest2=blank\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(b []byte) {
			line, state, err := decodeSlot(b)
			if err != nil || state != slotFull {
				return
			}
			if !bytes.Equal(encodeSlot(len(b), line), b) {
				t.Fatalf("decodeSlot accepted %q, which encodes otherwise", b)
			}
			r, err := parseRecord(line, ballot)
			if err != nil {
				return
			}
			if r.line(ballot) != line {
				t.Fatalf("parseRecord accepted %q, which is written %q", line, r.line(ballot))
			}
		}
		check(b)
		if len(b) > crcLen {
			b = bytes.Clone(b)
			binary.BigEndian.PutUint32(b[len(b)-crcLen:], crc32.Checksum(b[:len(b)-crcLen], castagnoli))
			check(b)
		}
	})
}

func TestSerial(t *testing.T) {
	rnd := rand.NewChaCha8([32]byte{})
	seen := map[string]bool{}
	for range 1000 {
		s, err := newSerial(rnd)
		if err != nil || !validSerial(s) || seen[s] {
			t.Fatalf("serial %q, %v", s, err)
		}
		seen[s] = true
	}
	for _, s := range []string{"", "0123456789A", "0123456789ABC", "0123456789AO", "0123456789Ab"} {
		if validSerial(s) {
			t.Errorf("validSerial(%q)", s)
		}
	}
}

// TestUniform checks the slot draw on a small range: every value comes up,
// none far from its share.
func TestUniform(t *testing.T) {
	rnd := rand.NewChaCha8([32]byte{1})
	const n, draws = 7, 70000
	var counts [n]int
	for range draws {
		i, err := uniform(rnd, n)
		if err != nil {
			t.Fatal(err)
		}
		counts[i]++
	}
	for i, c := range counts {
		if c < draws/n*9/10 || c > draws/n*11/10 {
			t.Errorf("value %d drawn %d times of %d, want about %d", i, c, draws, draws/n)
		}
	}
	if i, err := uniform(strings.NewReader(""), 3); err == nil {
		t.Errorf("uniform from an empty source: %d", i)
	}
}
