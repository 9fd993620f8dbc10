"""Writes assertions.json: SHANGRLA's assorter values, ALPHA p-values and
polling sample-size estimates for plurality and supermajority contests,
computed by SHANGRLA's own shangrla/core/Audit.py and NonnegMean.py.

    python3 gen_assertions.py PATH/TO/SHANGRLA > assertions.json

SHANGRLA's Audit.py imports cryptorandom for its sampler, which none of
this uses: a stand-in module is put in its place.
"""
import json
import sys
import types
import warnings

import numpy as np

for name, attrs in {
    "cryptorandom": [],
    "cryptorandom.cryptorandom": ["int_from_hash"],
    "cryptorandom.sample": ["random_permutation", "sample_by_index"],
}.items():
    m = types.ModuleType(name)
    for a in attrs:
        setattr(m, a, None)
    sys.modules[name] = m
# The packages alone, without their __init__ (which imports SHANGRLA's IRV
# and plotting code, and their dependencies).
for pkg in ["shangrla", "shangrla.core"]:
    m = types.ModuleType(pkg)
    m.__path__ = [sys.argv[1].rstrip("/") + "/" + pkg.replace(".", "/")]
    sys.modules[pkg] = m
from shangrla.core.Audit import Audit, Assertion, Contest, CVR  # noqa: E402
from shangrla.core.NonnegMean import NonnegMean  # noqa: E402
import shangrla.core.Audit as audit_module  # noqa: E402

# At this commit Assertion.find_sample_size calls interleave_values without
# its class, a NameError on the polling path: bind the name to the
# classmethod it means.
audit_module.interleave_values = Assertion.interleave_values

warnings.simplefilter("ignore")
prng = np.random.RandomState(19111035)


def draw(ballots, n):
    """n ballots drawn without replacement from the reported population."""
    idx = prng.choice(len(ballots), size=n, replace=False)
    return [ballots[i] for i in idx]


def population(cands, tally, blank, null, N):
    """The reported ballots, each one mark (or blank, or null)."""
    pop = []
    for c in cands:
        pop += [[c]] * tally[c]
    pop += [[]] * blank
    pop += [["null"]] * null
    assert len(pop) <= N
    return pop


def cvr(b, contest_id):
    if b == ["null"]:
        # A vote for no candidate of the contest: SHANGRLA's invalid vote.
        return CVR.from_vote({"Spoilt": 1}, contest_id=contest_id)
    return CVR.from_vote({c: 1 for c in b}, contest_id=contest_id)


out = {"contests": []}


def contest_case(name, rule, cands, tally, blank, null, N, risk_limit, n_sample, multi=None, share=None, two=False):
    winners = sorted(cands, key=lambda c: -tally[c])[: (2 if multi or two else 1)]
    d = {
        "id": name, "name": name, "risk_limit": risk_limit, "cards": N,
        "choice_function": Contest.SOCIAL_CHOICE_FUNCTION.SUPERMAJORITY if share else Contest.SOCIAL_CHOICE_FUNCTION.PLURALITY,
        "n_winners": len(winners), "vote_for": 2 if multi else 1, "candidates": cands, "winner": winners,
        "audit_type": Audit.AUDIT_TYPE.POLLING, "test": NonnegMean.alpha_mart,
        "estim": NonnegMean.shrink_trunc, "tally": tally, "use_style": False,
    }
    if share:
        d["share_to_win"] = share
    con = Contest.from_dict(d)
    losers = [c for c in cands if c not in winners]
    if share:
        asrtns = Assertion.make_supermajority_assertion(contest=con, winner=winners[0], loser=losers,
                                                        test=NonnegMean.alpha_mart, estim=NonnegMean.shrink_trunc)
    else:
        asrtns = Assertion.make_plurality_assertions(con, winner=winners, loser=losers)
    con.assertions = asrtns
    if multi:
        pop = multi
    else:
        pop = population(cands, tally, blank, null, N)
    sample = draw(pop, n_sample)
    res = {"name": name, "rule": rule, "candidates": cands, "votes": [tally[c] for c in cands],
           "blank": blank, "null": null, "ballots": N, "risk_limit": risk_limit,
           "sample": sample, "assertions": []}
    for an, a in asrtns.items():
        if share:
            valid = sum(tally.values())
            mean = (tally[winners[0]] / (2 * share) + (N - valid) / 2) / N
        else:
            w, l = an.split(" v ")
            mean = (N + tally[w] - tally[l]) / (2 * N)
        a.test.eta = mean
        x = np.array([a.assorter.assort(cvr(b, name)) for b in sample])
        p, hist = a.test.alpha_mart(x)
        e = {"says": an, "upper": a.assorter.upper_bound, "mean": mean,
             "values": {"|".join(b) or "blank": a.assorter.assort(cvr(b, name)) for b in [[c] for c in cands] + [[], ["null"]]},
             "p": float(p), "p_history_last": float(hist[-1])}
        if not share:
            a.margin = (tally[w] - tally[l]) / N
            e["sample_size"] = int(a.find_sample_size(data=None, reps=None))
        res["assertions"].append(e)
    out["contests"].append(res)


contest_case("plurality A B C", "plurality seats=1", ["A", "B", "C"], {"A": 5200, "B": 4100, "C": 400}, 200, 100, 10000, 0.05, 600)
contest_case("plurality close", "plurality seats=1", ["A", "B", "C", "D"], {"A": 30100, "B": 29400, "C": 20000, "D": 15000}, 3500, 2000, 100000, 0.1, 3000)
contest_case("supermajority 60%", "threshold win=60 base=valid", ["A", "B", "C"], {"A": 6900, "B": 2000, "C": 800}, 200, 100, 10000, 0.05, 300, share=0.6)
contest_case("supermajority 50%", "majority base=valid", ["A", "B", "C"], {"A": 5600, "B": 3000, "C": 1000}, 300, 100, 10000, 0.05, 800, share=0.5)
# Two seats, ballots marking up to two: a population made of ballots with
# two marks, one mark, or none.
multi = [["A", "B"]] * 3000 + [["A", "C"]] * 1500 + [["B", "D"]] * 1000 + [["C", "D"]] * 1200 + [["A"]] * 800 + [["B"]] * 700 + [["C"]] * 500 + [["D"]] * 300 + [[]] * 1000
tally = {c: sum(b.count(c) for b in multi) for c in "ABCD"}
contest_case("plurality two seats", "plurality seats=2", ["A", "B", "C", "D"], tally, 1000, 0, len(multi), 0.05, 400, multi=multi)

def runoff_case(name, rule, cands, tally, blank, null, N, risk_limit, n_sample, f):
    """A runoff under the majority rule (no one over f): the top two beat
    the rest, which is SHANGRLA's plurality with two winners, and neither
    of them has more than f of the valid votes, which is SHANGRLA's
    supermajority assertion that the votes for everyone else ("NOT c")
    have more than 1 - f of them."""
    top = sorted(cands, key=lambda c: -tally[c])
    contest_case(name, rule, cands, tally, blank, null, N, risk_limit, n_sample, two=True)
    res = out["contests"][-1]
    sample = res["sample"]
    valid = sum(tally.values())
    for c in top[:2]:
        cid = f"{name} not {c}"
        con = Contest.from_dict({
            "id": cid, "name": cid, "risk_limit": risk_limit, "cards": N,
            "choice_function": Contest.SOCIAL_CHOICE_FUNCTION.SUPERMAJORITY, "n_winners": 1,
            "candidates": ["NOT", c], "winner": ["NOT"], "audit_type": Audit.AUDIT_TYPE.POLLING,
            "test": NonnegMean.alpha_mart, "estim": NonnegMean.shrink_trunc,
            "tally": {"NOT": valid - tally[c], c: tally[c]}, "share_to_win": 1 - f, "use_style": False,
        })
        a = list(Assertion.make_supermajority_assertion(contest=con, winner="NOT", loser=[c],
                 test=NonnegMean.alpha_mart, estim=NonnegMean.shrink_trunc).values())[0]
        a.test.eta = ((valid - tally[c]) / (2 * (1 - f)) + (N - valid) / 2) / N

        def flip(b):
            if b in ([], ["null"]) or b == [c]:
                return cvr(b, cid)
            return CVR.from_vote({"NOT": 1}, contest_id=cid)

        x = np.array([a.assorter.assort(flip(b)) for b in sample])
        p, _ = a.test.alpha_mart(x)
        res["assertions"].append({
            "says": f"NOT v {c} (flipped supermajority)",
            "triplicate_says": f"c{cands.index(c)} not over {int(f * 100)}%",
            "upper": a.assorter.upper_bound, "mean": a.test.eta,
            "values": {"|".join(b) or "blank": a.assorter.assort(flip(b)) for b in [[d] for d in cands] + [[], ["null"]]},
            "p": float(p),
        })


runoff_case("runoff", "majority base=valid", ["A", "B", "C", "D"], {"A": 4000, "B": 3500, "C": 1500, "D": 500}, 300, 200, 10000, 0.05, 700, 0.5)
runoff_case("runoff 45%", "threshold win=45 base=valid", ["A", "B", "C"], {"A": 4200, "B": 3900, "C": 1300}, 400, 200, 10000, 0.05, 900, 0.45)


json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
