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

// Page geometry, in millimetres: A4 portrait. Two codes of the largest size
// (89 modules of 0.85 mm, 75.65 mm) and the quiet zone between them fit the
// width between the margins.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 12.0
	textW        = pageW - 2*margin
	footerY      = pageH - 10 // baseline of the footer
	bottom       = pageH - 16 // content ends above this
	rowH         = 5.0
)

// PDF returns the printable tally sheets of a signed acta: one copy for the
// witness of each party of the election, in the definition's order, and one
// for the tallying center, each starting on a new page. A copy shows the
// count as people read it — election, station and its place, times, voters,
// per contest every candidate's name and votes, the signers and a line for
// each witness's ink signature — and the whole signed acta in QR codes, split
// by [qr.Parts] and labelled "part i/n".
//
// The acta is checked against the definition again (acta.Open), so that the
// names printed are the ones its signatures were checked against. The same
// acta gives the same bytes: the document's dates are the acta's own (its
// closing, opening or counting time) and nothing depends on the clock or on
// chance. Text is set in the PDF core fonts, whose encoding is
// Windows-1252: characters outside it print as ".".
func PDF(sa *acta.Signed, def *election.Definition) ([]byte, error) {
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
	pdf.SetTitle(fmt.Sprintf("Acta %s, station %s, %s", sa.Election, sa.Station, sa.Kind), true)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AliasNbPages("")

	s := &sheet{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor(""), sa: sa, def: def, st: st}
	for i, p := range parts {
		c, err := newCode(p)
		if err != nil {
			return nil, fmt.Errorf("printing acta of station %s: part %d/%d: %v", sa.Station, i+1, len(parts), err)
		}
		s.codes = append(s.codes, c)
	}
	s.digest = qr.Digest(sa.Msg)

	copies := make([]string, 0, len(def.Parties)+1)
	for _, p := range def.Parties {
		copies = append(copies, "Copy for the witness of "+p.Name)
	}
	copies = append(copies, "Copy for the tallying center")
	pdf.SetFooterFunc(s.footer)
	for i, label := range copies {
		s.page(label, fmt.Sprintf("copy %d of %d", i+1, len(copies)), false)
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
	sa     *acta.Signed
	def    *election.Definition
	st     *election.Station
	codes  []*code
	digest string

	copy, copyNo string // the copy being written
	codesHere    bool   // whether the page being written has the QR codes
}

// page starts a page of a copy: the copy's label in a band across the top.
func (s *sheet) page(label, no string, continued bool) {
	p := s.pdf
	p.AddPage() // writes the previous page's footer, of the previous copy
	s.copy, s.copyNo = label, no
	s.codesHere = false
	p.SetFillColor(225, 225, 225)
	p.Rect(margin, margin, textW, 10, "F")
	p.SetXY(margin+2, margin)
	p.SetFont("Helvetica", "B", 13)
	label = strings.ToUpper(label)
	if continued {
		label += " (continued)"
	}
	p.CellFormat(textW-40, 10, s.tr(label), "", 0, "L", false, 0, "")
	p.SetFont("Helvetica", "", 10)
	p.CellFormat(36, 10, s.copyNo, "", 0, "R", false, 0, "")
	p.SetXY(margin, margin+13)
}

func (s *sheet) footer() {
	p := s.pdf
	p.SetFont("Helvetica", "", 8)
	p.SetTextColor(90, 90, 90)
	p.SetXY(margin, footerY-3)
	text := fmt.Sprintf("%s / station %s / %s acta / %s / acta digest %s / page %d of {nb}",
		s.sa.Election, s.sa.Station, s.sa.Kind, strings.ToLower(s.copy), s.digest, p.PageNo())
	if !s.codesHere {
		text += " / the QR codes are at the end of this copy"
	}
	p.CellFormat(textW, 4, s.tr(text), "T", 0, "C", false, 0, "")
	p.SetTextColor(0, 0, 0)
}

// need starts a new page of the copy unless h millimetres fit on this one.
func (s *sheet) need(h float64) {
	if s.pdf.GetY()+h > bottom {
		s.page(s.copy, s.copyNo, true)
	}
}

// write writes one copy.
func (s *sheet) write() {
	s.title()
	s.station()
	for i, t := range s.sa.Contests {
		s.contest(i, t)
	}
	s.signers()
	s.inkLines()
	s.qrCodes()
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
	p.SetFont("Helvetica", "B", 16)
	p.CellFormat(textW, 8, s.tr("Tally sheet (acta): "+kindHeading[s.sa.Kind]), "", 1, "L", false, 0, "")
	p.SetFont("Helvetica", "", 12)
	p.CellFormat(textW, 6, s.tr(s.def.Name+" ("+s.def.ID+")"), "", 1, "L", false, 0, "")
	p.Ln(2)
}

// station writes the station, its place, the times and the voters as two
// columns of label and value.
func (s *sheet) station() {
	a := s.sa.Acta
	left := [][2]string{{"Station", a.Station}}
	for i, area := range s.def.AreaPath(s.st.Area) {
		level := "Area"
		if i < len(s.def.Levels) {
			level = capitalize(s.def.Levels[i])
		}
		left = append(left, [2]string{level, area.Name + " (" + area.Path + ")"})
	}
	left = append(left, [2]string{"Machine", election.KeyName(a.Machine)})
	if a.Kind == acta.Hand {
		left = append(left, [2]string{"Auditor", election.KeyName(a.Auditor)})
	}
	if a.Version() >= 2 {
		// What the machine ran, and the definition it held: a witness
		// compares them with the authority's published ones.
		if a.Software != "" {
			left = append(left, [2]string{"Software", a.Software})
		}
		left = append(left, [2]string{"Definition", fmt.Sprintf("%x", a.Definition[:8]) + "…"})
	}
	var right [][2]string
	const tf = "2006-01-02 15:04:05 UTC"
	switch a.Kind {
	case acta.Hand:
		right = append(right, [2]string{"Counted", a.Counted.UTC().Format(tf)})
	case acta.Final:
		right = append(right, [2]string{"Opened", a.Opened.UTC().Format(tf)}, [2]string{"Closed", a.Closed.UTC().Format(tf)})
	default:
		right = append(right, [2]string{"Opened", a.Opened.UTC().Format(tf)})
	}
	ballots := "Ballots cast"
	if a.Kind == acta.Hand {
		ballots = "Vouchers in the box"
	}
	right = append(right, [2]string{"Registered voters", fmt.Sprint(a.Registered)}, [2]string{ballots, fmt.Sprint(a.Ballots)})

	p := s.pdf
	n := max(len(left), len(right))
	s.need(float64(n) * rowH)
	y := p.GetY()
	for i := range n {
		for col, rows := range [][][2]string{left, right} {
			if i >= len(rows) {
				continue
			}
			x := margin + float64(col)*textW/2
			p.SetXY(x, y+float64(i)*rowH)
			p.SetFont("Helvetica", "", 10)
			p.CellFormat(34, rowH, s.tr(rows[i][0]), "", 0, "L", false, 0, "")
			p.SetFont("Helvetica", "B", 10)
			p.CellFormat(textW/2-36, rowH, s.fit(rows[i][1], textW/2-36), "", 0, "L", false, 0, "")
		}
	}
	p.SetXY(margin, y+float64(n)*rowH+3)
}

// contest writes one contest's table: every candidate's name, id and votes,
// then blank, null and the total.
func (s *sheet) contest(i int, t acta.Tally) {
	p := s.pdf
	c := s.def.Contest(t.Contest)
	s.need(float64(len(t.Candidates)+5) * rowH)
	const idW, votesW = 30.0, 30.0
	nameW := textW - idW - votesW
	p.SetFillColor(225, 225, 225)
	p.SetFont("Helvetica", "B", 10)
	p.CellFormat(nameW, rowH+1, s.fit(fmt.Sprintf("Contest %d: %s", i+1, c.Name), nameW), "1", 0, "L", true, 0, "")
	p.CellFormat(idW, rowH+1, s.tr(c.ID), "1", 0, "L", true, 0, "")
	p.CellFormat(votesW, rowH+1, "Votes", "1", 1, "R", true, 0, "")
	row := func(name, id string, votes int, style string) {
		p.SetFont("Helvetica", style, 10)
		p.CellFormat(nameW, rowH, s.fit(name, nameW), "LR", 0, "L", false, 0, "")
		p.CellFormat(idW, rowH, s.tr(id), "LR", 0, "L", false, 0, "")
		p.CellFormat(votesW, rowH, fmt.Sprint(votes), "LR", 1, "R", false, 0, "")
	}
	for j, x := range t.Candidates {
		row(c.Candidates[j].Name, x.Candidate, x.Votes, "")
	}
	row("Blank", "", t.Blank, "I")
	row("Null", "", t.Null, "I")
	total, ballots := "Total", t.Total()
	if s.sa.PerContest {
		// Version 3: the votes the ballots left unused, and the
		// contest's own ballots.
		row("Undervotes", "", t.Undervotes, "I")
		total, ballots = "Ballots in this contest", t.Ballots
	}
	p.SetFont("Helvetica", "B", 10)
	p.CellFormat(nameW+idW, rowH, total, "1", 0, "L", false, 0, "")
	p.CellFormat(votesW, rowH, fmt.Sprint(ballots), "1", 1, "R", false, 0, "")
	p.Ln(3)
}

// signers lists who has signed the acta digitally, and the records digest.
func (s *sheet) signers() {
	p := s.pdf
	s.need(float64(len(s.sa.Signatures)+3) * rowH)
	p.SetFont("Helvetica", "B", 10)
	p.CellFormat(textW, rowH, "Signed digitally by", "", 1, "L", false, 0, "")
	for _, sig := range s.sa.Signatures {
		p.SetFont("Helvetica", "", 10)
		p.CellFormat(80, rowH, s.tr(signerName(sig.Signer, s.def)), "", 0, "L", false, 0, "")
		p.SetFont("Courier", "", 9)
		p.CellFormat(textW-80, rowH, s.fit(sig.Name, textW-80), "", 1, "L", false, 0, "")
	}
	if s.sa.Kind != acta.Hand {
		p.SetFont("Helvetica", "", 10)
		p.CellFormat(50, rowH, "Electronic records SHA-256", "", 0, "L", false, 0, "")
		p.SetFont("Courier", "", 8)
		p.CellFormat(textW-50, rowH, fmt.Sprintf("%x", s.sa.Records), "", 1, "L", false, 0, "")
	}
	p.Ln(3)
}

// signerName describes who made a signature, for people.
func signerName(who election.Signer, def *election.Definition) string {
	switch who.Role {
	case election.RoleMachine:
		return "The machine of station " + who.Station
	case election.RoleWitness:
		if p := def.Party(who.Party); p != nil {
			return "Witness of " + p.Name
		}
		return "Witness of party " + who.Party
	}
	return "Auditor"
}

// inkLines leaves a line for each party's witness to sign in ink.
func (s *sheet) inkLines() {
	p := s.pdf
	const h = 9.0
	s.need(rowH + float64(len(s.def.Parties))*h + 3)
	p.SetFont("Helvetica", "B", 10)
	p.CellFormat(textW, rowH, "Signatures in ink of the witnesses at the table", "", 1, "L", false, 0, "")
	p.SetFont("Helvetica", "", 10)
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.3)
	for _, party := range s.def.Parties {
		y := p.GetY() + h - 2
		p.CellFormat(60, h, s.fit(party.Name, 58), "", 0, "L", false, 0, "")
		p.CellFormat(12, h, "Name", "", 0, "L", false, 0, "")
		p.Line(p.GetX(), y, p.GetX()+50, y)
		p.SetX(p.GetX() + 54)
		p.CellFormat(18, h, "Signature", "", 0, "L", false, 0, "")
		p.Line(p.GetX(), y, margin+textW, y)
		p.Ln(h)
	}
	p.Ln(3)
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
