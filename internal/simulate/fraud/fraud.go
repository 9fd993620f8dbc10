// Package fraud simulates per-station figures of elections, honest or
// with the frauds of Klimek et al. (2012) — ballot stuffing, incremental
// and extreme — and turnout rounded to whole percents: what
// internal/forensics is calibrated on.
package fraud

import (
	"math"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/triplicate-vote/triplicate/internal/forensics"
)

// Fraud is a kind of fraud Election commits at a share of stations.
type Fraud int

const (
	Honest Fraud = iota
	// Incremental stuffing (Klimek et al. 2012): a share x of the
	// non-voters, x around 25%, cast ballots for the leader, and a share x/2
	// of the others' votes are moved to the leader.
	Incremental
	// Extreme stuffing (Klimek et al. 2012): 90% to 100% of the non-voters
	// cast ballots for the leader, and as many of the others' votes go to
	// the leader.
	Extreme
	// Rounding: the turnout is rounded up to a whole percent (Kobak et
	// al. 2016), the ballots added going to the leader.
	Rounding
)

func (f Fraud) String() string {
	return [...]string{"honest", "incremental", "extreme", "rounding"}[f]
}

// Config is a simulated election of per-station figures.
type Config struct {
	Stations int
	Seed     uint64
	Fraud    Fraud
	// Share is the share of all stations the fraud touches, all among the
	// unsigned ones (a witness's signed copy would show it).
	Share float64
	// Signed is the share of stations backed by signed evidence.
	Signed float64
}

// Election returns the figures of a simulated election of three
// candidates (A, the leader, B and C) in the model of Klimek et al. 2012:
// 40 regions, each with its own mean turnout (around 62%) and mean share
// of A (around 50%); each station's turnout and share drawn around its
// region's, its registered voters uniform in 150..1000, its ballots and
// votes binomial; each region is the stations' area. 2% of ballots are null. Then the fraud, if any, at a
// share of the unsigned stations. A seed gives one election.
func Election(cfg Config) *forensics.Stations {
	rnd := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	binom := func(n int32, p float64) int32 {
		if n <= 0 || p <= 0 {
			return 0
		}
		if p >= 1 {
			return n
		}
		return int32(distuv.Binomial{N: float64(n), P: p, Src: rnd}.Rand())
	}
	clamp := func(x float64) float64 { return min(max(x, 0.05), 0.95) }
	const regions = 40
	var meanT, meanV [regions]float64
	for r := range regions {
		meanT[r] = 0.62 + 0.06*rnd.NormFloat64()
		meanV[r] = 0.50 + 0.08*rnd.NormFloat64()
	}
	s := &forensics.Stations{Contest: "president", Candidates: []string{"A", "B", "C"},
		List: make([]forensics.Station, cfg.Stations)}
	votes := make([]int32, 3*cfg.Stations)
	fraudOdds := 0.0
	if cfg.Signed < 1 {
		fraudOdds = cfg.Share / (1 - cfg.Signed)
	}
	for i := range s.List {
		r := rnd.IntN(regions)
		t := clamp(meanT[r] + 0.04*rnd.NormFloat64())
		v := clamp(meanV[r] + 0.04*rnd.NormFloat64())
		n := int32(150 + rnd.IntN(851))
		b := binom(n, t)
		valid := b - binom(b, 0.02)
		a := binom(valid, v)
		bb := binom(valid-a, 0.75)
		st := forensics.Station{ID: "s" + strconv.Itoa(i), Registered: n, Ballots: b, Votes: votes[3*i : 3*i+3 : 3*i+3],
			Signed: rnd.Float64() < cfg.Signed, Area: "r" + strconv.Itoa(r)}
		st.Votes[0], st.Votes[1], st.Votes[2] = a, bb, valid-a-bb
		if cfg.Fraud != Honest && !st.Signed && rnd.Float64() < fraudOdds {
			commit(cfg.Fraud, &st, rnd)
		}
		s.List[i] = st
	}
	return s
}

// commit commits a fraud at a station.
func commit(f Fraud, st *forensics.Station, rnd *rand.Rand) {
	var x, y float64
	switch f {
	case Incremental:
		x = min(max(0.25+0.1*rnd.NormFloat64(), 0), 1)
		y = x / 2
	case Extreme:
		x = 0.9 + 0.1*rnd.Float64()
		y = x
	case Rounding:
		j := int32(math.Ceil(100 * float64(st.Ballots) / float64(st.Registered)))
		for ; int32(math.Round(float64(j)*float64(st.Registered)/100)) < st.Ballots; j++ {
		}
		add := int32(math.Round(float64(j)*float64(st.Registered)/100)) - st.Ballots
		st.Ballots += add
		st.Votes[0] += add
		return
	}
	add := int32(math.Round(x * float64(st.Registered-st.Ballots)))
	st.Ballots += add
	st.Votes[0] += add
	for k := 1; k < len(st.Votes); k++ {
		move := int32(math.Round(y * float64(st.Votes[k])))
		st.Votes[k] -= move
		st.Votes[0] += move
	}
}
