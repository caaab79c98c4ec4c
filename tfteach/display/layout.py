"""A small layered layout of a Scene in pure Python: the picture when Graphviz is missing.

The classic four steps of a layered ("Sugiyama") drawing, as dot does them, in their simplest
forms: ranks along the data flow (longest path, then nodes pulled next to their neighbours);
long edges cut into one-rank pieces through invisible "dummy" points, and every edge label a
dummy of its own in the rank between its ends; the order within each rank by repeated
barycenter sweeps, name scopes kept in one piece; then x positions as a small quadratic
problem with "no overlap" constraints (`_satisfy`), and y positions rank by rank, leaving room
for the scope boxes. Good for teaching graphs (up to a few hundred nodes), not a general engine.
"""
# ---- sizes, in points (1/72 in, the unit of dot's SVG) ------------------------------------
TITLE, SUBTITLE, VALUE, CONST_TITLE, EDGE_LABEL, SCOPE_LABEL = 10, 8, 9, 9, 8, 9
LINE = 1.25            # line height / font size
NODE_SEP = 14          # between two boxes in a rank
DUMMY_SEP = 6          # between an edge and anything else in a rank
RANK_GAP = 9           # between two ranks (each edge spans two: a label fits between)
PAD = 6                # a scope box's margin around its contents
MARGIN = 10            # around the whole picture
CYLINDER_CAP = 5       # the height of a variable's elliptic top

# Helvetica's advance widths (per 1000 em) for ' ' .. '~'; Arial has the same metrics.
_REGULAR = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
            556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
            1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
            667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
            333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
            556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]
_BOLD = [278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
         556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
         975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
         667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
         333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
         611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584]


def text_width(text, size, bold=False):
    """The width of `text` in points, from Helvetica's metrics (no font files needed)."""
    table = _BOLD if bold else _REGULAR
    units = sum(table[ord(ch) - 32] if 32 <= ord(ch) <= 126 else 1000 if ch == "…" else 600
                for ch in text)
    return units * size / 1000 * 1.04  # a little room for fallback fonts that run wider


def label_lines(node):
    """[(text, size, bold, colour or None for the theme's)] of a node's label, top to bottom."""
    const = node.kind == "const"
    out = [(node.title, CONST_TITLE if const else TITLE, not const, None)]
    if node.subtitle:
        out.append((node.subtitle, SUBTITLE, False, "dim"))
    out += [(text, VALUE, False, colour) for text, colour in node.lines]
    return out


def node_size(node):
    """(width, height) of a node's box: its label plus the margins its shape needs."""
    lines = label_lines(node)
    w = max(text_width(t, s, b) for t, s, b, _ in lines)
    h = sum(s * LINE for _, s, _, _ in lines)
    if node.kind == "const":
        return max(w + 8, 24), h + 4
    w, h = max(w + 16, 40), max(h + 8, 26)
    if node.kind == "placeholder":
        w, h = w + 6, h + 6   # room for the double border
    elif node.kind in ("variable", "variable_scope"):
        h += 2 * CYLINDER_CAP
    elif node.kind == "scope":
        w, h = w + 4, h + 4   # the 3-D box's depth
    return w, h


# ---- the result ---------------------------------------------------------------------------
class Layout:
    """Where everything goes. `nodes`: id -> (x, y, w, h), centre and size; `ranks`: id ->
    rank; `clusters`: path -> (x0, y0, x1, y1); `routes`: one Route per scene edge."""

    def __init__(self, nodes, ranks, clusters, routes, width, height):
        self.nodes, self.ranks, self.clusters, self.routes = nodes, ranks, clusters, routes
        self.width, self.height = width, height


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
        self._place_x()
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
        order = _acyclic_order(out, key=self.index.get)
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
        rank = _short_ranks(order, pred, succ)
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
        for n in self.nodes:
            w, h = node_size(n)
            self._add(_Item(n.id, self.index[n.id], self.rank[n.id], w, h, self.path[n.id], n))
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
        for sweep in range(12):
            down = sweep % 2 == 0
            for r in (range(1, self.nranks) if down else range(self.nranks - 2, -1, -1)):
                for it in self.ranks[r]:
                    near = it.up if down else it.down
                    if near:
                        it.pos = sum(n.pos * w for n, w, _ in near) / sum(w for _, w, _ in near)
                self._sort_rank(r, self._cluster_keys())
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

    def _cluster_keys(self):
        """Each box's sort key: (mean position of its items, its creation order)."""
        total, count = {}, {}
        for it in self.items.values():
            for c in it.path:
                total[c] = total.get(c, 0.0) + it.pos
                count[c] = count.get(c, 0) + 1
        return {c: (total[c] / count[c], 0, i) for i, c in enumerate(self.clusters)}

    def _sort_rank(self, r, keys):
        self.ranks[r].sort(key=lambda it: [keys[c] for c in it.path] + [(it.pos, 1, it.index)])
        _number(self.ranks[r])

    def _crossings(self):
        n = 0
        for rank in self.ranks[:-1]:
            pieces = sorted((it.pos, b.pos) for it in rank for b, _, _ in it.down)
            n += _inversions([b for _, b in pieces])
        return n

    # ---- 4. x: separation constraints, edges pulling their ends together -----------------
    def _place_x(self):
        """x positions: minimise the squared horizontal length of the edges while boxes keep
        their order and distance in each rank and scope boxes hold their contents.

        Variables: every item's centre, and each scope box's left and right side.
        """
        var = {}
        for it in self.items.values():
            var[it.id] = len(var)
        for c in self.clusters:
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

        for rank in self.ranks:
            for a, b in zip(rank, rank[1:]):
                depth = 0
                while depth < min(len(a.path), len(b.path)) and a.path[depth] == b.path[depth]:
                    depth += 1
                left, wl = side(a, depth, True)
                right, wr = side(b, depth, False)
                dummy = (len(a.path) <= depth and a.node is None) or (len(b.path) <= depth and b.node is None)
                need(left, right, wl + wr + (DUMMY_SEP if dummy else NODE_SEP))
        for it in self.items.values():
            if it.path:
                c = it.path[-1]
                need(var["L", c], var[it.id], it.w / 2 + PAD)
                need(var[it.id], var["R", c], it.w / 2 + PAD)
        for c, cluster in self.clusters.items():
            label = text_width(cluster.label, SCOPE_LABEL) + 2 * PAD
            need(var["L", c], var["R", c], label)
            parent = self.parent[c]
            if parent:
                need(var["L", parent], var["L", c], PAD)
                need(var["R", c], var["R", parent], PAD)
        n = len(var)
        incoming = [[] for _ in range(n)]
        for (left, right), gap in sorted(cons.items()):
            incoming[right].append((left, right, gap))
        topo = _topo(n, cons)
        x = [0.0] * n
        for v in topo:  # start packed to the left: feasible
            x[v] = max((x[l] + g for l, _, g in incoming[v]), default=0.0)
        items = list(self.items.values())
        members = {c: [it for it in items if c in it.path and it.node is not None] for c in self.clusters}
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
            for chain in self.chains:  # a long edge wants to be a straight line between its ends
                (a, b), steps = (chain[0], chain[-1]), len(chain) - 1
                xa, xb = x[var[a.id]], x[var[b.id]]
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
        self.box_x = {c: (x[var["L", c]], x[var["R", c]]) for c in self.clusters}

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
        y, centre = MARGIN, []
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
        nodes = {n.id: (self.items[n.id].x + shift, centre[self.rank[n.id]], self.items[n.id].w,
                        self.items[n.id].h) for n in self.nodes}
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
        return Layout(nodes, dict(self.rank), clusters, routes, right + shift + MARGIN, y)

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
            if d.w:
                label_at = (x + 4, y)
            if h > 2 * EDGE_LABEL * LINE:  # a rank of boxes: a straight line, clear of them
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


def _short_ranks(order, pred, succ):
    """Ranks (each edge pointing down two ranks or more) with short edges: the better of
    stacking from the top (longest paths from the sources) and from the bottom (to the
    sinks), each improved by moving nodes towards the side with more of their edges."""
    best = None
    for from_top in (True, False):
        rank = {}
        if from_top:
            for u in order:
                rank[u] = max((rank[p] + 2 for p in pred[u]), default=0)
        else:
            for u in reversed(order):
                rank[u] = min((rank[s] - 2 for s in succ[u]), default=0)
        for _ in range(8):
            moved = False
            for u in reversed(order):
                lo = max((rank[p] + 2 for p in pred[u]), default=None)
                hi = min((rank[s] - 2 for s in succ[u]), default=None)
                want = hi if len(succ[u]) > len(pred[u]) else lo if len(pred[u]) > len(succ[u]) else None
                if want is not None and want != rank[u]:
                    rank[u], moved = want, True
            if not moved:
                break
        length = sum(rank[s] - rank[u] for u in order for s in succ[u])
        if best is None or length < best[0]:
            best = (length, rank)
    return best[1]


def _acyclic_order(out, key):
    """An order of the nodes of the graph `out` (node -> successors) in which as few edges
    as possible point backwards: depth-first, finishing order reversed; ties by `key`."""
    seen, finished = set(), []
    for start in sorted(out, key=key):
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(sorted(out[start], key=key)))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                finished.append(node)
            elif child not in seen:
                seen.add(child)
                stack.append((child, iter(sorted(out[child], key=key))))
    return finished[::-1]


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
    __slots__ = ("vars", "wsum", "wd", "incoming")

    def __init__(self, v, w, d, incoming):
        self.vars, self.wsum, self.wd, self.incoming = [v], w, w * d, list(incoming)

    @property
    def pos(self):
        return self.wd / self.wsum


def _satisfy(n, desired, weight, incoming, topo):
    """x close to `desired` (least squares, weighted) with x[r] - x[l] >= gap for every
    constraint (l, r, gap) in `incoming[r]`: the "satisfy" step of VPSC (Dwyer, Marriott and
    Stuckey, "Fast node overlap removal", 2005). Variables are visited left to right; one
    pushed too far left is merged with its left neighbour into a rigid block placed at the
    block's best position; blocks only move left while merging, so a pass suffices."""
    block = [None] * n
    offset = [0.0] * n
    for v in topo:
        b = block[v] = _Block(v, weight[v], desired[v], incoming[v])
        while True:
            worst, violation, keep = None, 1e-7, []
            for c in b.incoming:
                left, right, gap = c
                if block[left] is b:
                    continue  # inside the block now
                keep.append(c)
                over = block[left].pos + offset[left] + gap - b.pos - offset[right]
                if over > violation:
                    worst, violation = c, over
            b.incoming = keep
            if worst is None:
                break
            left, right, gap = worst
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
            other.incoming += b.incoming
            b = other
    return [block[v].pos + offset[v] for v in range(n)]
