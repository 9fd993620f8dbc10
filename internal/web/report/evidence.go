package report

import (
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/triplicate-vote/triplicate/internal/verify"
)

// evidenceView is a finding's piece of evidence as the one-file report and
// the station pages show it alike, with the template "evidence"
// (templates/finding.html).
type evidenceView struct {
	Title      string // English, translated on the page
	Kind       string
	Source     string
	Where      string
	Acta       string
	ActaNote   string // English, translated on the page
	Index      string
	Proof      string // one hash a line, in hex
	Checkpoint string
	Note       string
}

// evidenceKinds are the English titles of the kinds of evidence.
var evidenceKinds = map[string]string{
	"acta":       "Signed acta",
	"log-entry":  "Log entry",
	"checkpoint": "Signed checkpoint of the log",
	"announced":  "Announced figures (unsigned)",
	// The center's signed announcement, shown as an acta is: verbatim.
	"announced-signed": "Announced figures, signed by the center",
}

func evidenceViews(evs []verify.Evidence) []evidenceView {
	var out []evidenceView
	for _, e := range evs {
		v := evidenceView{Title: label(evidenceKinds, e.Kind), Kind: e.Kind, Source: e.Source, Where: e.Where,
			Checkpoint: validText(e.Checkpoint), Note: e.Note}
		text := e.Acta
		if text == "" {
			text = e.Announcement
		}
		if text != "" {
			v.Acta = validText(text)
			if !utf8.ValidString(text) {
				v.ActaNote = "not valid UTF-8: shown with the invalid bytes replaced; the JSON bundle has it byte for byte"
			}
		}
		if e.Index != nil {
			v.Index = strconv.FormatUint(*e.Index, 10)
		}
		if len(e.Proof) > 0 {
			lines := make([]string, len(e.Proof))
			for i, h := range e.Proof {
				lines[i] = hex.EncodeToString(h)
			}
			v.Proof = strings.Join(lines, "\n")
		}
		out = append(out, v)
	}
	return out
}

func validText(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// translator is what the shared templates translate with: a served page
// (*page.Page), or the one-file report, in English.
type translator interface{ T(string) string }

// part is what a shared template receives: the translator of the page it
// is part of, and its own data.
type part struct {
	L translator
	V any
}

func newPart(l translator, v any) part { return part{l, v} }
