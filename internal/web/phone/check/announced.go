package check

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// Announcement is what the phone says of the center's announced figures
// for the station of a final acta it keeps.
type Announcement struct {
	// Status is "same" (the figures the center signed are the signed
	// copy's), "differs" (an alarm: Figures shows both side by side, and
	// Raw, signed by the center, is the evidence), "unannounced" (the
	// center, as relayed, has announced none for the station: an answer
	// nobody signed) or "unchecked" (the announcement could not be read,
	// or is not signed by the election's center, or is of another station
	// or election: never taken for "same").
	Status  string            `json:"status"`
	LogSize uint64            `json:"logSize,omitempty"` // the log size the announcement is of
	Index   uint64            `json:"index,omitempty"`   // the log entry it says its figures are from
	Figures []Figure          `json:"figures,omitempty"`
	Verdict map[string]string `json:"verdict"`
	// Raw is the announcement as received: when it is signed by the
	// center and differs, with the signed acta, the evidence that nobody
	// can deny.
	Raw string `json:"raw,omitempty"`
	// Checkpoint is, of a "split" announcement, the checkpoint of its log
	// size the log witnesses cosigned with another root: the other half of
	// the evidence.
	Checkpoint string `json:"checkpoint,omitempty"`
}

// AgainstCheckpoint holds a signed announcement's log size and root to the
// log's checkpoint the phone fetched, where that checkpoint meets the
// witness policy and is of the same size: another root is the center
// showing two histories under its signature — "split", an alarm, with the
// announcement and the checkpoint kept as the evidence. Of other sizes a
// plain checkpoint says nothing (the verifier, holding the whole log,
// checks those), and the comparison stands.
func AgainstCheckpoint(def *election.Definition, a Announcement, checkpoint []byte, now time.Time) Announcement {
	if a.Status != "same" && a.Status != "differs" || checkpoint == nil {
		return a
	}
	st, err := announced.Open([]byte(a.Raw), def)
	if err != nil {
		return a
	}
	w, err := witnessed(def, checkpoint, now)
	if err != nil || w.Size != st.Size {
		return a
	}
	if bytes.Equal(w.Root, st.Root[:]) {
		a.Verdict["en"] += "; its log root is that of the checkpoint the log witnesses cosigned"
		a.Verdict["es"] += "; su raíz del registro es la del punto de control firmado por los testigos del registro"
		return a
	}
	a.Status, a.Checkpoint = "split", w.Raw
	a.Verdict = map[string]string{
		"en": fmt.Sprintf("ALARM: the center signed this announcement of station %s at a log of %d entries with a root that is not the root of the checkpoint of %d entries the log witnesses of %s cosigned: it shows two histories of its log. Keep the announcement and the checkpoint: both carry its signature.", st.Station, st.Size, w.Size, strings.Join(w.Parties, ", ")),
		"es": fmt.Sprintf("ALARMA: el centro firmó este anuncio de la mesa %s con el registro en %d entradas y una raíz que no es la del punto de control de %d entradas que firmaron los testigos del registro de %s: muestra dos historias de su registro. Guarde el anuncio y el punto de control: ambos llevan su firma.", st.Station, st.Size, w.Size, strings.Join(w.Parties, ", ")),
	}
	return a
}

// Figure is one figure of a station, in the signed copy and as announced;
// nil where one of them has no such figure.
type Figure struct {
	What      map[string]string `json:"what"`
	Ours      *int              `json:"ours"`
	Announced *int              `json:"announced"`
}

// CompareAnnounced holds a signed final acta against the center's signed
// announcement of its station (doc/spec/announced.md), as the party's
// server relays it: the announcement must open under the definition's
// center key, of the acta's station, before any figure is compared, so
// that a relay that changes a figure, or passes another station's or
// election's announcement, gets "unchecked", never "same". An empty
// announcement is the center's answer, as relayed, that it has announced
// no figures for the station: "unannounced", which nobody signed.
func CompareAnnounced(def *election.Definition, ours []byte, announcement []byte) Announcement {
	unchecked := func(en, es string) Announcement {
		return Announcement{Status: "unchecked", Raw: string(announcement), Verdict: map[string]string{
			"en": "could not check the center's announced figures: " + en,
			"es": "no se pudieron comprobar las cifras anunciadas por el centro: " + es,
		}}
	}
	sa, err := acta.Open(ours, def)
	if err != nil {
		return unchecked(err.Error(), err.Error())
	}
	if sa.Kind != acta.Final {
		return unchecked("only final actas are announced", "solo se anuncian las actas finales")
	}
	if len(announcement) == 0 {
		return Announcement{Status: "unannounced", Verdict: map[string]string{
			"en": fmt.Sprintf("the center has announced no figures for station %s yet (its answer, as relayed, is not signed)", sa.Station),
			"es": fmt.Sprintf("el centro aún no anunció cifras de la mesa %s (su respuesta, tal como llegó, no está firmada)", sa.Station),
		}}
	}
	st, err := announced.Open(announcement, def)
	if err != nil {
		en, es := "it does not read: "+err.Error(), "no se puede leer: "+err.Error()
		switch {
		case errors.Is(err, announced.ErrSignature):
			en, es = "it is not signed by the election's center: "+err.Error(), "no está firmada por el centro de la elección: "+err.Error()
		case errors.Is(err, announced.ErrMismatch):
			en, es = "it is not of this election: "+err.Error(), "no es de esta elección: "+err.Error()
		}
		return unchecked(en, es)
	}
	if st.Station != sa.Station {
		return unchecked(fmt.Sprintf("it is of station %s, not %s", st.Station, sa.Station), fmt.Sprintf("es de la mesa %s, no de %s", st.Station, sa.Station))
	}
	a := Announcement{LogSize: st.Size, Index: st.Index, Raw: string(announcement)}

	// Side by side, every figure of the signed copy: both are of the
	// station's ballot, as the definition gives it.
	add := func(en, es string, ours, theirs *int) {
		a.Figures = append(a.Figures, Figure{What: map[string]string{"en": en, "es": es}, Ours: ours, Announced: theirs})
	}
	add("ballots", "boletas", &sa.Ballots, &st.Ballots)
	for _, t := range sa.Contests {
		var their *announced.Contest
		for i := range st.Contests {
			if st.Contests[i].ID == t.Contest {
				their = &st.Contests[i]
			}
		}
		for _, c := range t.Candidates {
			var v *int
			if their != nil {
				for j := range their.Candidates {
					if their.Candidates[j].ID == c.Candidate {
						v = &their.Candidates[j].Votes
					}
				}
			}
			add(t.Contest+" "+c.Candidate, t.Contest+" "+c.Candidate, &c.Votes, v)
		}
		var blank, null *int
		if their != nil {
			blank, null = &their.Blank, &their.Null
		}
		add(t.Contest+" blank", t.Contest+" en blanco", &t.Blank, blank)
		add(t.Contest+" null", t.Contest+" nulos", &t.Null, null)
	}
	var en, es []string
	for _, f := range a.Figures {
		if f.Ours == nil || f.Announced == nil || *f.Ours != *f.Announced {
			en = append(en, fmt.Sprintf("%s %s here, %s announced", f.What["en"], show(f.Ours), show(f.Announced)))
			es = append(es, fmt.Sprintf("%s %s aquí, %s anunciado", f.What["es"], show(f.Ours), show(f.Announced)))
		}
	}
	if len(en) == 0 {
		a.Status = "same"
		a.Verdict = map[string]string{
			"en": fmt.Sprintf("the center announced the same figures for station %s as this signed copy (announcement signed by the center at log size %d, from log entry %d)", sa.Station, st.Size, st.Index),
			"es": fmt.Sprintf("el centro anunció las mismas cifras de la mesa %s que esta copia firmada (anuncio firmado por el centro con el registro en %d entradas, de la entrada %d)", sa.Station, st.Size, st.Index),
		}
		return a
	}
	a.Status = "differs"
	a.Verdict = map[string]string{
		"en": fmt.Sprintf("ALARM: the center announced other figures for station %s than this signed copy: %s (announcement signed by the center at log size %d, from log entry %d). Keep this acta and the announcement: with the center's signature they are the evidence.", sa.Station, strings.Join(en, "; "), st.Size, st.Index),
		"es": fmt.Sprintf("ALARMA: el centro anunció otras cifras de la mesa %s que esta copia firmada: %s (anuncio firmado por el centro con el registro en %d entradas, de la entrada %d). Guarde esta acta y el anuncio: con la firma del centro son la prueba.", sa.Station, strings.Join(es, "; "), st.Size, st.Index),
	}
	return a
}

func show(n *int) string {
	if n == nil {
		return "—"
	}
	return fmt.Sprint(*n)
}
