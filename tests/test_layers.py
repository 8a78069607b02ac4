"""Layers you can read (issue 10 item 3, docs/adr/0013-layers-and-the-import-rule.md).

    core  <  people  <  meetings  <  domain apps  <  config (and the `meetops` CLI)

A layer imports only from the layers below it; domain apps may import each other, without a
cycle. What counts as "imports": every `import meetops.…` / `from meetops… import` in the
package's code (module level, inside functions, under `if TYPE_CHECKING:`), and every
`{% include %}` / `{% extends %}` of a template that lives in another app. Tests and migrations
are left out (tests build whole organisations; migrations name other apps' migrations).

The AST is read, nothing is imported, so a cycle that Python would tolerate at run time
(because one side imports inside a function) still fails here.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "meetops"

# The floor, in order; every other app is a domain app, `config` and the root modules are wiring.
FLOOR = ("core", "people", "meetings")
WIRING = "config"
# The one name core may see of an app, for type checking only: the AUTH_USER_MODEL's class
# (Django's swappable contract; at run time core asks `get_user_model()`).
CORE_TYPING_ALLOWED = {("meetops.people.models", "User")}

TEMPLATE_REF = re.compile(r"""\{%\s*(?:include|extends)\s+["']([^"']+)["']""")


@dataclass(frozen=True)
class Use:
    source: str  # app of the using file
    target: str  # app used
    where: str  # path:line, relative to src/meetops
    what: str  # the module or template named
    typing_only: bool = False
    names: tuple[str, ...] = ()


def _app_of(relative: Path) -> str:
    return relative.parts[0] if len(relative.parts) > 1 else WIRING


def _skipped(relative: Path) -> bool:
    return "tests" in relative.parts or "migrations" in relative.parts


def _python_files() -> list[Path]:
    return [
        path for path in sorted(PACKAGE.rglob("*.py")) if not _skipped(path.relative_to(PACKAGE))
    ]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@dataclass(frozen=True)
class _Import:
    module: str
    names: tuple[str, ...]
    line: int
    in_function: bool
    typing_only: bool


def _imports(tree: ast.Module) -> list[_Import]:
    """Every absolute import of meetops in the module, with where it sits."""
    found: list[_Import] = []

    def visit(node: ast.AST, in_function: bool, typing_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("meetops."):
                        found.append(
                            _Import(alias.name, (), child.lineno, in_function, typing_only)
                        )
            elif isinstance(child, ast.ImportFrom) and not child.level and child.module:
                names = tuple(alias.name for alias in child.names)
                if child.module == "meetops":  # from meetops import agenda
                    for name in names:
                        found.append(
                            _Import(f"meetops.{name}", (), child.lineno, in_function, typing_only)
                        )
                elif child.module.startswith("meetops."):
                    found.append(
                        _Import(child.module, names, child.lineno, in_function, typing_only)
                    )
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    visit_one(stmt, in_function, True)
                for stmt in child.orelse:
                    visit_one(stmt, in_function, typing_only)
            else:
                inside = in_function or isinstance(
                    child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
                )
                visit(child, inside, typing_only)

    def visit_one(stmt: ast.stmt, in_function: bool, typing_only: bool) -> None:
        holder = ast.Module(body=[stmt], type_ignores=[])
        visit(holder, in_function, typing_only)

    visit(tree, False, False)
    return found


def _template_homes() -> dict[str, str]:
    """Template name -> the app whose templates/ folder holds it."""
    homes: dict[str, str] = {}
    for folder in sorted(PACKAGE.glob("*/templates")):
        for path in folder.rglob("*.html"):
            homes[path.relative_to(folder).as_posix()] = folder.parent.name
    return homes


def collect_uses() -> list[Use]:
    uses: list[Use] = []
    for path in _python_files():
        relative = path.relative_to(PACKAGE)
        source = _app_of(relative)
        for imp in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            target = imp.module.split(".")[1]
            if target != source:
                uses.append(
                    Use(
                        source,
                        target,
                        f"{relative}:{imp.line}",
                        imp.module,
                        imp.typing_only,
                        imp.names,
                    )
                )
    homes = _template_homes()
    for path in sorted(PACKAGE.glob("*/templates/**/*.html")):
        relative = path.relative_to(PACKAGE)
        source = relative.parts[0]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in TEMPLATE_REF.finditer(line):
                target = homes.get(match.group(1))
                if target is not None and target != source:
                    uses.append(Use(source, target, f"{relative}:{number}", match.group(1)))
    return uses


def allowed_below(app: str) -> set[str] | None:
    """The apps `app` may use; None: any app but the wiring (a domain app, cycles checked apart)."""
    if app in FLOOR:
        return set(FLOOR[: FLOOR.index(app)])
    return None


def _excepted(use: Use) -> bool:
    """Core naming the user model's class for type checking (CORE_TYPING_ALLOWED)."""
    return (
        use.source == "core"
        and use.typing_only
        and bool(use.names)
        and all((use.what, name) in CORE_TYPING_ALLOWED for name in use.names)
    )


def layer_violations(uses: list[Use]) -> list[str]:
    problems = []
    for use in uses:
        if use.source == WIRING or _excepted(use):
            continue
        if use.target == WIRING:
            problems.append(f"{use.where}: {use.source} uses the wiring ({use.what})")
            continue
        allowed = allowed_below(use.source)
        if allowed is None or use.target in allowed:
            continue
        problems.append(
            f"{use.where}: {use.source} may use only {sorted(allowed) or 'Django'}, "
            f"not {use.target} ({use.what})"
        )
    return problems


def find_cycle(uses: list[Use]) -> list[str] | None:
    """One cycle between apps, as the apps in order with the first use of each step."""
    graph: dict[str, dict[str, Use]] = defaultdict(dict)
    for use in uses:
        if not _excepted(use):
            graph[use.source].setdefault(use.target, use)
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def walk(app: str) -> list[str] | None:
        state[app] = 1
        path.append(app)
        for target in sorted(graph[app]):
            if state.get(target) == 1:
                loop = [*path[path.index(target) :], target]
                return [
                    f"{a} -> {b} ({graph[a][b].where}: {graph[a][b].what})"
                    for a, b in itertools.pairwise(loop)
                ]
            if target not in state:
                found = walk(target)
                if found:
                    return found
        path.pop()
        state[app] = 2
        return None

    for app in sorted(graph):
        if app not in state:
            found = walk(app)
            if found:
                return found
    return None


def _has_reason(lines: list[str], line: int) -> bool:
    """A comment on the import's line, or on the line above it or above its block of imports."""
    if "#" in lines[line - 1]:
        return True
    above = line - 2
    while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def unexplained_late_imports() -> list[str]:
    """Imports of meetops inside a function with no reason written beside them."""
    problems = []
    for path in _python_files():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for imp in _imports(ast.parse(text)):
            if not imp.in_function:
                continue
            if not _has_reason(lines, imp.line):
                problems.append(f"{path.relative_to(PACKAGE)}:{imp.line}: {imp.module}")
    return problems


# --- the tests -------------------------------------------------------------------------------


def test_the_reader_finds_the_uses_it_looks_for():
    """Guards the reader itself: an import inside a function, one for type checking only and a
    template include across apps are all seen."""
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from meetops.people.models import User\n"
        "def f():\n    from meetops.agenda import services  # why\n"
        "import meetops.venues.models\n"
    )
    seen = {(i.module, i.in_function, i.typing_only) for i in _imports(tree)}
    assert seen == {
        ("meetops.people.models", False, True),
        ("meetops.agenda", True, False),
        ("meetops.venues.models", False, False),
    }
    uses = collect_uses()
    assert any(u.what.startswith("core/") or u.what == "base.html" for u in uses)


def test_a_reason_is_a_comment_beside_the_import_or_its_block():
    lines = [
        "def f():",
        "    # after django.setup()",
        "    from meetops.core.audit import audit_context",
        "    from meetops.core.models import AuditSource",
        "",
        "    from meetops.agenda import services",
        "    from meetops.budget import services  # a cycle",
    ]
    assert [_has_reason(lines, n) for n in (3, 4, 6, 7)] == [True, True, False, True]


def test_each_layer_uses_only_the_layers_below():
    """core uses nothing of ours, people only core, meetings only core and people; nothing but
    the wiring uses config."""
    problems = layer_violations(collect_uses())
    assert not problems, "Layer broken (docs/architecture.md, Layers):\n" + "\n".join(problems)


def test_no_cycle_between_apps():
    cycle = find_cycle(collect_uses())
    assert cycle is None, "Import cycle between apps:\n  " + "\n  ".join(cycle or [])


def test_the_cycle_finder_names_the_path():
    uses = [
        Use("agenda", "venues", "agenda/x.py:1", "meetops.venues"),
        Use("venues", "budget", "venues/y.py:2", "meetops.budget"),
        Use("budget", "agenda", "budget/z.html:3", "agenda/_a.html"),
        Use("budget", "meetings", "budget/z.py:4", "meetops.meetings"),
    ]
    assert find_cycle(uses) == [
        "agenda -> venues (agenda/x.py:1: meetops.venues)",
        "venues -> budget (venues/y.py:2: meetops.budget)",
        "budget -> agenda (budget/z.html:3: agenda/_a.html)",
    ]
    assert find_cycle(uses[1:]) is None


def test_imports_inside_functions_say_why():
    """An import of ours inside a function needs a reason written beside it (its line, or the
    line above it or its block of imports): a cycle inside an app, start-up order, ready()."""
    problems = unexplained_late_imports()
    assert not problems, (
        "Import inside a function without a reason beside it (hoist it to the top):\n"
        + "\n".join(problems)
    )
