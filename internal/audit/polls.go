package audit

import (
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// Poll is what the auditors read on one drawn voucher: the choice in each
// contest (a candidate id, blank or null).
type Poll struct {
	Station string
	Ballot  int
	Choices map[string]string // by contest
	Where   string            // file:line it was read from
}

// NotFound is the choice recorded for a drawn voucher missing from its box:
// it counts as a vote for the contest's reported runner-up.
const NotFound = "not-found"

// PollVersion is the first line of a signed record of polled vouchers.
const PollVersion = "triplicate ballot-poll v1"

// ReadPolls reads the auditors' CSV of polled vouchers: columns station,
// ballot (the voucher's position in the box, from 1) and one column per
// contest with the choice read. A row that cannot be read is an error
// naming its line.
func ReadPolls(r io.Reader, name string, def *election.Definition) ([]Poll, []error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, []error{fmt.Errorf("%s: header: %v", name, err)}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))] = i
	}
	var missing []string
	for _, want := range append([]string{"station", "ballot"}, contestIDs(def)...) {
		if _, ok := col[want]; !ok {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		return nil, []error{fmt.Errorf("%s:1: no column %s (want station, ballot and one per contest)", name, strings.Join(missing, ", "))}
	}
	var out []Poll
	var errs []error
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, errs
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", name, err)) // a csv.ParseError names the line
			continue
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("%s:%d", name, line)
		if len(rec) != len(header) {
			errs = append(errs, fmt.Errorf("%s: %d fields, the header has %d", where, len(rec), len(header)))
			continue
		}
		p := Poll{Station: strings.TrimSpace(rec[col["station"]]), Choices: map[string]string{}, Where: where}
		st := def.Station(p.Station)
		if st == nil {
			errs = append(errs, fmt.Errorf("%s: no station %q in election %s", where, p.Station, def.ID))
			continue
		}
		p.Station = st.ID
		b, err := strconv.Atoi(strings.TrimSpace(rec[col["ballot"]]))
		if err != nil || b < 1 {
			errs = append(errs, fmt.Errorf("%s: ballot %q is not a position in the box (1, 2, ...)", where, rec[col["ballot"]]))
			continue
		}
		p.Ballot = b
		bad := false
		for _, c := range def.Ballot(st) {
			choice := strings.TrimSpace(rec[col[c.ID]])
			if err := checkChoice(c, choice); err != nil {
				errs = append(errs, fmt.Errorf("%s: contest %s: %v", where, c.ID, err))
				bad = true
				break
			}
			p.Choices[c.ID] = choice
		}
		if !bad {
			out = append(out, p)
		}
	}
}

// checkChoice checks a choice read on a voucher: a candidate, blank, null
// or NotFound; under plurality with N seats, up to N distinct candidates
// joined by +.
func checkChoice(c *election.Contest, choice string) error {
	switch choice {
	case "blank", "null", NotFound:
		return nil
	}
	ids := strings.Split(choice, "+")
	seats := 1
	if r := c.DecidedBy(); r.Method == contest.Plurality {
		seats = r.Seats
	}
	if len(ids) > seats {
		return fmt.Errorf("%q marks %d candidates, a ballot marks at most %d", choice, len(ids), seats)
	}
	for i, id := range ids {
		if c.CandidateIndex(id) < 0 {
			return fmt.Errorf("%q is not a candidate, blank, null or %s", id, NotFound)
		}
		if slices.Contains(ids[:i], id) {
			return fmt.Errorf("%q marks %s twice", choice, id)
		}
	}
	return nil
}

func contestIDs(def *election.Definition) []string {
	var ids []string
	for _, c := range def.Contests {
		ids = append(ids, c.ID)
	}
	return ids
}

// pollKey is a voucher: a station and its position in the box.
type pollKey struct {
	station string
	ballot  int
}

// RecordPolls records polled vouchers of the audit in dir, as a new signed
// note (polls-N.note) signed by the auditor. It refuses, naming the row: a
// voucher that was not drawn, one polled twice in polls, and one that
// conflicts with a poll already recorded. Vouchers already recorded with the
// same choices are skipped. It returns the file written ("" if none).
func RecordPolls(dir string, a *RLA, def *election.Definition, auditor *keys.Key, polls []Poll) (string, []error) {
	if who, ok := def.Signer(auditor.Public); !ok || who.Role != election.RoleAuditor {
		return "", []error{fmt.Errorf("key %s is not an auditor key of election %s", auditor.Signer.Name(), def.ID)}
	}
	drawn := map[pollKey]bool{}
	for _, d := range a.drawn() {
		drawn[pollKey{d.Station, d.Ballot}] = true
	}
	recorded, files, err := loadPolls(dir, def)
	if err != nil {
		return "", []error{err}
	}
	var errs []error
	var lines []string
	seen := map[pollKey]string{}
	for _, p := range polls {
		k := pollKey{p.Station, p.Ballot}
		switch {
		case !drawn[k]:
			errs = append(errs, fmt.Errorf("%s: voucher %d of station %s was not drawn: not recorded", p.Where, p.Ballot, p.Station))
			continue
		case seen[k] != "":
			errs = append(errs, fmt.Errorf("%s: voucher %d of station %s polled again (first at %s): only the first is recorded", p.Where, p.Ballot, p.Station, seen[k]))
			continue
		}
		seen[k] = p.Where
		if old, ok := recorded[k]; ok {
			if !maps.Equal(old.Choices, p.Choices) {
				errs = append(errs, fmt.Errorf("%s: voucher %d of station %s conflicts with the poll already recorded in %s, which is kept", p.Where, p.Ballot, p.Station, old.Where))
			}
			continue
		}
		lines = append(lines, pollLine(p))
	}
	if len(lines) == 0 {
		return "", errs
	}
	sort.Strings(lines)
	body := fmt.Sprintf("%s\nelection %s\n%s", PollVersion, def.ID, strings.Join(lines, ""))
	msg, err := note.Sign(&note.Note{Text: body}, auditor)
	if err != nil {
		return "", append(errs, err)
	}
	path := filepath.Join(dir, fmt.Sprintf("polls-%d.note", files+1))
	if err := durable.WriteNew(path, msg, 0o644); err != nil {
		return "", append(errs, err)
	}
	return path, errs
}

// pollLine is a poll as a line of the signed record: "STATION BALLOT
// contest=choice ...\n", contests in sorted order.
func pollLine(p Poll) string {
	var cs []string
	for c, x := range p.Choices {
		cs = append(cs, c+"="+x)
	}
	sort.Strings(cs)
	return fmt.Sprintf("%s %d %s\n", p.Station, p.Ballot, strings.Join(cs, " "))
}

// loadPolls reads every signed record of polls in dir (polls-N.note), each
// checked against the election's auditor keys, and returns the polls by
// voucher and how many records there are.
func loadPolls(dir string, def *election.Definition) (map[pollKey]Poll, int, error) {
	out := map[pollKey]Poll{}
	var files []string
	for i := 1; ; i++ {
		path := filepath.Join(dir, fmt.Sprintf("polls-%d.note", i))
		if _, err := os.Stat(path); err != nil {
			break
		}
		files = append(files, path)
	}
	if extra, _ := filepath.Glob(filepath.Join(dir, "polls-*.note")); len(extra) != len(files) {
		return nil, 0, fmt.Errorf("%s: poll records are not numbered polls-1.note, polls-2.note, ... without a gap", dir)
	}
	for _, path := range files {
		msg, err := os.ReadFile(path)
		if err != nil {
			return nil, 0, err
		}
		n, err := note.Open(msg, def.Verifiers())
		if err != nil {
			return nil, 0, fmt.Errorf("%s: not a record signed by an auditor of election %s: %v", path, def.ID, err)
		}
		signed := false
		for _, s := range n.Sigs {
			if who, ok := def.SignerOf(s.Name, s.Hash); ok && who.Role == election.RoleAuditor {
				signed = true
			}
		}
		if !signed {
			return nil, 0, fmt.Errorf("%s: not signed by an auditor of election %s", path, def.ID)
		}
		lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
		if len(lines) < 2 || lines[0] != PollVersion || lines[1] != "election "+def.ID {
			return nil, 0, fmt.Errorf("%s: not a poll record of election %s", path, def.ID)
		}
		for i, line := range lines[2:] {
			f := strings.Fields(line)
			where := fmt.Sprintf("%s:%d", path, i+3)
			if len(f) < 2 {
				return nil, 0, fmt.Errorf("%s: malformed poll line", where)
			}
			b, err := strconv.Atoi(f[1])
			if err != nil {
				return nil, 0, fmt.Errorf("%s: malformed ballot %q", where, f[1])
			}
			p := Poll{Station: f[0], Ballot: b, Choices: map[string]string{}, Where: where}
			for _, kv := range f[2:] {
				c, x, ok := strings.Cut(kv, "=")
				if !ok {
					return nil, 0, fmt.Errorf("%s: malformed choice %q", where, kv)
				}
				p.Choices[c] = x
			}
			k := pollKey{p.Station, p.Ballot}
			if old, ok := out[k]; ok && !maps.Equal(old.Choices, p.Choices) {
				return nil, 0, fmt.Errorf("%s: voucher %d of station %s conflicts with %s", where, p.Ballot, p.Station, old.Where)
			}
			if _, ok := out[k]; !ok {
				out[k] = p
			}
		}
	}
	return out, len(files), nil
}
