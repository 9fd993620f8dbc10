package boards

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/audit"
)

// The member pages: each of a board's two members enters every count on a
// page of their own, seeing their own entries and whether they agree with
// the other member's, never the other's figures until they disagree.

// memberView is a member's page.
func (s *Server) memberView(r *http.Request, name string, member int) *boardView {
	v := s.boardView(r, name)
	v.Member = member
	def := s.bs.Audit().Def
	for _, iv := range v.Items {
		iv.Groups = fields(def, iv.Item, v.Polling, iv.Values[member-1], iv.Agreement.Differ)
	}
	return v
}

// member reads the member of the address: 1 or 2.
func member(r *http.Request) (int, bool) {
	switch r.PathValue("member") {
	case "1":
		return 1, true
	case "2":
		return 2, true
	}
	return 0, false
}

func (s *Server) serveMember(w http.ResponseWriter, r *http.Request, name string) {
	m, ok := member(r)
	if !ok {
		s.t.Fail(w, r, http.StatusNotFound, "A board has two members, 1 and 2.")
		return
	}
	s.t.Render(w, r, http.StatusOK, "member.html", "Hand count entry", s.memberView(r, name, m))
}

// serveEntry takes one item's entry. A refused entry is shown on the page
// again with what was typed and the reason; the other entries are kept as
// they were. An entry that disagrees with the other member's is kept, and
// the page says so with 409: it does not count until the two agree.
func (s *Server) serveEntry(w http.ResponseWriter, r *http.Request, name string) {
	m, ok := member(r)
	if !ok {
		s.t.Fail(w, r, http.StatusNotFound, "A board has two members, 1 and 2.")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.t.Fail(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	it := audit.Item{Station: r.PostFormValue("station")}
	values := map[string]string{}
	for k, vs := range r.PostForm {
		if f, ok := strings.CutPrefix(k, "f:"); ok && len(vs) > 0 {
			values[f] = strings.Join(vs, "+") // several: the candidates a voucher marks, checked
		}
	}
	round, err := formInt(r, "round")
	if err == nil && r.PostFormValue("ballot") != "0" {
		it.Ballot, err = strconv.Atoi(r.PostFormValue("ballot"))
		if err != nil {
			err = fmt.Errorf("ballot %q is not a position in the box: %w", clipText(r.PostFormValue("ballot")), audit.ErrNotDrawn)
		}
	}
	var a audit.Agreement
	if err == nil {
		a, err = s.bs.Enter(round, name, m, it, values)
	}
	if err == nil && len(a.Differ) > 0 {
		err = fmt.Errorf("%s: the entries of members 1 and 2 disagree on %s: both are kept; count again and correct the one that is wrong: %w",
			it, strings.Join(a.Differ, ", "), audit.ErrNotReady)
		s.logger.Info("audit boards: entries disagree", "round", round, "board", name, "item", it.String(), "fields", a.Differ)
		s.entryRefused(w, r, name, m, it, nil, err, http.StatusConflict)
		return
	}
	if err != nil {
		s.logger.Info("audit boards: entry refused", "round", round, "board", name, "member", m, "error", err.Error())
		s.entryRefused(w, r, name, m, it, values, err, status(err))
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/board/%s/member/%d#%s", r.PathValue("token"), m, anchor(it)), http.StatusSeeOther)
}

// entryRefused renders the member's page with the refusal at the item's
// form, and what was typed there (typed, if not nil) kept.
func (s *Server) entryRefused(w http.ResponseWriter, r *http.Request, name string, m int, it audit.Item, typed map[string]string, err error, code int) {
	v := s.memberView(r, name, m)
	p := newProblem(err)
	placed := false
	for _, iv := range v.Items {
		if iv.Item == it {
			iv.Problem = &p
			if typed != nil {
				iv.Groups = fields(s.bs.Audit().Def, it, v.Polling, typed, iv.Agreement.Differ)
			}
			placed = true
		}
	}
	if !placed {
		v.Problems = []problem{p}
	}
	s.t.Render(w, r, code, "member.html", "Hand count entry", v)
}
