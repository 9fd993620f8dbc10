// Package contest is the mathematics of contest rules: who is elected,
// or what happens next, under the rule a contest is run by, and how
// far the figures are from another outcome. It does no I/O and imports
// no other package of the project. The spec, with worked examples, is
// doc/spec/contest.md.
//
// # Rules
//
// A [Rule] is a method and its parameters, written as one line of
// text ([Parse], [Rule.String]):
//
//	plurality seats=3                                  the 3 with most votes (vote for up to 3)
//	majority base=valid                                more than 50% of the base, else a runoff of the top two
//	threshold win=45 or=40 lead=10 base=valid          more than 45%, or at least 40% and a lead of more than 10 points
//	dhondt seats=7 threshold=3 base=valid+blank        lists; divisors 1, 2, 3, …
//	sainte-lague seats=349 first=1.2 threshold=4 base=valid   lists; divisors 1.2, 3, 5, …
//	hare seats=10 threshold=5 base=valid               lists; largest remainder, Hare quota
//	referendum turnout=50 approval=25                  yes against no; quorums of registered voters
//
// The base of shares is the votes for candidates or lists (valid) or
// those and the blank ballots (valid+blank). Shares are kept in basis
// points and the first divisor in hundredths, so every comparison that
// decides is one of integers. The text form is strict: canonical
// numbers (at most two decimals, no trailing zero, no leading zero, no
// sign), keys in any order but each once, keys the method does not
// take refused, defaults (threshold=0, first=1) refused rather than
// accepted twice; base may be left out (valid) and String writes it.
//
// A list's legal threshold is a share of the base: a list with less
// takes no seat. The Hare quota is the votes of the lists that reach
// the threshold over the seats. A list without votes takes no seat.
//
// # Outcomes
//
// [Decide] applies a rule to [Totals] and returns an [Outcome]:
// Elected, Runoff (between whom), Seats (per list), Passed, Rejected,
// Void (a referendum quorum not met), or Tie. A Tie is an outcome of
// its own whenever equal figures decide what the rule cannot — the
// last seat, a place in the runoff, the last seat of a divisor method
// or of the largest remainders, yes against no — and lists the tied;
// the law's tie-break (lot, more votes, age) is outside this package.
//
// # Assertions
//
// Every outcome rests on assertions ([Assertion]): linear inequalities
// over the figures that together imply it, as SHANGRLA's assorters do.
// With v_i the votes of candidate or list i and base the base of shares:
//
//	w elected over l (plurality)        v_w − v_l > 0
//	c over A% of the base               10000·v_c − A·base > 0            (A in basis points)
//	c at least B% with a lead over C    10000·v_c − B·base ≥ 0 and 10000·(v_c − v_k) − C·base > 0 for all k
//	no one elected (runoff)             A·base − 10000·v_c ≥ 0 for the top two, and either
//	                                    B·base − 10000·v_c > 0 or C·base − 10000·(v_c − v_k) ≥ 0
//	the top two                         v_a − v_k > 0, v_b − v_k > 0 for the others
//	list i's last seat beats list j     d(s_j+1)·v_i − d(s_i)·v_j > 0     (divisor methods, d the divisors)
//	largest remainder                   S·v_i − S·v_j + (1 − s_i + s_j)·V > 0 for every pair of eligible lists
//	list i reaches the threshold T      10000·v_i − T·base ≥ 0 (or, under it, < 0)
//	turnout quorum Q                    10000·ballots − Q·registered ≥ 0
//	approval quorum Q                   10000·yes − Q·registered ≥ 0
//	yes wins                            v_yes − v_no > 0
//
// The largest-remainder pairs characterise the method exactly: s is
// the largest-remainder allocation of S seats when
// (s_i − q_i) − (s_j − q_j) < 1 for all i, j, with q_i = S·v_i/V.
// A Tie rests on equalities (two ≥ assertions) and on the rest of the
// order. Where a rule has alternatives the assertions are a disjunction
// of conjunctions (Outcome.Rests): the threshold rule's winner rests on
// "over A%" or on "B% with a lead", its runoff on every combination of
// the reasons each of the top two is not elected. A list under the
// threshold is kept out either by staying under it or by its first
// quotient staying under every last one; the outcome takes whichever
// holds and costs more to break.
//
// # Margin
//
// [Outcome.Margin] is the fewest ballot changes that could alter the
// outcome, a change being one ballot moved between categories (a
// candidate or list, blank, null), added (up to the registered voters)
// or removed. For one assertion it is exact: each change lowers the
// assertion's value by a fixed amount, so taking the largest first is
// optimal. For a conjunction it is the least over its assertions,
// exact because the assertion sets above are equivalent to their
// outcome (tested by brute force over small vote vectors). For a
// disjunction it is the largest of the conjunctions' margins: a lower
// bound, as every conjunction must break. Under plurality with several
// seats a ballot carries several votes; the margin counts votes.
//
// # Decisive set
//
// [Outcome.Decisive] finds stations whose figures, were they wholly
// false (any figures within the station's registered voters), could
// alter the outcome: for each assertion the stations that could lower
// it most, taken until it breaks, with a floor every such set needs.
// [Outcome.CouldChange] says whether stations not yet reported, with a
// given number of registered voters, could alter the outcome.
package contest
