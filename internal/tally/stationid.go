package tally

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// IDRule says how a table's station ids are normalised before they are
// matched against the definition's, whose ids are normalised the same way
// (split at Join, each part normalised, joined again). Real data writes one
// station "007-1", "7.1" or "0007/01"; the zero rule matches ids exactly,
// the parts of a composite key joined with ".".
type IDRule struct {
	TrimZeros bool   // drop leading zeros of each part of the id ("007" → "7"; "0" stays "0")
	Drop      string // characters removed from each part (separators such as "-./ ")
	Join      string // joins the parts of a composite key; "" = "."
}

func (r IDRule) join() string {
	if r.Join == "" {
		return "."
	}
	return r.Join
}

// exact says whether the rule leaves ids as they are.
func (r IDRule) exact() bool { return !r.TrimZeros && r.Drop == "" && r.join() == "." }

// part appends one normalised part of an id to b.
func (r IDRule) part(b []byte, s string) []byte {
	start := len(b)
	for i := 0; i < len(s); i++ {
		if r.Drop == "" || strings.IndexByte(r.Drop, s[i]) < 0 {
			b = append(b, s[i])
		}
	}
	if r.TrimZeros {
		p := b[start:]
		n := 0
		for n < len(p)-1 && p[n] == '0' {
			n++
		}
		b = append(b[:start], p[n:]...)
	}
	return b
}

// normalise returns the normalised form of a definition's station id.
func (r IDRule) normalise(b []byte, id string) []byte {
	for i, p := range strings.Split(id, r.join()) {
		if i > 0 {
			b = append(b, r.join()...)
		}
		b = r.part(b, p)
	}
	return b
}

// stationIndex finds the definition's station of a table's id, under a
// rule. With the exact rule it asks the definition; otherwise it holds
// every station's normalised id.
type stationIndex struct {
	def   *election.Definition
	rule  IDRule
	byID  map[string]int32 // normalised id → position in def.Stations, or -1-k for the k-th clash
	clash []string         // the definitions' ids that normalise to one, as a message
	buf   []byte
	// the last key looked up, and its answer: rows of one station come
	// together in long tables
	last    []string
	lastPos int
}

// newStationIndex indexes def's stations under rule. Two stations whose ids
// normalise to one are returned as errors naming both; a table's id that
// normalises to theirs matches neither.
func newStationIndex(def *election.Definition, rule IDRule) (*stationIndex, []string) {
	x := &stationIndex{def: def, rule: rule, lastPos: -1}
	if rule.exact() {
		return x, nil
	}
	x.byID = make(map[string]int32, len(def.Stations))
	var problems []string
	var b []byte
	for i, st := range def.Stations {
		b = rule.normalise(b[:0], st.ID)
		prev, dup := x.byID[string(b)]
		switch {
		case !dup:
			x.byID[string(b)] = int32(i)
		case prev >= 0:
			msg := fmt.Sprintf("stations %s and %s of the definition are both %s under the id rule", def.Stations[prev].ID, st.ID, strconv.Quote(string(b)))
			x.clash = append(x.clash, msg)
			x.byID[string(b)] = int32(-len(x.clash))
			problems = append(problems, msg)
		default:
			msg := fmt.Sprintf("station %s of the definition is also %s under the id rule", st.ID, strconv.Quote(string(b)))
			problems = append(problems, msg)
		}
	}
	return x, problems
}

// find returns the position in def.Stations of the station whose id has
// the given parts (trimmed, not empty), or -1 and why not.
func (x *stationIndex) find(parts []string) (int, string) {
	if x.lastPos >= 0 && len(parts) == len(x.last) {
		same := true
		for i, p := range parts {
			if p != x.last[i] {
				same = false
				break
			}
		}
		if same {
			return x.lastPos, ""
		}
	}
	var pos int
	var key string
	if x.byID == nil {
		if len(parts) == 1 {
			key = parts[0]
		} else {
			key = strings.Join(parts, ".")
		}
		pos = x.def.StationIndex(key)
	} else {
		x.buf = x.buf[:0]
		for i, p := range parts {
			if i > 0 {
				x.buf = append(x.buf, x.rule.join()...)
			}
			x.buf = x.rule.part(x.buf, p)
		}
		i, ok := x.byID[string(x.buf)]
		switch {
		case !ok:
			pos = -1
		case i < 0:
			return -1, fmt.Sprintf("station %s matches two stations: %s", strconv.Quote(csvClip(string(x.buf), 60)), x.clash[-1-i])
		default:
			pos = int(i)
		}
		if pos < 0 {
			key = string(x.buf)
			raw := strings.Join(parts, x.rule.join())
			if raw != key {
				return -1, fmt.Sprintf("station %s (read as %s) not in the election", strconv.Quote(csvClip(raw, 60)), strconv.Quote(csvClip(key, 60)))
			}
		}
	}
	if pos < 0 {
		return -1, fmt.Sprintf("station %s not in the election", strconv.Quote(csvClip(key, 60)))
	}
	x.last = append(x.last[:0], parts...)
	x.lastPos = pos
	return pos, ""
}
