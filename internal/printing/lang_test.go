package printing

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
)

// everything prints, in a language, every kind of acta as a sheet and as a
// tape, and a voucher with a choice, a blank and a null vote: every message
// there is. It returns the text of each, by pdftotext for the PDFs.
func everything(t *testing.T, lang Lang) []string {
	t.Helper()
	f := electiontest.New(electiontest.Options{})
	zero, hand := zeroAndHand(t, f)
	many := withCandidates(t, 20) // two columns, five codes, two pages
	var out []string
	out = append(out, sheetAndTape(t, zero, f, lang)...)
	out = append(out, sheetAndTape(t, hand, f, lang)...)
	out = append(out, sheetAndTape(t, signedActa(t, many, 3), many, lang)...)
	v3, def := perContestActa(t) // a contest of two votes a ballot
	out = append(out, sheetAndTape(t, v3, &electiontest.Fixture{Def: def}, lang)...)
	voucher, err := VoucherPDF(testVoucher(), lang)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, pdfText(t, voucher))
}

func sheetAndTape(t *testing.T, sa *acta.Signed, f *electiontest.Fixture, lang Lang) []string {
	t.Helper()
	pdf, err := PDF(sa, f.Def, lang)
	if err != nil {
		t.Fatal(err)
	}
	var tape strings.Builder
	if err := WriteText(&tape, sa, f.Def, lang); err != nil {
		t.Fatal(err)
	}
	return []string{pdfText(t, pdf), tape.String()}
}

// TestSpanishComplete prints everything in Spanish: every message printed
// must have its Spanish, every Spanish in the catalog must be printed
// somewhere, and no English word of the same prints may be left, but for
// names, which the definition gives, and words both languages share.
func TestSpanishComplete(t *testing.T) {
	printtest.NeedPdftoppm(t) // pdftotext comes with it
	missing, used := map[string]bool{}, map[string]bool{}
	looked = func(msg string, ok bool) {
		used[msg] = true
		if !ok {
			missing[msg] = true
		}
	}
	t.Cleanup(func() { looked = func(string, bool) {} })
	es := everything(t, Spanish)
	looked = func(string, bool) {}
	en := everything(t, English)
	for msg := range missing {
		t.Errorf("%q is printed with no Spanish", msg)
	}
	for msg := range spanish {
		if !used[msg] {
			t.Errorf("%q has a Spanish but is never printed: delete it", msg)
		}
	}

	// Words of the English prints that are left in the Spanish ones.
	// A word is three letters or more between characters that are neither
	// letters nor digits: not a digest, a key or a serial.
	word := regexp.MustCompile(`^\p{L}{3,}$`)
	words := func(texts []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range texts {
			for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
				if word.MatchString(w) {
					m[strings.ToLower(w)] = true
				}
			}
		}
		return m
	}
	// Names and ids: the definitions' and the voucher's own words.
	names := words([]string{string(electiontest.New(electiontest.Options{}).Text), string(withCandidates(t, 20).Text),
		"Elección presidencial 2024 Presidente de la República Edmundo González Urrutia Alcalde Concejo ve2024 EG",
		"triplicate acta scan rev", // the command a sheet names, the software's version
	})
	shared := []string{"auditor", "final", "software", "total", "utc", "sha", "acta"}
	enWords := words(en)
	var left []string
	for w := range words(es) {
		if enWords[w] && !names[w] && !slices.Contains(shared, w) {
			left = append(left, w)
		}
	}
	slices.Sort(left)
	if len(left) > 0 {
		t.Errorf("English words left in the Spanish prints: %q", left)
	}

	all := strings.Join(es, "\n")
	for _, want := range []string{
		"basta cualquiera de los dos", // a zero tape: one data code and its parity
		"bastan 3 cualesquiera",       // twenty candidates: three of five codes
		"COMPROBANTE DE VOTO", "BLANCO (ninguna opción)", "NULO (anulado a propósito)",
		"Escrutinio en cero a la apertura", "Conteo manual de los comprobantes de papel", "Escrutinio final al cierre",
		"copia 1 de 4", "(CONTINUACIÓN)", "los códigos QR de esta copia están en la página 1",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the Spanish prints lack %q", want)
		}
	}
}

// TestParseLang accepts the two codes and names anything else.
func TestParseLang(t *testing.T) {
	for _, s := range []string{"en", "es"} {
		if l, err := ParseLang(s); err != nil || string(l) != s {
			t.Errorf("ParseLang(%q) = %q, %v", s, l, err)
		}
	}
	for _, s := range []string{"", "EN", "fr", "es-VE"} {
		if _, err := ParseLang(s); err == nil || !strings.Contains(err.Error(), "want en or es") {
			t.Errorf("ParseLang(%q): %v, want an error naming en and es", s, err)
		}
	}
}
