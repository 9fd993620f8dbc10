package machine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// The slots file: a header slot, then one slot per registered voter. See the
// package documentation for the format.

// slotsVersion opens the header of the slots file.
const slotsVersion = "triplicate slots v1"

const (
	slotAlign = 64 // slot sizes are multiples of it
	crcLen    = 4  // the CRC-32C that ends every slot
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// slotState is what recovery finds in a slot.
type slotState int

const (
	slotEmpty slotState = iota // all zeros: never written
	slotTorn                   // checksum fails: a write cut short, never acknowledged
	slotFull                   // a record
)

// slotSize returns the size of the slots for a ballot: room for its longest
// record line and the checksum, rounded up to slotAlign.
func slotSize(ballot []*election.Contest) int {
	n := serialLen + len("\n") + crcLen
	for _, c := range ballot {
		// The longest choice: blank, or the longest ids a ballot may
		// choose together, joined by "+".
		ids := make([]int, len(c.Candidates))
		for i, x := range c.Candidates {
			ids[i] = len(x.ID)
		}
		slices.Sort(ids)
		slices.Reverse(ids)
		votes := min(acta.VotesPerBallot(c), len(ids))
		longest := votes - 1
		for _, l := range ids[:votes] {
			longest += l
		}
		n += len(" ") + len(c.ID) + len("=") + max(len("blank"), longest)
	}
	return (n + slotAlign - 1) / slotAlign * slotAlign
}

// slotsHeader is the line in the header slot of a file of count slots.
func slotsHeader(size, count int) string {
	return fmt.Sprintf("%s %d %d\n", slotsVersion, size, count)
}

// encodeSlot returns a slot of the given size holding line (which ends in
// "\n"): the line, zeros, and the CRC-32C of all that.
func encodeSlot(size int, line string) []byte {
	if len(line)+crcLen > size {
		panic("machine: record line longer than its slot")
	}
	b := make([]byte, size)
	copy(b, line)
	binary.BigEndian.PutUint32(b[size-crcLen:], crc32.Checksum(b[:size-crcLen], castagnoli))
	return b
}

// decodeSlot returns the line a slot holds, with its "\n". An empty or torn
// slot is not an error; a slot whose checksum holds but whose content is not
// one line followed by zeros is.
func decodeSlot(b []byte) (string, slotState, error) {
	if len(b) < crcLen+1 {
		return "", 0, fmt.Errorf("slot of %d bytes is too short", len(b))
	}
	if allZero(b) {
		return "", slotEmpty, nil
	}
	body := b[:len(b)-crcLen]
	if crc32.Checksum(body, castagnoli) != binary.BigEndian.Uint32(b[len(b)-crcLen:]) {
		return "", slotTorn, nil
	}
	i := bytes.IndexByte(body, '\n')
	if i < 0 {
		return "", 0, errors.New("no line end")
	}
	if !allZero(body[i+1:]) {
		return "", 0, errors.New("bytes after the line end")
	}
	return string(body[:i+1]), slotFull, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// A record is one electronic vote record (doc/spec/acta.md): the voucher's
// serial and one choice per contest of the ballot, in ballot order.
type record struct {
	serial  string
	choices []string // candidate id, "blank" or "null"
}

// line returns the record line, ending in "\n".
func (r record) line(ballot []*election.Contest) string {
	var b strings.Builder
	b.WriteString(r.serial)
	for i, c := range ballot {
		b.WriteByte(' ')
		b.WriteString(c.ID)
		b.WriteByte('=')
		b.WriteString(r.choices[i])
	}
	b.WriteByte('\n')
	return b.String()
}

// parseRecord parses a record line of the ballot. It accepts only what
// record.line writes.
func parseRecord(line string, ballot []*election.Contest) (record, error) {
	text, ok := strings.CutSuffix(line, "\n")
	if !ok {
		return record{}, errors.New("record does not end in a newline")
	}
	f := strings.Split(text, " ")
	if len(f) != 1+len(ballot) {
		return record{}, fmt.Errorf("record has %d fields, want a serial and %d choices", len(f), len(ballot))
	}
	if !validSerial(f[0]) {
		return record{}, fmt.Errorf("malformed serial %q", clip(f[0]))
	}
	r := record{serial: f[0], choices: make([]string, len(ballot))}
	for i, c := range ballot {
		contest, choice, _ := strings.Cut(f[1+i], "=")
		if contest != c.ID {
			return record{}, fmt.Errorf("record field %d is %q, want contest %s", 1+i, clip(f[1+i]), c.ID)
		}
		if !validChoice(c, choice) {
			return record{}, fmt.Errorf("contest %s: no candidate %q", c.ID, clip(choice))
		}
		r.choices[i] = choice
	}
	return r, nil
}

// validChoice reports whether choice is "blank", "null" or a candidate id
// of c; in a contest of N votes a ballot, up to N different candidate ids
// joined by "+", in the ballot's order (one spelling of each choice).
func validChoice(c *election.Contest, choice string) bool {
	if choice == "blank" || choice == "null" {
		return true
	}
	ids := strings.Split(choice, "+")
	if len(ids) > acta.VotesPerBallot(c) {
		return false
	}
	next := 0 // candidates before it cannot follow
	for _, id := range ids {
		i := slices.IndexFunc(c.Candidates, func(x election.Candidate) bool { return x.ID == id })
		if i < next {
			return false
		}
		next = i + 1
	}
	return true
}

// chosen returns the candidate ids of a valid choice other than blank or
// null.
func chosen(choice string) []string { return strings.Split(choice, "+") }

// fillSlots writes a new slots file: the header slot and count empty slots.
// The zeros are written, not left as a hole, so that every block of the file
// is allocated at opening and not in the order of voting.
func fillSlots(f io.Writer, size, count int) error {
	if _, err := f.Write(encodeSlot(size, slotsHeader(size, count))); err != nil {
		return err
	}
	zeros := make([]byte, min(size*count, 1<<16))
	for left := size * count; left > 0; left -= len(zeros) {
		if _, err := f.Write(zeros[:min(left, len(zeros))]); err != nil {
			return err
		}
	}
	return nil
}

// readSlots reads a slots file of count slots of the given size and returns
// the records in it, the indexes of the slots that are free (empty or torn),
// and the index of the torn slot, or -1. It fails on anything a crash cannot
// leave behind: votes are written one at a time and Load clears a torn slot,
// so there is at most one; a second means the file is damaged, and an
// acknowledged vote may be lost in it.
func readSlots(f *os.File, size int, ballot []*election.Contest, count int) ([]record, []int32, int32, error) {
	name := f.Name()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, -1, err
	}
	if want := int64(size) * int64(count+1); fi.Size() != want {
		return nil, nil, -1, fmt.Errorf("%s: %d bytes, want %d (a header and %d slots of %d)", name, fi.Size(), want, count, size)
	}
	data := make([]byte, fi.Size())
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, nil, -1, err
	}
	if h, state, err := decodeSlot(data[:size]); err != nil || state != slotFull || h != slotsHeader(size, count) {
		return nil, nil, -1, fmt.Errorf("%s: bad header slot (want %q)", name, strings.TrimSpace(slotsHeader(size, count)))
	}
	var recs []record
	var free []int32
	torn := int32(-1)
	seen := map[string]bool{}
	for i := range count {
		line, state, err := decodeSlot(data[(i+1)*size : (i+2)*size])
		if err != nil {
			return nil, nil, -1, fmt.Errorf("%s: slot %d: %v", name, i, err)
		}
		if state == slotTorn {
			if torn >= 0 {
				return nil, nil, -1, fmt.Errorf("%s: slots %d and %d fail their checksum: one crash cuts short one vote at most, so the file is damaged", name, torn, i)
			}
			torn = int32(i)
		}
		if state != slotFull {
			free = append(free, int32(i))
			continue
		}
		r, err := parseRecord(line, ballot)
		if err != nil {
			return nil, nil, -1, fmt.Errorf("%s: slot %d: %v", name, i, err)
		}
		if seen[r.serial] {
			return nil, nil, -1, fmt.Errorf("%s: slot %d: serial %s is repeated", name, i, r.serial)
		}
		seen[r.serial] = true
		recs = append(recs, r)
	}
	return recs, free, torn, nil
}

// clip cuts s for an error message, which quotes it.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
