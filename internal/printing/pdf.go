package printing

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// Page geometry, in millimetres: A4 portrait. The text is set small and
// tight so that the tally and its QR codes share a page: a photo of the
// first page of a copy gives back the acta for up to about twenty
// candidates in one contest.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 12.0
	textW        = pageW - 2*margin
	bandH        = 9.0
	footerY      = pageH - 11 // top of the footer
	bottom       = pageH - 13 // content ends above this
	rowH         = 4.4
	font         = 9.0 // points, of the body text
)

// PDF returns the printable tally sheets of a signed acta in a language:
// one copy for the witness of each party of the election, in the
// definition's order, and one for the tallying center, each starting on a
// new page. A copy shows the count as people read it — election, station
// and its place, times, voters, per contest every candidate's name and
// votes — then the whole signed acta in QR codes on the same page, split by
// [qr.Parts] and labelled "part i/n", then the signers and a line for each
// witness's ink signature.
//
// The acta is checked against the definition again (acta.Open), so that the
// names printed are the ones its signatures were checked against. The same
// acta gives the same bytes in a language: the document's dates are the
// acta's own (its closing, opening or counting time) and nothing depends on
// the clock or on chance. Text is set in the PDF core fonts, whose encoding
// is Windows-1252: characters outside it print as ".".
func PDF(sa *acta.Signed, def *election.Definition, lang Lang) ([]byte, error) {
	sa, err := acta.Open(sa.Msg, def)
	if err != nil {
		return nil, fmt.Errorf("printing acta: %w", err)
	}
	st := def.Station(sa.Station)
	parts, err := qr.Parts(sa.Msg)
	if err != nil {
		return nil, fmt.Errorf("printing acta of station %s: %v", sa.Station, err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	when := actaTime(sa.Acta)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(when)
	pdf.SetModificationDate(when)
	pdf.SetProducer("triplicate", false)
	pdf.SetCreator("triplicate acta print", false)
	pdf.SetTitle(lang.f("Acta %s, station %s, %s", sa.Election, sa.Station, lang.t(string(sa.Kind))), true)
	pdf.SetLang(string(lang))
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AliasNbPages("")

	s := &sheet{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor(""), lang: lang, sa: sa, def: def, st: st}
	for i, p := range parts {
		c, err := newCode(p)
		if err != nil {
			return nil, fmt.Errorf("printing acta of station %s: part %d/%d: %v", sa.Station, i+1, len(parts), err)
		}
		s.codes = append(s.codes, c)
	}
	s.need, _ = qr.Progress(parts[:1])
	s.digest = qr.Digest(sa.Msg)

	copies := make([]string, 0, len(def.Parties)+1)
	for _, p := range def.Parties {
		copies = append(copies, lang.f("Copy for the witness of %s", p.Name))
	}
	copies = append(copies, lang.t("Copy for the tallying center"))
	pdf.SetFooterFunc(s.footer)
	for i, label := range copies {
		s.page(i+1, label, lang.f("copy %d of %d", i+1, len(copies)), false)
		s.write()
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("printing acta of station %s: %v", sa.Station, err)
	}
	return out.Bytes(), nil
}

// actaTime is the time the acta was made: when it closed, opened or was
// counted.
func actaTime(a *acta.Acta) time.Time {
	switch a.Kind {
	case acta.Final:
		return a.Closed.UTC()
	case acta.Hand:
		return a.Counted.UTC()
	}
	return a.Opened.UTC()
}

// sheet is the state of one rendering.
type sheet struct {
	pdf    *fpdf.Fpdf
	tr     func(string) string // UTF-8 to the core fonts' Windows-1252
	lang   Lang
	sa     *acta.Signed
	def    *election.Definition
	st     *election.Station
	codes  []*code
	need   qr.Status // how many of the codes rebuild the acta
	digest string

	copy, copyNo string // the copy being written
	copyIndex    int    // its number, from 1
	codesHere    bool   // whether the page being written has the QR codes
}

// page starts a page of a copy: the copy's label in a band across the top,
// its number at the right, the label shortened to leave room for it and,
// on the copy's next pages, for "(continued)".
func (s *sheet) page(index int, label, no string, continued bool) {
	p := s.pdf
	p.AddPage() // writes the previous page's footer, of the previous copy
	s.copyIndex, s.copy, s.copyNo = index, label, no
	s.codesHere = false
	p.SetFillColor(225, 225, 225)
	p.Rect(margin, margin, textW, bandH, "F")
	p.SetFont("Helvetica", "", font)
	noW := p.GetStringWidth(s.tr(no)) + 4
	p.SetXY(margin+textW-noW-1, margin)
	p.CellFormat(noW, bandH, s.tr(no), "", 0, "R", false, 0, "")
	p.SetXY(margin+1, margin)
	p.SetFont("Helvetica", "B", 11)
	w := textW - noW - 4
	var more string
	if continued {
		more = s.tr(strings.ToUpper(s.lang.t(" (continued)")))
	}
	label = s.fit(strings.ToUpper(label), w-p.GetStringWidth(more)) + more
	p.CellFormat(w, bandH, label, "", 0, "L", false, 0, "")
	p.SetXY(margin, margin+bandH+2)
}

// footer writes what identifies a page on its own — the election, the
// station, the kind of acta, its digest and the page — and, on a page
// without the codes, where they are. Each line is shortened to fit.
func (s *sheet) footer() {
	p := s.pdf
	p.SetFont("Helvetica", "", 7)
	p.SetTextColor(90, 90, 90)
	pageNo := s.lang.f("page %d of %s", p.PageNo(), "{nb}")
	pageW := p.GetStringWidth(s.tr(s.lang.f("page %d of %s", p.PageNo(), "999"))) + 2
	text := strings.Join([]string{s.sa.Election, s.lang.f("station %s", s.sa.Station),
		s.lang.f("%s acta", s.lang.t(string(s.sa.Kind))), s.digest}, " · ")
	p.SetXY(margin, footerY)
	p.CellFormat(textW-pageW, 3.5, s.fit(text, textW-pageW), "T", 0, "L", false, 0, "")
	p.CellFormat(pageW, 3.5, s.tr(pageNo), "T", 1, "R", false, 0, "")
	if !s.codesHere {
		// The page the codes are on is known only once they are placed:
		// an alias that PDF output replaces (see qrCodes).
		p.SetX(margin)
		p.CellFormat(textW, 3.5, s.fit(s.lang.f("the QR codes of this copy are on page %s", s.codesAlias()), textW), "", 0, "L", false, 0, "")
	}
	p.SetTextColor(0, 0, 0)
}

// room starts a new page of the copy unless h millimetres fit on this one.
func (s *sheet) room(h float64) {
	if s.pdf.GetY()+h > bottom {
		s.page(s.copyIndex, s.copy, s.copyNo, true)
	}
}

// write writes one copy: the tally, the codes right after it so that they
// share its page, then the signers and the ink lines.
func (s *sheet) write() {
	s.title()
	s.station()
	for i, t := range s.sa.Contests {
		s.contest(i, t)
	}
	s.qrCodes()
	s.signers()
	s.inkLines()
}

// kindHeading is how each kind of acta is titled for people, on paper and on
// a terminal.
var kindHeading = map[acta.Kind]string{
	acta.Zero:  "Zero count at opening",
	acta.Final: "Final count at closing",
	acta.Hand:  "Hand count of the paper vouchers",
}

func (s *sheet) title() {
	p := s.pdf
	p.SetFont("Helvetica", "B", 13)
	p.CellFormat(textW, 6.5, s.fit(s.lang.f("Tally sheet (acta): %s", s.lang.t(kindHeading[s.sa.Kind])), textW), "", 1, "L", false, 0, "")
	p.SetFont("Helvetica", "", 10)
	p.CellFormat(textW, 5, s.fit(s.def.Name+" ("+s.def.ID+")", textW), "", 1, "L", false, 0, "")
	p.Ln(1)
}

// station writes the station, its place, the times and the voters as two
// columns of label and value.
func (s *sheet) station() {
	a := s.sa.Acta
	l := s.lang
	left := [][2]string{{l.t("Station"), a.Station}}
	for i, area := range s.def.AreaPath(s.st.Area) {
		level := l.t("Area")
		if i < len(s.def.Levels) {
			level = capitalize(s.def.Levels[i])
		}
		left = append(left, [2]string{level, area.Name + " (" + area.Path + ")"})
	}
	left = append(left, [2]string{l.t("Machine"), election.KeyName(a.Machine)})
	if a.Kind == acta.Hand {
		left = append(left, [2]string{l.t("Auditor"), election.KeyName(a.Auditor)})
	}
	if a.Version() >= 2 {
		// What the machine ran, and the definition it held: a witness
		// compares them with the authority's published ones.
		if a.Software != "" {
			left = append(left, [2]string{l.t("Software"), a.Software})
		}
		left = append(left, [2]string{l.t("Definition"), fmt.Sprintf("%x", a.Definition[:8]) + "…"})
	}
	var right [][2]string
	const tf = "2006-01-02 15:04:05 UTC"
	switch a.Kind {
	case acta.Hand:
		right = append(right, [2]string{l.t("Counted"), a.Counted.UTC().Format(tf)})
	case acta.Final:
		right = append(right, [2]string{l.t("Opened"), a.Opened.UTC().Format(tf)}, [2]string{l.t("Closed"), a.Closed.UTC().Format(tf)})
	default:
		right = append(right, [2]string{l.t("Opened"), a.Opened.UTC().Format(tf)})
	}
	ballots := l.t("Ballots cast")
	if a.Kind == acta.Hand {
		ballots = l.t("Vouchers in the box")
	}
	right = append(right, [2]string{l.t("Registered voters"), fmt.Sprint(a.Registered)}, [2]string{ballots, fmt.Sprint(a.Ballots)})

	p := s.pdf
	n := max(len(left), len(right))
	s.room(float64(n) * rowH)
	y := p.GetY()
	const labelW = 34.0
	for i := range n {
		for col, rows := range [][][2]string{left, right} {
			if i >= len(rows) {
				continue
			}
			x := margin + float64(col)*textW/2
			p.SetXY(x, y+float64(i)*rowH)
			p.SetFont("Helvetica", "", font)
			p.CellFormat(labelW, rowH, s.fit(rows[i][0], labelW), "", 0, "L", false, 0, "")
			p.SetFont("Helvetica", "B", font)
			p.CellFormat(textW/2-labelW-2, rowH, s.fit(rows[i][1], textW/2-labelW-2), "", 0, "L", false, 0, "")
		}
	}
	p.SetXY(margin, y+float64(n)*rowH+2)
}

// twoColumns is the number of candidates above which a contest's table
// is set in two columns side by side, to keep the codes on its page.
const twoColumns = 12

// contest writes one contest's table: every candidate's name, id and votes,
// in one column or, for a long list, two; then blank, null and the total.
func (s *sheet) contest(i int, t acta.Tally) {
	p := s.pdf
	l := s.lang
	c := s.def.Contest(t.Contest)
	cols := 1
	if len(t.Candidates) > twoColumns {
		cols = 2
	}
	perCol := (len(t.Candidates) + cols - 1) / cols
	s.room(float64(perCol+5)*rowH + 2)
	colW := textW / float64(cols)
	const idW, votesW = 24.0, 18.0
	nameW := colW - idW - votesW
	p.SetFillColor(225, 225, 225)
	p.SetFont("Helvetica", "B", font)
	p.CellFormat(textW-votesW-idW, rowH+0.6, s.fit(l.f("Contest %d: %s", i+1, c.Name), textW-votesW-idW), "1", 0, "L", true, 0, "")
	p.CellFormat(idW, rowH+0.6, s.fit(c.ID, idW), "1", 0, "L", true, 0, "")
	p.CellFormat(votesW, rowH+0.6, s.tr(l.t("Votes")), "1", 1, "R", true, 0, "")
	y := p.GetY()
	for j, x := range t.Candidates {
		col, row := j/perCol, j%perCol
		p.SetXY(margin+float64(col)*colW, y+float64(row)*rowH)
		p.SetFont("Helvetica", "", font)
		p.CellFormat(nameW, rowH, s.fit(c.Candidates[j].Name, nameW), "L", 0, "L", false, 0, "")
		p.CellFormat(idW, rowH, s.fit(x.Candidate, idW), "", 0, "L", false, 0, "")
		p.CellFormat(votesW, rowH, fmt.Sprint(x.Votes), "R", 0, "R", false, 0, "")
	}
	p.SetXY(margin, y+float64(perCol)*rowH)
	row := func(name string, votes int, border, style string) {
		p.SetFont("Helvetica", style, font)
		p.CellFormat(textW-votesW, rowH, s.tr(name), border, 0, "L", false, 0, "")
		p.CellFormat(votesW, rowH, fmt.Sprint(votes), border, 1, "R", false, 0, "")
	}
	row(l.t("Blank"), t.Blank, "LRT", "I")
	row(l.t("Null"), t.Null, "LR", "I")
	if s.sa.PerContest {
		// Version 3: the votes the ballots left unused, and the
		// contest's own ballots.
		row(l.t("Undervotes"), t.Undervotes, "LR", "I")
		row(l.t("Ballots in this contest"), t.Ballots, "1", "B")
	} else {
		row(l.t("Total"), t.Total(), "1", "B")
	}
	p.Ln(2)
}

// signers lists who has signed the acta digitally, and the records digest.
func (s *sheet) signers() {
	p := s.pdf
	s.room(float64(len(s.sa.Signatures)+2) * rowH)
	p.SetFont("Helvetica", "B", font)
	p.CellFormat(textW, rowH, s.tr(s.lang.t("Signed digitally by")), "", 1, "L", false, 0, "")
	for _, sig := range s.sa.Signatures {
		p.SetFont("Helvetica", "", font)
		p.CellFormat(80, rowH, s.fit(signerName(sig.Signer, s.def, s.lang), 80), "", 0, "L", false, 0, "")
		p.SetFont("Courier", "", 8)
		p.CellFormat(textW-80, rowH, s.fit(sig.Name, textW-80), "", 1, "L", false, 0, "")
	}
	if s.sa.Kind != acta.Hand {
		p.SetFont("Helvetica", "", font)
		p.CellFormat(50, rowH, s.fit(s.lang.t("Electronic records SHA-256"), 50), "", 0, "L", false, 0, "")
		p.SetFont("Courier", "", 7.5)
		p.CellFormat(textW-50, rowH, fmt.Sprintf("%x", s.sa.Records), "", 1, "L", false, 0, "")
	}
	p.Ln(2)
}

// signerName describes who made a signature, for people.
func signerName(who election.Signer, def *election.Definition, l Lang) string {
	switch who.Role {
	case election.RoleMachine:
		return l.f("The machine of station %s", who.Station)
	case election.RoleWitness:
		name := who.Party // an opened acta's witnesses are all of parties of def
		if p := def.Party(who.Party); p != nil {
			name = p.Name
		}
		return l.f("Witness of %s", name)
	}
	return l.t("Auditor")
}

// inkLines leaves a line for each party's witness to sign in ink.
func (s *sheet) inkLines() {
	p := s.pdf
	const h = 8.0
	s.room(rowH + float64(len(s.def.Parties))*h + 2)
	p.SetFont("Helvetica", "B", font)
	p.CellFormat(textW, rowH, s.tr(s.lang.t("Signatures in ink of the witnesses at the table")), "", 1, "L", false, 0, "")
	p.SetFont("Helvetica", "", font)
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.3)
	name, sig := s.tr(s.lang.t("Name")), s.tr(s.lang.t("Signature"))
	nameW, sigW := p.GetStringWidth(name)+2, p.GetStringWidth(sig)+2
	for _, party := range s.def.Parties {
		y := p.GetY() + h - 2
		p.CellFormat(60, h, s.fit(party.Name, 58), "", 0, "L", false, 0, "")
		p.CellFormat(nameW, h, name, "", 0, "L", false, 0, "")
		p.Line(p.GetX(), y, p.GetX()+50, y)
		p.SetX(p.GetX() + 54)
		p.CellFormat(sigW, h, sig, "", 0, "L", false, 0, "")
		p.Line(p.GetX(), y, margin+textW, y)
		p.Ln(h)
	}
	p.Ln(2)
}

// fit translates a text and shortens it with "..." until it fits w mm in the
// current font.
func (s *sheet) fit(text string, w float64) string {
	t := s.tr(text)
	if s.pdf.GetStringWidth(t) <= w-2 {
		return t
	}
	for len(t) > 0 && s.pdf.GetStringWidth(t+"...") > w-2 {
		t = t[:len(t)-1] // Windows-1252: one byte a character
	}
	return t + "..."
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
