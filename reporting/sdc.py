"""Cell suppression for a release of linked count tables: primary and complementary (docs/adr/0014).

A release is a set of count cells, each named by a key `(measure, year, dims)` where `dims` is a sorted tuple of
`(dimension, member)` pairs: `("started", 2025, (("prison", "gent"),))` is one cell, `("started", 2025, ())` its
total. The same key in two tables is the same cell, so the tables are protected together. The relations anybody
can read off the tables are derived from the keys alone:

- a cell without a dimension is the sum of the cells that add that dimension (every member of a breakdown is
  published, zeros included), for every dimension, so a two-way table gets its row and column totals;
- the inequalities the caller names (declined and successful trajectories are disjoint parts of the started
  ones; a person reached had at least one session), and for measures whose parts overlap (`non_additive`)
  no equality at all.

**The attacker** knows every published count, that "<5" is 1 to 4 and that a complementary cell is some count
of at least 0, and solves linear programmes over those facts (the τ-ARGUS / sdcTable model).

**Primary**: counts 1 to SMALL_CELL-1. **Protection**: every primary cell must be able to take every value of
the band [1, SMALL_CELL-1] as far as the attacker can tell (upper protection SMALL_CELL-1-v, lower v-1), so the
release says nothing about it beyond "<5".

**Complementary cells** come from the classical sequential LP heuristic (Kelly, Golden & Assad 1992, as in
τ-ARGUS's and sdcTable's simple heuristics): for each primary cell and each direction, the cheapest change of
the table (a vector y with every relation still holding and every cell within the attacker's bounds) that moves
the cell to the edge of its band; cells the change touches and that are still published are suppressed. Cost of
touching a published cell = its value + 1 (information lost; small cells first), times DEPTH_COST for a cell
with fewer dimensions than the widest cell of its measure (totals are suppressed only when nothing else helps),
and ZERO_COST for a zero (hiding a zero hides nothing about a person, but reads as a small number). Once the
change exists, suppressing its cells lets the attacker take it, and suppressing more never takes it away: one
pass gives a protected release, which `audit` checks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import hstack, lil_matrix

SMALL_CELL = 5
BAND = (1, SMALL_CELL - 1)
DEPTH_COST = 25.0
ZERO_COST = 3.0
TOLERANCE = 1e-6

PRIMARY = "primary"
COMPLEMENTARY = "complementary"


class ProtectionFailed(RuntimeError):
    """No complementary suppression protects a cell (an inconsistent release): nothing may be published."""


@dataclass
class Structure:
    keys: list
    index: dict
    a_eq: object
    a_ub: object


def structure(values: dict, relations: list[dict] = (), non_additive: frozenset = frozenset()) -> Structure:
    """The relations of the release: equalities from the keys (except for `non_additive` measures, whose parts
    may overlap: people reached per prison add up to more than the people reached), and `relations`, each
    {key: coefficient} meaning Σ coefficient · cell ≤ 0."""
    keys = sorted(values, key=repr)
    index = {k: i for i, k in enumerate(keys)}
    children = defaultdict(list)
    for key in keys:
        measure, year, dims = key
        if measure in non_additive:
            continue
        for i in range(len(dims)):
            parent = (measure, year, dims[:i] + dims[i + 1 :])
            if parent in index:
                children[(parent, dims[i][0])].append(key)
    a_eq = lil_matrix((max(len(children), 1), len(keys)))
    for row, ((parent, _dim), members) in enumerate(children.items()):
        a_eq[row, index[parent]] = -1
        for member in members:
            a_eq[row, index[member]] = 1
    ub = [r for r in relations if len(r) > 1 and all(k in index for k in r)]
    a_ub = lil_matrix((max(len(ub), 1), len(keys)))
    for row, relation in enumerate(ub):
        for cell, coefficient in relation.items():
            a_ub[row, index[cell]] = coefficient
    return Structure(keys, index, a_eq.tocsr() if children else None, a_ub.tocsr() if ub else None)


def primary(values: dict) -> set:
    return {key for key, value in values.items() if BAND[0] <= value <= BAND[1]}


def _cost(key, value, deepest: dict) -> float:
    measure, _year, dims = key
    cost = ZERO_COST if value == 0 else value + 1.0
    if len(dims) < deepest[measure]:
        cost *= DEPTH_COST ** (deepest[measure] - len(dims))
    return cost


def protect(values: dict, relations: list[dict] = (), non_additive: frozenset = frozenset()) -> dict:
    """{key: PRIMARY or COMPLEMENTARY} for every cell that must not be published.

    A small cell that bounds other small cells (a total of 3 over a 1 and a 2 cannot let the 1 reach 4 while
    everybody knows the total is at most 4) is shown as a complementary cell instead: its marker no longer says
    "1 to 4", which frees the cells it bounds. The LP finds those cells itself: any other small cell may leave its
    band at a prohibitive cost, and the cells that had to are moved from PRIMARY to COMPLEMENTARY.
    """
    shape = structure(values, relations, non_additive)
    n = len(shape.keys)
    x = np.array([values[k] for k in shape.keys], dtype=float)
    deepest = defaultdict(int)
    for measure, _year, dims in shape.keys:
        deepest[measure] = max(deepest[measure], len(dims))
    weights = np.array([_cost(k, values[k], deepest) for k in shape.keys])
    hidden = {k: PRIMARY for k in primary(values)}
    small = sorted(hidden, key=repr)
    small_index = [shape.index[k] for k in small]
    m = len(small)
    blocks_eq = blocks_ub = None
    if shape.a_eq is not None:
        a = shape.a_eq[:, small_index]
        blocks_eq = hstack([shape.a_eq, -shape.a_eq, a, -a]).tocsr()
    if shape.a_ub is not None:
        a = shape.a_ub[:, small_index]
        blocks_ub = hstack([shape.a_ub, -shape.a_ub, a, -a]).tocsr()
        b_ub = -shape.a_ub @ x

    for key in small:
        p = shape.index[key]
        for target in BAND:
            if x[p] == target:
                continue
            # variables: y+ (n), y- (n), and for each small cell s+ (m), s- (m): the part of its change that takes
            # it out of its band. Minimise the cost of the published cells the change touches.
            cost = np.concatenate([weights, weights, 1e4 * (x[small_index] + 1), 1e4 * (x[small_index] + 1)])
            for k in hidden:
                cost[shape.index[k]] = cost[n + shape.index[k]] = 1e-3
            in_band = [hidden.get(k) == PRIMARY for k in shape.keys]
            up = [BAND[1] - x[i] if in_band[i] else None for i in range(n)]
            down = [x[i] - BAND[0] if in_band[i] else x[i] for i in range(n)]
            slack_up = [(0, None if hidden[k] == PRIMARY else 0) for k in small]
            slack_down = [(0, BAND[0] if hidden[k] == PRIMARY else 0) for k in small]
            bounds = [(0, u) for u in up] + [(0, d) for d in down] + slack_up + slack_down
            move = target - x[p]
            bounds[p] = (max(move, 0), max(move, 0))
            bounds[n + p] = (max(-move, 0), max(-move, 0))
            j = small.index(key)
            bounds[2 * n + j] = bounds[2 * n + m + j] = (0, 0)
            kwargs = {"bounds": bounds, "method": "highs"}
            if blocks_eq is not None:
                kwargs.update(A_eq=blocks_eq, b_eq=np.zeros(blocks_eq.shape[0]))
            if blocks_ub is not None:
                kwargs.update(A_ub=blocks_ub, b_ub=b_ub)
            result = linprog(cost, **kwargs)
            if result.status != 0:
                raise ProtectionFailed(f"{key}: {result.message}")
            change = result.x[:n] - result.x[n : 2 * n]
            change[small_index] += result.x[2 * n : 2 * n + m] - result.x[2 * n + m :]
            for i in np.flatnonzero(np.abs(change) > TOLERANCE):
                hidden.setdefault(shape.keys[i], COMPLEMENTARY)
            for j in np.flatnonzero(result.x[2 * n : 2 * n + m] + result.x[2 * n + m :] > TOLERANCE):
                hidden[small[j]] = COMPLEMENTARY
    return hidden


def audit(values: dict, hidden: dict, relations: list[dict] = (), non_additive: frozenset = frozenset()) -> dict:
    """{small key: (lowest, highest)} the attacker can tell from the published cells, for every hidden cell of
    1 to 4, whatever its marker."""
    shape = structure(values, relations, non_additive)
    bounds = []
    for k in shape.keys:
        if k not in hidden:
            bounds.append((values[k], values[k]))
        elif hidden[k] == PRIMARY:
            bounds.append(BAND)
        else:
            bounds.append((0, None))
    kwargs = {"bounds": bounds, "method": "highs"}
    if shape.a_eq is not None:
        kwargs.update(A_eq=shape.a_eq, b_eq=np.zeros(shape.a_eq.shape[0]))
    if shape.a_ub is not None:
        kwargs.update(A_ub=shape.a_ub, b_ub=np.zeros(shape.a_ub.shape[0]))
    out = {}
    for key in hidden:
        if not BAND[0] <= values[key] <= BAND[1]:
            continue
        c = np.zeros(len(shape.keys))
        c[shape.index[key]] = 1
        low, high = linprog(c, **kwargs), linprog(-c, **kwargs)
        out[key] = (low.fun, -high.fun if high.status == 0 else float("inf"))
    return out
