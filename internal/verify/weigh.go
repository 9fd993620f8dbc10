package verify

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// Outcome weighs one contest: the winner as announced, the totals corrected
// with the strongest evidence of each station, and what decides it.
type Outcome struct {
	Contest    string           `json:"contest"`
	Name       string           `json:"name"`
	Candidates []CandidateTotal `json:"candidates"` // in the definition's order

	// AnnouncedFrom says where the announced totals come from: "totals"
	// (the center's), "stations" (the sum of its announced stations), or ""
	// when nothing was announced (then the announced columns are empty).
	AnnouncedFrom   string `json:"announced_from"`
	AnnouncedWinner string `json:"announced_winner,omitempty"` // "" on a tie
	AnnouncedMargin int64  `json:"announced_margin"`
	// AnnouncedTied: the candidates the announced totals tie for first
	// place (then there is no announced winner).
	AnnouncedTied []string `json:"announced_tied,omitempty"`

	CorrectedWinner string `json:"corrected_winner"` // "" on a tie
	CorrectedMargin int64  `json:"corrected_margin"` // over the runner-up; 0 on a tie
	RunnerUp        string `json:"runner_up"`        // "" on a tie
	// Tie: the corrected totals tie Tied (two or more candidates, in the
	// definition's order) for first place: there is no winner.
	Tie  bool     `json:"tie"`
	Tied []string `json:"tied,omitempty"`
	// Flips: the corrected outcome (a winner, or a tie) is not the
	// announced one.
	Flips bool `json:"flips"`

	// Stations whose corrected figures come from each kind of evidence:
	// "hand", "machine", "announced", "unsigned".
	Evidence map[string]int `json:"evidence"`
	// From: stations whose corrected figures come from each source, by
	// name. A station's figures are one source's, never a mix.
	From map[string]int `json:"from,omitempty"`
	// Missing stations (no count anywhere) on this contest's ballot, the
	// undecided ones (their machine's key signed several versions and no
	// hand count settles which), and the registered voters of both: the
	// most they could add to the runner-up.
	Missing   int `json:"missing"`
	Undecided int `json:"undecided,omitempty"`
	// Incomplete: stations whose every count lacks a candidate's votes,
	// counted with the missing (their registered voters too).
	Incomplete        int   `json:"incomplete,omitempty"`
	MissingRegistered int64 `json:"missing_registered"`
	// Decided: the corrected winner leads by more than every missing voter
	// could give the runner-up (never on a tie).
	Decided bool `json:"decided"`

	// Decisive is the smallest set of stations whose figures decide the
	// outcome, and Why says in what sense (see weigh). Under a rule other
	// than plurality with one seat they are RuleDecisive's.
	Decisive []string `json:"decisive"`
	Why      string   `json:"why"`

	// Rule is the contest's rule in its text form (doc/spec/contest.md);
	// every field below is under it, and Flips and Decided above are too.
	Rule string `json:"rule,omitempty"`
	// SharesPct is each candidate's share of the corrected totals in
	// percent (a float, to 4 decimals) of the rule's base: the candidates' votes, and
	// blank ballots too under base=valid+blank.
	SharesPct []float64 `json:"shares_pct,omitempty"`
	// AnnouncedOutcome (nil when nothing was announced) and
	// CorrectedOutcome are what the rule decides on each total. Every
	// field from Rule on is absent from reports written before rules.
	AnnouncedOutcome *RuleOutcome `json:"announced_outcome,omitempty"`
	CorrectedOutcome *RuleOutcome `json:"corrected_outcome,omitempty"`
	// RuleMargin is the fewest ballot changes that could alter the
	// corrected outcome under the rule (-1: no change within the
	// registered voters could), RuleMarginPct that as a percentage of
	// the rule's base, and MarginOn the condition those changes break,
	// such as "MAS-IPSP leads CC by more than 10%".
	RuleMargin    int64   `json:"rule_margin,omitempty"`
	RuleMarginPct float64 `json:"rule_margin_pct,omitempty"`
	MarginOn      string  `json:"margin_on,omitempty"`
	// RuleDecisive is a smallest-known set of stations whose figures,
	// were they wholly false (any figures within their registered
	// voters), could alter the corrected outcome under the rule, and
	// RuleDecisiveFloor the fewest stations any such set needs.
	RuleDecisive      []string `json:"rule_decisive,omitempty"`
	RuleDecisiveFloor int      `json:"rule_decisive_floor,omitempty"`
}

// CandidateTotal is a candidate's (or blank's, null's) announced and
// corrected votes.
type CandidateTotal struct {
	Candidate string `json:"candidate"`
	Name      string `json:"name"`
	Announced int64  `json:"announced"`
	Corrected int64  `json:"corrected"`
}

// weighing is one station's figures for weighing a contest.
type weighing struct {
	station   *election.Station
	best      *Count // nil: missing, or undecided
	undecided bool
	strength  string
	announced *Count
}

// stationVotes is one station's votes of a contest, for the decisive set.
type stationVotes struct {
	id        string
	best, ann []int32 // the candidates', then blank and null; nil if none
	reg       int64
}

// contestTallies is a contest summed over its stations.
type contestTallies struct {
	corrected, announced []int64 // the candidates', then blank and null
	anyAnnounced         bool    // some station's figures were announced
	sv                   []stationVotes
	st                   []contest.Totals // per station, for the rule's decisive set
	annBallots           int64
}

// weigh weighs one contest over the stations whose ballot has it.
func (v *Verifier) weigh(c *election.Contest, stations []weighing) Outcome {
	o := Outcome{Contest: c.ID, Name: c.Name, Evidence: map[string]int{}, From: map[string]int{}}
	n := len(c.Candidates)
	rule := c.DecidedBy()
	t := v.tally(c, rule, stations, &o)
	corrected, announced := t.corrected, t.announced
	switch {
	case v.totals[c.ID] != nil:
		o.AnnouncedFrom = "totals"
		tot := v.totals[c.ID]
		for j, x := range c.Candidates {
			announced[j] = tot[x.ID]
		}
		announced[n], announced[n+1] = tot["blank"], tot["null"]
	case t.anyAnnounced:
		o.AnnouncedFrom = "stations"
	}
	for j, x := range c.Candidates {
		o.Candidates = append(o.Candidates, CandidateTotal{Candidate: x.ID, Name: x.Name, Announced: announced[j], Corrected: corrected[j]})
	}
	o.Candidates = append(o.Candidates,
		CandidateTotal{Candidate: "blank", Name: "blank", Announced: announced[n], Corrected: corrected[n]},
		CandidateTotal{Candidate: "null", Name: "null", Announced: announced[n+1], Corrected: corrected[n+1]})

	win, run := leaders(corrected[:n])
	o.CorrectedMargin = corrected[win] - corrected[run]
	if o.Tied = tied(c, corrected[:n]); o.Tied != nil {
		o.Tie = true
	} else {
		o.CorrectedWinner, o.RunnerUp = c.Candidates[win].ID, c.Candidates[run].ID
	}
	aw := weighRule(c, rule, &t, &o)
	if rule != (contest.Rule{Method: contest.Plurality, Seats: 1}) {
		o.Decisive = o.RuleDecisive
		o.Why = ruleWhy(&o)
		return o
	}
	pluralityDecisive(c, &t, &o, aw, win, run)
	return o
}

// tally sums a contest's figures over its stations: the corrected and the
// announced, and each station's for the decisive sets.
func (v *Verifier) tally(c *election.Contest, rule contest.Rule, stations []weighing, o *Outcome) contestTallies {
	n := len(c.Candidates)
	t := contestTallies{corrected: make([]int64, n+2), announced: make([]int64, n+2),
		st: make([]contest.Totals, 0, len(stations)), sv: make([]stationVotes, 0, len(stations))}
	// Each station's figures, cut from one slab a side; the kinds of
	// evidence and sources counted by pointer, named at the end.
	var bestSlab, annSlab []int32
	var totSlab []int64
	scratch := make([]int64, n)
	type tallyOf[K comparable] struct {
		k K
		n int
	}
	var strengths []tallyOf[string]
	var from []tallyOf[*Source]
	count := func(k string, src *Source) {
		i := slices.IndexFunc(strengths, func(x tallyOf[string]) bool { return x.k == k })
		if i < 0 {
			strengths, i = append(strengths, tallyOf[string]{k: k}), len(strengths)
		}
		strengths[i].n++
		j := slices.IndexFunc(from, func(x tallyOf[*Source]) bool { return x.k == src })
		if j < 0 {
			from, j = append(from, tallyOf[*Source]{k: src}), len(from)
		}
		from[j].n++
	}
	cut := func(slab *[]int32, cands []int32, blank, null int32) []int32 {
		if len(*slab) < n+2 {
			*slab = make([]int32, (n+2)*min(len(stations), 1<<14))
		}
		out := (*slab)[: n+2 : n+2]
		*slab = (*slab)[n+2:]
		copy(out, cands)
		out[n], out[n+1] = blank, null
		return out
	}
	votes := func() []int64 {
		if len(totSlab) < n {
			totSlab = make([]int64, n*min(len(stations), 1<<14))
		}
		out := totSlab[:n:n]
		totSlab = totSlab[n:]
		return out
	}
	for _, w := range stations {
		ballot := v.def.Ballot(w.station)
		i := election.ContestIndex(ballot, c.ID)
		// A station whose registered voters the definition does not know
		// (an observer's) could hold any count.
		reg := int64(w.station.Registered)
		if reg == election.Unknown {
			reg = election.MaxCount
		}
		s := stationVotes{id: w.station.ID, reg: reg}
		var cands []int32
		var blank, null int32
		if w.best != nil {
			cands, blank, null = w.best.Figures.Contest(ballot, i)
		}
		switch {
		case w.best != nil && slices.Contains(cands, tally.Unknown):
			// No source gives every candidate's votes here: counted as
			// missing, never a missing figure as 0.
			o.Incomplete++
			o.MissingRegistered += reg
		case w.best == nil:
			if w.undecided {
				o.Undecided++
			} else {
				o.Missing++
			}
			o.MissingRegistered += reg
		default:
			count(w.strength, w.best.Source)
			s.best = cut(&bestSlab, cands, blank, null)
			addKnown(t.corrected, s.best)
		}
		t.st = append(t.st, stationTotals(rule, s.best, w.best, votes(), s.reg))
		if w.announced != nil {
			t.anyAnnounced = true
			cands, blank, null := w.announced.Figures.Contest(ballot, i)
			s.ann = cut(&annSlab, cands, blank, null)
			addKnown(t.announced, s.ann)
			t.annBallots += stationTotals(rule, s.ann, w.announced, scratch, 0).Ballots
		}
		t.sv = append(t.sv, s)
	}
	for _, x := range strengths {
		o.Evidence[x.k] += x.n
	}
	for _, x := range from {
		o.From[x.k.Name] += x.n
	}
	return t
}

// weighRule weighs the contest under its rule: the corrected and announced
// outcomes, the shares, the margin and the rule's decisive set, and whether
// the outcome changes. The missing and undecided stations count in their
// registered voters only. It returns the announced leader, or -1.
func weighRule(c *election.Contest, rule contest.Rule, t *contestTallies, o *Outcome) (aw int) {
	n := len(c.Candidates)
	announced := t.announced
	o.Rule = rule.String()
	ct := contest.Sum(n, t.st)
	co := contest.Decide(rule, ct)
	cro := ruleOutcome(c, rule, &co, &ct)
	o.CorrectedOutcome = &cro
	o.SharesPct = shares(rule, &ct)
	settled := !co.CouldChange(o.MissingRegistered)
	o.Decided = settled && co.Kind != contest.Tie
	o.RuleMargin = co.Margin()
	if o.RuleMargin == contest.Unbreakable {
		o.RuleMargin = -1
	} else if base := ruleBase(rule, &ct); base > 0 {
		o.RuleMarginPct = round4(100 * float64(o.RuleMargin) / float64(base))
	}
	if a := co.Weakest(); a != nil {
		o.MarginOn = says(c, a)
	}
	set, floor := co.Decisive(t.st)
	for _, i := range set {
		o.RuleDecisive = append(o.RuleDecisive, t.sv[i].id)
	}
	o.RuleDecisiveFloor = floor
	aw = -1
	if o.AnnouncedFrom != "" {
		var ar int
		aw, ar = leaders(announced[:n])
		o.AnnouncedMargin = announced[aw] - announced[ar]
		if o.AnnouncedTied = tied(c, announced[:n]); o.AnnouncedTied == nil {
			o.AnnouncedWinner = c.Candidates[aw].ID
		}
		at := contest.Totals{Votes: slices.Clone(announced[:n]), Blank: announced[n], Null: announced[n+1], Ballots: t.annBallots, Registered: ct.Registered}
		if o.AnnouncedFrom == "totals" {
			at.Ballots = derivedBallots(rule, at.Votes, at.Blank, at.Null)
		}
		ao := contest.Decide(rule, at)
		aro := ruleOutcome(c, rule, &ao, &at)
		o.AnnouncedOutcome = &aro
		// A change is claimed only if the missing and undecided stations
		// could not undo it.
		o.Flips = settled && !aro.same(cro)
	}
	return aw
}

// pluralityDecisive is the decisive set of a one-winner plurality contest.
// If the outcome flips: the fewest stations whose announced figures,
// corrected, undo the announced lead (largest correction first). Otherwise:
// the fewest stations whose figures, were they wholly false (the winner's
// votes gone, every registered voter the runner-up's), could overturn the
// corrected lead. A tie has none: one vote in any station decides it.
func pluralityDecisive(c *election.Contest, t *contestTallies, o *Outcome, aw, win, run int) {
	announced := t.announced
	type swing struct {
		id string
		by int64
	}
	var swings []swing
	need := o.CorrectedMargin
	// A lead is undone when the sum of swings passes need; reaching it is
	// enough when the corrected totals tie the announced leader.
	reach := func(sum int64) bool { return sum > need }
	switch {
	case o.Flips:
		// Of a tie, the leader that is not the other side's.
		if o.AnnouncedTied != nil && aw == win {
			aw = c.CandidateIndex(o.AnnouncedTied[1])
		}
		if o.Tie && aw == win {
			win = c.CandidateIndex(o.Tied[1])
		}
		if o.Tie && slices.Contains(o.Tied, c.Candidates[aw].ID) {
			reach = func(sum int64) bool { return sum >= need }
		}
		need = announced[aw] - announced[win]
		for _, s := range t.sv {
			if s.best == nil {
				continue
			}
			// A station the center left out of its announcement counts
			// there as no votes.
			ann := s.ann
			if ann == nil {
				ann = make([]int32, len(s.best))
			}
			if by := (known(ann[aw]) - known(s.best[aw])) - (known(ann[win]) - known(s.best[win])); by > 0 {
				swings = append(swings, swing{s.id, by})
			}
		}
		o.Why = fmt.Sprintf("correcting the announced figures of these stations to their strongest evidence undoes %s's announced lead of %d over %s", c.Candidates[aw].ID, need, c.Candidates[win].ID)
		switch {
		case o.AnnouncedTied != nil:
			o.Why = fmt.Sprintf("correcting the announced figures of these stations to their strongest evidence breaks the announced tie of %s", strings.Join(o.AnnouncedTied, ", "))
		case o.Tie:
			o.Why += ", to the corrected tie"
		}
	case o.Tie:
		o.Why = fmt.Sprintf("the corrected totals tie %s: one vote in any station decides it", strings.Join(o.Tied, ", "))
		return
	default:
		for _, s := range t.sv {
			if s.best == nil {
				continue
			}
			swings = append(swings, swing{s.id, known(s.best[win]) + s.reg - known(s.best[run])})
		}
		o.Why = fmt.Sprintf("fewer stations than these, were their figures wholly false, cannot overturn %s's lead of %d over %s", o.CorrectedWinner, o.CorrectedMargin, o.RunnerUp)
	}
	slices.SortStableFunc(swings, func(a, b swing) int { return cmp.Compare(b.by, a.by) })
	sum := int64(0)
	for _, s := range swings {
		if reach(sum) {
			break
		}
		o.Decisive = append(o.Decisive, s.id)
		sum += s.by
	}
	if !reach(sum) {
		o.Decisive = nil
		o.Why = "no set of stations' figures explains the difference: it lies in the announced totals themselves"
		if !o.Flips {
			o.Why = "no set of stations could overturn the lead"
		}
	}
}

// stationTotals returns a station's figures of a contest of len(buf)
// candidates (votes: the candidates', blank, null; nil when missing) as
// the rule reads them, with reg registered voters; the candidates' votes
// are held in buf.
func stationTotals(r contest.Rule, votes []int32, count *Count, buf []int64, reg int64) contest.Totals {
	n := len(buf)
	t := contest.Totals{Votes: buf, Registered: reg}
	if votes == nil {
		return t
	}
	for j := range n {
		t.Votes[j] = known(votes[j])
	}
	t.Blank, t.Null = known(votes[n]), known(votes[n+1])
	if b := count.Figures.Ballots; b != tally.Unknown {
		t.Ballots = int64(b)
	} else {
		t.Ballots = derivedBallots(r, t.Votes, t.Blank, t.Null)
	}
	return t
}

// derivedBallots is the ballots a count without them has at least: the
// votes, blank and null, a ballot carrying up to Seats votes under
// plurality.
func derivedBallots(r contest.Rule, votes []int64, blank, null int64) int64 {
	var sum, top int64
	for _, v := range votes {
		sum += v
		top = max(top, v)
	}
	if r.Method == contest.Plurality && r.Seats > 1 {
		sum = max(top, (sum+int64(r.Seats)-1)/int64(r.Seats))
	}
	return sum + blank + null
}

// ruleWhy says what the rule's decisive set is. Its stations could
// break a condition the outcome rests on; where the outcome rests on
// alternatives (a first-round winner by share or by lead), every one
// must break, and the floor counts for all of them.
func ruleWhy(o *Outcome) string {
	if len(o.RuleDecisive) == 0 {
		return "no set of stations could alter the outcome (" + o.CorrectedOutcome.Says + ")"
	}
	return fmt.Sprintf("no fewer than %d stations, were their figures wholly false, could alter the outcome (%s); these could break what it rests on, the closest condition being %q",
		o.RuleDecisiveFloor, o.CorrectedOutcome.Says, o.MarginOn)
}

// known is a figure, tally.Unknown counting as 0.
func known(x int32) int64 { return int64(max(x, 0)) }

func addKnown(sum []int64, votes []int32) {
	for i, x := range votes {
		if x != tally.Unknown {
			sum[i] += int64(x)
		}
	}
}

// tied returns the candidates tied for the most votes, in the definition's
// order, or nil if one has the most.
func tied(c *election.Contest, votes []int64) []string {
	top := slices.Max(votes)
	var ids []string
	for i, x := range votes {
		if x == top {
			ids = append(ids, c.Candidates[i].ID)
		}
	}
	if len(ids) < 2 {
		return nil
	}
	return ids
}

// leaders returns the positions of the most and second most voted (ties go
// to the earlier candidate).
func leaders(votes []int64) (first, second int) {
	first, second = 0, -1
	for i := 1; i < len(votes); i++ {
		switch {
		case votes[i] > votes[first]:
			first, second = i, first
		case second < 0 || votes[i] > votes[second]:
			second = i
		}
	}
	if second < 0 {
		second = first
	}
	return first, second
}
