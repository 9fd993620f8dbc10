package boards

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// adminView is the administrator's page.
type adminView struct {
	Token     string
	Method    audit.Method
	Election  string
	RiskLimit float64
	Seed      string
	Drawn     int               // rounds drawn
	Round     *audit.BoardRound // the last round drawn, if it has boards
	Boards    []boardProgress   // its boards
	Contests  []contestProgress // its contests
	Report    *audit.Report     // the last status measured
	Problems  []problem         // what the last action was refused for
	Launch    int               // boards to propose for the next round
	Done      bool              // every board signed off and the paper recorded
	Signed    int               // boards signed off
	// Next is what the rounds allow: "launch" (none drawn, or the last
	// recorded and another round asked for), "assign" (the last drawn has
	// no boards), "counting", "confirmed" or "full hand count".
	Next string
	// Redivide: the round's boards have entered nothing yet, so it may be
	// divided again among another number of boards.
	Redivide bool
}

type boardProgress struct {
	Name, URL               string
	Items, Agreed, Disagree int
	Entered                 [2]int
	SignedOff               bool
}

type contestProgress struct {
	ID, Name      string
	Items, Agreed int
	Risk          float64
	Measured      bool
	Confirmed     bool
}

func (s *Server) adminView(token string) *adminView {
	au := s.bs.Audit()
	v := &adminView{Token: token, Method: au.State.Method, Election: au.Def.ID, RiskLimit: au.State.RiskLimit,
		Seed: au.State.Seed, Drawn: s.bs.Rounds(), Report: s.lastReport(), Launch: 2}
	if v.Drawn > 0 {
		v.Round = s.bs.Round(v.Drawn)
	}
	risks := map[string]audit.ContestOutcome{}
	if v.Report != nil {
		for _, c := range v.Report.Contests {
			risks[c.Contest] = c
		}
	}
	for _, c := range au.Def.Contests {
		cp := contestProgress{ID: c.ID, Name: c.Name}
		if o, ok := risks[c.ID]; ok && v.Report.Complete > 0 {
			cp.Risk, cp.Measured, cp.Confirmed = o.Risk, true, o.Confirmed
		}
		v.Contests = append(v.Contests, cp)
	}
	v.Next = "launch"
	switch {
	case v.Drawn > 0 && v.Round == nil:
		v.Next = "assign"
	case v.Round != nil && !v.Round.Recorded:
		v.Next = "counting"
	case v.Report != nil && (v.Report.Decision == "confirmed" || v.Report.Decision == "full hand count"):
		v.Next = v.Report.Decision
	}
	if v.Round == nil {
		return v
	}
	v.Launch = len(v.Round.Boards)
	for _, b := range v.Round.Boards {
		bp := boardProgress{Name: b.Name, URL: s.BoardPath(b.Name), Items: len(b.Items), SignedOff: b.SignedOff}
		for _, it := range b.Items {
			a := b.Agreement(it)
			switch {
			case a.Agree:
				bp.Agreed++
			case len(a.Differ) > 0:
				bp.Disagree++
			}
			for m := range 2 {
				if a.Entered[m] {
					bp.Entered[m]++
				}
			}
			st := au.Def.Station(it.Station)
			for i, c := range au.Def.Contests {
				if election.ContestIndex(au.Def.Ballot(st), c.ID) >= 0 {
					v.Contests[i].Items++
					if a.Agree {
						v.Contests[i].Agreed++
					}
				}
			}
		}
		if b.SignedOff {
			v.Signed++
		}
		v.Boards = append(v.Boards, bp)
	}
	v.Done = v.Round.Recorded
	v.Redivide = !v.Done
	for _, b := range v.Boards {
		v.Redivide = v.Redivide && b.Entered[0]+b.Entered[1] == 0
	}
	return v
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	s.t.Render(w, r, http.StatusOK, "admin.html", "Audit administration", s.adminView(r.PathValue("token")))
}

// serveAdminProgress is the progress section alone, which htmx refreshes.
func (s *Server) serveAdminProgress(w http.ResponseWriter, r *http.Request) {
	s.t.Fragment(w, r, "admin.html", "progress", s.adminView(r.PathValue("token")))
}

// adminRefused renders the administrator's page with what was refused.
func (s *Server) adminRefused(w http.ResponseWriter, r *http.Request, errs []error) {
	v := s.adminView(r.PathValue("token"))
	v.Problems = problems(errs)
	s.logger.Info("audit boards: administrator refused", "errors", fmt.Sprint(errs))
	s.t.Render(w, r, status(errs[0]), "admin.html", "Audit administration", v)
}

func (s *Server) backToAdmin(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/admin/"+r.PathValue("token"), http.StatusSeeOther)
}

// formInt reads a whole number from a form.
func formInt(r *http.Request, name string) (int, error) {
	v := r.PostFormValue(name)
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a whole number: %w", name, clipText(v), audit.ErrBadCount)
	}
	return n, nil
}

func clipText(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func (s *Server) serveLaunch(w http.ResponseWriter, r *http.Request) {
	n, err := formInt(r, "boards")
	if err == nil {
		var round *audit.Round
		round, err = s.bs.Launch(n)
		if err == nil {
			s.logger.Info("audit boards: round launched", "round", round.Number, "draws", len(round.Draws), "boards", n)
		}
	}
	if err != nil {
		s.adminRefused(w, r, []error{err})
		return
	}
	s.backToAdmin(w, r)
}

func (s *Server) serveAssign(w http.ResponseWriter, r *http.Request) {
	round, err := formInt(r, "round")
	if err == nil {
		var n int
		if n, err = formInt(r, "boards"); err == nil {
			err = s.bs.Assign(round, n)
		}
	}
	if err != nil {
		s.adminRefused(w, r, []error{err})
		return
	}
	s.backToAdmin(w, r)
}

// serveReopen reopens a board's sign-off, or with no board named every
// board's of the round.
func (s *Server) serveReopen(w http.ResponseWriter, r *http.Request) {
	round, err := formInt(r, "round")
	if err == nil && r.PostFormValue("board") == "" {
		if br := s.bs.Round(round); br != nil {
			for _, b := range br.Boards {
				if b.SignedOff && err == nil {
					err = s.bs.Reopen(round, b.Name)
				}
			}
		}
	} else if err == nil {
		err = s.bs.Reopen(round, r.PostFormValue("board"))
	}
	if err != nil {
		s.adminRefused(w, r, []error{err})
		return
	}
	s.logger.Info("audit boards: sign-off reopened", "round", round, "board", r.PostFormValue("board"))
	s.backToAdmin(w, r)
}

func (s *Server) serveRecord(w http.ResponseWriter, r *http.Request) {
	round, err := formInt(r, "round")
	if err != nil {
		s.adminRefused(w, r, []error{err})
		return
	}
	if _, errs := s.bs.Record(round); len(errs) > 0 {
		s.adminRefused(w, r, errs)
		return
	}
	s.backToAdmin(w, r)
}
