package machine

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// UpdateDefinition gives the terminal a new copy of the election definition:
// def, restricted to the terminal's station as [Setup] restricts it. def must
// be the same election as the terminal's copy — the same id, name and
// levels, the same station with the same machine key, the same contests on
// its ballot, parties, witnesses, auditors and areas above it — and may
// differ only in the keys that check the
// center's receipts (see [Terminal.Transmit]): the center key, the log
// witnesses and their quorum, and the public witnesses. It must enrol a center key. So an authority
// can enrol the center and the log witnesses after the machines are set up.
//
// Every acta names its whole definition's digest, which any change of the
// definition changes: so a terminal that has signed its zero tape refuses
// a changed definition (the zero tape names the old one, and its final acta
// must name the same), and takes one only before opening the polls. The new
// copy is written atomically and used from then on. It reports whether the
// copy changed.
func (t *Terminal) UpdateDefinition(def *election.Definition) (changed bool, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.usable(); err != nil {
		return false, err
	}
	st := def.Station(t.st.ID)
	switch {
	case def.ID != t.def.ID:
		return false, fmt.Errorf("the definition is of election %s, the terminal's of election %s", def.ID, t.def.ID)
	case st == nil:
		return false, fmt.Errorf("election %s has no station %s, the terminal's", def.ID, t.st.ID)
	case st.Observer():
		return false, st.NoMachine()
	case st.Machine != t.st.Machine:
		return false, fmt.Errorf("station %s: the definition enrols machine key %s, not the terminal's %s", st.ID, st.Machine, t.st.Machine)
	case def.Center == "":
		return false, fmt.Errorf("election %s enrols no center key to check receipts with", def.ID)
	}
	text, err := restrict(def, st)
	if err != nil {
		return false, err
	}
	old := t.def.Marshal()
	if bytes.Equal(text, old) {
		return false, nil
	}
	if t.phase != PhaseNew {
		return false, fmt.Errorf("station %s: the polls are open (the zero tape is signed) and the definition differs: the zero tape names the digest of the terminal's definition, and every acta the terminal signs must name the same", st.ID)
	}
	if why := weakens(t.def, def); why != "" {
		return false, fmt.Errorf("station %s: the definition %s: an update only adds the keys that check receipts", st.ID, why)
	}
	if have, want, same := sameBut(old, text); !same {
		return false, fmt.Errorf("station %s: the definition differs in more than the keys that check receipts (center, logwitness, publicwitness, loggroup, logquorum, publicquorum): the terminal's copy has %q, the new one %q", st.ID, have, want)
	}
	nd, err := election.Parse(text)
	if err != nil {
		return false, fmt.Errorf("station %s: the definition restricted to it does not parse: %v", st.ID, err)
	}
	if err := writeFile(t.dir, defFile, 0o644, !t.o.NoSync, text); err != nil {
		return false, t.fail(err)
	}
	t.def, t.st = nd, nd.Stations[0]
	return true, nil
}

// receiptLines are the definition lines that check the center's receipts,
// and the whole definition's digest, which changes with them.
// Public witnesses are among them: they check the slow feed's checkpoints,
// never the receipts', so adding them weakens nothing.
var receiptLines = [][]byte{[]byte("center "), []byte("logwitness "), []byte("publicwitness "), []byte("loggroup "), []byte("logquorum "), []byte("publicquorum "), []byte("whole ")}

// weakens says how a new definition would weaken the terminal's check of
// receipts, or "": it may enrol a center key where none was, add log
// witnesses and raise the quorum, never replace the center's key, drop a log
// witness or lower the quorum of parties — or a split view of the log shown
// to the terminal would pass unseen.
func weakens(old, new *election.Definition) string {
	if old.Center != "" && new.Center != old.Center {
		return fmt.Sprintf("replaces the center key %s", old.Center)
	}
	for _, w := range old.LogWitnesses {
		if !slices.Contains(new.LogWitnesses, w) {
			return fmt.Sprintf("drops the log witness %s of %s", w.Key, w.Party)
		}
	}
	if old.LogQuorumGroup == "" && new.LogQuorumGroup == "" && new.LogQuorum < old.LogQuorum {
		return fmt.Sprintf("lowers the log quorum from %d parties to %d", old.LogQuorum, new.LogQuorum)
	}
	return ""
}

// sameBut reports whether two canonical definitions have the same lines but
// for those that check receipts; if not, it returns the first line where
// they differ in each ("" past the end).
func sameBut(a, b []byte) (lineA, lineB string, same bool) {
	la, lb := otherLines(a), otherLines(b)
	for i := range max(len(la), len(lb)) {
		var x, y []byte
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if !bytes.Equal(x, y) {
			return string(x), string(y), false
		}
	}
	return "", "", true
}

// otherLines returns the lines of a canonical definition that do not check
// receipts.
func otherLines(text []byte) [][]byte {
	var out [][]byte
	for line := range bytes.Lines(text) {
		keep := true
		for _, p := range receiptLines {
			if bytes.HasPrefix(line, p) {
				keep = false
			}
		}
		if keep {
			out = append(out, bytes.TrimSuffix(line, []byte("\n")))
		}
	}
	return out
}
