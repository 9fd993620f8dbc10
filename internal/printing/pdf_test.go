package printing

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// spanishDef returns the fixture's definition with names outside ASCII, as
// real ones are.
func spanishDef(t testing.TB, f *electiontest.Fixture) *election.Definition {
	t.Helper()
	text := strings.NewReplacer(
		"name Test election", "name Elección presidencial 2024",
		"Candidate ALBA", "Edmundo González Urrutia",
		"Candidate BRUNO", "Nicolás Maduro Moros",
		"Party PA", "Plataforma Unitaria Democrática",
		"area 1 North", "area 1 DTTO. CAPITAL",
	).Replace(string(f.Text))
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func TestPDFSameBytes(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	sa := signedActa(t, f, 10, 3)
	a, err := PDF(sa, f.Def)
	if err != nil {
		t.Fatal(err)
	}
	b, err := PDF(sa, f.Def)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same acta differ")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20240728180431)")) {
		t.Error("the PDF's creation date is not the acta's closing time")
	}
}

func TestPDFText(t *testing.T) {
	needPdftoppm(t)
	f := electiontest.New(electiontest.Options{})
	def := spanishDef(t, f)
	sa := signedActa(t, f, 10, 3)
	pdf, err := PDF(sa, def)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.ArtifactDir()
	in := filepath.Join(dir, "acta.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{
		"COPY FOR THE WITNESS OF PLATAFORMA UNITARIA DEMOCRÁTICA",
		"COPY FOR THE WITNESS OF PARTY PB",
		"COPY FOR THE TALLYING CENTER",
		"Elección presidencial 2024",
		"Edmundo González Urrutia",
		"DTTO. CAPITAL (1)",
		"part 1/2", "part 2/2",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	t.Logf("%s", text)
	save(t, filepath.Join(dir, "page1.png"), render(t, pdf, 200, 1, 1)[0], 0)
}
