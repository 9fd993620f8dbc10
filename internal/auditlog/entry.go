// Package auditlog is an audit's own transparency log: each line of the
// audit's trail (audit.TrailFile), with the files it commits to, appended
// as an entry of a C2SP tlog-tiles log (https://c2sp.org/tlog-tiles) built
// as the center's is (package ledger, Tessera on its POSIX driver), its
// checkpoints signed by an auditor key of the election's definition and
// cosigned by the election's log witnesses under the definition's policy
// (tlog.ElectionPolicy). A cosigned checkpoint commits to the whole trail
// up to it: a trail cut at its end, or an entry altered, no longer matches
// it, and anyone holding the log alone can recompute every step of the
// audit ([Verify]).
//
// An entry is the trail line, then each file it commits to
// (audit.EvidenceOf):
//
//	{"seq":1,"prev":"","kind":"state",...}
//	file election.txt 1234
//	<1234 bytes>
//	file announced.json 5678
//	<5678 bytes>
//
// Each part ends with a newline: the trail line, each file's header line
// ("file", its name, its size in canonical decimal) and each file's bytes.
// Names are plain names of the audit's directory (no path, no leading dot),
// or of its hand actas (hand/NAME).
package auditlog

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/audit"
)

// Entry is one entry of the log: a trail line and its files.
type Entry struct {
	Line  []byte // the trail line, without its newline
	Files []audit.Evidence
}

// Marshal returns the entry as the log holds it.
func (e *Entry) Marshal() []byte {
	var b bytes.Buffer
	b.Write(e.Line)
	b.WriteByte('\n')
	for _, f := range e.Files {
		fmt.Fprintf(&b, "file %s %d\n", f.Name, len(f.Data))
		b.Write(f.Data)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Parse parses an entry of the log, strictly: it must be what Marshal
// makes, byte for byte.
func Parse(data []byte) (*Entry, error) {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return nil, errors.New("the trail line has no newline")
	}
	if i == 0 || !strings.HasPrefix(string(data[:i]), "{") {
		return nil, errors.New("the first line is not a trail line (a JSON object)")
	}
	e := &Entry{Line: data[:i]}
	rest := data[i+1:]
	seen := map[string]bool{}
	for part := 1; len(rest) > 0; part++ {
		j := bytes.IndexByte(rest, '\n')
		if j < 0 {
			return nil, fmt.Errorf("file %d: the header has no newline", part)
		}
		f := strings.Split(string(rest[:j]), " ")
		if len(f) != 3 || f[0] != "file" {
			return nil, fmt.Errorf("file %d: header %q: want \"file NAME SIZE\"", part, clip(rest[:j]))
		}
		if !plainName(f[1]) {
			return nil, fmt.Errorf("file %d: name %q: want a plain name of the audit's directory", part, f[1])
		}
		if seen[f[1]] {
			return nil, fmt.Errorf("file %d: %s given twice", part, f[1])
		}
		seen[f[1]] = true
		n, err := strconv.Atoi(f[2])
		if err != nil || n < 0 || strconv.Itoa(n) != f[2] {
			return nil, fmt.Errorf("file %d (%s): size %q: want a decimal number in canonical form", part, f[1], f[2])
		}
		rest = rest[j+1:]
		if len(rest) < n+1 || rest[n] != '\n' {
			return nil, fmt.Errorf("file %d (%s): want %d bytes and a newline, have %d bytes", part, f[1], n, len(rest))
		}
		e.Files = append(e.Files, audit.Evidence{Name: f[1], Data: rest[:n]})
		rest = rest[n+1:]
	}
	return e, nil
}

// plainName reports whether a file's name is one of an audit's directory,
// or of its hand actas (hand/NAME): letters, digits, '-', '_' and '.', not
// starting with a dot.
func plainName(s string) bool {
	s = strings.TrimPrefix(s, audit.HandDir+"/")
	if s == "" || s[0] == '.' || len(s) > 100 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "..."
	}
	return string(b)
}
