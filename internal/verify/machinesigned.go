package verify

import (
	"context"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// MachineSigned reads the signed evidence of s alone — the log (with its
// saved checkpoints) and the witnesses' copies — and returns the stations
// for which it holds a valid final acta signed by the station's own
// enrolled machine: the stations internal/forensics calls backed by signed
// evidence. A hand count or a zero tape is not such an acta, nor an entry
// the verifier refused (a bad signature, a key not enrolled): those are
// findings of triplicate verify. The problems are what could not be read
// or checked (a source unread, an acta refused); the set is what could.
func MachineSigned(ctx context.Context, def *election.Definition, s Sources) (map[string]bool, []Problem) {
	v := New(def)
	if s.Log != "" {
		ls := LogSource{Location: s.Log, Client: s.Client}
		for _, f := range s.Checkpoints {
			raw, err := acta.ReadFile(f)
			if err != nil {
				v.Unreadable(f, err)
				continue
			}
			ls.Saved = append(ls.Saved, SavedCheckpoint{Name: f, Raw: raw})
		}
		v.AddLog(ctx, ls)
	}
	if len(s.Copies) > 0 {
		v.AddCopies("copies", s.Copies)
	}
	return v.machineSigned(), v.problems
}

// machineSigned returns the stations with a valid final acta signed by
// their own machine among the counts read.
func (v *Verifier) machineSigned() map[string]bool {
	set := map[string]bool{}
	for i, sc := range v.stations {
		st := v.def.Stations[i]
		for _, c := range sc.counts {
			if c.Source.Signed() && c.Kind == acta.Final && st.Machine != "" && c.Primary == st.Machine {
				set[st.ID] = true
				break
			}
		}
	}
	return set
}
