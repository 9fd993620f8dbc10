package witness

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"
)

const (
	maxRequest    = 64 << 10 // bytes in an add-checkpoint request
	maxProofLines = 63       // a consistency proof between sizes below 2^63 has fewer
	hashSize      = 32
)

// request is an add-checkpoint request.
type request struct {
	old        uint64   // the size the log believes the witness last cosigned
	proof      [][]byte // a consistency proof from old to the checkpoint's size
	checkpoint []byte   // the signed note, not yet checked
}

// parseRequest parses an add-checkpoint request body strictly: the old size
// in canonical decimal, each proof hash in canonical base64 of 32 bytes,
// every line ending in a newline. The checkpoint is left to note.Open.
func parseRequest(body []byte) (*request, error) {
	if len(body) > maxRequest {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrMalformed, len(body), maxRequest)
	}
	line, rest, ok := bytes.Cut(body, []byte("\n"))
	if !ok {
		return nil, fmt.Errorf("%w: no newline", ErrMalformed)
	}
	size, ok := bytes.CutPrefix(line, []byte("old "))
	old, err := strconv.ParseUint(string(size), 10, 64)
	if !ok || err != nil || strconv.FormatUint(old, 10) != string(size) {
		return nil, fmt.Errorf("%w: line 1: want \"old SIZE\" in decimal, have %.40q", ErrMalformed, line)
	}
	r := &request{old: old}
	for n := 2; ; n++ {
		line, rest, ok = bytes.Cut(rest, []byte("\n"))
		if !ok {
			return nil, fmt.Errorf("%w: no empty line before the checkpoint", ErrMalformed)
		}
		if len(line) == 0 {
			break
		}
		if len(r.proof) == maxProofLines {
			return nil, fmt.Errorf("%w: line %d: more than %d proof hashes", ErrMalformed, n, maxProofLines)
		}
		h, err := base64.StdEncoding.DecodeString(string(line))
		if err != nil || len(h) != hashSize || base64.StdEncoding.EncodeToString(h) != string(line) {
			return nil, fmt.Errorf("%w: line %d: want a proof hash in base64, have %.60q", ErrMalformed, n, line)
		}
		r.proof = append(r.proof, h)
	}
	if len(rest) == 0 {
		return nil, fmt.Errorf("%w: no checkpoint", ErrMalformed)
	}
	r.checkpoint = rest
	return r, nil
}
