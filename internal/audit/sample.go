package audit

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/auditmath"
	"github.com/triplicate-vote/triplicate/internal/durable"
)

// ParseMethod parses a risk-limiting audit's method: macro, bravo, minerva,
// alpha or oneaudit.
func ParseMethod(s string) (Method, error) {
	switch m := Method(s); m {
	case MACRO, BRAVO, Minerva, ALPHA, ONEAudit:
		return m, nil
	}
	return "", fmt.Errorf("method %q: want macro, bravo, minerva, alpha or oneaudit", s)
}

// ParseRiskLimit parses a risk limit as "5%" or "0.05": more than 0, less
// than 1.
func ParseRiskLimit(s string) (float64, error) {
	v, pct := strings.CutSuffix(strings.TrimSpace(s), "%")
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("risk limit %q: not a number", s)
	}
	if pct {
		x /= 100
	}
	if x <= 0 || x >= 1 {
		return 0, fmt.Errorf("risk limit %q: want more than 0 and less than 100%%", s)
	}
	return x, nil
}

// WriteSample writes a sample of stations as CSV: a header ticket,station,
// then one line a ticket.
func WriteSample(w io.Writer, tickets []auditmath.Ticket) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"ticket", "station"})
	for _, t := range tickets {
		cw.Write([]string{t.Number, t.Item})
	}
	cw.Flush()
	return cw.Error()
}

// ReadSample reads the stations of a sample CSV: any columns, one of them
// station (a hot audit's sample, or a round of a batch comparison).
func ReadSample(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	col := -1
	for i, h := range header {
		if h == "station" {
			col = i
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("%s: no column station in the header %q", path, strings.Join(header, ","))
	}
	out := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		out[rec[col]] = true
	}
}

// writeRound writes a round's draws as CSV: ticket,station for a batch
// comparison, ticket,station,ballot for ballot polling. The file is new:
// if it exists with other draws, the round was launched already and is
// refused; with the same draws (a launch that crashed before saving the
// state, or two launches at once: the seed gives both the same draws) it
// is kept.
func writeRound(path string, m Method, round *Round) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if m == MACRO {
		w.Write([]string{"ticket", "station"})
	} else {
		w.Write([]string{"ticket", "station", "ballot"})
	}
	for _, d := range round.Draws {
		if m == MACRO {
			w.Write([]string{d.Ticket, d.Station})
		} else {
			w.Write([]string{d.Ticket, d.Station, strconv.Itoa(d.Ballot)})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	err := durable.WriteNew(path, b.Bytes(), 0o644)
	if errors.Is(err, fs.ErrExist) {
		if old, rerr := os.ReadFile(path); rerr == nil && bytes.Equal(old, b.Bytes()) {
			return nil
		}
		return fmt.Errorf("%s exists with other draws: round %d was launched already", path, round.Number)
	}
	return err
}
