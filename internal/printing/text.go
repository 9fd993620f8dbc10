package printing

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// WriteText writes the human-readable tally of a checked acta in a
// language, as a terminal prints it on its paper tape: the station and its
// place, the times, the counts with the candidates' names, and who signed.
func WriteText(w io.Writer, sa *acta.Signed, def *election.Definition, lang Lang) error {
	var b strings.Builder
	st := def.Station(sa.Station)
	fmt.Fprintf(&b, "%s\n", lang.f("%s, station %s: %s", def.Name, sa.Station, lang.t(kindHeading[sa.Kind])))
	var rows [][2]string
	var place []string
	for _, a := range def.AreaPath(st.Area) {
		place = append(place, a.Name)
	}
	rows = append(rows, [2]string{lang.t("place"), strings.Join(place, " > ")})
	switch sa.Kind {
	case acta.Hand:
		rows = append(rows, [2]string{lang.t("counted"), sa.Counted.Format(acta.TimeFormat)})
	case acta.Final:
		rows = append(rows, [2]string{lang.t("opened"), sa.Opened.Format(acta.TimeFormat)}, [2]string{lang.t("closed"), sa.Closed.Format(acta.TimeFormat)})
	default:
		rows = append(rows, [2]string{lang.t("opened"), sa.Opened.Format(acta.TimeFormat)})
	}
	if sa.Version() >= 2 {
		if sa.Software != "" {
			rows = append(rows, [2]string{lang.t("software"), sa.Software})
		}
		rows = append(rows, [2]string{lang.t("definition"), fmt.Sprintf("%x", sa.Definition)})
	}
	rows = append(rows, [2]string{lang.t("ballots"), lang.f("%d of %d registered", sa.Ballots, sa.Registered)})
	signed := lang.t("signed by")
	width := utf8.RuneCountInString(signed)
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r[0]))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", width-utf8.RuneCountInString(s)) }
	for _, r := range rows {
		fmt.Fprintf(&b, "  %s %s\n", pad(r[0]), r[1])
	}
	for _, t := range sa.Contests {
		c := def.Contest(t.Contest)
		fmt.Fprintf(&b, "  %s\n", c.Name)
		if sa.PerContest {
			fmt.Fprintf(&b, "    %s %9d\n", padTo(lang.t("ballots"), 32), t.Ballots)
		}
		for i, x := range t.Candidates {
			fmt.Fprintf(&b, "    %s %9d\n", padTo(c.Candidates[i].Name, 32), x.Votes)
		}
		fmt.Fprintf(&b, "    %s %9d\n    %s %9d\n", padTo(lang.t("blank"), 32), t.Blank, padTo(lang.t("null"), 32), t.Null)
		if sa.PerContest {
			fmt.Fprintf(&b, "    %s %9d\n", padTo(lang.t("undervotes"), 32), t.Undervotes)
		}
	}
	for _, s := range sa.Signatures {
		fmt.Fprintf(&b, "  %s %s (%s)\n", pad(signed), signerName(s.Signer, def, lang), s.Name)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// padTo pads a name with spaces to n characters, as %-32s would if it
// counted characters rather than bytes.
func padTo(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s)))
}
