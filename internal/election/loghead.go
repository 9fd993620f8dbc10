package election

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// logHeadVersion is the first line of a log's entry 0.
const logHeadVersion = "triplicate log v1"

// LogHead returns what a tallying center logs as its log's entry 0: a few
// lines naming the election and its definition's digest,
//
//	triplicate log v1
//	election ID
//	definition DIGEST
//
// so that the log says which definition its actas were decided against. A
// whole definition is too large for a log entry (C2SP tlog-tiles entries
// hold at most 65535 bytes; a country's definition holds megabytes); the
// center serves the definition itself. See doc/spec/election.md, "The log's
// first entry".
func (d *Definition) LogHead() []byte {
	digest := d.Digest()
	return []byte(logHeadVersion + "\nelection " + d.ID + "\ndefinition " + hex.EncodeToString(digest[:]) + "\n")
}

// ParseLogHead parses a log's entry 0, strictly: it returns the election id
// and the definition digest it names.
func ParseLogHead(entry []byte) (id string, digest [32]byte, err error) {
	lines := strings.Split(string(entry), "\n")
	if len(lines) != 4 || lines[3] != "" || lines[0] != logHeadVersion {
		return "", digest, errors.New("not a log head (want \"triplicate log v1\", election and definition lines)")
	}
	id, ok1 := strings.CutPrefix(lines[1], "election ")
	h, ok2 := strings.CutPrefix(lines[2], "definition ")
	b, err := hex.DecodeString(h)
	switch {
	case !ok1 || !ValidID(id):
		return "", digest, fmt.Errorf("log head: malformed election line %q", clip(lines[1], 80))
	case !ok2 || err != nil || len(b) != 32 || strings.ToLower(h) != h:
		return "", digest, fmt.Errorf("log head: malformed definition line %q", clip(lines[2], 90))
	}
	copy(digest[:], b)
	return id, digest, nil
}
