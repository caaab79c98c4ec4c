"""x positions for the no-dot layout: items kept apart, scope boxes around their items.

Every constraint reads "x[right] - x[left] >= gap"; the positions are found by repeating two
steps: each item wants to sit where its edges pull it (the mean of its neighbours), then the
VPSC "satisfy" step (Dwyer, Marriott and Stuckey, "Fast node overlap removal", 2005) moves
items as little as possible (least squares) so that every constraint holds again.
"""
import heapq

from .shapes import DUMMY_SEP, NODE_SEP, PAD, SCOPE_LABEL, text_width


def place_x(ranks, items, clusters, parent, chains):
    """x positions: minimise the squared horizontal length of the edges while boxes keep
    their order and distance in each rank and scope boxes hold their contents.

    `ranks`: lists of items, left to right; `clusters`: scope path -> Cluster, `parent`: its
    parent's path ("" at the top); `chains`: each edge's items, tail to head. Sets each
    item's `x` and returns {scope path: (left, right)}. The variables: every item's centre,
    and each scope box's left and right side.
    """
    var = {}
    for it in items:
        var[it.id] = len(var)
    for c in clusters:
        var["L", c], var["R", c] = len(var), len(var) + 1
    cons = {}

    def need(left, right, gap):  # x[right] - x[left] >= gap
        key = (left, right)
        cons[key] = max(cons.get(key, gap), gap)

    def side(it, path_len, right):
        """The variable and half-width of the item, or of its box at that depth."""
        if len(it.path) > path_len:
            c = it.path[path_len]
            return var["R" if right else "L", c], 0.0
        return var[it.id], it.w / 2

    for rank in ranks:
        for a, b in zip(rank, rank[1:]):
            depth = 0
            while depth < min(len(a.path), len(b.path)) and a.path[depth] == b.path[depth]:
                depth += 1
            left, wl = side(a, depth, True)
            right, wr = side(b, depth, False)
            dummy = (len(a.path) <= depth and a.node is None) or (len(b.path) <= depth and b.node is None)
            need(left, right, wl + wr + (DUMMY_SEP if dummy else NODE_SEP))
    for it in items:
        if it.path:
            c = it.path[-1]
            need(var["L", c], var[it.id], it.w / 2 + PAD)
            need(var[it.id], var["R", c], it.w / 2 + PAD)
    for c, cluster in clusters.items():
        label = text_width(cluster.label, SCOPE_LABEL) + 2 * PAD
        need(var["L", c], var["R", c], label)
        up = parent[c]
        if up:
            need(var["L", up], var["L", c], PAD)
            need(var["R", c], var["R", up], PAD)
    n = len(var)
    incoming = [[] for _ in range(n)]
    for (left, right), gap in sorted(cons.items()):
        incoming[right].append((left, right, gap))
    topo = _topo(n, cons)
    x = [0.0] * n
    for v in topo:  # start packed to the left: feasible
        x[v] = max((x[l] + g for l, _, g in incoming[v]), default=0.0)
    members = {c: [it for it in items if c in it.path and it.node is not None] for c in clusters}
    for _ in range(30):
        desired, weight = list(x), [1e-3] * n
        for it in items:
            near = it.up + it.down
            if near:
                i = var[it.id]
                total = sum(w for _, w, _ in near)
                pull = sum(w * (x[var[o.id]] + o.offset - it.offset) for o, w, _ in near) / total
                desired[i] = (pull * total + x[i] * 0.3) / (total + 0.3)
                weight[i] = total + 0.3
        for chain in chains:  # a long edge wants to be a straight line between its ends
            (a, b), steps = (chain[0], chain[-1]), len(chain) - 1
            xa, xb = x[var[a.id]] + a.offset, x[var[b.id]] + b.offset  # where the ends' edges meet
            for j, d in enumerate(chain[1:-1], 1):
                desired[var[d.id]] = xa + (xb - xa) * j / steps - d.offset
        for c, inside in members.items():  # boxes hug what they hold
            if inside:
                desired[var["L", c]] = min(x[var[it.id]] - it.w / 2 for it in inside) - PAD
                desired[var["R", c]] = max(x[var[it.id]] + it.w / 2 for it in inside) + PAD
                weight[var["L", c]] = weight[var["R", c]] = 0.05
        x = _satisfy(n, desired, weight, incoming, topo)
    for it in items:
        it.x = x[var[it.id]]
    return {c: (x[var["L", c]], x[var["R", c]]) for c in clusters}


def _topo(n, cons):
    """Variables 0..n-1 in an order where every constraint's left side comes first."""
    out = [[] for _ in range(n)]
    waiting = [0] * n
    for left, right in cons:
        out[left].append(right)
        waiting[right] += 1
    ready = [i for i in range(n) if waiting[i] == 0]
    order = []
    while ready:
        v = ready.pop()
        order.append(v)
        for r in out[v]:
            waiting[r] -= 1
            if waiting[r] == 0:
                ready.append(r)
    if len(order) != n:
        raise ValueError("layout: the separation constraints have a cycle")
    return order


class _Block:
    """Variables moving together: x[v] = pos + offset[v]; `heap` holds the constraints
    coming in from the left as (-(lowest pos they allow), tie-breaker, left, right, gap)."""
    __slots__ = ("vars", "wsum", "wd", "pos", "heap")

    def __init__(self, v, w, d):
        self.vars, self.wsum, self.wd, self.pos, self.heap = [v], w, w * d, d, []


def _satisfy(n, desired, weight, incoming, topo):
    """x close to `desired` (least squares, weighted) with x[r] - x[l] >= gap for every
    constraint (l, r, gap) in `incoming[r]`: the "satisfy" step of VPSC (Dwyer, Marriott and
    Stuckey, "Fast node overlap removal", 2005). Variables are visited left to right; one
    pushed too far left is merged with its left neighbour into a rigid block placed at the
    block's best position; blocks only move left while merging, so a pass suffices (and a
    constraint's recorded bound can only be too high: checked again when it comes up)."""
    block = [None] * n
    offset = [0.0] * n
    count = 0

    def push(b, c):
        nonlocal count
        left, right, gap = c
        count += 1
        heapq.heappush(b.heap, (-(block[left].pos + offset[left] + gap - offset[right]), count, c))

    for v in topo:
        b = block[v] = _Block(v, weight[v], desired[v])
        for c in incoming[v]:
            push(b, c)
        while b.heap:
            bound, _, c = b.heap[0]
            left, right, gap = c
            if block[left] is b:  # inside the block now
                heapq.heappop(b.heap)
                continue
            fresh = block[left].pos + offset[left] + gap - offset[right]
            if fresh < -bound - 1e-9:  # its left block moved since: file it again
                heapq.heappop(b.heap)
                push(b, c)
                continue
            if fresh - b.pos <= 1e-7:
                break  # the most violated constraint holds: all do
            heapq.heappop(b.heap)
            other = block[left]
            shift = offset[left] + gap - offset[right]  # b's offsets, measured in other's frame
            if len(b.vars) > len(other.vars):  # move the smaller block's offsets
                b, other, shift = other, b, -shift
            for u in b.vars:
                offset[u] += shift
                block[u] = other
            other.vars += b.vars
            other.wd += b.wd - shift * b.wsum
            other.wsum += b.wsum
            other.pos = other.wd / other.wsum
            for _, _, c in b.heap:  # the smaller block's constraints, in the new frame
                push(other, c)
            b = other
    return [block[v].pos + offset[v] for v in range(n)]
