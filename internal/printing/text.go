package printing

import (
	"fmt"
	"io"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// WriteText writes the human-readable tally of a checked acta: the station and
// its place, the times, the counts with the candidates' names, and who signed.
func WriteText(w io.Writer, sa *acta.Signed, def *election.Definition) error {
	var b strings.Builder
	st := def.Station(sa.Station)
	fmt.Fprintf(&b, "%s, station %s: %s\n", def.Name, sa.Station, kindHeading[sa.Kind])
	var place []string
	for _, a := range def.AreaPath(st.Area) {
		place = append(place, a.Name)
	}
	fmt.Fprintf(&b, "  place      %s\n", strings.Join(place, " > "))
	switch sa.Kind {
	case acta.Hand:
		fmt.Fprintf(&b, "  counted    %s\n", sa.Counted.Format(acta.TimeFormat))
	case acta.Final:
		fmt.Fprintf(&b, "  opened     %s\n  closed     %s\n", sa.Opened.Format(acta.TimeFormat), sa.Closed.Format(acta.TimeFormat))
	default:
		fmt.Fprintf(&b, "  opened     %s\n", sa.Opened.Format(acta.TimeFormat))
	}
	if sa.Version() >= 2 {
		if sa.Software != "" {
			fmt.Fprintf(&b, "  software   %s\n", sa.Software)
		}
		fmt.Fprintf(&b, "  definition %x\n", sa.Definition)
	}
	fmt.Fprintf(&b, "  ballots    %d of %d registered\n", sa.Ballots, sa.Registered)
	for _, t := range sa.Contests {
		c := def.Contest(t.Contest)
		fmt.Fprintf(&b, "  %s\n", c.Name)
		if sa.PerContest {
			fmt.Fprintf(&b, "    %-32s %9d\n", "ballots", t.Ballots)
		}
		for i, x := range t.Candidates {
			fmt.Fprintf(&b, "    %-32s %9d\n", c.Candidates[i].Name, x.Votes)
		}
		fmt.Fprintf(&b, "    %-32s %9d\n    %-32s %9d\n", "blank", t.Blank, "null", t.Null)
		if sa.PerContest {
			fmt.Fprintf(&b, "    %-32s %9d\n", "undervotes", t.Undervotes)
		}
	}
	for _, s := range sa.Signatures {
		fmt.Fprintf(&b, "  signed by  %s (%s)\n", signerName(s.Signer, def), s.Name)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
