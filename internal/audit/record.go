package audit

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// HandMapping is the column mapping of the auditors' CSV of hand counts for
// an election: a column station, a column ballots (the vouchers found in
// the box), and one column per figure of the ballot, named by the candidate
// id (with one contest) or CONTEST.CANDIDATE, and blank and null likewise.
func HandMapping(def *election.Definition) string {
	fields := []string{"station=station", "ballots=ballots"}
	for _, c := range def.Contests {
		prefix := ""
		if len(def.Contests) > 1 {
			prefix = c.ID + "."
		}
		for _, x := range append(candidateIDs(c), "blank", "null") {
			fields = append(fields, c.ID+"."+x+"="+prefix+x)
		}
	}
	return strings.Join(fields, ",")
}

func candidateIDs(c *election.Contest) []string {
	var ids []string
	for _, x := range c.Candidates {
		ids = append(ids, x.ID)
	}
	return ids
}

// HandCount is the auditors' count of one station's box of vouchers.
type HandCount struct {
	Station string
	Where   string        // where it was read: file and line
	Figures tally.Figures // Ballots: the vouchers found; every figure known
}

// ReadHandCounts reads the auditors' CSV of hand counts (HandMapping's
// columns). A row that cannot be read is an error naming its line; the
// others are returned.
func ReadHandCounts(r io.Reader, name string, def *election.Definition) ([]HandCount, []error) {
	m, err := tally.ParseMapping(HandMapping(def), def)
	if err != nil {
		return nil, []error{err}
	}
	rows, errs := tally.ReadCSV(r, name, def, m)
	var out []HandCount
	for _, row := range rows {
		out = append(out, HandCount{Station: row.Station, Where: fmt.Sprintf("%s:%d", name, row.Line), Figures: row.Figures})
	}
	return out, errs
}

// Record makes each hand count a hand acta signed by the auditor, in dir as
// STATION.acta, ready for the witnesses to cosign. It refuses, with an error
// naming the record: a station outside sample (when sample is not nil), a
// station counted twice in counts, a count that does not add up (every
// contest's votes, blank and null must equal the vouchers found, which may
// not exceed the registered voters; in a contest of N votes a voucher, the
// vouchers neither blank nor null carry from 1 to N votes each, at most one
// for each candidate), and a count that conflicts with one
// already recorded in dir. Every other count is recorded; nothing already in
// dir is changed. It returns the files written.
func Record(dir string, def *election.Definition, auditor *keys.Key, counts []HandCount, sample map[string]bool, now time.Time) (written []string, errs []error) {
	if who, ok := def.Signer(auditor.Public); !ok || who.Role != election.RoleAuditor {
		return nil, []error{fmt.Errorf("key %s is not an auditor key of election %s", auditor.Signer.Name(), def.ID)}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, []error{err}
	}
	seen := map[string]string{}
	for _, hc := range counts {
		st := def.Station(hc.Station)
		switch {
		case st == nil:
			errs = append(errs, fmt.Errorf("%s: no station %q in election %s", hc.Where, hc.Station, def.ID))
			continue
		case sample != nil && !sample[st.ID]:
			errs = append(errs, fmt.Errorf("%s: station %s is not in the sample: its count is not recorded", hc.Where, st.ID))
			continue
		case seen[st.ID] != "":
			errs = append(errs, fmt.Errorf("%s: station %s is counted again (first at %s): only the first is recorded", hc.Where, st.ID, seen[st.ID]))
			continue
		}
		a, err := handActa(def, st, auditor.Public, hc.Figures, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: station %s: %w", hc.Where, st.ID, err))
			continue
		}
		seen[st.ID] = hc.Where
		path := filepath.Join(dir, st.ID+".acta")
		if prev, err := os.ReadFile(path); err == nil {
			if old, err := acta.Open(prev, def); err == nil && old.Kind == acta.Hand && !tally.FromActa(old.Acta).Differs(hc.Figures) {
				continue // already recorded, the same count
			}
			errs = append(errs, fmt.Errorf("%s: station %s: conflicts with the hand count already recorded in %s, which is kept", hc.Where, st.ID, path))
			continue
		} else if !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		msg, err := acta.Sign(a, auditor)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: station %s: %w", hc.Where, st.ID, err))
			continue
		}
		if err := durable.WriteNew(path, msg, 0o644); err != nil {
			errs = append(errs, err)
			continue
		}
		written = append(written, path)
	}
	return written, errs
}

// handActa makes the hand acta of a station from the auditors' figures,
// refusing figures that do not add up; auditor is the signer's verifier key.
func handActa(def *election.Definition, st *election.Station, auditor string, f tally.Figures, now time.Time) (*acta.Acta, error) {
	if f.Ballots == tally.Unknown {
		return nil, errors.New("no count of the vouchers found (column ballots)")
	}
	if int(f.Ballots) > st.Registered {
		return nil, fmt.Errorf("%d vouchers, more than the %d registered voters", f.Ballots, st.Registered)
	}
	a := &acta.Acta{Election: def.ID, Station: st.ID, Kind: acta.Hand, Machine: st.Machine, Auditor: auditor,
		Counted: now.UTC().Truncate(time.Second), Registered: st.Registered, Ballots: int(f.Ballots)}
	ballot := def.Ballot(st)
	for i, c := range ballot {
		cands, blank, null := f.Contest(ballot, i)
		t := acta.Tally{Contest: c.ID, Blank: int(blank), Null: int(null)}
		sum := int64(blank) + int64(null)
		for j, x := range c.Candidates {
			if cands[j] == tally.Unknown {
				return nil, fmt.Errorf("contest %s: no count for %s", c.ID, x.ID)
			}
			t.Candidates = append(t.Candidates, acta.Count{Candidate: x.ID, Votes: int(cands[j])})
			sum += int64(cands[j])
		}
		if blank == tally.Unknown || null == tally.Unknown {
			return nil, fmt.Errorf("contest %s: no count of blank or null", c.ID)
		}
		if n := acta.VotesPerBallot(c); n > 1 {
			// Up to n votes on each voucher neither blank nor null, at
			// least one, and at most one for each candidate.
			marked := int64(f.Ballots) - int64(blank) - int64(null)
			votes := sum - int64(blank) - int64(null)
			if marked < 0 || votes < marked || votes > int64(n)*marked {
				return nil, fmt.Errorf("contest %s: %d votes on %d vouchers neither blank nor null, not between 1 and %d on each", c.ID, votes, max(marked, 0), n)
			}
			for j, x := range c.Candidates {
				if int64(cands[j]) > marked {
					return nil, fmt.Errorf("contest %s: %d votes for %s, more than the %d vouchers neither blank nor null", c.ID, cands[j], x.ID, marked)
				}
			}
		} else if sum != int64(f.Ballots) {
			return nil, fmt.Errorf("contest %s: %d votes, blank and null, but %d vouchers in the box", c.ID, sum, f.Ballots)
		}
		a.Contests = append(a.Contests, t)
	}
	if acta.NeedsPerContest(ballot) {
		// Only a version 3 acta says how many votes the vouchers left
		// unused; it names the definition.
		a.Definition = def.Digest()
		a.CountPerContest(ballot)
	}
	return a, nil
}
