package demo

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress shows how far a long step is: on a terminal a bar, redrawn and
// cleared when the step is done; otherwise a plain line at most every so
// often, so that a log shows the demo is working.
type progress struct {
	w        io.Writer
	terminal bool
	start    time.Time
	every    time.Duration // between plain lines
	last     time.Time     // of the last plain line
}

// steps names the steps that count, and what they count.
var steps = map[string][2]string{"vote": {"voting, signing, printing", "stations"},
	"transmit": {"transmitting", "stations"}, "scan": {"scanning", "printed sheets"}}

func (p *progress) count(step string, done, total int) {
	name, unit := step, ""
	if s, ok := steps[step]; ok {
		name, unit = s[0], " "+s[1]
	}
	elapsed := time.Since(p.start).Seconds()
	if p.terminal {
		const width = 30
		n := width * done / max(total, 1)
		fmt.Fprintf(p.w, "\r\x1b[2K%6.1fs  %-26s %s%s %d/%d", elapsed, name, strings.Repeat("█", n), strings.Repeat("·", width-n), done, total)
		if done == total {
			io.WriteString(p.w, "\r\x1b[2K")
		}
		return
	}
	if done < total && time.Since(p.last) >= p.every {
		p.last = time.Now()
		fmt.Fprintf(p.w, "%6.1fs  %s: %d/%d%s\n", elapsed, name, done, total, unit)
	}
}
