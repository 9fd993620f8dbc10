package printing

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// withCandidates returns the fixture with n candidates in its one contest,
// named as long as real ones are.
func withCandidates(t testing.TB, n int) *electiontest.Fixture {
	t.Helper()
	f := electiontest.New(electiontest.Options{})
	var b strings.Builder
	names := []string{"Edmundo González Urrutia", "Nicolás Maduro Moros", "Luis Eduardo Martínez", "Javier Bertucci", "José Brito", "Antonio Ecarri", "Claudio Fermín", "Daniel Ceballos", "Benjamín Rausseo", "Enrique Márquez"}
	for i := range n {
		fmt.Fprintf(&b, "candidate president C%02d %s %d\n", i+1, names[i%len(names)], i+1)
	}
	text := string(f.Text)
	start := strings.Index(text, "candidate president ALBA")
	end := strings.Index(text, "party pa ")
	text = text[:start] + b.String() + text[end:]
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	g := *f
	g.Def, g.Text = def, []byte(text)
	return &g
}

// signedActa returns a final acta of station 100.1 with votes for every
// candidate, signed by its machine and cosigned by witnesses parties.
func signedActa(t testing.TB, f *electiontest.Fixture, witnesses int) *acta.Signed {
	t.Helper()
	st := f.Def.Station("100.1")
	a := &acta.Acta{
		Election: f.Def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened:     time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Closed:     time.Date(2024, 7, 28, 18, 4, 31, 0, time.UTC),
		Registered: st.Registered,
		Records:    acta.Digest([]string{"0000000000AB president=C01\n"}),
		Contests:   acta.Blank(f.Def.Ballot(st)),
		Definition: f.Def.Digest(), Software: "triplicate v1.0.0 rev 1234abcd",
	}
	c := &a.Contests[0]
	for i := range c.Candidates {
		c.Candidates[i].Votes = 3 + (i*37)%29
		a.Ballots += c.Candidates[i].Votes
	}
	c.Blank, c.Null = 2, 3
	a.Ballots += 5
	return printtest.Sign(t, f, a, witnesses)
}

// rect is where a code was drawn, in mm.
type rect struct{ page, x, y, side float64 }

// record makes PDF tell where it draws the codes.
func record(t *testing.T) *[]rect {
	var got []rect
	placed = func(page int, x, y, side float64) { got = append(got, rect{float64(page), x, y, side}) }
	t.Cleanup(func() { placed = func(int, float64, float64, float64) {} })
	return &got
}

// TestPageOneRebuilds prints actas of 1, 5, 10 and 20 candidates with
// three witnesses' signatures, renders the first page of a copy at 200 dpi
// and scans it alone: it must have every code and give back the acta.
// (The signers and the ink lines of the longer ones go on a second page.) Then it paints a white
// rectangle over each code in turn, as a finger or a stain would: the
// other codes must still give it back.
func TestPageOneRebuilds(t *testing.T) {
	printtest.NeedPdftoppm(t)
	const dpi = 200
	px := func(mm float64) int { return int(mm / 25.4 * dpi) }
	read, covered, coveredRead := 0, 0, 0
	for _, n := range []int{1, 5, 10, 20} {
		t.Run(fmt.Sprintf("%d candidates", n), func(t *testing.T) {
			f := withCandidates(t, n)
			sa := signedActa(t, f, 3)
			codes := record(t)
			pdf, err := PDF(sa, f.Def, English)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d candidates: acta of %d bytes, %d pages for %d copies", n, len(sa.Msg), printtest.PageCount(pdf), len(f.Def.Parties)+1)
			parts, _ := qr.Parts(sa.Msg)
			var first []rect
			for _, c := range *codes {
				if c.page == 1 {
					first = append(first, c)
				}
			}
			if len(first) != len(parts) {
				t.Fatalf("page 1 has %d codes, want all %d", len(first), len(parts))
			}
			page := printtest.Render(t, pdf, dpi, 1, 1)[0]
			dir := t.ArtifactDir()
			file := filepath.Join(dir, "page1.png")
			printtest.Save(t, file, page, 0)
			scan := func(file string) bool {
				got, errs := qr.ScanFiles(f.Def, []string{file})
				if len(errs) > 0 || len(got) != 1 || !bytes.Equal(got[0].Msg, sa.Msg) {
					t.Errorf("%s: %d actas, errors %v", filepath.Base(file), len(got), errs)
					return false
				}
				return true
			}
			if scan(file) {
				read++
			}
			for i, c := range first {
				if printtest.Race && i > 0 {
					break
				}
				img := image.NewRGBA(page.Bounds())
				draw.Draw(img, img.Bounds(), page, image.Point{}, draw.Src)
				r := image.Rect(px(c.x-1), px(c.y-1), px(c.x+c.side+1), px(c.y+c.side+1))
				draw.Draw(img, r, image.White, image.Point{}, draw.Src)
				file := filepath.Join(dir, fmt.Sprintf("page1-without-code%d.png", i+1))
				printtest.Save(t, file, img, 0)
				covered++
				if scan(file) {
					coveredRead++
				}
			}
		})
	}
	t.Logf("page 1 alone: %d of 4 sheets read; with one code covered: %d of %d", read, coveredRead, covered)
}

// TestSheetLayout checks the page's furniture: the band's label never runs
// into the copy's number, and the footer stays between the margins.
func TestSheetLayout(t *testing.T) {
	printtest.NeedPdftoppm(t)
	f := withCandidates(t, 10)
	text := strings.Replace(string(f.Text), "Party PA", "Partido Socialista Unido de Venezuela y Aliados del Gran Polo Patriótico", 1)
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	f.Def = def
	sa := signedActa(t, f, 3)
	for _, lang := range []Lang{English, Spanish} {
		pdf, err := PDF(sa, def, lang)
		if err != nil {
			t.Fatal(err)
		}
		page := printtest.Render(t, pdf, 100, 1, 1)[0]
		b := page.Bounds()
		// Nothing is drawn in the side margins but the page's own edges:
		// the footer and the band stay inside 12 mm on each side.
		edge := 10 * 100 * 10 / 254 // 10 mm at 100 dpi
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for _, x := range []int{b.Min.X + edge, b.Max.X - 1 - edge} {
				if r, g, bl, _ := page.At(x, y).RGBA(); r+g+bl < 3*0xc000 {
					t.Fatalf("%s: page 1 has ink at (%d, %d), in the side margin", lang, x, y)
				}
			}
		}
		// The band of page 1 and of its continuation, page 2.
		no := map[Lang]string{English: "copy 1 of 4", Spanish: "copia 1 de 4"}[lang]
		more := map[Lang]string{English: "... (CONTINUED)", Spanish: "... (CONTINUACIÓN)"}[lang]
		pages := strings.Split(pdfText(t, pdf), "\f")
		for i, want := range []string{"...", more} {
			band := strings.SplitN(pages[i], "\n", 2)[0]
			if !strings.Contains(band, want) || !strings.Contains(band, no) {
				t.Errorf("%s: page %d's band %q: want the long label shortened to %q and %q whole", lang, i+1, band, want, no)
			}
		}
	}
}
