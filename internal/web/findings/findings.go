// Package findings says what the verifier found, in the language of a page:
// each check's name, and each finding's summary. The dashboard and the
// report pages show findings alike through it.
//
// A finding's summary (verify.Finding.Summary) is the verifier's own
// sentence, in English. In Spanish it is not translated from that text:
// it is written from what the finding is — its check, its station, its
// sources and their figures — so that every kind of finding, and every
// figure in it, reads in Spanish. A check this package does not know (a
// newer verifier's) gets a general sentence naming it.
package findings

import (
	"fmt"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// names are each check's name, English then Spanish.
var names = map[verify.Check][2]string{
	verify.CheckAltered:         {"altered at the center", "alterada en el centro"},
	verify.CheckEquivocation:    {"two signed versions", "dos versiones firmadas"},
	verify.CheckSubstitution:    {"substituted acta", "acta sustituida"},
	verify.CheckTotals:          {"totals altered", "totales alterados"},
	verify.CheckHandCount:       {"hand count differs", "el conteo manual difiere"},
	verify.CheckOmitted:         {"left out", "omitida"},
	verify.CheckOutcome:         {"outcome differs", "el resultado difiere"},
	verify.CheckReopened:        {"machine reopened", "máquina reabierta"},
	verify.CheckSplitView:       {"split view of the log", "vista dividida del registro"},
	verify.CheckOtherDefinition: {"log of another definition", "registro de otra definición"},
	verify.CheckImpossible:      {"impossible figures", "cifras imposibles"},
	verify.CheckDuplicate:       {"given twice", "dada dos veces"},
	verify.CheckMissing:         {"no count", "sin conteo"},
	verify.CheckUnsigned:        {"unsigned figures differ", "cifras sin firma difieren"},
	verify.CheckInvalidEntry:    {"invalid log entry", "entrada de registro no válida"},
	verify.CheckAudit:           {"audit cannot confirm", "la auditoría no confirma"},
}

// Name is a check's name in a language; a check this package does not
// know is named by its id.
func Name(l page.Lang, c verify.Check) string {
	n, ok := names[c]
	switch {
	case !ok:
		return string(c)
	case l == page.Spanish:
		return n[1]
	}
	return n[0]
}

// Summary is what a finding says, in a language: the verifier's own
// sentence in English, and in Spanish one written from the finding's
// check and figures.
func Summary(l page.Lang, f verify.Finding) string {
	if l != page.Spanish {
		return f.Summary
	}
	return spanish(l, f)
}

// spanish writes a finding's summary in Spanish from its check, station
// and counts: the differing figures of its first two counts, where it has
// them.
func spanish(l page.Lang, f verify.Finding) string {
	st, cs := f.Station, f.Counts
	diff := differences(l, cs)
	switch f.Check {
	case verify.CheckAltered:
		if signedAnnouncement(f) {
			return fmt.Sprintf("el centro firmó un anuncio de la mesa %s con cifras que difieren del acta que firmó su máquina%s: lleva la firma del centro, así que no puede negarlo", st, diff)
		}
		switch {
		case len(cs) == 1:
			return fmt.Sprintf("el centro anuncia cifras de la mesa %s, pero su registro no tiene ninguna acta de ella", st)
		case len(cs) > 2:
			return fmt.Sprintf("el centro anuncia cifras de la mesa %s que difieren de cada una de las %d actas que firmó su máquina", st, len(cs)-1)
		}
		return fmt.Sprintf("el centro anuncia cifras de la mesa %s que difieren del acta que firmó su máquina%s", st, diff)
	case verify.CheckEquivocation:
		if len(cs) > 0 && cs[0].Kind == "zero" {
			return fmt.Sprintf("la mesa %s tiene %d cintas de apertura distintas, todas firmadas con la clave de su máquina: la máquina se abrió más de una vez", st, versions(cs))
		}
		return fmt.Sprintf("la mesa %s tiene %d actas finales distintas, todas firmadas con la clave de su máquina%s: las firmas prueban que la clave firmó más de un conteo, no quién la usó, así que ninguna se toma como el conteo de la mesa", st, versions(cs), diff)
	case verify.CheckSubstitution:
		return fmt.Sprintf("el registro tiene un acta de la mesa %s%s cuya firma falla o no es la de la clave inscrita de su máquina", st, entry(cs))
	case verify.CheckTotals:
		return "los totales que anuncia el centro no son la suma de las actas de su registro" + diff
	case verify.CheckHandCount:
		if len(cs) == 2 && cs[0].Kind == "hand" && cs[1].Kind == "hand" {
			return fmt.Sprintf("la mesa %s tiene dos conteos manuales firmados con cifras distintas%s: ninguno se toma como su conteo", st, diff)
		}
		return fmt.Sprintf("el conteo manual de los comprobantes de la mesa %s difiere del acta de su máquina%s", st, diff)
	case verify.CheckOmitted:
		return fmt.Sprintf("el anuncio del centro deja fuera la mesa %s, cuya acta final está en su registro%s", st, entry(cs))
	case verify.CheckOutcome:
		return "el ganador que anuncia el centro no es el del conteo corregido, y las mesas sin contar no pueden cambiarlo"
	case verify.CheckReopened:
		return fmt.Sprintf("el acta final de la mesa %s da una hora de apertura que no es la de la cinta de apertura que firmó su máquina: la máquina se abrió de nuevo después de esa apertura", st)
	case verify.CheckSplitView:
		if signedAnnouncement(f) {
			return fmt.Sprintf("el centro firmó anuncios de la mesa %s que no pueden ser ambos ciertos (de un mismo tamaño del registro, de una misma entrada, o de una raíz que no es la del registro): ambos llevan su firma, y muestran historias distintas", st)
		}
		return "dos puntos de control del registro, ambos firmados por el centro, no son de una misma historia: el centro mostró historias distintas"
	case verify.CheckOtherDefinition:
		return "la primera entrada del registro nombra otra definición de la elección que la dada: no se usa nada de este registro"
	case verify.CheckImpossible:
		if len(cs) > 0 {
			return fmt.Sprintf("%s da cifras de la mesa %s que no pueden ser%s", source(cs[0]), st, impossible(l, cs[0]))
		}
		return fmt.Sprintf("las cifras de la mesa %s no pueden ser", st)
	case verify.CheckDuplicate:
		src := "una fuente"
		if len(cs) > 0 {
			src = source(cs[0])
		}
		return fmt.Sprintf("%s da la mesa %s %d veces", src, st, len(cs))
	case verify.CheckMissing:
		if f.Proven {
			return fmt.Sprintf("la mesa %s no tiene acta final en el registro", st)
		}
		return fmt.Sprintf("ninguna fuente da un conteo de la mesa %s", st)
	case verify.CheckUnsigned:
		if len(cs) == 2 {
			return fmt.Sprintf("%s y %s difieren en la mesa %s%s", source(cs[1]), source(cs[0]), st, diff)
		}
		return fmt.Sprintf("cifras sin firma de la mesa %s difieren de las firmadas", st)
	case verify.CheckInvalidEntry:
		for _, e := range f.Evidence {
			if e.Index != nil {
				return fmt.Sprintf("la entrada %s del registro no es un acta válida de la elección", l.Num(int(*e.Index)))
			}
		}
		return "una entrada del registro no es un acta válida de la elección"
	case verify.CheckAudit:
		return "una auditoría que limita el riesgo no puede confirmar con las boletas de papel el resultado anunciado: corresponde un conteo manual completo"
	}
	if st != "" {
		return fmt.Sprintf("el verificador encontró una discrepancia (%s) en la mesa %s", f.Check, st)
	}
	return fmt.Sprintf("el verificador encontró una discrepancia (%s)", f.Check)
}

// source names where a count comes from, in Spanish.
func source(c verify.CountView) string {
	switch {
	case c.Kind == "hand":
		return "el conteo manual"
	case c.Kind == "zero":
		return "la cinta de apertura"
	case c.SourceKind == verify.KindAnnounced:
		return "el anuncio del centro"
	case c.SourceKind == verify.KindLog:
		return "el acta del registro"
	case c.SourceKind == verify.KindCopy:
		return "la copia firmada de " + c.Source
	case c.SourceKind == verify.KindUnsigned:
		return c.Source + " (sin firma)"
	}
	return c.Source
}

// versions is how many distinct signed versions the counts hold: the
// counts less the announced ones.
func versions(cs []verify.CountView) int {
	n := 0
	for _, c := range cs {
		if c.SourceKind != verify.KindAnnounced {
			n++
		}
	}
	return n
}

// entry is ", la entrada N del registro" of the first count from the log.
func entry(cs []verify.CountView) string {
	for _, c := range cs {
		if c.Index != nil && c.SourceKind == verify.KindLog {
			return fmt.Sprintf(" (entrada %d del registro)", *c.Index)
		}
	}
	return ""
}

// maxDifferences bounds the figures a summary lists.
const maxDifferences = 6

// differences lists the figures in which the first two counts differ,
// " (primero el acta del registro, luego el anuncio del centro): EG 120
// frente a 95; ...". A figure unknown (-1) in either is not compared.
func differences(l page.Lang, cs []verify.CountView) string {
	if len(cs) < 2 {
		return ""
	}
	a, b := cs[0], cs[1]
	var out []string
	add := func(what string, x, y int64) {
		if x != y && x >= 0 && y >= 0 && len(out) < maxDifferences {
			out = append(out, fmt.Sprintf("%s %s frente a %s", what, num(l, x), num(l, y)))
		}
	}
	add("electores inscritos", int64(a.Registered), int64(b.Registered))
	add("boletas", int64(a.Ballots), int64(b.Ballots))
	for _, ac := range a.Contests {
		for _, bc := range b.Contests {
			if ac.Contest != bc.Contest {
				continue
			}
			for _, x := range ac.Candidates {
				for _, y := range bc.Candidates {
					if x.Candidate == y.Candidate {
						add(x.Candidate, int64(x.Votes), int64(y.Votes))
					}
				}
			}
			add("en blanco", int64(ac.Blank), int64(bc.Blank))
			add("nulos", int64(ac.Null), int64(bc.Null))
		}
	}
	if len(out) == 0 {
		return ""
	}
	return fmt.Sprintf(" (primero %s, luego %s): %s", source(a), source(b), strings.Join(out, "; "))
}

// impossible says why a count cannot hold: more ballots than voters, or
// votes that do not add up to the ballots.
func impossible(l page.Lang, c verify.CountView) string {
	if c.Registered > 0 && c.Ballots > c.Registered {
		return fmt.Sprintf(": %s boletas para %s electores inscritos", num(l, int64(c.Ballots)), num(l, int64(c.Registered)))
	}
	for _, x := range c.Contests {
		sum, known := int64(x.Blank)+int64(x.Null), x.Blank >= 0 && x.Null >= 0 && c.Ballots >= 0
		for _, v := range x.Candidates {
			sum += int64(v.Votes)
			known = known && v.Votes >= 0
		}
		if known && sum != int64(c.Ballots) {
			return fmt.Sprintf(": los votos de %s suman %s, pero las boletas son %s", x.Contest, num(l, sum), num(l, int64(c.Ballots)))
		}
	}
	return ""
}

func num(l page.Lang, n int64) string { return l.Num(int(n)) }

// signedAnnouncement says whether a finding's evidence is an announcement
// the center signed: its Spanish then says so, as the English does.
func signedAnnouncement(f verify.Finding) bool {
	for _, e := range f.Evidence {
		if e.Kind == "announced-signed" {
			return true
		}
	}
	return false
}
