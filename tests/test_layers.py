"""The package layers, read from the source: imports point down, and no two modules import each other.

    shells (app.cli, app.__main__, app.web, app)  ->  eval  ->  domain (app.core, app.stats,
    app.grading, app.ask, app.speech, app.practice, app.batch)  ->  index

Every import counts, also one inside a function (a lazy import is still a dependency).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "eval", "index")
DOMAIN = ("app.core", "app.stats", "app.judge", "app.grading", "app.ask", "app.speech", "app.practice", "app.batch")
SHELLS = ("app.cli", "app.__main__", "app.web")
LAYERS = {"index": 0, "domain": 1, "eval": 2, "shell": 3}


def modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def layer(module: str) -> str:
    if module == "index" or module.startswith("index."):
        return "index"
    if module == "eval" or module.startswith("eval."):
        return "eval"
    if any(module == d or module.startswith(d + ".") for d in DOMAIN):
        return "domain"
    return "shell"  # app itself, app.cli, app.__main__, app.web


def imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The project modules that `module` imports (resolving relative imports), anywhere in the file."""
    is_package = path.name == "__init__.py"
    base = module.split(".") if is_package else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            prefix = base[: len(base) - node.level + 1] if node.level else []
            target = ".".join(prefix + ([node.module] if node.module else []))
            # 'from pkg import mod' imports the module pkg.mod; 'from mod import name' imports mod.
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:  # 'app.grading.grade.grade' -> the module 'app.grading.grade'
                name = name.rpartition(".")[0]
            # A module's own parent packages are always imported before it: not a dependency.
            if name and name != module and not module.startswith(name + ".") and name.split(".")[0] in PACKAGES:
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {m: imports(m, p, set(mods)) for m, p in mods.items()}


def upward(g: dict[str, set[str]]) -> list[str]:
    bad = []
    for m, deps in g.items():
        for d in deps:
            if d in ("app", "eval", "index"):  # a package's own docstring-only __init__ imports nothing
                continue
            if LAYERS[layer(d)] > LAYERS[layer(m)]:
                bad.append(f"{m} ({layer(m)}) imports {d} ({layer(d)})")
    return sorted(bad)


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
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

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_imports_point_down():
    assert upward(graph()) == []


def test_no_module_cycles():
    assert cycles(graph()) == []


def test_no_cycles_between_domain_concepts():
    g = graph()
    concept = lambda m: next((d for d in DOMAIN if m == d or m.startswith(d + ".")), None)  # noqa: E731
    concepts = {c: set() for c in DOMAIN}
    for m, deps in g.items():
        for d in deps:
            if concept(m) and concept(d) and concept(m) != concept(d):
                concepts[concept(m)].add(concept(d))
    assert cycles(concepts) == []


def test_the_checker_sees_an_upward_import_and_a_cycle():
    """The rules above can fail: a domain module importing the web shell is upward, two modules
    importing each other are a cycle, and a relative import inside a function is resolved."""
    g = {"app.grading.grade": {"app.web.render"}, "app.web.render": set()}
    assert upward(g) == ["app.grading.grade (domain) imports app.web.render (shell)"]
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    tmp = ROOT / "app" / "batch" / "engines.py"
    assert "app.batch.chunk" in imports("app.batch.engines", tmp, set(modules()))
