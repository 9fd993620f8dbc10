package forensics

import (
	"runtime"
	"sync"
)

// Group is a set of stations every indicator is computed for.
type Group int

const (
	All      Group = iota // every station screened
	Signed                // those backed by signed evidence
	Unsigned              // the rest
)

// groups is every Group, in reporting order.
var groups = [...]Group{All, Signed, Unsigned}

func (g Group) String() string {
	return [...]string{"all", "signed", "unsigned"}[g]
}

// in says whether a station belongs to the group.
func (g Group) in(signed bool) bool {
	return g == All || (g == Signed) == signed
}

// Options set how the indicators are computed.
type Options struct {
	// Resamples is the number of binomial Monte Carlo resamples of the
	// integer-percent test; 0 means DefaultResamples.
	Resamples int
	// Seed makes the resamples reproducible: the same stations and seed
	// give the same report.
	Seed uint64
	// Level is the significance level an indicator fires at; 0 means
	// DefaultLevel.
	Level float64
	// Outliers is how many outliers a group lists; 0 means 20.
	Outliers int
}

// Defaults of Options.
const (
	DefaultResamples = 1000
	DefaultLevel     = 0.05
)

func (o Options) withDefaults() Options {
	if o.Resamples <= 0 {
		o.Resamples = DefaultResamples
	}
	if o.Level <= 0 || o.Level >= 1 {
		o.Level = DefaultLevel
	}
	if o.Outliers <= 0 {
		o.Outliers = 20
	}
	return o
}

// Report is every indicator for each group of stations.
type Report struct {
	Contest      string        `json:"contest"`
	Leader       string        `json:"leader"`     // the candidate whose share is followed
	MostVotes    string        `json:"most_votes"` // the candidate with the most votes: Leader, unless Stations.Follow chose another
	Excluded     []Exclusion   `json:"excluded"`
	SignedUnseen int           `json:"signed_unseen"`
	Resamples    int           `json:"resamples"`
	Seed         uint64        `json:"seed"`
	Level        float64       `json:"level"`
	Groups       []GroupReport `json:"groups"` // all, signed, unsigned
	// Differences compare the signed stations with the rest, in turnout
	// and in the leader's share.
	Differences []Difference `json:"differences"`
	// Calibration is how each indicator fared on simulated elections.
	Calibration []Calibration `json:"calibration"`
}

// GroupReport is every indicator for one group of stations.
type GroupReport struct {
	Group      string  `json:"group"`
	Stations   int     `json:"stations"`
	Registered int64   `json:"registered"`
	Ballots    int64   `json:"ballots"`
	Valid      int64   `json:"valid"`
	Leader     int64   `json:"leader_votes"`
	Turnout    float64 `json:"turnout"`      // ballots over registered, of the group
	Share      float64 `json:"leader_share"` // leader's votes over valid votes, of the group

	Fingerprint  Fingerprint `json:"fingerprint"`
	TurnoutPeaks Peaks       `json:"turnout_peaks"`
	SharePeaks   Peaks       `json:"share_peaks"`
	LastDigit    DigitTest   `json:"last_digit"`
	SecondDigit  DigitTest   `json:"second_digit"`
	Outliers     Outliers    `json:"outliers"`
}

// Analyze computes every indicator for all stations, the signed ones and
// the rest. It uses every core for the Monte Carlo resamples; the report
// depends only on the stations and the options.
func Analyze(s *Stations, o Options) *Report {
	o = o.withDefaults()
	r := &Report{Contest: s.Contest, Excluded: s.Excluded, SignedUnseen: s.SignedUnseen,
		Resamples: o.Resamples, Seed: o.Seed, Level: o.Level, Calibration: Calibrations}
	if len(s.Candidates) > 0 {
		r.Leader = s.Candidates[s.Leader]
		r.MostVotes = s.Candidates[leader(s.List, len(s.Candidates))]
	}
	if r.Excluded == nil {
		r.Excluded = []Exclusion{}
	}
	r.Groups = make([]GroupReport, len(groups))
	for _, g := range groups {
		r.Groups[g].Group = g.String()
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		d := differences(s)
		r.Differences = d[:]
	})
	wg.Go(func() {
		turnout, share := integerPeaks(s, o.Resamples, o.Seed, runtime.GOMAXPROCS(0))
		for _, g := range groups {
			r.Groups[g].TurnoutPeaks, r.Groups[g].SharePeaks = turnout[g], share[g]
		}
	})
	wg.Go(func() {
		last, second := digitTests(s, runtime.GOMAXPROCS(0))
		for _, g := range groups {
			r.Groups[g].LastDigit, r.Groups[g].SecondDigit = last[g], second[g]
		}
	})
	zt, zv := areaScores(s)
	for _, g := range groups {
		gr := &r.Groups[g]
		for i := range s.List {
			st := &s.List[i]
			if !g.in(st.Signed) {
				continue
			}
			gr.Stations++
			gr.Registered += int64(st.Registered)
			gr.Ballots += int64(st.Ballots)
			gr.Valid += int64(st.valid())
			gr.Leader += int64(st.Votes[s.Leader])
		}
		gr.Turnout = ratio(gr.Ballots, gr.Registered)
		gr.Share = ratio(gr.Leader, gr.Valid)
		gr.Fingerprint = fingerprint(s, g)
		gr.Outliers = outliers(s, g, zt, zv, o.Outliers)
	}
	wg.Wait()
	return r
}

// ratio is a/b, or 0 if b is 0: never a NaN on a page.
func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
