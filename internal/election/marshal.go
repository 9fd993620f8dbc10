package election

import (
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Marshal writes the definition in its canonical layout: header, contests with
// their candidates, parties with their witnesses, auditors, areas, stations.
// Parse(d.Marshal()) gives back the same definition.
func (d *Definition) Marshal() []byte {
	var b strings.Builder
	line := func(fields ...string) {
		b.WriteString(strings.Join(fields, " "))
		b.WriteByte('\n')
	}
	line(Version)
	line("id", d.ID)
	line("name", d.Name)
	line(append([]string{"levels"}, d.Levels...)...)
	if d.TimeZone != "" {
		line("timezone", d.TimeZone)
	}
	if !d.Deadline.IsZero() {
		line("deadline", d.Deadline.Format(time.RFC3339))
	}
	if b := d.Boundaries; b != nil {
		line("boundaries", b.Name, hex.EncodeToString(b.SHA256[:]))
	}
	if d.Whole != ([32]byte{}) {
		line("whole", hex.EncodeToString(d.Whole[:]))
	}
	for _, c := range d.Contests {
		line("contest", c.ID, c.Scope, c.Name)
		for _, x := range c.Candidates {
			line("candidate", c.ID, x.ID, x.Name)
		}
		if c.Rule.Method != 0 && c.Rule != defaultRule {
			line("rule", c.ID, c.Rule.String())
		}
	}
	for _, p := range d.Parties {
		line("party", p.ID, p.Name)
		for _, w := range p.Witnesses {
			line("witness", p.ID, w)
		}
	}
	for _, a := range d.Auditors {
		line("auditor", a)
	}
	if d.Authority != "" {
		line("authority", d.Authority)
	}
	if d.Center != "" {
		line("center", d.Center)
	}
	for _, w := range d.LogWitnesses {
		line("logwitness", w.Party, w.Key)
	}
	for _, w := range d.PublicWitnesses {
		line("publicwitness", w.Name, w.Key)
	}
	for _, g := range d.LogGroups {
		line(append([]string{"loggroup", g.Name, strconv.Itoa(g.Threshold)}, g.Members...)...)
	}
	switch {
	case d.LogQuorumGroup != "":
		line("logquorum", d.LogQuorumGroup)
	case len(d.LogWitnesses) > 0:
		line("logquorum", strconv.Itoa(d.LogQuorum))
	}
	switch {
	case d.PublicQuorumGroup != "":
		line("publicquorum", d.PublicQuorumGroup)
	case len(d.PublicWitnesses) > 0:
		line("publicquorum", strconv.Itoa(d.PublicQuorum))
	}
	for _, a := range d.Areas {
		line("area", a.Path, a.Name)
	}
	for _, t := range d.Districts {
		line("district", t.ID, t.Name)
		for _, a := range t.Areas {
			line("district", t.ID, "area", a)
		}
		for _, s := range t.Stations {
			line("district", t.ID, "station", s)
		}
	}
	for _, s := range d.Stations {
		reg, key := strconv.Itoa(s.Registered), s.Machine
		if s.Registered == Unknown {
			reg = "-"
		}
		if key == "" {
			key = "-"
		}
		line("station", s.ID, s.Area, reg, key)
	}
	return []byte(b.String())
}
