package check

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// StationAnnouncement is what the party's server relays of the center's
// announced figures (GET /v1/announced) for one station: the announcement's
// election, checkpoint and size, and the station's entry, null if the
// center announced no figures for it.
type StationAnnouncement struct {
	Election   string            `json:"election"`
	LogSize    uint64            `json:"log_size"`
	Checkpoint string            `json:"checkpoint"`
	Station    *AnnouncedStation `json:"station"`
}

// AnnouncedStation is a station's entry in the center's announcement, as
// center.AnnouncedStation writes it (the fields the phone compares).
type AnnouncedStation struct {
	Station  string             `json:"station"`
	Index    uint64             `json:"index"`
	Ballots  int                `json:"ballots"`
	Contests []AnnouncedContest `json:"contests"`
}

// AnnouncedContest is the announced count of one contest at a station.
type AnnouncedContest struct {
	ID         string `json:"id"`
	Candidates []struct {
		ID    string `json:"id"`
		Votes int    `json:"votes"`
	} `json:"candidates"`
	Blank int `json:"blank"`
	Null  int `json:"null"`
}

// Announcement is what the phone says of the center's announced figures
// for the station of a final acta it keeps.
type Announcement struct {
	// Status is "same" (the figures announced are the signed copy's),
	// "differs" (an alarm: Figures shows both side by side),
	// "unannounced" (the center announced none for the station) or
	// "unchecked" (the announcement could not be read or checked: never
	// taken for "same").
	Status  string            `json:"status"`
	LogSize uint64            `json:"logSize,omitempty"` // the announcement's checkpoint
	Index   uint64            `json:"index,omitempty"`   // the log entry it says its figures are from
	Figures []Figure          `json:"figures,omitempty"`
	Verdict map[string]string `json:"verdict"`
	// Raw is the announcement as received: with the signed acta, the
	// evidence of a difference.
	Raw string `json:"raw,omitempty"`
}

// Figure is one figure of a station, in the signed copy and as announced;
// nil where one of them has no such figure.
type Figure struct {
	What      map[string]string `json:"what"`
	Ours      *int              `json:"ours"`
	Announced *int              `json:"announced"`
}

// CompareAnnounced holds a signed final acta against the center's announced
// figures for its station, as the party's server relays them. The
// announcement must name the election and a checkpoint that meets the
// election's witness policy. The figures themselves carry no signature of
// the center's: they are compared as received, and kept, so that a
// difference can be shown; the center's published copy
// (/public/results/SIZE/announced.json) is where anyone confirms them.
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
	var an StationAnnouncement
	if err := json.Unmarshal(announcement, &an); err != nil {
		return unchecked("it does not read: "+err.Error(), "no se puede leer: "+err.Error())
	}
	if an.Election != def.ID {
		return unchecked(fmt.Sprintf("it is of election %q, not %s", an.Election, def.ID), fmt.Sprintf("es de la elección %q, no de %s", an.Election, def.ID))
	}
	cp, err := tlog.ElectionPolicy(def).Check([]byte(an.Checkpoint))
	if err != nil {
		return unchecked("its checkpoint does not meet the witness policy: "+err.Error(), "su punto de control no cumple la política de testigos: "+err.Error())
	}
	if cp.Size != an.LogSize {
		return unchecked(fmt.Sprintf("it says log size %d, its checkpoint %d", an.LogSize, cp.Size), fmt.Sprintf("dice tamaño %d, su punto de control %d", an.LogSize, cp.Size))
	}
	a := Announcement{LogSize: cp.Size, Raw: string(announcement)}
	st := an.Station
	if st == nil {
		a.Status = "unannounced"
		a.Verdict = map[string]string{
			"en": fmt.Sprintf("the center has announced no figures for station %s (announcement at checkpoint %d)", sa.Station, cp.Size),
			"es": fmt.Sprintf("el centro no anunció cifras de la mesa %s (anuncio en el punto de control %d)", sa.Station, cp.Size),
		}
		return a
	}
	if st.Station != sa.Station {
		return unchecked(fmt.Sprintf("it is of station %q, not %s", st.Station, sa.Station), fmt.Sprintf("es de la mesa %q, no de %s", st.Station, sa.Station))
	}
	if st.Index >= cp.Size {
		return unchecked(fmt.Sprintf("it names log entry %d, beyond its checkpoint of %d", st.Index, cp.Size), fmt.Sprintf("nombra la entrada %d, fuera de su punto de control de %d", st.Index, cp.Size))
	}
	a.Index = st.Index

	// Side by side: every figure of the signed copy, then any the
	// announcement has and the copy has not.
	add := func(en, es string, ours, theirs *int) {
		a.Figures = append(a.Figures, Figure{What: map[string]string{"en": en, "es": es}, Ours: ours, Announced: theirs})
	}
	add("ballots", "boletas", &sa.Ballots, &st.Ballots)
	seen := map[string]bool{}
	for _, t := range sa.Contests {
		var their *AnnouncedContest
		for i := range st.Contests {
			if st.Contests[i].ID == t.Contest {
				their = &st.Contests[i]
			}
		}
		seen[t.Contest] = true
		for _, c := range t.Candidates {
			var v *int
			if their != nil {
				for j := range their.Candidates {
					if their.Candidates[j].ID == c.Candidate {
						v = &their.Candidates[j].Votes
						seen[t.Contest+" "+c.Candidate] = true
					}
				}
			}
			add(t.Contest+" "+c.Candidate, t.Contest+" "+c.Candidate, &c.Votes, v)
		}
		var blank, null *int
		if their != nil {
			blank, null = &their.Blank, &their.Null
			for _, x := range their.Candidates {
				if !seen[t.Contest+" "+x.ID] {
					add(t.Contest+" "+x.ID, t.Contest+" "+x.ID, nil, &x.Votes)
				}
			}
		}
		add(t.Contest+" blank", t.Contest+" en blanco", &t.Blank, blank)
		add(t.Contest+" null", t.Contest+" nulos", &t.Null, null)
	}
	for _, c := range st.Contests {
		if !seen[c.ID] {
			votes := c.Blank + c.Null
			for _, x := range c.Candidates {
				votes += x.Votes
			}
			add(c.ID+" (not on this station's ballot)", c.ID+" (fuera de la boleta de esta mesa)", nil, &votes)
		}
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
			"en": fmt.Sprintf("the center announced the same figures for station %s as this signed copy (announcement at checkpoint %d, from log entry %d)", sa.Station, cp.Size, st.Index),
			"es": fmt.Sprintf("el centro anunció las mismas cifras de la mesa %s que esta copia firmada (anuncio en el punto de control %d, de la entrada %d)", sa.Station, cp.Size, st.Index),
		}
		return a
	}
	a.Status = "differs"
	a.Verdict = map[string]string{
		"en": fmt.Sprintf("ALARM: the center announced other figures for station %s than this signed copy: %s (announcement at checkpoint %d, from log entry %d). Keep this acta: it is the evidence.", sa.Station, strings.Join(en, "; "), cp.Size, st.Index),
		"es": fmt.Sprintf("ALARMA: el centro anunció otras cifras de la mesa %s que esta copia firmada: %s (anuncio en el punto de control %d, de la entrada %d). Guarde esta acta: es la prueba.", sa.Station, strings.Join(es, "; "), cp.Size, st.Index),
	}
	return a
}

func show(n *int) string {
	if n == nil {
		return "—"
	}
	return fmt.Sprint(*n)
}
