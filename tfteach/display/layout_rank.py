"""Ranks for the no-dot layout: which row each node goes in, edges as short as possible.

The network simplex method, as dot ranks nodes (Gansner, Koutsofios, North and Vo, "A
Technique for Drawing Directed Graphs", 1993), in its plainest form: start from longest paths,
grow a spanning tree of tight edges, then swap tree edges while that shortens the edges.
Small graphs only (the lesson graphs have a few hundred nodes): nothing here is incremental.
"""


def short_ranks(nodes, edges, minlen=2):
    """{node: rank} with rank[head] - rank[tail] >= minlen for every (tail, head) edge (the
    graph must be acyclic) and the total edge length, rank[head] - rank[tail], minimal.

    Nodes come in a fixed order (ties are broken by it, so results are stable).
    """
    weight = {}
    for tail, head in edges:
        if tail != head:
            weight[tail, head] = weight.get((tail, head), 0) + 1
    rank = {}
    for part in _components(nodes, weight):
        rank.update(_simplex(part, {e: w for e, w in weight.items() if e[0] in part}, minlen))
    return rank


def _components(nodes, weight):
    near = {n: [] for n in nodes}
    for tail, head in weight:
        near[tail].append(head)
        near[head].append(tail)
    seen, parts = set(), []
    for n in nodes:
        if n in seen:
            continue
        part, stack = {}, [n]
        seen.add(n)
        while stack:
            u = stack.pop()
            part[u] = True
            for v in near[u]:
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        parts.append(list(part))
    return parts


def _simplex(nodes, weight, minlen):
    order = {n: i for i, n in enumerate(nodes)}
    nodes = sorted(nodes, key=order.get)
    edges = sorted(weight, key=lambda e: (order[e[0]], order[e[1]]))
    ins = {n: [] for n in nodes}
    for e in edges:
        ins[e[1]].append(e)
    rank = {}
    for n in _topological(nodes, edges):  # longest paths from the sources: feasible
        rank[n] = max((rank[t] + minlen for t, _ in ins[n]), default=0)

    def slack(e):
        return rank[e[1]] - rank[e[0]] - minlen

    tree = _feasible_tree(nodes, edges, rank, slack)
    for _ in range(4 * len(nodes) + 50):  # each swap shortens the edges; stop if it cycles
        low, lim, parent = _postorder(nodes, tree)
        cut = _cut_values(nodes, edges, weight, tree, low, lim, parent)
        leave = next((e for e in edges if e in tree and cut[e] < 0), None)
        if leave is None:
            break
        tail_side = lim[leave[0]] < lim[leave[1]]  # the subtree below `leave` holds its tail
        below = leave[0] if tail_side else leave[1]

        def inside(n):
            return low[below] <= lim[n] <= lim[below]
        # the entering edge crosses the cut the other way, and is the tightest such edge
        crossing = [e for e in edges if e not in tree and inside(e[0]) != inside(e[1])
                    and inside(e[1]) == tail_side]
        if not crossing:
            break
        enter = min(crossing, key=slack)
        delta = slack(enter)
        for n in nodes:
            if inside(n):
                rank[n] += -delta if tail_side else delta
        tree.discard(leave)
        tree.add(enter)
    low = min(rank.values())
    return {n: r - low for n, r in rank.items()}


def _topological(nodes, edges):
    outs = {n: [] for n in nodes}
    waiting = {n: 0 for n in nodes}
    for t, h in edges:
        outs[t].append(h)
        waiting[h] += 1
    ready = [n for n in nodes if waiting[n] == 0]
    order = []
    while ready:
        n = ready.pop(0)
        order.append(n)
        for h in outs[n]:
            waiting[h] -= 1
            if waiting[h] == 0:
                ready.append(h)
    return order


def _feasible_tree(nodes, edges, rank, slack):
    """A spanning tree of tight edges (slack 0): grow one from the first node; when it is
    stuck, shift it by the smallest slack of an edge leaving it, which makes that edge tight."""
    tree, inside = set(), {nodes[0]}
    near = {n: [] for n in nodes}
    for e in edges:
        near[e[0]].append(e)
        near[e[1]].append(e)
    while True:
        stack = list(inside)
        while stack:
            n = stack.pop()
            for e in near[n]:
                other = e[1] if e[0] == n else e[0]
                if other not in inside and slack(e) == 0:
                    inside.add(other)
                    tree.add(e)
                    stack.append(other)
        if len(inside) == len(nodes):
            return tree
        e = min((e for e in edges if (e[0] in inside) != (e[1] in inside)), key=slack)
        delta = slack(e) if e[0] in inside else -slack(e)
        for n in inside:
            rank[n] += delta


def _postorder(nodes, tree):
    """Number the tree in postorder from the first node: `lim[n]` is n's number and
    `low[n]` the smallest number below it, so m is below n when low[n] <= lim[m] <= lim[n]."""
    near = {n: [] for n in nodes}
    order = {n: i for i, n in enumerate(nodes)}
    for e in sorted(tree, key=lambda e: (order[e[0]], order[e[1]])):
        near[e[0]].append((e, e[1]))
        near[e[1]].append((e, e[0]))
    low, lim, parent = {}, {}, {nodes[0]: None}
    count = 0
    stack = [(nodes[0], iter(near[nodes[0]]), count + 1)]
    while stack:
        n, children, first = stack[-1]
        step = next(children, None)
        if step is None:
            stack.pop()
            count += 1
            low[n], lim[n] = first, count
            continue
        e, child = step
        if child not in parent:
            parent[child] = e
            stack.append((child, iter(near[child]), count + 1))
    return low, lim, parent


def _cut_values(nodes, edges, weight, tree, low, lim, parent):
    """For each tree edge: the weight of the edges crossing its cut in its direction minus
    those crossing against it (negative: turning the tree there would shorten edges).

    Leaves first, each from its own edges and its children's cut values (dot's x_cutval),
    so all of them cost one look at every edge.
    """
    incident = {n: [] for n in nodes}
    for e in edges:
        incident[e[0]].append(e)
        incident[e[1]].append(e)
    cut = {}
    for v in sorted(nodes, key=lim.get):  # postorder: children before their parent
        f = parent[v]
        if f is None:
            continue
        total = 0
        for e in incident[v]:
            other = e[1] if e[0] == v else e[0]
            crossing = not low[v] <= lim[other] <= lim[v]
            value = weight[e] if crossing else (cut[e] if e in tree else 0) - weight[e]
            same = (e[1] == v) if f[0] == v else (e[0] == v)
            total += value if same != crossing else -value
        cut[f] = total
    return cut


def acyclic_order(out, key):
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
