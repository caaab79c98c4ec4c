"""Who imports whom inside tfteach, read from the source (ast), for tests/test_architecture.py.

`python tests/import_graph.py [ROOT]` prints the imports inside functions and the import loops
(strongly connected groups of modules), counting every import and then top-level ones only.
"""
import ast
import os
import sys


def modules(root):
    """{module name: path} for every .py file of the tfteach package under `root`."""
    out = {}
    base = os.path.join(root, "tfteach")
    for dirpath, _, files in os.walk(base):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)[:-3].replace(os.sep, ".")
                out[rel[:-len(".__init__")] if rel.endswith(".__init__") else rel] = path
    return out


def _resolve(module, is_package, node, known):
    """The tfteach modules an import statement names (submodules when `from . import x`)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in known]
    if node.level:
        parts = module.split(".")
        base = parts if is_package else parts[:-1]
        base = base[:len(base) - node.level + 1]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    found = []
    for a in node.names:
        if f"{prefix}.{a.name}" in known:
            found.append(f"{prefix}.{a.name}")
        elif prefix in known:
            found.append(prefix)
    return found


def imports(root):
    """[(module, imported module, line, inside a function?, the imported names)] for tfteach."""
    known = modules(root)
    rows = []
    for module, path in known.items():
        tree = ast.parse(open(path, encoding="utf-8").read(), path)
        is_package = path.endswith("__init__.py")

        def visit(node, in_function):
            for child in ast.iter_child_nodes(node):
                inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    names = tuple(a.name for a in child.names)
                    targets = _resolve(module, is_package, child, known)
                    if not targets and in_function and not isinstance(child, ast.Import) and child.level:
                        targets = ["?"]
                    for t in targets or ([None] if in_function else []):
                        rows.append((module, t, child.lineno, in_function, names))
                visit(child, inner)
        visit(tree, False)
    return rows


def function_imports(root):
    """[(module, line, what)] of every import statement inside a function (any module)."""
    known = modules(root)
    out = []
    for module, path in known.items():
        tree = ast.parse(open(path, encoding="utf-8").read(), path)
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        if isinstance(node, ast.Import):
                            what = ",".join(a.name for a in node.names)
                        else:
                            what = "." * node.level + (node.module or "") + ":" + ",".join(a.name for a in node.names)
                        out.append((module, node.lineno, what))
    return sorted(set(out))


def loops(root, top_level_only=False):
    """The import loops: groups of two or more modules that import each other (Tarjan's SCC)."""
    edges = {}
    for a, b, _, inside, _ in imports(root):
        if b in (None, "?") or a == b or (top_level_only and inside):
            continue
        # importing a package's submodule also runs the package's __init__ (not counted: it
        # would make every `from .ops import x` a loop through tfteach.ops)
        edges.setdefault(a, set()).add(b)
    index, low, stack, on, out = {}, {}, [], set(), []

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))
    sys.setrecursionlimit(10000)
    for v in list(edges):
        if v not in index:
            strong(v)
    return sorted(out, key=len, reverse=True)


if __name__ == "__main__":
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    fi = function_imports(root)
    print(f"imports inside functions: {len(fi)}")
    by = {}
    for m, _, _ in fi:
        by[m] = by.get(m, 0) + 1
    for m, n in sorted(by.items(), key=lambda x: -x[1]):
        print(f"  {n:3d} {m}")
    for label, top in (("every import", False), ("top-level imports only", True)):
        groups = loops(root, top)
        print(f"import loops ({label}): {len(groups)}")
        for g in groups:
            print(f"  {len(g)}: {', '.join(x.replace('tfteach.', '') for x in g)}")
