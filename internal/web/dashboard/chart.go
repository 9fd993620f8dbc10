package dashboard

import (
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"sync"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/ledger"
)

// series is each contest's candidates' shares as stations reported, in the
// order of the center's public log: what the home page's chart draws. It
// is read from the log — each station's first final acta, which is the one
// the center accepts; a different one after it is refused — so it is the
// same after a restart and on every front-end that reads the same log.
// A point is kept every step stations (the series has at most about
// maxPoints of them, whatever the election's size) and at the latest
// station read.
type series struct {
	def  *election.Definition
	step int
	log  *slog.Logger
	wake chan struct{}

	reading sync.Mutex // held by read

	mu      sync.Mutex
	next    uint64          // the log index to read next
	counted map[string]bool // stations counted
	votes   map[string][]int64
	points  []point           // every step stations
	tip     *point            // the latest station's, if not a step's
	cached  map[string]string // the JSON, by contest, since the last change
}

type point struct {
	reported int
	shares   map[string][]float64 // by contest, per candidate, in percent
}

const maxPoints = 200

func newSeries(def *election.Definition, log *slog.Logger) *series {
	return &series{def: def, log: log, step: max(1, (len(def.Stations)+maxPoints-1)/maxPoints),
		wake: make(chan struct{}, 1), counted: map[string]bool{}, votes: map[string][]int64{}, cached: map[string]string{}}
}

// follow reads the log as it grows, whenever poke says it did, until ctx
// ends.
func (s *series) follow(ctx context.Context, l *ledger.Ledger) {
	for {
		if err := s.read(ctx, l); err != nil && ctx.Err() == nil {
			s.log.Warn("dashboard chart: reading the log", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
	}
}

// poke asks follow to read what the log has gained.
func (s *series) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// read adds the log's entries from the next unread one to its end.
func (s *series) read(ctx context.Context, l *ledger.Ledger) error {
	s.reading.Lock()
	defer s.reading.Unlock()
	size, err := l.Integrated(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	from := s.next
	s.mu.Unlock()
	if from >= size {
		return nil
	}
	err = l.Entries(ctx, from, size, func(index uint64, data []byte) error {
		s.add(index, data)
		return nil
	})
	s.mu.Lock()
	s.tip = nil
	if n := len(s.counted); n%s.step != 0 {
		p := s.point()
		s.tip = &p
	}
	clear(s.cached)
	s.mu.Unlock()
	return err
}

// Counted is how many stations the series has counted.
func (s *series) Counted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.counted)
}

// catchUp reads the log now if the series is a few stations behind the
// center's count, else asks follow to: a page rendered after a station
// reported draws it, and a dashboard started on a long log does not keep
// its first reader waiting.
func (s *series) catchUp(ctx context.Context, l *ledger.Ledger, reported int) {
	switch n := s.Counted(); {
	case n >= reported:
	case reported-n <= 1000:
		if err := s.read(ctx, l); err != nil && ctx.Err() == nil {
			s.log.Warn("dashboard chart: reading the log", "err", err)
		}
	default:
		s.poke()
	}
}

// add counts one log entry: a station's first final acta.
func (s *series) add(index uint64, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = index + 1
	sa, _, err := acta.OpenUnverified(data, s.def) // the center checked it before logging it
	if err != nil || sa.Kind != acta.Final || s.counted[sa.Station] {
		return // the definition's entry, a zero count, a hand count, a second final acta
	}
	s.counted[sa.Station] = true
	for _, t := range sa.Contests {
		v := s.votes[t.Contest]
		if v == nil {
			v = make([]int64, len(t.Candidates))
			s.votes[t.Contest] = v
		}
		for i, x := range t.Candidates {
			if i < len(v) {
				v[i] += int64(x.Votes)
			}
		}
	}
	if len(s.counted)%s.step == 0 {
		s.points = append(s.points, s.point())
	}
}

// point is the shares now.
func (s *series) point() point {
	p := point{reported: len(s.counted), shares: map[string][]float64{}}
	for id, v := range s.votes {
		var valid int64
		for _, x := range v {
			valid += x
		}
		row := make([]float64, len(v))
		for i, x := range v {
			if valid > 0 {
				row[i] = float64(x) * 100 / float64(valid)
			}
		}
		p.shares[id] = row
	}
	return p
}

// chartData is what dashboard.js draws: x the stations reported, one line
// a candidate that matters (Color its place in the contest, which the
// table's swatch has too), the y axis from Min to Max.
type chartData struct {
	Labels []string    `json:"labels"`
	Colors []int       `json:"colors"`
	X      []int       `json:"x"`
	Y      [][]float64 `json:"y"`
	Min    float64     `json:"min"`
	Max    float64     `json:"max"`
}

// chartShare is the share a candidate needs at the latest point to be
// drawn, besides the first two: lines of small candidates would stretch
// the axis until the close race at the top is one line.
const chartShare = 5.0

// json is a contest's chart data, "" before any station reported.
func (s *series) json(contest string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j, ok := s.cached[contest]; ok {
		return j
	}
	c := s.def.Contest(contest)
	var rows [][]float64
	cd := chartData{}
	points := s.points
	if s.tip != nil {
		points = append(points[:len(points):len(points)], *s.tip)
	}
	for _, p := range points {
		if r := p.shares[contest]; r != nil {
			rows = append(rows, r)
			cd.X = append(cd.X, p.reported)
		}
	}
	if c == nil || len(rows) == 0 {
		s.cached[contest] = ""
		return ""
	}
	last := rows[len(rows)-1]
	for _, i := range drawn(last) {
		cd.Labels = append(cd.Labels, c.Candidates[i].Name)
		cd.Colors = append(cd.Colors, i)
		y := make([]float64, len(rows))
		for j, r := range rows {
			y[j] = math.Round(r[i]*100) / 100
		}
		cd.Y = append(cd.Y, y)
	}
	cd.Min, cd.Max = axis(cd.Y)
	b, _ := json.Marshal(cd)
	s.cached[contest] = string(b)
	return string(b)
}

// drawn returns the candidates a chart draws, by their place: the first
// two by share, and any other with at least chartShare.
func drawn(shares []float64) []int {
	first, second := -1, -1
	for i, v := range shares {
		switch {
		case first < 0 || v > shares[first]:
			first, second = i, first
		case second < 0 || v > shares[second]:
			second = i
		}
	}
	var out []int
	for i, v := range shares {
		if i == first || i == second || v >= chartShare {
			out = append(out, i)
		}
	}
	return out
}

// axis fits the y axis to the lines: from a little under the lowest to a
// little over the highest, in whole tenths of a point, at least half a
// point tall, within 0 to 100.
func axis(ys [][]float64) (lo, hi float64) {
	lo, hi = 100, 0
	for _, y := range ys {
		for _, v := range y {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if lo > hi {
		return 0, 100
	}
	pad := max(0.25, (hi-lo)*0.08)
	lo = max(0, math.Floor((lo-pad)*10)/10)
	hi = min(100, math.Ceil((hi+pad)*10)/10)
	return lo, hi
}
