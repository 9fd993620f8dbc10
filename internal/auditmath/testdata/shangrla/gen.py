"""Writes alpha.json: ALPHA p-values and estimates computed by SHANGRLA's own
code, for alpha_test.go to hold triplicate's ALPHA to.

    python3 gen.py PATH/TO/SHANGRLA/shangrla/core/NonnegMean.py > alpha.json

Needs NumPy and SciPy (Debian: python3-numpy python3-scipy). It imports
NonnegMean.py alone, so the rest of SHANGRLA's dependencies are not needed.
Every sequence is drawn from NumPy's RandomState with a fixed seed and
written out in full, so the Go test reads the very values SHANGRLA tested.
"""
import importlib.util
import json
import math
import sys

import numpy as np

spec = importlib.util.spec_from_file_location("NonnegMean", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
NonnegMean = mod.NonnegMean


def num(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def case(name, x, N, t, u, eta, estim, **kw):
    """One ALPHA run: SHANGRLA's p-value, its history and the estimates."""
    x = np.array(x, dtype=float)
    test = NonnegMean(
        test=NonnegMean.alpha_mart,
        estim=NonnegMean.shrink_trunc if estim == "shrink_trunc" else NonnegMean.fixed_alternative_mean,
        N=N if N else np.inf,
        t=t,
        u=u,
        eta=eta,
        **kw,
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p, hist = test.alpha_mart(x)
        etas = np.broadcast_to(test.estim(x), x.shape)
    return {
        "name": name,
        "x": [num(v) for v in x],
        "N": N,
        "t": t,
        "u": u,
        "eta": eta,
        "estimator": estim,
        **{k: v for k, v in kw.items()},
        "p": num(p),
        "history": [num(v) for v in hist],
        "etas": [num(v) for v in etas],
    }


out = {"cases": [], "sample_size": []}
C = out["cases"]

# test_alpha_mart in SHANGRLA's tests/core/test_NonnegMean.py: the test's
# defaults (fixed alternative, eta = t + (u - t)/2 at construction = 0.75).
C.append(case("test_alpha_mart halves", np.ones(5) / 2, 10**6, 0.5, 1, 0.75, "fixed"))
C.append(case("test_alpha_mart t=eps", np.ones(5) / 2, 10**6, 0.0001, 1, 0.75, "fixed"))
C.append(case("test_alpha_mart u=2", [0.6, 0.8, 1.0, 1.2, 1.4], 10**6, 0.0001, 2, 0.75, "fixed"))
C.append(case("test_alpha_mart s1", [1, 0, 1, 1, 0, 0, 1], 7, 3 / 7, 1, 0.75, "fixed"))
C.append(case("test_alpha_mart s2", [1, 0, 1, 1, 0, 0, 0], 7, 3 / 7, 1, 0.75, "fixed"))

# test_shrink_trunc: its two fixed vectors, d=10, f=0, c=(eta-t)/2, with
# and without replacement.
for eta in [0.51, 0.55, 0.6]:
    for i, v in enumerate([[0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]]):
        for N in [0, len(v)]:
            C.append(case(f"test_shrink_trunc v{i} eta={eta} N={N or 'inf'}", v, N, 0.5, 1, eta,
                          "shrink_trunc", c=(eta - 0.5) / 2, d=10, f=0))

# Fixed sequences: polling assorter values (0, 1/2, 1 and a supermajority
# assorter's 0, 1/2, 1/(2f)), uniform values, with and without
# replacement, with SHANGRLA's default shrink-truncate and with f > 0.
prng = np.random.RandomState(20230101)
for n, N, probs, vals, u in [
    (200, 1000, [0.45, 0.1, 0.45 + 0.0], [0, 0.5, 1], 1),
    (300, 0, [0.40, 0.15, 0.45], [0, 0.5, 1], 1),
    (500, 5000, [0.35, 0.3, 0.35], [0, 0.5, 1], 1),
    (400, 2000, [0.38, 0.1, 0.52], [0, 0.5, 1 / (2 * 0.45)], 1 / (2 * 0.45)),
    (1000, 100000, [0.48, 0.02, 0.50], [0, 0.5, 1], 1),
]:
    x = prng.choice(vals, size=n, p=np.array(probs) / sum(probs))
    mean = sum(p * v for p, v in zip(probs, vals)) / sum(probs)
    eta = max(mean, 0.5 + 0.01)
    C.append(case(f"polling n={n} N={N or 'inf'} u={u:.6g}", x, N, 0.5, u, eta, "shrink_trunc"))
    C.append(case(f"polling n={n} N={N or 'inf'} u={u:.6g} f=0.1 d=20", x, N, 0.5, u, eta, "shrink_trunc", d=20, f=0.1))
    C.append(case(f"polling n={n} N={N or 'inf'} u={u:.6g} fixed", x, N, 0.5, u, eta, "fixed"))
x = prng.uniform(0, 1, size=250)
C.append(case("uniform n=250 N=1000", x, 1000, 0.5, 1, 0.6, "shrink_trunc"))
C.append(case("uniform n=250 N=inf", x, 0, 0.45, 1, 0.6, "shrink_trunc"))
# The whole population drawn, summing to more than N*t: the last T is +Inf.
C.append(case("whole population", [1, 1, 0, 1, 0.5, 1, 0, 1], 8, 0.5, 1, 0.7, "shrink_trunc"))
# Small values first: m_j rises above u and the p-value stays 1.
C.append(case("null certainly true", [0, 0, 0, 0, 0, 0, 1, 1], 10, 0.5, 1, 0.6, "shrink_trunc"))

# test_sample_size: fixed alternative eta=0.75, N=1000, alpha=0.05.
for v, want in [(1.0, 8), (0.75, 14)]:
    test = NonnegMean(test=NonnegMean.alpha_mart, estim=NonnegMean.fixed_alternative_mean,
                      u=1, N=1000, t=0.5, eta=0.75)
    x = v * np.ones(5)
    got = test.sample_size(x=x, alpha=0.05, reps=None, prefix=False, quantile=0.5)
    assert got == want
    out["sample_size"].append({"x": list(x), "N": 1000, "t": 0.5, "u": 1, "eta": 0.75,
                               "estimator": "fixed", "alpha": 0.05, "size": got})

json.dump(out, sys.stdout, indent=None, separators=(",", ":"))
sys.stdout.write("\n")
