package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// CenterStation is what the center's GET /v1/stations/{id} says of a
// station: the actas it logged, each with its log entry. (Its other fields
// are not needed here.)
type CenterStation struct {
	Station string `json:"station"`
	Actas   []struct {
		Kind   string `json:"kind"`
		Index  uint64 `json:"index"`
		Status string `json:"status"`
		Acta   string `json:"acta"`
	} `json:"actas"`
}

// Comparison is what the phone says of the center's copy of an acta.
type Comparison struct {
	// Status is "same" (the center logged this count, proven in a
	// checkpoint that meets the election's witness policy), "differs"
	// (it logged, and proved, another count of the station: an alarm),
	// "missing" (it has logged no acta of this kind for the station: not
	// yet published), "withheld" (no final acta of the station in a
	// witnessed checkpoint cosigned after the definition's deadline: an
	// alarm), "unproven" (what it showed is not proven in the log) or
	// "vanished" (an entry the log proved before is no longer shown: an
	// alarm, see Since).
	Status  string            `json:"status"`
	Index   uint64            `json:"index,omitempty"`   // the log entry compared
	LogSize uint64            `json:"logSize,omitempty"` // the checkpoint that proves it
	Center  string            `json:"center,omitempty"`  // the center's acta, when it differs: the evidence
	Verdict map[string]string `json:"verdict"`
	// Of a station missing: the latest checkpoint relayed, if it met the
	// witness policy, when its witnesses cosigned it, and the deadline.
	// Kept with the acta, they are the evidence of a station withheld.
	Checkpoint  string    `json:"checkpoint,omitempty"`
	WitnessedAt time.Time `json:"witnessedAt,omitzero"`
	Deadline    time.Time `json:"deadline,omitzero"`
}

// Compare holds a signed acta the witness keeps against what the center
// logged for its station: stationJSON is the center's answer to GET
// /v1/stations/{id}, receipts its answers to GET /v1/receipts/{index} for
// the entries of the acta's kind, by index. Every entry counts only if its
// receipt proves it in a checkpoint that meets the election's witness
// policy, so whoever relays the center's answers (the party's collection
// server) cannot change them unseen.
//
// checkpoint is the log's latest checkpoint (GET /log/checkpoint), or
// nil: of a final acta the center has not logged, it tells whether the
// definition's deadline has passed in the log's own time. A plain log
// cannot prove an absence — the center's index of the station is all
// that says so — so the alarm names the checkpoint, its time and its
// cosigners, which the phone keeps as the evidence.
//
// now is the phone's clock: past the deadline, a log whose newest
// witnessed checkpoint is older than the deadline, or no checkpoint that
// meets the policy, is "unchecked" (could not check), never "not yet
// published"; and no cosignature may be dated after it.
func Compare(def *election.Definition, ours []byte, stationJSON []byte, receipts map[uint64][]byte, checkpoint []byte, now time.Time) (Comparison, error) {
	sa, err := acta.Open(ours, def)
	if err != nil {
		return Comparison{}, err
	}
	var st CenterStation
	if err := json.Unmarshal(stationJSON, &st); err != nil {
		return Comparison{}, fmt.Errorf("the center's answer for station %s: %v", sa.Station, err)
	}
	if st.Station != sa.Station {
		return Comparison{}, fmt.Errorf("the center answered for station %q, not %s", st.Station, sa.Station)
	}
	policy := tlog.ElectionPolicy(def)
	var same, differs *Comparison
	var unproven []string
	for _, e := range st.Actas {
		if e.Kind != string(sa.Kind) {
			continue
		}
		var r tlog.Receipt
		raw, ok := receipts[e.Index]
		if !ok {
			unproven = append(unproven, fmt.Sprintf("entry %d: no receipt", e.Index))
			continue
		}
		if err := json.Unmarshal(raw, &r); err != nil || r.Index != e.Index {
			unproven = append(unproven, fmt.Sprintf("entry %d: the receipt does not read as one of it", e.Index))
			continue
		}
		cp, err := r.Verify([]byte(e.Acta), policy)
		if err != nil {
			unproven = append(unproven, fmt.Sprintf("entry %d: %v", e.Index, err))
			continue
		}
		theirs, err := acta.Open([]byte(e.Acta), def)
		if err != nil {
			// Logged, but not a valid acta: the center keeps refused
			// submissions in the log too.
			continue
		}
		c := &Comparison{Index: e.Index, LogSize: cp.Size}
		if bytes.Equal(theirs.Body, sa.Body) {
			c.Status = "same"
			c.Verdict = map[string]string{
				"en": fmt.Sprintf("the center logged the same count for station %s (log entry %d, in a checkpoint of %d entries the witnesses cosigned)", sa.Station, e.Index, cp.Size),
				"es": fmt.Sprintf("el centro registró el mismo conteo de la mesa %s (entrada %d del registro, en un punto de control de %d entradas firmado por los testigos)", sa.Station, e.Index, cp.Size),
			}
			same = c
			continue
		}
		diff := differences(sa.Acta, theirs.Acta)
		c.Status, c.Center = "differs", e.Acta
		c.Verdict = map[string]string{
			"en": fmt.Sprintf("ALARM: the center logged other figures for station %s (log entry %d, status %s): %s. Keep this acta: it is the evidence.", sa.Station, e.Index, e.Status, diff["en"]),
			"es": fmt.Sprintf("ALARMA: el centro registró otras cifras para la mesa %s (entrada %d del registro, estado %s): %s. Guarde esta acta: es la prueba.", sa.Station, e.Index, e.Status, diff["es"]),
		}
		differs = c
	}
	switch {
	case differs != nil:
		return *differs, nil
	case same != nil:
		return *same, nil
	case len(unproven) > 0:
		return Comparison{Status: "unproven", Verdict: map[string]string{
			"en": fmt.Sprintf("ALARM: what the center shows for station %s is not proven in its log: %s", sa.Station, strings.Join(unproven, "; ")),
			"es": fmt.Sprintf("ALARMA: lo que el centro muestra de la mesa %s no está probado en su registro: %s", sa.Station, strings.Join(unproven, "; ")),
		}}, nil
	}
	return missing(def, sa, checkpoint, now), nil
}

// Since holds a new comparison of an acta against the one before it, so
// that nothing the phone kept as evidence is lost to a later answer that
// shows less — whoever makes that answer (the center, or the party's
// server that relays it):
//   - an entry proven in a witnessed checkpoint cannot leave the log: if
//     the answer shows no entry (or no proof) where one was proven before,
//     the earlier proof stands, and an entry no longer shown is "vanished",
//     an alarm;
//   - an alarm ("differs", "withheld", "vanished") stays, with its
//     evidence, until a stronger answer: a station withheld that the
//     center logs later is "same" or "differs", the withheld checkpoint
//     kept beside it;
//   - otherwise the new comparison stands.
func Since(before, now Comparison) Comparison {
	weak := now.Status == "missing" || now.Status == "withheld" || now.Status == "unproven" || now.Status == "unchecked"
	switch before.Status {
	case "vanished", "differs":
		return before
	case "withheld":
		if weak {
			return before
		}
		now.Checkpoint, now.WitnessedAt, now.Deadline = before.Checkpoint, before.WitnessedAt, before.Deadline
		now.Verdict = map[string]string{
			"en": now.Verdict["en"] + fmt.Sprintf(" — logged late: the checkpoint kept with this acta shows the station missing on %s, after the deadline", before.WitnessedAt.UTC().Format(time.RFC3339)),
			"es": now.Verdict["es"] + fmt.Sprintf(" — registrada tarde: el punto de control guardado con esta acta muestra la mesa ausente el %s, después del plazo", before.WitnessedAt.UTC().Format(time.RFC3339)),
		}
		return now
	case "same":
		if !weak {
			return now
		}
		if now.Status == "unproven" || now.Status == "unchecked" {
			return before // the proof kept stands
		}
	default:
		return now
	}
	v := before
	v.Status = "vanished"
	v.Verdict = map[string]string{
		"en": fmt.Sprintf("ALARM: the center's answer no longer shows log entry %d, which the log proved before in a checkpoint of %d entries the witnesses cosigned. A log entry cannot leave the log: whoever hides it, the proof kept with this acta is the evidence. Before: %s", before.Index, before.LogSize, before.Verdict["en"]),
		"es": fmt.Sprintf("ALARMA: la respuesta del centro ya no muestra la entrada %d del registro, que el registro probó antes en un punto de control de %d entradas firmado por los testigos. Una entrada no puede salir del registro: quienquiera que la oculte, la prueba guardada con esta acta es la evidencia. Antes: %s", before.Index, before.LogSize, before.Verdict["es"]),
	}
	return v
}

// missing says what it means that the center has not logged the acta:
// after the deadline, in a checkpoint its witnesses cosigned after the
// deadline, an alarm; before the deadline, not yet published; past the
// deadline on the phone's clock with no such checkpoint to hold it
// against, could not check — the log is not witnessed past the deadline,
// or its newest checkpoint is withheld, and either is worth a look.
func missing(def *election.Definition, sa *acta.Signed, checkpoint []byte, now time.Time) Comparison {
	c := Comparison{Status: "missing", Deadline: def.Deadline, Verdict: map[string]string{
		"en": fmt.Sprintf("not yet published: the center has not logged the %s acta of station %s yet", sa.Kind, sa.Station),
		"es": fmt.Sprintf("aún no publicada: el centro aún no registró el acta %s de la mesa %s", sa.Kind, sa.Station),
	}}
	if sa.Kind != acta.Final || def.Deadline.IsZero() {
		return c
	}
	when := func(t time.Time) string { return when(def, t) }
	past := now.After(def.Deadline)
	unchecked := func(en, es string) Comparison {
		c.Status = "unchecked"
		c.Verdict = map[string]string{
			"en": fmt.Sprintf("could not check: station %s is not in the center's log, the deadline (%s) has passed, and %s. The center may be withholding it: ask the party, and compare again later.", sa.Station, when(def.Deadline), en),
			"es": fmt.Sprintf("no se pudo comprobar: la mesa %s no está en el registro del centro, el plazo (%s) ya pasó, y %s. El centro podría estar reteniéndola: avise al partido y compare de nuevo más tarde.", sa.Station, when(def.Deadline), es),
		}
		return c
	}
	if checkpoint == nil {
		if past {
			return unchecked("no checkpoint of the log was relayed", "no se recibió ningún punto de control del registro")
		}
		return c
	}
	w, err := witnessed(def, checkpoint, now)
	if err != nil {
		if past {
			return unchecked(fmt.Sprintf("the latest checkpoint relayed does not count: %v", err), fmt.Sprintf("el último punto de control recibido no vale: %v", err))
		}
		c.Verdict["en"] += fmt.Sprintf(" (the deadline is %s; the latest checkpoint relayed does not count: %v)", when(def.Deadline), err)
		c.Verdict["es"] += fmt.Sprintf(" (el plazo es %s; el último punto de control recibido no vale: %v)", when(def.Deadline), err)
		return c
	}
	c.Checkpoint, c.WitnessedAt, c.LogSize = w.Raw, w.At, w.Size
	late := w.At.Sub(def.Deadline)
	if late < 0 {
		if past {
			return unchecked(fmt.Sprintf("the newest checkpoint relayed (%d entries) was cosigned on %s, before the deadline", w.Size, when(w.At)),
				fmt.Sprintf("el punto de control más reciente recibido (%d entradas) fue firmado el %s, antes del plazo", w.Size, when(w.At)))
		}
		c.Verdict["en"] += fmt.Sprintf(" (log of %d entries at %s; the deadline is %s)", w.Size, when(w.At), when(def.Deadline))
		c.Verdict["es"] += fmt.Sprintf(" (registro de %d entradas al %s; el plazo es %s)", w.Size, when(w.At), when(def.Deadline))
		return c
	}
	parties := strings.Join(w.Parties, ", ")
	c.Status = "withheld"
	c.Verdict = map[string]string{
		"en": fmt.Sprintf("ALARM: station %s is not in the center's log at checkpoint %d (the log's first %[2]d entries), cosigned on %s by the log witnesses of %s, %s after the deadline (%s). "+
			"A log cannot prove an absence: this is what the center's index shows, and the checkpoint, kept with this acta, is the evidence of when. Keep this acta: the center has not published it.",
			sa.Station, w.Size, when(w.At), parties, span(late, "en"), when(def.Deadline)),
		"es": fmt.Sprintf("ALARMA: la mesa %s no está en el registro del centro en el punto de control %d (las primeras %[2]d entradas del registro), firmado el %s por los testigos del registro de %s, %s después del plazo (%s). "+
			"Un registro no puede probar una ausencia: esto es lo que muestra el índice del centro, y el punto de control, guardado con esta acta, es la prueba de cuándo. Guarde esta acta: el centro no la publicó.",
			sa.Station, w.Size, when(w.At), parties, span(late, "es"), when(def.Deadline)),
	}
	return c
}

// span says a duration in whole hours, or minutes under two hours.
func span(d time.Duration, lang string) string {
	n, unit := int(d.Hours()), map[string]string{"en": "hours", "es": "horas"}[lang]
	if d < 2*time.Hour {
		n, unit = int(d.Minutes()), map[string]string{"en": "minutes", "es": "minutos"}[lang]
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// differences lists where two counts of a station differ: "ballots 10 here,
// 12 at the center; president ALBA 6 here, 8 at the center".
func differences(ours, theirs *acta.Acta) map[string]string {
	var en, es []string
	add := func(whatEn, whatEs string, a, b int) {
		if a != b {
			en = append(en, fmt.Sprintf("%s %d here, %d at the center", whatEn, a, b))
			es = append(es, fmt.Sprintf("%s %d aquí, %d en el centro", whatEs, a, b))
		}
	}
	add("ballots", "boletas", ours.Ballots, theirs.Ballots)
	for i, t := range ours.Contests {
		if i >= len(theirs.Contests) {
			break
		}
		u := theirs.Contests[i]
		for j, c := range t.Candidates {
			if j < len(u.Candidates) {
				add(t.Contest+" "+c.Candidate, t.Contest+" "+c.Candidate, c.Votes, u.Candidates[j].Votes)
			}
		}
		add(t.Contest+" blank", t.Contest+" en blanco", t.Blank, u.Blank)
		add(t.Contest+" null", t.Contest+" nulos", t.Null, u.Null)
	}
	if len(en) == 0 {
		en = append(en, "the same figures, but another signed body (times, keys or records differ)")
		es = append(es, "las mismas cifras, pero otro cuerpo firmado (difieren horas, claves o registros)")
	}
	return map[string]string{"en": strings.Join(en, "; "), "es": strings.Join(es, "; ")}
}
