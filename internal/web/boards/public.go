package boards

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/transparency-dev/tessera/api/layout"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/auditlog"
)

// publicView is the public page: the audit as its trail tells it, read by
// anyone without a token, and the checkpoint of its log that commits to it.
type publicView struct {
	Election    string
	Method      audit.Method
	RiskLimit   float64
	Commitment  string // the seed's SHA-256, announced before the seed was rolled
	CommittedAt string
	Seed        string
	RevealedAt  string
	Rounds      []publicRound
	Entries     int               // lines of the trail
	Checkpoint  *publicCheckpoint // nil: the audit has no log yet
	Problem     string            // the trail cannot be read
}

type publicRound struct {
	Number  int
	Draws   []audit.Draw
	Events  []publicEvent
	Reports []publicReport
}

type publicEvent struct {
	Seq     int
	At      string
	Kind    string // boards, entry, signoff, reopen, recorded
	Label   string // what it is, in English, for the template to translate
	Board   string
	Member  int
	Station string
	Ballot  int
	Values  string
}

type publicReport struct {
	Seq      int
	At       string
	Decision string
	Risks    []publicRisk
}

type publicRisk struct {
	Contest string
	Risk    float64
}

type publicCheckpoint struct {
	Origin  string
	Size    uint64
	Hash    string
	Signers []string // who signed: the auditor, then the witnesses
	Checked bool     // it meets the election's policy
	Alone   bool     // the election enrols no log witnesses: the auditor's signature is all
	Problem string   // why it does not
	Covers  bool     // it covers every line of the trail
	Bundles []string // the log's entry bundles, as paths under /log/
}

// publicView reads the audit's trail and its log's checkpoint.
func (s *Server) publicView() *publicView {
	au := s.bs.Audit()
	v := &publicView{Election: au.Def.ID, Method: au.State.Method, RiskLimit: au.State.RiskLimit,
		Commitment: au.State.SeedCommitment, Seed: au.State.Seed}
	for _, r := range au.State.Rounds {
		v.Rounds = append(v.Rounds, publicRound{Number: r.Number, Draws: r.Draws})
	}
	entries, err := audit.ReadTrail(filepath.Join(au.Dir, audit.TrailFile))
	if err != nil {
		v.Problem = err.Error()
	}
	v.Entries = len(entries)
	drawn := 0 // rounds drawn when an entry was logged
	for _, e := range entries {
		switch {
		case e.Kind == "state" && e.State != nil:
			if e.State.SeedCommitment != "" && v.CommittedAt == "" {
				v.CommittedAt = e.At
			}
			if e.State.Seed != "" && v.RevealedAt == "" {
				v.RevealedAt = e.At
			}
			drawn = len(e.State.Rounds)
		case e.Kind == "report" && e.Report != nil && drawn > 0 && drawn <= len(v.Rounds):
			rep := publicReport{Seq: e.Seq, At: e.At, Decision: e.Report.Decision}
			for c, r := range e.Report.Risks {
				rep.Risks = append(rep.Risks, publicRisk{c, r})
			}
			slices.SortFunc(rep.Risks, func(a, b publicRisk) int { return strings.Compare(a.Contest, b.Contest) })
			v.Rounds[drawn-1].Reports = append(v.Rounds[drawn-1].Reports, rep)
		case e.Board != nil && e.Board.Round > 0 && e.Board.Round <= len(v.Rounds):
			ev := publicEvent{Seq: e.Seq, At: e.Board.At, Kind: e.Kind, Label: eventLabels[e.Kind], Board: e.Board.Board, Member: e.Board.Member, Station: e.Board.Station, Ballot: e.Board.Ballot}
			var vals []string
			for k, x := range e.Board.Values {
				vals = append(vals, k+"="+x)
			}
			slices.Sort(vals)
			ev.Values = strings.Join(vals, " ")
			if e.Kind == "boards" {
				var bs []string
				for b, st := range e.Board.Assigned {
					bs = append(bs, fmt.Sprintf("%s: %s", b, strings.Join(st, " ")))
				}
				slices.Sort(bs)
				ev.Values = strings.Join(bs, "; ")
			}
			r := &v.Rounds[e.Board.Round-1]
			r.Events = append(r.Events, ev)
		}
	}
	if s.logDir != "" {
		v.Checkpoint = s.publicCheckpoint(uint64(len(entries)))
	}
	return v
}

// publicCheckpoint reads the log's checkpoint and checks it.
func (s *Server) publicCheckpoint(entries uint64) *publicCheckpoint {
	raw, err := os.ReadFile(filepath.Join(s.logDir, "checkpoint"))
	if err != nil {
		return nil
	}
	c := &publicCheckpoint{}
	body, sigs, _ := strings.Cut(string(raw), "\n\n")
	lines := strings.Split(body, "\n")
	if len(lines) >= 3 {
		c.Origin, c.Hash = lines[0], lines[2]
		fmt.Sscan(lines[1], &c.Size)
	}
	for _, l := range strings.Split(sigs, "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "—" {
			c.Signers = append(c.Signers, f[1])
		}
	}
	if cp, err := auditlog.Check(s.bs.Audit().Def, raw); err != nil {
		c.Problem = err.Error()
	} else {
		c.Checked, c.Size = true, cp.Size
	}
	c.Alone = len(s.bs.Audit().Def.LogWitnesses) == 0
	c.Covers = c.Size == entries
	for b := uint64(0); b*layout.EntryBundleWidth < c.Size; b++ {
		c.Bundles = append(c.Bundles, layout.EntriesPath(b, layout.PartialTileSize(0, b, c.Size)))
	}
	return c
}

// eventLabels say what each of the boards' events in the trail is.
var eventLabels = map[string]string{
	"boards":   "stations divided among the boards",
	"entry":    "a member's entry",
	"signoff":  "a board's sign-off",
	"reopen":   "a sign-off reopened",
	"recorded": "the round's paper recorded",
}

func (s *Server) servePublic(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	s.t.Render(w, r, http.StatusOK, "public.html", "The audit in public", s.publicView())
}
