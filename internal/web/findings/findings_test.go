package findings

import (
	"regexp"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/findings/findingstest"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// Every check has a name in both languages, and they differ.
func TestEveryCheckNamed(t *testing.T) {
	for _, c := range verify.Checks {
		en, es := Name(page.English, c), Name(page.Spanish, c)
		if en == string(c) || es == string(c) || en == es {
			t.Errorf("check %s: named %q and %q", c, en, es)
		}
	}
	if Name(page.Spanish, "a-newer-check") != "a-newer-check" {
		t.Error("a check no version knows is not named by its id")
	}
}

// english is words that would betray an English sentence in a Spanish one.
var english = regexp.MustCompile(`\b(the|and|of|from|station|signed|differs?|votes|ballots|entry|log|center|machine|count)\b`)

// Every kind of finding reads in Spanish, written from its figures: the
// station, each differing figure, no English word; in English it is the
// verifier's own sentence.
func TestSummaryInSpanishFromFigures(t *testing.T) {
	fs := findingstest.Every([]string{"1001.1", "1002.3"}, "president", []string{"EG", "NM"})
	seen := map[string]verify.Check{}
	for _, f := range fs {
		en, es := Summary(page.English, f), Summary(page.Spanish, f)
		if en != f.Summary {
			t.Errorf("%s: English %q is not the verifier's own", f.Check, en)
		}
		if m := english.FindString(es); m != "" {
			t.Errorf("%s: %q has the English word %q", f.Check, es, m)
		}
		if prev, ok := seen[es]; ok {
			t.Errorf("%s and %s read alike: %q", prev, f.Check, es)
		}
		seen[es] = f.Check
		hasStation := map[verify.Check]bool{verify.CheckTotals: false, verify.CheckOutcome: false, verify.CheckSplitView: false,
			verify.CheckOtherDefinition: false, verify.CheckAudit: false, verify.CheckInvalidEntry: false}
		if want, ok := hasStation[f.Check]; (!ok || want) && !strings.Contains(es, f.Station) {
			t.Errorf("%s: %q does not name station %s", f.Check, es, f.Station)
		}
	}
	for _, tc := range []struct {
		check verify.Check
		want  string
	}{
		{verify.CheckAltered, "(primero el acta del registro, luego el anuncio del centro): boletas 300 frente a 340; EG 147 frente a 167; NM 148 frente a 168"},
		{verify.CheckHandCount, "difiere del acta de su máquina (primero el acta del registro, luego el conteo manual): boletas 300 frente a 297"},
		{verify.CheckImpossible, "observers.csv (sin firma) da cifras de la mesa 1001.1 que no pueden ser: 700 boletas para 500 electores inscritos"},
		{verify.CheckDuplicate, "el anuncio del centro da la mesa 1002.3 2 veces"},
		{verify.CheckOmitted, "(entrada 12 del registro)"},
		{verify.CheckInvalidEntry, "la entrada 7 del registro no es un acta válida"},
		{verify.CheckEquivocation, "2 actas finales distintas"},
		{verify.CheckReopened, "se abrió de nuevo"},
		{"a-newer-check", "una discrepancia (a-newer-check)"},
	} {
		for _, f := range fs {
			if f.Check == tc.check {
				if es := Summary(page.Spanish, f); !strings.Contains(es, tc.want) {
					t.Errorf("%s: %q lacks %q", f.Check, es, tc.want)
				}
			}
		}
	}
}

// Figures in Spanish are written as Spanish writes them, and an unknown
// figure (-1) is not compared.
func TestSummaryFigures(t *testing.T) {
	f := verify.Finding{Check: verify.CheckAltered, Station: "9", Counts: []verify.CountView{
		{SourceKind: verify.KindLog, Kind: "final", Registered: 12000, Ballots: 10500},
		{SourceKind: verify.KindAnnounced, Kind: "final", Registered: -1, Ballots: 11500},
	}}
	es := Summary(page.Spanish, f)
	if !strings.Contains(es, "boletas 10.500 frente a 11.500") || strings.Contains(es, "electores") {
		t.Errorf("%q", es)
	}
}

// TestSignedAnnouncementInSpanish: a finding whose evidence is an
// announcement the center signed says so in Spanish, as in English, for
// a split view and for figures altered.
func TestSignedAnnouncementInSpanish(t *testing.T) {
	ev := []verify.Evidence{{Kind: "announced-signed"}, {Kind: "announced-signed"}}
	split := Summary(page.Spanish, verify.Finding{Check: verify.CheckSplitView, Station: "100.1", Evidence: ev})
	altered := Summary(page.Spanish, verify.Finding{Check: verify.CheckAltered, Station: "100.1", Evidence: ev[:1]})
	checkpoints := Summary(page.Spanish, verify.Finding{Check: verify.CheckSplitView})
	if !strings.Contains(split, "el centro firmó anuncios de la mesa 100.1") || !strings.Contains(altered, "no puede negarlo") || strings.Contains(checkpoints, "anuncios") {
		t.Errorf("split view %q\naltered %q\ncheckpoints %q", split, altered, checkpoints)
	}
}
