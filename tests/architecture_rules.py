"""The package's import graph and its use of private names, read from the source.

Imports inside functions count (they close circles as surely as module-level
ones); only imports under ``if TYPE_CHECKING:`` are left out, since they never run.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Module:
    """One module of the package: its dotted name, file and parsed source."""

    name: str
    path: Path
    tree: ast.Module
    is_package: bool


def package_modules(root: Path, package: str = "plotting") -> dict[str, Module]:
    """Return every module under ``root/package`` by dotted name."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        name = ".".join(parts)
        modules[name] = Module(name, path, ast.parse(path.read_text()), is_package)
    return modules


def _runtime_nodes(tree: ast.AST):
    """Walk a tree, skipping the bodies of ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_names(module: Module) -> set[str]:
    """Return the dotted names a module imports (submodules where they are ones)."""
    found = set()
    for node in _runtime_nodes(module.tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.name.split(".")
    if not module.is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def import_graph(modules: dict[str, Module]) -> dict[str, set[str]]:
    """Return each module's imports of other modules of the package."""
    graph = {}
    for name, module in modules.items():
        targets = {n for n in imported_names(module) if n in modules and n != name}
        # "from .x import y" also imports the packages on the way to x.
        graph[name] = {t for t in targets if not name.startswith(t + ".")}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def foreign_private_names(modules: dict[str, Module]) -> dict[str, set[str]]:
    """Return, by module, the private names it uses that the package never defines.

    A name with one leading underscore read as an attribute (``x._layout``) or
    imported (``from matplotlib.x import _y``) belongs to another library unless
    the package defines it somewhere (a function, class, argument, assignment or
    attribute it sets itself).
    """
    defined, classes = set(), set()
    for module in modules.values():
        for node in ast.walk(module.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined.add(node.name)
                if isinstance(node, ast.ClassDef):
                    classes.add(node.name)
            elif isinstance(node, ast.arg):
                defined.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                if not _is_foreign_store(node):
                    defined.add(node.attr)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                defined.add(node.target.id)
    used = {}
    for name, module in modules.items():
        names = set()
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                stored = isinstance(node.ctx, ast.Store)
                if node.attr not in defined or (stored and _is_foreign_store(node)):
                    names.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "matplotlib"
            ):
                names.update(a.name for a in node.names if _private(a.name))
                names.update(p for p in node.module.split(".") if _private(p))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("matplotlib"):
                        names.update(p for p in alias.name.split(".") if _private(p))
        names |= _subclass_privates(module, classes)
        names -= PUBLIC_UNDERSCORE_NAMES
        if names:
            used[name] = names
    return used


# Names with a leading underscore that are public API: namedtuple's methods,
# os._exit and IPython's display protocol (a method an object defines to show
# itself), which matplotlib's Figure does not define.
PUBLIC_UNDERSCORE_NAMES = {
    "_asdict",
    "_replace",
    "_fields",
    "_make",
    "_exit",
    "_ipython_display_",
}


def _subclass_privates(module: Module, classes: set[str]) -> set[str]:
    """Private methods and attributes of a subclass of a matplotlib class.

    Overriding ``RendererAgg._draw_text_glyphs_and_boxes`` or setting
    ``self._lastKey`` in a subclass of ``FigureCanvasAgg`` relies on matplotlib's
    private API as much as calling it does.
    """
    if "matplotlib" not in " ".join(imported_names(module)):
        return set()
    names = set()
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {_base_name(b) for b in node.bases}
        if not bases - classes - {"object", "Protocol", "NamedTuple", "Exception"}:
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.FunctionDef) and _private(inner.name):
                names.add(inner.name)
            elif (
                isinstance(inner, ast.Attribute)
                and isinstance(inner.ctx, ast.Store)
                and _private(inner.attr)
            ):
                names.add(inner.attr)
    return names


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_foreign_store(node: ast.Attribute) -> bool:
    """Whether an assignment sets a private attribute of an object not our own.

    ``self._x = ...`` defines our own attribute; ``text._renderer = None`` patches
    matplotlib's.
    """
    return not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"})
