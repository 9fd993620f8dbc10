package boards

import (
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

//go:embed templates
var templateFS embed.FS

// Config is what the pages serve.
type Config struct {
	Boards *audit.Boards // the boards' work on the audit, which writes to its directory
	Secret []byte        // the tokens' secret (ReadSecret)
	Logger *slog.Logger
}

// Server is the administrator's and the boards' pages.
type Server struct {
	bs     *audit.Boards
	tok    *tokens
	t      *page.Templates
	logger *slog.Logger
}

// New returns the pages of an audit's boards.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Server{bs: cfg.Boards, tok: newTokens(cfg.Secret), logger: cfg.Logger, t: page.Parse(page.Config{
		FS:      templateFS,
		Pages:   []string{"admin.html", "board.html", "labels.html", "member.html"},
		Shared:  []string{"shared.html"},
		Funcs:   template.FuncMap{"add": func(a, b int) int { return a + b }},
		Catalog: page.NewCatalog(spanish),
	})}
}

// AdminPath is the administrator's page's address.
func (s *Server) AdminPath() string { return "/admin/" + s.tok.admin }

// BoardPath is a board's page's address.
func (s *Server) BoardPath(board string) string { return "/board/" + s.tok.of[board] }

// Handler serves the pages and their assets.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /assets/", page.Assets())
	mux.HandleFunc("GET /admin/{token}", s.admin(s.serveAdmin))
	mux.HandleFunc("GET /admin/{token}/progress", s.admin(s.serveAdminProgress))
	mux.HandleFunc("POST /admin/{token}/launch", s.admin(s.serveLaunch))
	mux.HandleFunc("POST /admin/{token}/assign", s.admin(s.serveAssign))
	mux.HandleFunc("POST /admin/{token}/reopen", s.admin(s.serveReopen))
	mux.HandleFunc("POST /admin/{token}/record", s.admin(s.serveRecord))
	mux.HandleFunc("GET /board/{token}", s.board(s.serveBoard))
	mux.HandleFunc("GET /board/{token}/labels", s.board(s.serveLabels))
	mux.HandleFunc("GET /board/{token}/member/{member}", s.board(s.serveMember))
	mux.HandleFunc("POST /board/{token}/member/{member}", s.board(s.serveEntry))
	mux.HandleFunc("POST /board/{token}/signoff", s.board(s.serveSignOff))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.t.Fail(w, r, http.StatusNotFound, "There is no page at this address: the audit's pages are at the addresses the administrator hands out.")
	})
	return mux
}

// admin checks the administrator's token.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.tok.isAdmin(r.PathValue("token")) {
			s.t.Fail(w, r, http.StatusNotFound, "There is no page at this address: the audit's pages are at the addresses the administrator hands out.")
			return
		}
		h(w, r)
	}
}

// board checks a board's token.
func (s *Server) board(h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name, ok := s.tok.board(r.PathValue("token"))
		if !ok {
			s.t.Fail(w, r, http.StatusNotFound, "There is no page at this address: the audit's pages are at the addresses the administrator hands out.")
			return
		}
		h(w, r, name)
	}
}

// status maps the boards' errors to a status: the one switch that does.
func status(err error) int {
	switch {
	case errors.Is(err, audit.ErrNotDrawn):
		return http.StatusForbidden
	case errors.Is(err, audit.ErrBadCount):
		return http.StatusUnprocessableEntity
	case errors.Is(err, audit.ErrClosed), errors.Is(err, audit.ErrNotReady), errors.Is(err, audit.ErrConfirmed):
		return http.StatusConflict
	}
	return http.StatusConflict // the audit's own refusals: a round not complete, a full hand count due
}

// reason is a refusal's kind, said in the page's language before the
// audit's own words (English, naming what was refused).
func reason(err error) string {
	switch {
	case errors.Is(err, audit.ErrNotDrawn):
		return "Not drawn for this board"
	case errors.Is(err, audit.ErrBadCount):
		return "Not a possible count"
	case errors.Is(err, audit.ErrClosed):
		return "Closed"
	case errors.Is(err, audit.ErrNotReady):
		return "Not ready"
	}
	return "Refused by the audit"
}

// problem is a refusal shown on a page.
type problem struct {
	Reason string // English, translated by the template
	Detail string // the audit's words
}

func problems(errs []error) []problem {
	var out []problem
	for _, err := range errs {
		out = append(out, newProblem(err))
	}
	return out
}

// newProblem is a refusal shown: its kind translated, the audit's words
// without the kind's sentinel, which the kind says already.
func newProblem(err error) problem {
	detail := err.Error()
	for _, s := range []error{audit.ErrNotDrawn, audit.ErrBadCount, audit.ErrClosed, audit.ErrNotReady} {
		detail = strings.TrimSuffix(detail, ": "+s.Error())
	}
	return problem{reason(err), detail}
}

// lastReport reads the audit's last status, if any.
func (s *Server) lastReport() *audit.Report {
	data, err := os.ReadFile(filepath.Join(s.bs.Audit().Dir, "report.json"))
	if err != nil {
		return nil
	}
	var r audit.Report
	if json.Unmarshal(data, &r) != nil {
		return nil
	}
	return &r
}
