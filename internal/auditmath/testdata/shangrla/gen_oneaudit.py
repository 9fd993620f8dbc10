"""Writes oneaudit.json: ONEAudit overstatement-assorter values, margins and
ALPHA p-values (fixed alternative, η the Kelly alternative of
oneaudit.go computed here from SHANGRLA's own overstatement values of the
reported ballots) computed by SHANGRLA's own shangrla/core/Audit.py and
NonnegMean.py, for oneaudit_test.go to hold triplicate's ONEAudit to.

    python3 gen_oneaudit.py PATH/TO/SHANGRLA > oneaudit.json

Each case is a plurality contest whose ballots are in stations. A station
with a trusted acta is a tally pool of its own; the stations without one
are one tally pool together. Every ballot is a CVR with pool=True and its
tally_pool, so that SHANGRLA's Assorter.set_tally_pool_means gives each
pool's ONE CVR, Assertion.set_margin_from_cvrs (audit type ONEAUDIT) the
margin v and the test's upper bound, and Assertion.overstatement_assorter
each drawn ballot's value. For batch-level comparison, each station's
value is the mean of that overstatement assorter over its true ballots,
the stations are drawn with probability proportional to size, with
replacement (RandomState(20240101)), and ALPHA runs with N infinite and
SHANGRLA's optimal_comparison alternative. The truth differs from the reported figures in
some stations; the sample is drawn without replacement from the truth with
NumPy's RandomState(20230303) and written out in full.
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
for pkg in ["shangrla", "shangrla.core"]:
    m = types.ModuleType(pkg)
    m.__path__ = [sys.argv[1].rstrip("/") + "/" + pkg.replace(".", "/")]
    sys.modules[pkg] = m
from shangrla.core.Audit import Audit, Assertion, Contest, CVR, Stratum  # noqa: E402
from shangrla.core.NonnegMean import NonnegMean  # noqa: E402

warnings.simplefilter("ignore")
prng = np.random.RandomState(20230303)
bprng = np.random.RandomState(20240101)


class FakeAudit:
    """The one attribute set_margin_from_cvrs reads: a single stratum."""

    def __init__(self):
        self.strata = {"s": Stratum(use_style=False, replacement=False)}


def ballots(fig, cands):
    """A station's ballots from its figures [v_1..v_k, blank, null]."""
    out = []
    for c, v in zip(cands, fig[: len(cands)]):
        out += [[c]] * v
    out += [[]] * fig[len(cands)]
    out += [["null"]] * fig[len(cands) + 1]
    return out


def votes(b):
    if b == ["null"]:
        return {"Spoilt": 1}
    return {c: 1 for c in b}


def case(name, cands, stations, n_sample, risk_limit=0.05, n_batches=30):
    """stations: (id, trusted, reported figures, true figures)."""
    tally = {c: sum(s[2][i] for s in stations) for i, c in enumerate(cands)}
    N = sum(sum(s[2]) for s in stations)
    winner = max(cands, key=lambda c: tally[c])
    losers = [c for c in cands if c != winner]
    con = Contest.from_dict({
        "id": name, "name": name, "risk_limit": risk_limit, "cards": N,
        "choice_function": Contest.SOCIAL_CHOICE_FUNCTION.PLURALITY,
        "n_winners": 1, "vote_for": 1, "candidates": cands, "winner": [winner],
        "audit_type": Audit.AUDIT_TYPE.ONEAUDIT, "test": NonnegMean.alpha_mart,
        "estim": NonnegMean.shrink_trunc, "tally": tally, "use_style": False,
    })
    asrtns = Assertion.make_plurality_assertions(con, winner=[winner], loser=losers,
                                                 test=NonnegMean.alpha_mart, estim=NonnegMean.shrink_trunc)
    pool_of = {s[0]: (s[0] if s[1] else "untrusted") for s in stations}
    cvrs = []
    for sid, trusted, rep, _ in stations:
        for i, b in enumerate(ballots(rep, cands)):
            cvrs.append(CVR(id=f"{sid}-{i}", votes={name: votes(b)}, pool=True, tally_pool=pool_of[sid]))
    pools = set(pool_of.values())
    # Each reported ballot as an MVR, and its CVR as the pool's (the ONE CVR).
    pooled = [CVR(id="c", votes={name: {}}, pool=True, tally_pool=c.tally_pool) for c in cvrs]
    cvrs_mvr = [CVR(id=c.id, votes=c.votes) for c in cvrs]
    truth = []
    for sid, _, _, tru in stations:
        truth += [(sid, b) for b in ballots(tru, cands)]
    idx = prng.choice(len(truth), size=n_sample, replace=False)
    sample = [truth[i] for i in idx]
    res = {"name": name, "candidates": cands, "risk_limit": risk_limit, "ballots": N,
           "stations": [{"id": s[0], "trusted": s[1], "reported": s[2], "true": s[3]} for s in stations],
           "sample": [{"station": sid, "marks": b} for sid, b in sample], "assertions": []}
    for an, a in asrtns.items():
        a.assorter.set_tally_pool_means(cvr_list=cvrs, tally_pools=pools, use_style=False)
        a.set_margin_from_cvrs(FakeAudit(), cvrs)
        ua = a.assorter.upper_bound
        a.test.N = N
        # The Kelly alternative for the B values the reported figures imply:
        # every reported ballot compared with its pool's ONE CVR.
        b = np.array([a.overstatement_assorter(c, c_pool, use_style=False)
                      for c, c_pool in zip(cvrs_mvr, pooled)])
        mu, var = b.mean(), b.var()
        a.test.eta = min(a.test.u * (1 - np.finfo(float).eps), 0.5 * (1 + (mu - 0.5) / var * (a.test.u - 0.5)))
        a.test.estim = NonnegMean.fixed_alternative_mean.__get__(a.test)
        x = []
        for sid, b in sample:
            mvr = CVR(id="m", votes={name: votes(b)})
            cvr = CVR(id="c", votes={name: {}}, pool=True, tally_pool=pool_of[sid])
            x.append(a.overstatement_assorter(mvr, cvr, use_style=False))
        x = np.array(x)
        p, hist = a.test.alpha_mart(x)
        # Batch-level comparison: each station hand counted whole; its value
        # is the mean of SHANGRLA's overstatement assorter over its true
        # ballots; stations drawn with probability proportional to size,
        # with replacement; ALPHA with N infinite and SHANGRLA's
        # optimal_comparison alternative (its default error_rate_2 1e-5).
        batch = {}
        for sid, _, _, tru in stations:
            vals = [a.overstatement_assorter(CVR(id="m", votes={name: votes(b)}),
                                             CVR(id="c", votes={name: {}}, pool=True, tally_pool=pool_of[sid]),
                                             use_style=False) for b in ballots(tru, cands)]
            batch[sid] = float(np.mean(vals))
        sizes = np.array([sum(s[2]) for s in stations], dtype=float)
        draws = bprng.choice(len(stations), size=n_batches, replace=True, p=sizes / sizes.sum())
        bx = np.array([batch[stations[i][0]] for i in draws])
        bt = NonnegMean(test=NonnegMean.alpha_mart, estim=NonnegMean.optimal_comparison, N=np.inf, t=1 / 2,
                        u=a.test.u)
        bp, bhist = bt.alpha_mart(bx)
        res["assertions"].append({
            "batch_values": batch, "batch_draws": [stations[i][0] for i in draws],
            "batch_p": float(bp), "batch_p_history": [float(v) for v in bhist],
            "says": an, "margin": a.margin, "u": a.test.u, "eta": a.test.eta,
            "pool_means": {k: float(v) for k, v in sorted(a.assorter.tally_pool_means.items())},
            "values": [float(v) for v in x], "p": float(p),
            "p_history": [float(v) for v in hist],
        })
    out["cases"].append(res)


out = {"cases": []}
cands = ["A", "B", "C"]
# Twelve stations of a close race (A 46.4%, B 43.5%), two without a
# trusted acta; in three the truth differs: B's votes reported as A's,
# and one unsigned station that inflated A.
st = []
for i in range(12):
    rep = [200 + 7 * i, 190 + 3 * i, 40 + i, 6, 4]
    tru = list(rep)
    if i in (2, 7):
        tru[0] -= 12
        tru[1] += 12
    trusted = i not in (5, 10)
    if i == 10:
        tru[0] -= 30
        tru[1] += 30
    st.append((f"s{i + 1}", trusted, rep, tru))
case("close, two untrusted", cands, st, 1500)
# Every station trusted and right: card-level comparison against batch
# totals (ONE CVRs per station).
st2 = []
for i in range(8):
    rep = [300 + 11 * i, 250 - 5 * i, 30, 5, 5]
    st2.append((f"t{i + 1}", True, rep, list(rep)))
case("all trusted", cands, st2, 400)
# No station trusted: ballot polling written as ONEAudit.
st3 = [(f"u{i + 1}", False, [260 + 3 * i, 210, 20, 5, 5], [260 + 3 * i, 210, 20, 5, 5]) for i in range(6)]
case("none trusted", cands, st3, 600)
json.dump(out, sys.stdout, indent=1)
print()
