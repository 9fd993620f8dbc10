package forensics

import (
	"math"
	"math/bits"
	"sync"
)

// minPeakBase is the fewest registered voters (for turnout) or valid votes
// (for the share) a station needs to enter the integer-percent test, as in
// Kobak et al.: below it, whole percents are common by arithmetic alone.
const minPeakBase = 100

// Peaks is the integer-percent test (Kobak, Shpilkin & Pshenichnikov
// 2016) of turnout or of the leader's share: officials who write a
// target figure instead of the count write round ones, and whole
// percentages pile up. A station is at a whole percent when its count is
// the nearest to a whole percent of its base (registered voters for
// turnout, valid votes for the share), a half rounded up: what one writes
// who aims at one. The p-value is that of binomial Monte Carlo
// resampling of the same stations: each station's count is drawn again
// from a binomial of its own base and observed rate, and the stations at
// whole percents counted; P is the share of resamples
// (with the observed) with at least as many as observed. A small P says
// the stations sit at whole percents more often than chance alone makes
// them; a large one is no evidence of honesty.
type Peaks struct {
	Of        string  `json:"of"`       // "turnout" or "leader_share"
	Stations  int     `json:"stations"` // with a base of at least 100
	Observed  int     `json:"observed"` // at a whole percent
	Expected  float64 `json:"expected"` // mean over the resamples
	Resamples int     `json:"resamples"`
	P         float64 `json:"p"`
}

// atWholePercent says whether k is the count nearest to a whole percent j
// of n, halves rounded up: -1/2 < k - jn/100 ≤ 1/2, that is -50 < 100k -
// jn ≤ 50. Every whole percent has one count, so the whole percents are
// spread evenly over the counts. Counted both ways, a half had two: for
// an odd n, 50% was (n-1)/2 and (n+1)/2, and the resamples, a binomial
// about each station's observed rate and so wider than the one its count
// came from, put less weight on so narrow a peak than the counts do. Where
// the leader's share centres on 50%, as in Klimek et al.'s model and in
// close elections, the test then fired on 6.7% of honest simulations at
// the 5% level.
func atWholePercent(k, n int32) bool {
	r := int64(k) * 100 % int64(n)
	return r <= 50 || int64(n)-r < 50
}

// wholePercentChance returns the probability that a binomial count of n
// trials with success rate k/n lands at a whole percent.
func wholePercentChance(k, n int32) float64 {
	if k == 0 || k == n {
		return 1 // 0% and 100% are whole, and the resample cannot move
	}
	p := float64(k) / float64(n)
	nf := float64(n)
	mode := math.Floor((nf + 1) * p)
	mode = min(mode, nf)
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	logPMF := lg(nf+1) - lg(mode+1) - lg(nf-mode+1) + mode*math.Log(p) + (nf-mode)*math.Log1p(-p)
	pm := math.Exp(logPMF)
	odds := p / (1 - p)
	m := int32(mode)
	sum := 0.0
	if atWholePercent(m, n) {
		sum += pm
	}
	const tiny = 1e-13
	for j, q := m, pm; j < n && q > tiny; j++ {
		q *= float64(n-j) / float64(j+1) * odds
		if atWholePercent(j+1, n) {
			sum += q
		}
	}
	for j, q := m, pm; j > 0 && q > tiny; j-- {
		q *= float64(j) / float64(n-j+1) / odds
		if atWholePercent(j-1, n) {
			sum += q
		}
	}
	return min(sum, 1)
}

// peakStation is one station of the resampling: its chances of a whole
// percent, as the bound a uniform 32-bit draw is below with that chance.
type peakStation struct{ turnout, share uint32 }

// peakChances is what integerPeaks knows of a station before resampling:
// whether it enters each test and is at a whole percent, and its chance
// of one (-1 when it does not enter).
type peakChances struct {
	inT, inS, atT, atS bool
	qT, qS             float64
}

// chunk is how many stations a resampling goroutine draws for every one
// of its resamples before moving on: they stay in the cache.
const chunk = 4096

// integerPeaks runs the integer-percent test of turnout and of the
// leader's share for every group, with resamples binomial Monte Carlo
// resamples spread over workers goroutines. Resample r draws from its
// own generator, seeded by seed and r, station after station, so the
// result does not depend on workers.
func integerPeaks(s *Stations, resamples int, seed uint64, workers int) (turnout, share [3]Peaks) {
	workers = max(1, workers)
	chances := make([]peakChances, len(s.List))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(s.List); i += workers {
				st, c := &s.List[i], &chances[i]
				if st.Registered >= minPeakBase {
					c.inT, c.atT = true, atWholePercent(st.Ballots, st.Registered)
					c.qT = wholePercentChance(st.Ballots, st.Registered)
				}
				if v := st.valid(); v >= minPeakBase {
					c.inS, c.atS = true, atWholePercent(st.Votes[s.Leader], v)
					c.qS = wholePercentChance(st.Votes[s.Leader], v)
				}
			}
		})
	}
	wg.Wait()
	// The stations to draw, signed first; those certain to be at a whole
	// percent (0% or 100%) are counted in every resample without a draw.
	var ps []peakStation
	var obsT, obsS, nT, nS, sureT, sureS [2]int // by signed
	signedEnd := 0
	for _, sig := range []int{1, 0} {
		for i := range s.List {
			if s.List[i].Signed != (sig == 1) {
				continue
			}
			c := &chances[i]
			var p peakStation
			if c.inT {
				nT[sig]++
				obsT[sig] += b2i(c.atT)
				p.turnout, sureT[sig] = bound(c.qT, sureT[sig])
			}
			if c.inS {
				nS[sig]++
				obsS[sig] += b2i(c.atS)
				p.share, sureS[sig] = bound(c.qS, sureS[sig])
			}
			if p.turnout > 0 || p.share > 0 {
				ps = append(ps, p)
			}
		}
		if sig == 1 {
			signedEnd = len(ps)
		}
	}
	// counts[r] is resample r's stations at whole percents: turnout of all,
	// of the signed; share of all, of the signed.
	counts := make([][4]int32, resamples)
	for r := range counts {
		counts[r] = [4]int32{int32(sureT[0] + sureT[1]), int32(sureT[1]), int32(sureS[0] + sureS[1]), int32(sureS[1])}
	}
	workers = min(workers, resamples)
	for w := range workers {
		wg.Go(func() {
			var mine []int
			var state []uint64
			for r := w; r < resamples; r += workers {
				mine = append(mine, r)
				state = append(state, splitmix(seed^splitmix(uint64(r)+1)))
			}
			for part, span := range [][2]int{{0, signedEnd}, {signedEnd, len(ps)}} {
				for lo := span[0]; lo < span[1]; lo += chunk {
					block := ps[lo:min(lo+chunk, span[1])]
					for k, r := range mine {
						t, v := draw(block, &state[k])
						counts[r][0] += t
						counts[r][2] += v
						if part == 0 { // the signed stations
							counts[r][1] += t
							counts[r][3] += v
						}
					}
				}
			}
		})
	}
	wg.Wait()
	for _, g := range groups {
		pick := func(c [2]int) int {
			switch g {
			case Signed:
				return c[1]
			case Unsigned:
				return c[0]
			}
			return c[0] + c[1]
		}
		turnout[g] = Peaks{Of: "turnout", Stations: pick(nT), Observed: pick(obsT), Resamples: resamples}
		share[g] = Peaks{Of: "leader_share", Stations: pick(nS), Observed: pick(obsS), Resamples: resamples}
		var sumT, sumS float64
		atLeastT, atLeastS := 1, 1 // the observed counts as a resample
		for _, c := range counts {
			ct, cs := int(c[0]), int(c[2])
			switch g {
			case Signed:
				ct, cs = int(c[1]), int(c[3])
			case Unsigned:
				ct, cs = int(c[0]-c[1]), int(c[2]-c[3])
			}
			sumT += float64(ct)
			sumS += float64(cs)
			if ct >= turnout[g].Observed {
				atLeastT++
			}
			if cs >= share[g].Observed {
				atLeastS++
			}
		}
		turnout[g].Expected = sumT / float64(resamples)
		share[g].Expected = sumS / float64(resamples)
		turnout[g].P = float64(atLeastT) / float64(resamples+1)
		share[g].P = float64(atLeastS) / float64(resamples+1)
		if turnout[g].Stations == 0 {
			turnout[g].P = 1
		}
		if share[g].Stations == 0 {
			share[g].P = 1
		}
	}
	return turnout, share
}

// draw draws every station of a block once, from the wyrand generator
// whose state is x: one 64-bit draw decides both its turnout (low half)
// and its share (high half). It returns how many are at whole percents.
func draw(block []peakStation, x *uint64) (turnout, share int32) {
	var t, v uint32
	s := *x
	for i := range block {
		p := &block[i]
		s += 0xa0761d6478bd642f
		hi, lo := bits.Mul64(s, s^0xe7037ed1a0b428db)
		u := hi ^ lo
		t += b2u(uint32(u) < p.turnout)
		v += b2u(uint32(u>>32) < p.share)
	}
	*x = s
	return int32(t), int32(v)
}

// bound returns the 32-bit bound of a chance q, or 0 and sure+1 if q is
// a certainty.
func bound(q float64, sure int) (uint32, int) {
	b := math.Round(q * (1 << 32))
	if b >= 1<<32 {
		return 0, sure + 1
	}
	return uint32(b), sure
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// splitmix is SplitMix64's finalizer: it spreads seeds apart.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
