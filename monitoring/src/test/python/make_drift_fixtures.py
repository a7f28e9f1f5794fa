"""Golden fixtures for the drift metrics of dev.mlops.monitoring.drift, computed with SciPy.

Regenerate (from the repository root, with Debian's SciPy: `apt-get install -y python3-scipy`):

    /usr/bin/python3 monitoring/src/test/python/make_drift_fixtures.py

It writes monitoring/src/test/resources/drift-fixtures/*.json. The fixtures are committed; the Java
tests read them and never need Python. Every case holds its input vectors, so a test rebuilds the
distributions from the file alone. The data comes from fixed seeds, so a rerun with the same SciPy
writes the same files.

What each file holds:
- ks_2samp.json: scipy.stats.ks_2samp(reference, current) with method='exact', 'asymp' and 'auto'
  (statistic and p-value; whether 'exact' fell back to 'asymp').
- kstwo_sf.json: scipy.stats.kstwo.sf(x, n) on a grid that reaches every branch of SciPy's
  Simard-L'Ecuyer choice (Ruben-Gambino, Durbin matrix, Pomeranz, Pelz-Good, Smirnov).
- categorical.json: buckets built as the Java side builds them (reference categories sorted,
  '<unseen>' for current categories the reference lacks, '<other>' for rows a sketch did not keep,
  buckets empty on both sides dropped), then scipy.stats.chi2_contingency(table) (statistic,
  p-value, dof; Yates' correction when dof == 1, as by default), Cramer's V from
  scipy.stats.contingency.association(table, 'cramer'), scipy.spatial.distance.jensenshannon(
  reference, current, base=2) and a plain PSI over the buckets.
- psi_numeric.json: a plain numpy PSI: cut points np.quantile(reference, i/B, method='inverted_cdf')
  for i = 1..B-1, duplicates removed, bins (-inf, c1], (c1, c2], ..., (c_last, +inf); a bin empty on
  one side only gets a share of 0.5 / n_side; a bin empty on both sides contributes nothing.
"""

import json
import math
import os
import warnings

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, kstwo
from scipy.stats.contingency import association

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "drift-fixtures")
UNSEEN = "<unseen>"
OTHER = "<other>"


def header(description):
    return {
        "generator": "monitoring/src/test/python/make_drift_fixtures.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "description": description,
    }


def write(name, description, key, items, **extra):
    """One JSON object: the header fields, then `key`: a list with one compact item per line."""
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    fields = dict(header(description), **extra)
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n")
        for field, value in fields.items():
            f.write(" %s: %s,\n" % (json.dumps(field), json.dumps(value, allow_nan=False)))
        f.write(" %s: [\n" % json.dumps(key))
        lines = [json.dumps(item, allow_nan=False, separators=(",", ":")) for item in items]
        f.write(",\n".join("  " + line for line in lines))
        f.write("\n ]\n}\n")
    print("wrote", os.path.normpath(path))


def floats(values, decimals=None):
    values = np.asarray(values, dtype=float)
    if decimals is not None:
        values = np.round(values, decimals)
    return [float(v) for v in values]


# ---------------------------------------------------------------- Kolmogorov-Smirnov, two samples

def ks(reference, current, method):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ks_2samp(reference, current, method=method)
    fell_back = any("Switching to" in str(w.message) for w in caught)
    pvalue = float(result.pvalue)
    # One value against one: round(m * n / (m + n)) = round(0.5) = 0 and kstwo.sf(d, 0) is NaN.
    return {"statistic": float(result.statistic), "pvalue": None if math.isnan(pvalue) else pvalue,
            "fell_back": fell_back}


def ks_cases():
    rng = np.random.default_rng(20240611)
    cases = []

    def add(name, reference, current, note):
        reference = [float(v) for v in reference]
        current = [float(v) for v in current]
        cases.append({
            "name": name,
            "note": note,
            "reference": reference,
            "current": current,
            "exact": ks(reference, current, "exact"),
            "asymp": ks(reference, current, "asymp"),
            "auto": ks(reference, current, "auto"),
        })

    add("small_equal_sizes_shifted", floats(rng.normal(0, 1, 20)), floats(rng.normal(0.8, 1, 20)),
        "m == n: the exact p-value by the square formula")
    add("unequal_coprime_sizes", floats(rng.normal(0, 1, 37)), floats(rng.normal(0.3, 1.4, 53)),
        "gcd 1: the exact p-value by the inside lattice-path method")
    add("unequal_sizes_common_divisor", floats(rng.uniform(0, 1, 60)), floats(rng.uniform(0.15, 1.15, 90)),
        "gcd 30")
    add("ties_discrete_values", floats(rng.poisson(3.0, 100)), floats(rng.poisson(3.6, 80)),
        "integer values with many ties")
    same = floats(rng.normal(5, 2, 50))
    add("identical_samples", same, list(same), "D = 0, p = 1")
    add("fully_separated", floats(rng.uniform(0, 1, 30)), floats(rng.uniform(2, 3, 30)),
        "D = 1: exact p = 2 / C(60, 30), asymp p = 0")
    add("tiny_samples", [1.0, 2.0, 3.0], [2.5, 4.0], "three against two values")
    add("one_value_each", [0.0], [1.0], "the smallest possible samples")
    add("medium_shifted", floats(rng.normal(0, 1, 500)), floats(rng.normal(0.25, 1, 400)),
        "a small p-value")
    add("asymp_small_n_durbin", floats(rng.normal(0, 1, 60)), floats(rng.normal(0, 1, 60)),
        "en = 30 with a small D: asymp by the Durbin matrix")
    add("asymp_small_n_pomeranz", floats(rng.normal(0, 1, 60)), floats(rng.normal(0.6, 1, 60)),
        "en = 30 with a medium D: asymp by Pomeranz")
    add("asymp_small_n_smirnov", floats(rng.normal(0, 1, 60)), floats(rng.normal(1.8, 1, 60)),
        "en = 30 with a large D: asymp by 2 * smirnov")
    add("large_same_distribution", floats(rng.normal(0, 1, 5000), 4), floats(rng.normal(0, 1, 4000), 4),
        "en = 2222, values to 4 decimals (a few ties): asymp by Pelz-Good")
    add("large_shifted", floats(rng.normal(0, 1, 5000), 4), floats(rng.normal(0.2, 1, 4000), 4),
        "en = 2222 with a large D: asymp by 2 * smirnov")
    add("auto_above_exact_limit", floats(rng.normal(0, 1, 10001), 4), floats(rng.normal(0.05, 1, 2000), 4),
        "max(m, n) > 10000: scipy's auto picks asymp")
    return cases


def kstwo_grid():
    points = []
    ns = [1, 2, 3, 5, 8, 10, 25, 60, 100, 140, 141, 500, 2222, 10000, 100000, 100001, 2000000]
    for n in ns:
        xs = set()
        for t in [0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0]:
            xs.add(t / n)  # around the Ruben-Gambino range n * x <= 1
        for z in [0.2, 0.5, 0.8, 0.86, 1.0, 1.2, 1.48, 1.6, 2.0, 2.5, 3.5, 5.0, 10.0, 20.0]:
            xs.add(z / math.sqrt(n))  # n * x^2 = z^2 crosses 0.754693, 2.2, 4, 18 and 370
        for x in [0.01, 0.05, 0.1, 0.25, 0.4, 0.49, 0.5, 0.6, 0.9, 1.0 - 1.0 / n]:
            xs.add(x)
        for x in sorted(xs):
            if 0.0 < x < 1.0:
                points.append({"n": n, "x": float(x), "sf": float(kstwo.sf(x, n))})
    return points


# ---------------------------------------------------------------- categorical: buckets, chi2, JS, PSI

def buckets(reference, current):
    """reference/current: {"counts": {category: count}, "other": count}."""
    ref_counts, cur_counts = reference["counts"], current["counts"]
    rows = [[label, ref_counts[label], cur_counts.get(label, 0)] for label in sorted(ref_counts)]
    unseen = sum(count for label, count in cur_counts.items() if label not in ref_counts)
    rows.append([UNSEEN, 0, unseen])
    rows.append([OTHER, reference["other"], current["other"]])
    kept = [r for r in rows if r[1] + r[2] > 0]
    dropped = [r[0] for r in rows if r[1] + r[2] == 0]
    return kept, dropped


def psi_from_counts(ref_counts, cur_counts):
    ref_counts = np.asarray(ref_counts, dtype=float)
    cur_counts = np.asarray(cur_counts, dtype=float)
    n_ref, n_cur = ref_counts.sum(), cur_counts.sum()
    eps_ref, eps_cur = 0.5 / n_ref, 0.5 / n_cur
    total = 0.0
    for r, c in zip(ref_counts / n_ref, cur_counts / n_cur):
        if r == 0 and c == 0:
            continue
        r = r if r > 0 else eps_ref
        c = c if c > 0 else eps_cur
        total += (c - r) * math.log(c / r)
    return total, eps_ref, eps_cur


def categorical_case(name, reference, current, note):
    kept, dropped = buckets(reference, current)
    table = np.array([[r[1] for r in kept], [r[2] for r in kept]], dtype=np.int64)
    chi2 = chi2_contingency(table)
    cramers_v = float(association(table, method="cramer")) if table.shape[1] > 1 else 0.0
    psi, eps_ref, eps_cur = psi_from_counts(table[0], table[1])
    return {
        "name": name,
        "note": note,
        "reference": reference,
        "current": current,
        "buckets": [{"label": r[0], "reference": r[1], "current": r[2]} for r in kept],
        "dropped": dropped,
        "chi2": {"statistic": float(chi2[0]), "pvalue": float(chi2[1]), "dof": int(chi2[2]),
                 "cramers_v": cramers_v},
        "jensenshannon": float(jensenshannon(table[0], table[1], base=2)),
        "psi": {"value": psi, "reference_epsilon": eps_ref, "current_epsilon": eps_cur},
    }


def categorical_cases():
    rng = np.random.default_rng(7)
    cases = []

    def add(name, ref_counts, cur_counts, note, ref_other=0, cur_other=0):
        cases.append(categorical_case(name, {"counts": ref_counts, "other": ref_other},
                                      {"counts": cur_counts, "other": cur_other}, note))

    add("unseen_categories", {"a": 500, "b": 300, "c": 200}, {"a": 380, "b": 330, "c": 240, "d": 30, "e": 20},
        "d and e are new: one <unseen> bucket of 50")
    add("two_buckets_yates", {"yes": 120, "no": 80}, {"yes": 90, "no": 110},
        "dof 1: Yates' correction")
    add("two_buckets_yates_small_difference", {"x": 10, "y": 10}, {"x": 10, "y": 11},
        "dof 1 with |observed - expected| < 0.5: the correction stops at the expected count")
    add("sketch_other_bucket", {"a": 400, "b": 250, "c": 100}, {"a": 300, "b": 260, "d": 40},
        "a frequent-items sketch kept only some categories: <other> on both sides; c absent now",
        ref_other=250, cur_other=400)
    add("identical", {"a": 10, "b": 20, "c": 30}, {"a": 10, "b": 20, "c": 30}, "chi2 0, p 1, JS 0, PSI 0")
    add("strong_drift", {"a": 300, "b": 200, "c": 100}, {"a": 150, "b": 200, "c": 250},
        "a very small p-value")
    add("zero_total_bucket_dropped", {"a": 100, "b": 0, "c": 50}, {"a": 80, "c": 60},
        "b is empty on both sides and dropped, as are <unseen> and <other>")
    add("single_bucket", {"a": 100}, {"a": 40}, "dof 0: chi2 0 and p 1 as scipy defines them")
    labels = [f"cat{i:02d}" for i in range(40)]
    weights = rng.dirichlet(np.ones(40))
    ref_counts = {l: int(c) for l, c in zip(labels, rng.multinomial(20000, weights))}
    shifted = weights * rng.uniform(0.7, 1.3, 40)
    shifted = shifted / shifted.sum()
    cur_counts = {l: int(c) for l, c in zip(labels, rng.multinomial(15000, shifted))}
    cur_counts["new1"], cur_counts["new2"] = 37, 12
    add("many_categories", ref_counts, cur_counts, "40 categories, small shifts, two new ones")
    return cases


# ---------------------------------------------------------------- numeric PSI

def psi_numeric(reference, current, bins):
    ref = np.sort(np.asarray(reference, dtype=float))
    cur = np.sort(np.asarray(current, dtype=float))
    cuts = [float(np.quantile(ref, i / bins, method="inverted_cdf")) for i in range(1, bins)]
    edges = sorted(set(cuts))
    ref_counts = np.diff(np.concatenate([[0], np.searchsorted(ref, edges, side="right"), [len(ref)]]))
    cur_counts = np.diff(np.concatenate([[0], np.searchsorted(cur, edges, side="right"), [len(cur)]]))
    value, eps_ref, eps_cur = psi_from_counts(ref_counts, cur_counts)
    return {
        "edges": edges,
        "reference_shares": [float(c) / len(ref) for c in ref_counts],
        "current_shares": [float(c) / len(cur) for c in cur_counts],
        "reference_epsilon": eps_ref,
        "current_epsilon": eps_cur,
        "psi": value,
    }


def psi_cases():
    rng = np.random.default_rng(99)
    cases = []

    def add(name, reference, current, bins, note):
        reference = [float(v) for v in reference]
        current = [float(v) for v in current]
        case = {"name": name, "note": note, "bins": bins, "reference": reference, "current": current}
        case.update(psi_numeric(reference, current, bins))
        cases.append(case)

    add("normal_shifted", floats(rng.normal(0, 1, 1000)), floats(rng.normal(0.3, 1.2, 800)), 10,
        "ten bins of a continuous reference")
    add("five_bins", floats(rng.normal(0, 1, 333)), floats(rng.normal(0.1, 1, 250)), 5, "B = 5")
    add("ties_fewer_bins", floats(rng.poisson(2.0, 400)), floats(rng.poisson(2.5, 300)), 10,
        "integer values: repeated cut points removed, fewer bins")
    add("constant_reference", [3.0] * 50, floats([3.0] * 30 + [4.0] * 10 + [2.0] * 5), 10,
        "all ties: one cut point; the top bin is empty in the reference and smoothed")
    add("constant_both_sides", [3.0] * 50, [3.0] * 20, 10,
        "one cut point; the top bin is empty on both sides and contributes nothing: PSI 0")
    add("current_beyond_reference", floats(rng.uniform(0, 1, 200)), floats(rng.uniform(0.5, 1.5, 150)), 10,
        "half the current lies above the reference's maximum")
    same = floats(rng.lognormal(0, 1, 300))
    add("identical", same, list(same), 10, "PSI 0")
    add("empty_bins_in_current", floats(rng.normal(0, 1, 500)), floats(rng.normal(3, 0.2, 40)), 10,
        "the current fills only the top bins: the others get its epsilon")
    return cases


def main():
    write("ks_2samp.json", "scipy.stats.ks_2samp, two-sided, methods exact/asymp/auto", "cases", ks_cases())
    write("kstwo_sf.json", "scipy.stats.kstwo.sf(x, n)", "points", kstwo_grid())
    write("categorical.json", "chi2_contingency, Cramer's V, jensenshannon base 2, PSI over buckets", "cases",
          categorical_cases(), unseen=UNSEEN, other=OTHER)
    write("psi_numeric.json", "PSI with bins at the reference's inverted-CDF quantiles", "cases", psi_cases())


if __name__ == "__main__":
    main()
