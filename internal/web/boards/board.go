package boards

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// boardView is a board's pages: its retrieval list, labels and progress.
type boardView struct {
	Token      string
	Name       string
	Polling    bool
	Round      *audit.BoardRound
	Board      *audit.Board
	Items      []*itemView
	Boxes      []*boxView
	Problems   []problem
	Member     int // the member page's: 1 or 2
	Agreed     int
	Disagree   int
	CanSignOff bool
}

// itemView is one item of a board: a station's box or a drawn voucher.
type itemView struct {
	audit.Item
	Anchor    string
	Area      string
	Agreement audit.Agreement
	State     string // English: agreed, disagree, 1 of 2 entries, not entered
	Class     string // the state's badge: ok, bad, warn or ""
	Values    [2]map[string]string
	Groups    []fieldGroup // the member page's form
	Problem   *problem     // what this item's entry was refused for
}

// boxView is a box to pull: a label to print.
type boxView struct {
	Station  string
	Area     string
	Vouchers []int // ballot polling: the positions drawn in it
}

type fieldGroup struct {
	Legend string
	Fields []field
}

type field struct {
	Name, Label, Value string
	Choice             bool // a select of Options (ballot polling)
	Multi              bool // check boxes of Options (ballot polling, several seats)
	Options            []option
	Differs            bool
}

type option struct {
	Value, Label string
	Checked      bool // Multi: the value marks it
}

// current returns the last round that has the board, and the board.
func (s *Server) current(name string) (*audit.BoardRound, *audit.Board) {
	for n := s.bs.Rounds(); n >= 1; n-- {
		r := s.bs.Round(n)
		if r == nil {
			continue
		}
		for _, b := range r.Boards {
			if b.Name == name {
				return r, b
			}
		}
	}
	return nil, nil
}

func (s *Server) boardView(r *http.Request, name string) *boardView {
	au := s.bs.Audit()
	v := &boardView{Token: r.PathValue("token"), Name: name, Polling: au.State.Method != audit.MACRO}
	v.Round, v.Board = s.current(name)
	if v.Board == nil {
		return v
	}
	boxes := map[string]*boxView{}
	for _, it := range v.Board.Items {
		st := au.Def.Station(it.Station)
		area := ""
		if a := au.Def.Area(st.Area); a != nil {
			area = a.Name
		}
		iv := &itemView{Item: it, Anchor: anchor(it), Area: area, Agreement: v.Board.Agreement(it)}
		for m := range 2 {
			iv.Values[m] = v.Board.Entries[m][it]
		}
		switch a := iv.Agreement; {
		case a.Agree:
			v.Agreed++
			iv.State, iv.Class = "agreed", "ok"
		case len(a.Differ) > 0:
			v.Disagree++
			iv.State, iv.Class = "disagree", "bad"
		case a.Entered[0] || a.Entered[1]:
			iv.State, iv.Class = "1 of 2 entries", "warn"
		default:
			iv.State = "not entered"
		}
		v.Items = append(v.Items, iv)
		if boxes[it.Station] == nil {
			boxes[it.Station] = &boxView{Station: it.Station, Area: area}
			v.Boxes = append(v.Boxes, boxes[it.Station])
		}
		if it.Ballot > 0 {
			boxes[it.Station].Vouchers = append(boxes[it.Station].Vouchers, it.Ballot)
		}
	}
	slices.SortFunc(v.Boxes, func(a, b *boxView) int { return strings.Compare(a.Station, b.Station) })
	for _, b := range v.Boxes {
		slices.Sort(b.Vouchers)
	}
	v.CanSignOff = !v.Board.SignedOff && !v.Round.Recorded && v.Agreed == len(v.Items)
	return v
}

// anchor is an item's id in the page.
func anchor(it audit.Item) string {
	id := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '-'
	}, it.Station)
	return fmt.Sprintf("item-%s-%d", id, it.Ballot)
}

func (s *Server) serveBoard(w http.ResponseWriter, r *http.Request, name string) {
	s.t.Render(w, r, http.StatusOK, "board.html", "Audit board", s.boardView(r, name))
}

func (s *Server) serveLabels(w http.ResponseWriter, r *http.Request, name string) {
	s.t.Render(w, r, http.StatusOK, "labels.html", "Box labels", s.boardView(r, name))
}

func (s *Server) serveSignOff(w http.ResponseWriter, r *http.Request, name string) {
	round, err := formInt(r, "round")
	if err != nil {
		s.boardRefused(w, r, name, []error{err})
		return
	}
	if _, errs := s.bs.SignOff(round, name); len(errs) > 0 {
		s.boardRefused(w, r, name, errs)
		return
	}
	s.logger.Info("audit boards: signed off", "round", round, "board", name)
	http.Redirect(w, r, "/board/"+r.PathValue("token"), http.StatusSeeOther)
}

func (s *Server) boardRefused(w http.ResponseWriter, r *http.Request, name string, errs []error) {
	v := s.boardView(r, name)
	v.Problems = problems(errs)
	s.t.Render(w, r, status(errs[0]), "board.html", "Audit board", v)
}

// fields are an item's form, with a member's values.
func fields(def *election.Definition, it audit.Item, polling bool, values map[string]string, differ []string) []fieldGroup {
	st := def.Station(it.Station)
	if polling {
		var gs []fieldGroup
		for _, c := range def.Ballot(st) {
			f := field{Name: c.ID, Label: c.Name, Value: values[c.ID], Choice: true, Differs: slices.Contains(differ, c.ID)}
			if r := c.DecidedBy(); r.Method == contest.Plurality && r.Seats > 1 {
				f.Choice, f.Multi = false, true // a voucher may mark up to Seats candidates
			}
			marked := strings.Split(f.Value, "+")
			for _, x := range c.Candidates {
				f.Options = append(f.Options, option{x.ID, x.Name, slices.Contains(marked, x.ID)})
			}
			for _, o := range []option{{"blank", "Blank", false}, {"null", "Null", false}, {audit.NotFound, "Not found in the box", false}} {
				o.Checked = slices.Contains(marked, o.Value)
				f.Options = append(f.Options, o)
			}
			gs = append(gs, fieldGroup{Legend: c.Name, Fields: []field{f}})
		}
		return gs
	}
	gs := []fieldGroup{{Fields: []field{{Name: "ballots", Label: "Vouchers in the box", Value: values["ballots"], Differs: slices.Contains(differ, "ballots")}}}}
	for _, c := range def.Ballot(st) {
		g := fieldGroup{Legend: c.Name}
		for _, x := range c.Candidates {
			k := c.ID + "." + x.ID
			g.Fields = append(g.Fields, field{Name: k, Label: x.Name, Value: values[k], Differs: slices.Contains(differ, k)})
		}
		for _, k := range []string{"blank", "null"} {
			label := "Blank"
			if k == "null" {
				label = "Null"
			}
			g.Fields = append(g.Fields, field{Name: c.ID + "." + k, Label: label, Value: values[c.ID+"."+k], Differs: slices.Contains(differ, c.ID+"."+k)})
		}
		gs = append(gs, g)
	}
	return gs
}
