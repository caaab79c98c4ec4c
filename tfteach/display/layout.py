"""A small layered layout of a Scene in pure Python: the picture when Graphviz is missing.

The classic four steps of a layered ("Sugiyama") drawing, as dot does them, in their simplest
forms: ranks along the data flow, edges as short as possible (`layout_rank.py`);
long edges cut into one-rank pieces through invisible "dummy" points, and every edge label a
dummy of its own in the rank between its ends; the order within each rank by repeated
barycenter sweeps, name scopes kept in one piece; then x positions as a small quadratic
problem with "no overlap" constraints (`layout_x.py`), and y positions rank by rank, leaving room
for the scope boxes. Good for teaching graphs (up to a few hundred nodes), not a general engine.
A node's side label (`Node.xlabel`) is part of its item, right of its box, so the steps above
keep it clear of everything else; the scene's caption gets room above the picture.
"""
from .layout_rank import acyclic_order, short_ranks
from .layout_x import place_x
from .shapes import EDGE_LABEL, LINE, MARGIN, PAD, RANK_GAP, SCOPE_LABEL, node_size, text_width

# ---- the result ---------------------------------------------------------------------------
SIDE_GAP = 6  # between a box and its side label


class Layout:
    """Where everything goes. `nodes`: id -> (x, y, w, h), centre and size; `ranks`: id ->
    rank; `clusters`: path -> (x0, y0, x1, y1); `routes`: one Route per scene edge;
    `xlabels`: id -> (x0, y0, x1, y1) of a node's side label; the caption starts at
    (MARGIN, MARGIN)."""

    def __init__(self, nodes, ranks, clusters, routes, width, height, xlabels):
        self.nodes, self.ranks, self.clusters, self.routes = nodes, ranks, clusters, routes
        self.width, self.height, self.xlabels = width, height, xlabels


def text_block(texts):
    """(width, height) of [Text] lines set one under the other."""
    if not texts:
        return 0.0, 0.0
    return (max(text_width(t.text, t.size, t.bold) for t in texts),
            sum(t.size * LINE for t in texts))


class Route:
    """An edge's way: `points` (x, y) from the tail's side to the head's, to join by a
    smooth curve, except that a piece ending at an index in `straight` runs straight down
    through a rank beside its boxes; `label_at` (x, y) where its label starts; `upward`: the
    edge runs against the ranks (a back edge); `flat`: from one box to another in its rank."""

    def __init__(self, edge, points, straight, label_at, upward, flat):
        self.edge, self.points, self.straight, self.label_at = edge, points, straight, label_at
        self.upward, self.flat = upward, flat


# ---- the layout ---------------------------------------------------------------------------
def layout(scene):
    """Lay out a Scene: returns a Layout. The same Scene always gives the same Layout."""
    return _Layered(scene).run()


class _Item:
    """One thing in a rank: a node, a dummy point of an edge (maybe carrying its label), or
    a placeholder keeping a scope box open on a rank where it has nothing else."""

    __slots__ = ("id", "index", "rank", "w", "h", "path", "node", "offset", "up", "down", "pos", "x")

    def __init__(self, id, index, rank, w, h, path, node=None, offset=0.0):
        self.id, self.index, self.rank, self.w, self.h = id, index, rank, w, h
        self.path, self.node, self.offset = path, node, offset  # offset: where edges pass
        self.up, self.down = [], []   # (neighbour item, weight) in the ranks above and below
        self.pos = self.x = 0.0


class _Layered:
    def __init__(self, scene):
        self.scene = scene
        self.nodes = scene.nodes
        self.index = {n.id: i for i, n in enumerate(self.nodes)}
        self.path = {}  # node id -> cluster paths from the outermost in
        self.clusters = {}  # path -> Cluster, outermost first
        self.parent = {}  # cluster path -> its parent's path ("" for the top level)
        self._walk(scene.root, ())

    def _walk(self, cluster, path):
        for n in cluster.nodes:
            self.path[n.id] = path
        for c in cluster.children:
            self.clusters[c.path] = c
            self.parent[c.path] = path[-1] if path else ""
            self._walk(c, path + (c.path,))

    def run(self):
        self._rank()
        self._split()
        self._order()
        self.box_x = place_x(self.ranks, list(self.items.values()), self.clusters, self.parent,
                             self.chains)
        return self._place_y()

    # ---- 1. ranks ---------------------------------------------------------------------
    def _rank(self):
        """Each node's rank: every edge points down at least two ranks (one for its label),
        `same_rank` pairs share one, and cycles are broken by turning edges around."""
        unit = {n.id: n.id for n in self.nodes}

        def find(a):
            while unit[a] != a:
                unit[a] = unit[unit[a]]
                a = unit[a]
            return a
        for a, b in self.scene.same_rank:
            ra, rb = find(a), find(b)
            if ra != rb:  # the earlier-made node names the group: stable across runs
                ra, rb = sorted((ra, rb), key=self.index.get)
                unit[rb] = ra
        pairs = [(e.tail, e.head) for e in self.scene.edges if e.constraint] + list(self.scene.stack)
        out = {u: [] for u in unit if find(u) == u}
        for a, b in pairs:
            a, b = find(a), find(b)
            if a != b and b not in out[a]:
                out[a].append(b)
        order = acyclic_order(out, key=self.index.get)
        position = {u: i for i, u in enumerate(order)}
        succ = {u: [] for u in out}
        pred = {u: [] for u in out}
        for a in out:
            for b in out[a]:
                if position[a] > position[b]:
                    a, b = b, a  # closes a cycle: ranked the other way round
                if b not in succ[a]:
                    succ[a].append(b)
                    pred[b].append(a)
        rank = short_ranks(order, [(a, b) for a in order for b in succ[a]])
        low = min(rank.values(), default=0)
        self.rank = {n.id: rank[find(n.id)] - low for n in self.nodes}
        self.nranks = max(self.rank.values(), default=0) + 1
        span = {}
        for node_id, path in self.path.items():
            for c in path:
                r = self.rank[node_id]
                lo, hi = span.get(c, (r, r))
                span[c] = (min(lo, r), max(hi, r))
        self.span = span

    # ---- 2. edges into one-rank pieces --------------------------------------------------
    def _split(self):
        """Items per rank: the nodes, a dummy per rank an edge crosses (the middle one
        carrying its label), and placeholders for scope boxes with nothing on a rank."""
        self.items = {}
        self.ranks = [[] for _ in range(self.nranks)]
        self.size = {}
        for n in self.nodes:
            w, h = self.size[n.id] = node_size(n)
            offset = 0.0
            if n.xlabel:  # the item spans box and label; edges meet the box's centre
                lw, lh = text_block(n.xlabel)
                offset = -(SIDE_GAP + lw) / 2
                w, h = w + SIDE_GAP + lw, max(h, lh)
            self._add(_Item(n.id, self.index[n.id], self.rank[n.id], w, h, self.path[n.id], n,
                            offset))
        self.chains = []
        for k, e in enumerate(self.scene.edges):
            a, b = self.rank[e.tail], self.rank[e.head]
            step = 1 if b >= a else -1
            chain = [self.items[e.tail]]
            middle = (a + b) // 2 if e.label and abs(b - a) >= 2 else None
            for r in range(a + step, b, step):
                w = h = 0.0
                offset = 0.0
                if r == middle:  # the label sits right of the edge, as in dot
                    w, h = text_width(e.label, EDGE_LABEL) + 6, EDGE_LABEL * LINE
                    offset = -w / 2
                index = self.index[e.tail] + 0.5 + k / 1e6  # starts next to its tail
                item = _Item(f"{k}:{r}", index, r, w, h, self._dummy_path(e, r), offset=offset)
                self._add(item)
                chain.append(item)
            chain.append(self.items[e.head])
            self.chains.append(chain)
            weight = 0.05 if not e.constraint else 1.0
            for top, bottom in zip(chain, chain[1:]):
                if top.rank == bottom.rank:
                    continue
                if top.rank > bottom.rank:
                    top, bottom = bottom, top
                dummies = (top.node is None) + (bottom.node is None)
                w = weight * (1, 2, 8)[dummies]  # long edges are kept straight (dot's weights)
                top.down.append((bottom, w, k))
                bottom.up.append((top, w, k))
        for c, (lo, hi) in self.span.items():
            used = {it.rank for it in self.items.values() if c in it.path}
            first = min(self.index[n.id] for n in self.clusters[c].all_nodes())
            for r in range(lo, hi + 1):
                if r not in used:
                    self._add(_Item(f"{c}/:{r}", first + 0.25, r, 0.0, 0.0, self._cluster_path(c)))

    def _add(self, item):
        self.items[item.id] = item
        self.ranks[item.rank].append(item)

    def _cluster_path(self, c):
        path = []
        while c:
            path.append(c)
            c = self.parent[c]
        return tuple(reversed(path))

    def _dummy_path(self, e, r):
        """The deepest scope box of either end that spans rank r: an edge stays inside its
        box while the box lasts."""
        best = ()
        for end in (e.tail, e.head):
            path = self.path[end]
            while path and not (self.span[path[-1]][0] <= r <= self.span[path[-1]][1]):
                path = path[:-1]
            if len(path) > len(best):
                best = path
        return best

    # ---- 3. order within ranks ----------------------------------------------------------
    def _order(self):
        """Barycenter sweeps, down then up, keeping the order with the fewest crossings.

        A scope box must stay in one piece on every rank, and boxes must keep their left to
        right order from rank to rank, so a rank is sorted by keys: for each enclosing box
        (outermost first) the mean position of everything in it, then the item's own.
        """
        for rank in self.ranks:
            rank.sort(key=lambda it: (it.index, it.id))
            _number(rank)
        best = (self._crossings(), [list(r) for r in self.ranks])
        totals = self._totals()
        for sweep in range(12):
            down = sweep % 2 == 0
            for r in (range(1, self.nranks) if down else range(self.nranks - 2, -1, -1)):
                before = {it: it.pos for it in self.ranks[r]}
                for it in self.ranks[r]:
                    near = it.up if down else it.down
                    if near:
                        it.pos = sum(n.pos * w for n, w, _ in near) / sum(w for _, w, _ in near)
                _retotal(before, totals)
                before = {it: it.pos for it in self.ranks[r]}
                self._sort_rank(r, self._cluster_keys(totals))
                _retotal(before, totals)
            crossings = self._crossings()
            if crossings < best[0]:
                best = (crossings, [list(r) for r in self.ranks])
        self.ranks = best[1]
        for rank in self.ranks:
            _number(rank)
        keys = self._cluster_keys()  # fixed from now on: boxes in one order on every rank
        self._sort_all(keys)
        self._swap_boxes(keys)

    def _swap_boxes(self, keys):
        """Sweeps move single items well, whole boxes badly: try each pair of neighbouring
        boxes the other way round, and keep it when fewer edges cross."""
        best = self._crossings()
        for _ in range(2):
            improved = False
            for parent in [""] + list(self.clusters):
                boxes = sorted((c for c in self.clusters if self.parent[c] == parent), key=keys.get)
                for a, b in zip(boxes, boxes[1:]):
                    saved = [list(rank) for rank in self.ranks]
                    trial = dict(keys)
                    trial[a], trial[b] = keys[b], keys[a]
                    self._sort_all(trial)
                    crossings = self._crossings()
                    if crossings < best:
                        keys, best, improved = trial, crossings, True
                    else:
                        self.ranks = saved
                        for rank in self.ranks:
                            _number(rank)
            if not improved:
                break

    def _sort_all(self, keys):
        for r in range(self.nranks):
            self._sort_rank(r, keys)

    def _totals(self):
        """{box: [sum of its items' positions, their number]}."""
        totals = {c: [0.0, 0] for c in self.clusters}
        for it in self.items.values():
            for c in it.path:
                totals[c][0] += it.pos
                totals[c][1] += 1
        return totals

    def _cluster_keys(self, totals=None):
        """Each box's sort key: (mean position of its items, its creation order)."""
        totals = totals or self._totals()
        return {c: (totals[c][0] / totals[c][1], 0, i) for i, c in enumerate(self.clusters)}

    def _sort_rank(self, r, keys):
        self.ranks[r].sort(key=lambda it: [keys[c] for c in it.path] + [(it.pos, 1, it.index)])
        _number(self.ranks[r])

    def _crossings(self):
        n = 0
        for rank in self.ranks[:-1]:
            pieces = sorted((it.pos, b.pos) for it in rank for b, _, _ in it.down)
            n += _inversions([b for _, b in pieces])
        return n

    # ---- 5. y, and the edges' ways --------------------------------------------------------
    def _place_y(self):
        """Rank by rank, each as tall as its tallest item, with room between ranks for the
        bottom margin of the boxes ending above and the label of the boxes starting below."""
        height = [max((it.h for it in rank), default=0.0) for rank in self.ranks]
        top_room, bottom_room = {}, {}
        for c in reversed(list(self.clusters)):  # inner boxes first
            lo, hi = self.span[c]
            inner_top = max((top_room[k] for k in self.clusters if self.parent[k] == c
                             and self.span[k][0] == lo), default=0.0)
            inner_bottom = max((bottom_room[k] for k in self.clusters if self.parent[k] == c
                                and self.span[k][1] == hi), default=0.0)
            top_room[c] = inner_top + PAD + SCOPE_LABEL * LINE
            bottom_room[c] = inner_bottom + PAD
        above = [0.0] * (self.nranks + 1)  # extra room above rank r (and below the last)
        below = [0.0] * (self.nranks + 1)
        for c, (lo, hi) in self.span.items():
            above[lo] = max(above[lo], top_room[c])
            below[hi + 1] = max(below[hi + 1], bottom_room[c])
        caption_w, caption_h = text_block(self.scene.caption)
        y, centre = MARGIN + (caption_h + RANK_GAP if self.scene.caption else 0.0), []
        for r in range(self.nranks):
            if r:  # steep pieces need room to turn: a gap grows with the widest jump across it
                jump = max((abs(a.x + a.offset - b.x - b.offset) for a in self.ranks[r - 1]
                            for b, _, _ in a.down), default=0.0)
                y += RANK_GAP + min(jump * 0.08, 24)
            y += above[r] + below[r]
            centre.append(y + height[r] / 2)
            y += height[r]
        y += below[self.nranks] + MARGIN
        left = min([it.x - it.w / 2 for it in self.items.values()] +
                   [x0 for x0, _ in self.box_x.values()], default=0.0)
        shift = MARGIN - left
        right = max([it.x + it.w / 2 for it in self.items.values()] +
                    [x1 for _, x1 in self.box_x.values()], default=0.0)
        nodes, xlabels = {}, {}
        for n in self.nodes:
            it, (w, h) = self.items[n.id], self.size[n.id]
            x, y_n = it.x + it.offset + shift, centre[self.rank[n.id]]
            nodes[n.id] = (x, y_n, w, h)
            if n.xlabel:
                lw, lh = text_block(n.xlabel)
                x0 = x + w / 2 + SIDE_GAP
                xlabels[n.id] = (x0, y_n - lh / 2, x0 + lw, y_n + lh / 2)
        clusters = {}
        for c, (x0, x1) in self.box_x.items():
            lo, hi = self.span[c]
            clusters[c] = (x0 + shift, centre[lo] - height[lo] / 2 - top_room[c],
                           x1 + shift, centre[hi] + height[hi] / 2 + bottom_room[c])
        self.room = {}  # dummy -> how far its line may lean left and right in its rank
        for rank in self.ranks:
            for i, it in enumerate(rank):
                lo = rank[i - 1].x + rank[i - 1].w / 2 + 2 if i else float("-inf")
                hi = rank[i + 1].x - rank[i + 1].w / 2 - 2 if i + 1 < len(rank) else float("inf")
                self.room[it.id] = (lo, hi)
        routes = [self._route(k, e, chain, nodes, centre, height, shift)
                  for k, (e, chain) in enumerate(zip(self.scene.edges, self.chains))]
        width = max(right + shift, MARGIN + caption_w) + MARGIN
        return Layout(nodes, dict(self.rank), clusters, routes, width, y, xlabels)

    def _route(self, k, e, chain, nodes, centre, height, shift):
        tail, head = chain[0], chain[-1]
        tx, ty, tw, th = nodes[tail.id]
        hx, hy, hw, hh = nodes[head.id]
        if tail.rank == head.rank:  # within a rank: over the top, from one box to the other
            return Route(e, [(tx, ty - th / 2), (hx, hy - hh / 2)], set(), None, False, True)
        down = head.rank > tail.rank
        sign = 1 if down else -1
        points = [(tx + self._port(tail, chain[1], k, tw), ty + sign * th / 2)]
        straight, label_at = set(), None
        for before, d, after in zip(chain, chain[1:-1], chain[2:]):
            x, y, h = d.x + shift + d.offset, centre[d.rank], height[d.rank]
            if d.w:  # its own label: straight down its left side, never across it
                label_at = (x + 4, y)
                points += [(x, y - sign * h / 2), (x, y + sign * h / 2)]
                straight.add(len(points) - 1)
            elif h > 2 * EDGE_LABEL * LINE:  # a rank of boxes: a straight line, clear of them
                slope = (after.x + after.offset - before.x - before.offset) / (
                    centre[after.rank] - centre[before.rank])
                lo, hi = self.room[d.id]
                half = slope * h / 2
                x -= shift
                points += [(min(max(x - half, lo), hi) + shift, y - sign * h / 2),
                           (min(max(x + half, lo), hi) + shift, y + sign * h / 2)]
                straight.add(len(points) - 1)
            else:
                points.append((x, y))
        points.append((hx + self._port(head, chain[-2], k, hw), hy - sign * hh / 2))
        return Route(e, points, straight, label_at, not down, False)

    def _port(self, item, other, k, w):
        """Where on the box's top or bottom side edge k leaves: spread out, in the order of
        the other ends, so the edges of a busy node do not start from one point."""
        side = [(o, j) for o, _, j in (item.down if other.rank > item.rank else item.up)]
        if len(side) < 2:
            return 0.0
        side.sort(key=lambda s: (s[0].x + s[0].offset, s[1]))
        i = next(n for n, (o, j) in enumerate(side) if o is other and j == k)
        span = min(w * 0.6, 12.0 * (len(side) - 1))
        return -span / 2 + span * i / (len(side) - 1)


# ---- small algorithms ---------------------------------------------------------------------
def _retotal(before, totals):
    """Bring the boxes' position sums up to date after items moved from `before`."""
    for it, was in before.items():
        if it.pos != was:
            for c in it.path:
                totals[c][0] += it.pos - was


def _number(rank):
    """Positions within a rank, centred on 0 so that ranks of different sizes line up."""
    middle = (len(rank) - 1) / 2
    for i, it in enumerate(rank):
        it.pos = i - middle


def _inversions(values):
    """How many pairs are out of order (edge crossings between two ranks), in n log n."""
    if len(values) < 2:
        return 0
    mid = len(values) // 2
    left, right = sorted(values[:mid]), sorted(values[mid:])
    count = _inversions(values[:mid]) + _inversions(values[mid:])
    j = 0
    for v in left:  # pairs (v in left, w in right) with w < v
        while j < len(right) and right[j] < v:
            j += 1
        count += j
    return count
