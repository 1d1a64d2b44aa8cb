"""The project's architecture rules, checked on the source text with `ast` (nothing is imported).

1. Layers. Each project package may import only the packages ALLOWED lists for it (and itself):
   core <- accounts <- diary <- clinic; education builds on core at most; core imports no project
   package; migraine_app (settings, URLs, WSGI, the project-wide glue) may import any app.
   Management commands, migrations, templatetags and admin modules belong to their app.
   tests/, bench/ and scripts/ are not checked.
2. Every import counts: module level, inside functions, under `if TYPE_CHECKING`, `import x.y`,
   `from x import y` and relative imports (resolved). So do the Django ways of naming another app
   in a string literal: apps.get_model("clinic", "X"), apps.get_model("clinic.X"),
   apps.get_app_config("clinic"), import_string("clinic.x.y"), import_module("clinic.x"),
   include("clinic.urls") and lazy relations such as ForeignKey("clinic.X"). Strings in migrations
   (their dependencies name other apps) and in settings are not checked.
3. No import of a project module inside a function or method body: such imports are how import
   circles get hidden. Allowed only in AppConfig.ready() (apps.py) and in migrations. Third-party
   and standard-library imports inside functions are fine.
4. No import circle among the project's modules, counting every import of rule 2 (a circle that is
   closed by an import inside a function is still a circle; rule 3 reports that import too).

The checker works on a dict of {"package/module.py": source text}, so the self-tests at the end
feed it small synthetic trees with one known violation of each rule.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
from collections import deque
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Who may import whom. A package may always import itself.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "accounts": {"core"},
    "diary": {"core", "accounts"},
    "clinic": {"core", "accounts", "diary"},
    "education": {"core"},
    "migraine_app": {"core", "accounts", "diary", "clinic", "education"},
}
PROJECT_PACKAGES = frozenset(ALLOWED)

# Calls whose first literal argument names a dotted module path ("clinic.views.f").
DOTTED_PATH_CALLS = {"import_string", "import_module", "__import__", "include"}
# Calls whose literal arguments name an app label ("clinic", "clinic.Model").
APP_LABEL_CALLS = {"get_model", "get_app_config"}
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


# ------------------------------------------------------------------------------------------ model


@dataclasses.dataclass(frozen=True)
class Module:
    name: str  # "diary.models"
    path: str  # "diary/models.py", as shown in messages
    is_package: bool  # an __init__.py

    @property
    def package(self) -> str:
        return self.name.split(".")[0]

    @property
    def is_migration(self) -> bool:
        return "migrations" in self.name.split(".")[1:]

    @property
    def is_settings(self) -> bool:
        return any(part.startswith("settings") for part in self.name.split(".")[1:])

    @property
    def is_apps(self) -> bool:
        return self.name.split(".")[-1] == "apps"


@dataclasses.dataclass(frozen=True)
class Reference:
    """One dependency of a module on another: an import statement or a string naming a module/app."""

    module: Module
    line: int
    target: str  # absolute dotted name: "clinic.models", or just "clinic" for an app label
    code: str  # the statement or call, as written (unparsed)
    kind: str  # "import" or "string"
    function: str | None  # the enclosing function ("SessionStore.get_model_class"), None at module level
    in_ready: bool  # inside an AppConfig.ready() of an apps.py
    type_checking: bool  # under `if TYPE_CHECKING:`

    @property
    def target_package(self) -> str:
        return self.target.split(".")[0]

    @property
    def where(self) -> str:
        return f"{self.module.path}:{self.line}"

    def describe(self) -> str:
        notes = []
        if self.function:
            notes.append(f"inside {self.function}()")
        if self.type_checking:
            notes.append("under TYPE_CHECKING")
        code = self.code if len(self.code) <= 110 else self.code[:107] + "..."
        return f"`{code}`" + (f"  [{', '.join(notes)}]" if notes else "")


@dataclasses.dataclass
class Analysis:
    modules: dict[str, Module]
    references: list[Reference]
    errors: list[str]  # files that do not parse

    @property
    def packages(self) -> set[str]:
        return {module.package for module in self.modules.values() if module.name == module.package}


# --------------------------------------------------------------------------------------- reading


def read_tree(root: Path = ROOT) -> dict[str, str]:
    """{"diary/models.py": source} for every project package present (a directory with __init__.py)."""
    files = {}
    for package in sorted(PROJECT_PACKAGES):
        directory = root / package
        if not (directory / "__init__.py").is_file():
            continue
        for path in sorted(directory.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            try:
                files[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
            except FileNotFoundError:  # moved away while the tree was being read
                continue
    return files


def module_for(path: str) -> Module:
    parts = path.removesuffix(".py").split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return Module(".".join(parts), path, is_package)


def app_labels(trees: dict[str, ast.Module]) -> dict[str, str]:
    """{app label: package}: the package's name, unless its apps.py gives its AppConfig another label."""
    labels = {package: package for package in PROJECT_PACKAGES}
    for path, tree in trees.items():
        if path.count("/") != 1 or not path.endswith("/apps.py"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "label" for target in node.targets
            ):
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    labels[node.value.value] = path.split("/")[0]
    return labels


def analyse(files: dict[str, str]) -> Analysis:
    """Every reference from every module of `files` ({"package/module.py": source})."""
    modules, trees, errors = {}, {}, []
    for path, source in sorted(files.items()):
        module = module_for(path)
        modules[module.name] = module
        try:
            trees[path] = ast.parse(source, filename=path)
        except SyntaxError as error:
            errors.append(f"{path}:{error.lineno}: does not parse: {error.msg}")
    labels = app_labels(trees)
    references = []
    for path, tree in trees.items():
        collector = _Collector(module_for(path), set(modules), labels)
        collector.visit(tree)
        references.extend(collector.references)
    return Analysis(modules, references, errors)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class _Collector(ast.NodeVisitor):
    def __init__(self, module: Module, known: set[str], labels: dict[str, str]):
        self.module, self.known, self.labels = module, known, labels
        self.scopes: list[tuple[str, str]] = []  # ("class" | "function", name)
        self.type_checking = False
        self.in_ready = False
        self.references: list[Reference] = []

    # -- scopes

    def _function(self) -> str | None:
        if not any(kind == "function" for kind, _ in self.scopes):
            return None
        return ".".join(name for _, name in self.scopes)

    def _visit_scope(self, node, kind: str, name: str) -> None:
        ready = (
            kind == "function"
            and name == "ready"
            and self.module.is_apps
            and bool(self.scopes)
            and self.scopes[-1][0] == "class"
        )
        was_ready, self.in_ready = self.in_ready, self.in_ready or ready
        self.scopes.append((kind, name))
        self.generic_visit(node)
        self.scopes.pop()
        self.in_ready = was_ready

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._visit_scope(node, "class", node.name)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._visit_scope(node, "function", node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_scope(node, "function", "<lambda>")

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        self.visit(node.test)
        was, self.type_checking = self.type_checking, True
        for child in node.body:
            self.visit(child)
        self.type_checking = was
        for child in node.orelse:
            self.visit(child)

    # -- references

    def _add(self, node: ast.AST, target: str, kind: str) -> None:
        self.references.append(
            Reference(
                module=self.module,
                line=node.lineno,
                target=target,
                code=ast.unparse(node),
                kind=kind,
                function=self._function(),
                in_ready=self.in_ready,
                type_checking=self.type_checking,
            )
        )

    def _resolve(self, node: ast.ImportFrom) -> str | None:
        if node.level == 0:
            return node.module
        parts = self.module.name.split(".")
        base = parts if self.module.is_package else parts[:-1]
        drop = node.level - 1
        if drop >= len(base):
            return None  # beyond the top-level package: Python refuses it too
        base = base[: len(base) - drop]
        return ".".join(base + ([node.module] if node.module else []))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node, alias.name, "import")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._resolve(node)
        if base is None:
            return
        targets = []
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            target = submodule if submodule in self.known else base  # `from diary import models` is diary.models
            if target not in targets:
                targets.append(target)
        for target in targets:
            self._add(node, target, "import")

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        if self.module.is_migration or self.module.is_settings:
            return
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        args = [_literal(arg) for arg in node.args]
        keywords = {keyword.arg: _literal(keyword.value) for keyword in node.keywords if keyword.arg}
        target = None
        if name in DOTTED_PATH_CALLS:
            path = args[0] if args else keywords.get("name") or keywords.get("dotted_path")
            if path and not path.startswith(".") and path.split(".")[0] in PROJECT_PACKAGES:
                target = path
        elif name in APP_LABEL_CALLS:
            label = args[0] if args else keywords.get("app_label")
            if label and name == "get_model" and len(node.args) == 1 and "model_name" not in keywords:
                label = label.split(".")[0] if "." in label else None  # get_model("clinic.Share")
            target = self.labels.get(label) if label else None
        elif name in RELATION_FIELDS:
            to = args[0] if args else keywords.get("to")
            if to and "." in to:  # ForeignKey("clinic.Share"); "Share" and "self" are this app's
                target = self.labels.get(to.split(".")[0])
        if target:
            self._add(node, target, "string")


# ---------------------------------------------------------------------------------------- checks


def layer_violations(analysis: Analysis, kind: str | None = None) -> list[Reference]:
    """Rules 1 and 2: references from one project package to another that ALLOWED does not list."""
    found = []
    for ref in analysis.references:
        source, target = ref.module.package, ref.target_package
        if kind and ref.kind != kind:
            continue
        if target in PROJECT_PACKAGES and target != source and target not in ALLOWED[source]:
            found.append(ref)
    return found


def function_import_violations(analysis: Analysis) -> list[Reference]:
    """Rule 3: imports of project modules inside function bodies (not in apps.py ready(), not in migrations)."""
    return [
        ref
        for ref in analysis.references
        if ref.kind == "import"
        and ref.function
        and ref.target_package in PROJECT_PACKAGES
        and not ref.in_ready
        and not ref.module.is_migration
    ]


def import_graph(analysis: Analysis) -> dict[str, dict[str, Reference]]:
    """{module: {imported module: the first import of it}}, between the modules of the analysed tree."""
    graph: dict[str, dict[str, Reference]] = {name: {} for name in analysis.modules}
    for ref in analysis.references:
        if ref.kind != "import":
            continue
        target = ref.target
        while target and target not in analysis.modules:  # `import diary.models.X` is diary.models
            target = target.rpartition(".")[0]
        if target and target != ref.module.name:
            graph[ref.module.name].setdefault(target, ref)
    return graph


def strongly_connected(graph: dict[str, dict[str, Reference]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative): the groups of modules that reach each other, largest first."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups, key=lambda group: (-len(group), group))


def find_cycles(graph: dict[str, dict[str, Reference]]) -> list[list[str]]:
    """Rule 4: for each module in a circle, the shortest circle through it, as [a, b, ..., a], without repeats."""
    cycles, seen = [], set()
    for group in strongly_connected(graph):
        members = set(group)
        for start in group:
            parents, queue = {}, deque([start])
            while queue and start not in parents:
                node = queue.popleft()
                for child in sorted(graph[node]):
                    if child in members and child not in parents:
                        parents[child] = node
                        queue.append(child)
            path, node = [start], parents[start]
            while node != start:
                path.append(node)
                node = parents[node]
            path = [start, *reversed(path[1:])]  # start -> ... -> the module that imports start
            turn = path.index(min(path))
            canonical = tuple(path[turn:] + path[:turn])
            if canonical not in seen:
                seen.add(canonical)
                cycles.append([*canonical, canonical[0]])
    return cycles


# ------------------------------------------------------------------------------------- messages


def _lines(refs: list[Reference], explain) -> list[str]:
    """One line per statement and explanation (`from diary import a, b` is one line), in file order."""
    lines, seen = [], set()
    for ref in sorted(refs, key=lambda ref: (ref.module.path, ref.line, ref.target)):
        key = (ref.where, ref.code, explain(ref))
        if key not in seen:
            seen.add(key)
            lines.append(f"  {ref.where}: {explain(ref)}: {ref.describe()}")
    return lines


def _allowed(package: str) -> str:
    return ", ".join(sorted(ALLOWED[package])) or "no project package"


def layer_report(refs: list[Reference]) -> list[str]:
    return _lines(refs, lambda ref: f"{ref.module.package} -> {ref.target_package}")


def function_import_report(refs: list[Reference]) -> list[str]:
    return _lines(refs, lambda ref: f"{ref.module.name} imports {ref.target_package} inside a function")


def cycle_report(cycles: list[list[str]], graph: dict[str, dict[str, Reference]]) -> list[str]:
    """Each group of modules that import each other, then its circles with the import closing each step."""
    lines = []
    for group in strongly_connected(graph):
        lines.append(f"  {len(group)} modules import each other: {', '.join(group)}")
        for cycle in cycles:
            if cycle[0] not in group:
                continue
            lines.append("    " + " -> ".join(cycle))
            for source, target in zip(cycle, cycle[1:], strict=False):
                ref = graph[source][target]
                lines.append(f"      {ref.where}: {source} imports {target}: {ref.describe()}")
    return lines


def _fail(header: str, lines: list[str]) -> None:
    pytest.fail(header + "\n" + "\n".join(lines), pytrace=False)


# ----------------------------------------------------------------------------- the project's tree


@functools.cache
def project() -> Analysis:
    return analyse(read_tree(ROOT))


def _present(package: str) -> None:
    if package not in project().packages:
        pytest.skip(f"{package}/ is not a package (yet): nothing to check")


def test_allowed_table_is_a_layering():
    """ALLOWED itself: only known packages, and no two packages allowed to import each other (even via others)."""
    for package, allowed in ALLOWED.items():
        assert allowed <= PROJECT_PACKAGES - {package}, package
    for package in ALLOWED:
        reachable, todo = set(), list(ALLOWED[package])
        while todo:
            other = todo.pop()
            if other not in reachable:
                reachable.add(other)
                todo.extend(ALLOWED[other])
        assert package not in reachable, f"ALLOWED lets {package} depend on itself through {sorted(reachable)}"


def test_project_sources_parse():
    analysis = project()
    assert analysis.modules, f"no project package found under {ROOT}"
    if analysis.errors:
        _fail("Some project files do not parse, so the rules below skip them:", ["  " + e for e in analysis.errors])


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_follow_the_layers(package):
    """Rules 1 and 2: every import statement of `package` (any place, any form) stays within its layers."""
    _present(package)
    refs = [ref for ref in layer_violations(project(), kind="import") if ref.module.package == package]
    if refs:
        _fail(
            f"{package} may import only {_allowed(package)} (and itself); "
            f"{len(layer_report(refs))} import(s) go elsewhere:",
            layer_report(refs),
        )


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_no_string_references_around_the_layers(package):
    """Rule 2: apps.get_model("app", ...), import_string("app...") and the like count as imports."""
    _present(package)
    refs = [ref for ref in layer_violations(project(), kind="string") if ref.module.package == package]
    if refs:
        _fail(
            f"{package} may depend only on {_allowed(package)} (and itself); "
            f"{len(layer_report(refs))} string reference(s) name another app:",
            layer_report(refs),
        )


def test_no_function_level_imports_of_project_modules():
    """Rule 3: project modules are imported at the top of the module (apps.py ready() and migrations aside)."""
    refs = function_import_violations(project())
    if refs:
        lines = function_import_report(refs)
        _fail(
            f"{len(lines)} import(s) of project modules inside functions "
            "(move them to module level; if that makes a circle, the dependency is the problem):",
            lines,
        )


def test_no_import_cycles():
    """Rule 4: no circle of imports among the project's modules (imports inside functions count)."""
    graph = import_graph(project())
    cycles = find_cycles(graph)
    if cycles:
        _fail(
            f"{len(cycles)} import circle(s) among the project's modules (an import inside a function still counts):",
            cycle_report(cycles, graph),
        )


# ------------------------------------------------------------------------ self-tests of the checker

CLEAN_TREE = {
    "core/__init__.py": "",
    "core/util.py": "import os\n\ndef f():\n    import json\n    return json, os\n",
    "diary/__init__.py": "",
    "diary/apps.py": (
        "from django.apps import AppConfig\n\n"
        "class DiaryConfig(AppConfig):\n"
        "    name = 'diary'\n\n"
        "    def ready(self):\n"
        "        from diary import signals  # allowed: ready()\n"
    ),
    "diary/signals.py": "from core import util\n",
    "diary/models.py": (
        "from django.db import models\n"
        "from . import signals\n"
        "from core.util import f\n\n"
        "class Attack(models.Model):\n"
        "    patient = models.ForeignKey('auth.User', on_delete=models.CASCADE)\n"
        "    other = models.ForeignKey('Attack', on_delete=models.CASCADE)\n"
    ),
    "diary/migrations/__init__.py": "",
    "diary/migrations/0001_initial.py": (
        "from django.db import migrations\n\n"
        "def forwards(apps, schema_editor):\n"
        "    from diary.signals import util  # allowed: a migration\n"
        "    apps.get_model('clinic', 'Share')  # allowed: strings in migrations\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [('clinic', '0001_initial')]\n"
    ),
    "clinic/__init__.py": "",
    "clinic/models.py": "from diary.models import Attack\nfrom diary import signals\n",
    "education/__init__.py": "",
    "education/views.py": "from core import util\nfrom .models import Section\n",
    "education/models.py": "from django.apps import apps\n\ndef g():\n    return apps.get_model('education.Section')\n",
    "migraine_app/__init__.py": "",
    "migraine_app/settings.py": "INSTALLED_APPS = ['clinic.apps.ClinicConfig']\nX = __import__('clinic')\n",
    "migraine_app/urls.py": "from clinic import models\nfrom education import views\nfrom diary.models import Attack\n",
}


def _synthetic(**changes: str) -> Analysis:
    return analyse({**CLEAN_TREE, **changes})


def _where(refs: list[Reference]) -> set[tuple[str, str]]:
    return {(ref.where, ref.target) for ref in refs}


def test_checker_passes_a_clean_tree():
    analysis = _synthetic()
    assert analysis.errors == []
    assert layer_violations(analysis) == []
    assert function_import_violations(analysis) == []
    assert find_cycles(import_graph(analysis)) == []


def test_checker_finds_layer_violations_in_every_form_of_import():
    analysis = _synthetic(
        **{
            "core/util.py": "import diary.models\n",  # core imports nothing of the project
            "diary/signals.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from clinic.models import Share\n"  # diary must not know clinic, even for types
                "from migraine_app import urls\n"  # nor the project glue
            ),
            "education/views.py": "from diary import models\n",  # education builds on core only
            "accounts/__init__.py": "",
            "accounts/models.py": "from ..clinic import models\n",  # beyond the top level: not an import
            "accounts/forms.py": "from .models import X\nfrom core import util\nfrom diary.forms import F\n",
        }
    )
    assert _where(layer_violations(analysis, kind="import")) == {
        ("core/util.py:1", "diary.models"),
        ("diary/signals.py:3", "clinic.models"),
        ("diary/signals.py:4", "migraine_app.urls"),
        ("education/views.py:1", "diary.models"),
        ("accounts/forms.py:3", "diary.forms"),
    }
    [type_only] = [ref for ref in analysis.references if ref.target == "clinic.models" and ref.type_checking]
    assert "under TYPE_CHECKING" in type_only.describe()
    report = "\n".join(layer_report(layer_violations(analysis)))
    assert "accounts/forms.py:3: accounts -> diary: `from diary.forms import F`" in report


def test_checker_finds_string_references():
    analysis = _synthetic(
        **{
            "diary/signals.py": (
                "from django.apps import apps\n"
                "from django.utils.module_loading import import_string\n"
                "from django.db import models\n"
                "def f():\n"
                "    apps.get_model('clinic', 'Share')\n"
                "    apps.get_model('clinic.Share')\n"
                "    apps.get_model(app_label='clinic', model_name='Share')\n"
                "    import_string('clinic.services.display_name')\n"
                "    apps.get_model('diary', 'Attack')\n"  # itself: fine
                "    apps.get_model('auth', 'Group')\n"  # not a project app: fine
                "share = models.ForeignKey('clinic.Share', on_delete=models.CASCADE)\n"
            ),
            "core/util.py": "from importlib import import_module\nm = import_module('education.models')\n",
        }
    )
    assert _where(layer_violations(analysis, kind="string")) == {
        ("diary/signals.py:5", "clinic"),
        ("diary/signals.py:6", "clinic"),
        ("diary/signals.py:7", "clinic"),
        ("diary/signals.py:8", "clinic.services.display_name"),
        ("diary/signals.py:11", "clinic"),
        ("core/util.py:2", "education.models"),
    }
    assert layer_violations(analysis, kind="import") == []


def test_checker_reads_app_labels_from_apps_py():
    analysis = _synthetic(
        **{
            "clinic/apps.py": "from django.apps import AppConfig\nclass C(AppConfig):\n    label = 'care'\n",
            "diary/signals.py": "from django.apps import apps\nX = apps.get_model('care', 'Share')\n",
        }
    )
    assert _where(layer_violations(analysis, kind="string")) == {("diary/signals.py:2", "clinic")}


def test_checker_finds_function_level_imports():
    analysis = _synthetic(
        **{
            "clinic/models.py": (
                "from diary.models import Attack\n"
                "class Share:\n"
                "    def save(self):\n"
                "        import json\n"  # stdlib: fine
                "        from diary import signals\n"  # another app, inside a method
                "        from . import views\n"  # itself, inside a method: still hides a circle
                "def ready():\n"
                "    from diary import models\n"  # `ready` outside apps.py: no exemption
            ),
        }
    )
    assert _where(function_import_violations(analysis)) == {
        ("clinic/models.py:5", "diary.signals"),
        ("clinic/models.py:6", "clinic"),
        ("clinic/models.py:8", "diary.models"),
    }
    report = "\n".join(function_import_report(function_import_violations(analysis)))
    assert "clinic/models.py:5: clinic.models imports diary inside a function: `from diary import signals`" in report
    assert "[inside Share.save()]" in report


def test_checker_finds_import_cycles():
    analysis = _synthetic(
        **{
            "diary/models.py": "from . import services\n",
            "diary/services.py": "from diary.models import Attack\n",
            "diary/backends.py": "import diary.models\n",  # into the circle, not part of it
            "migraine_app/sessions.py": "def f():\n    from diary import backends\n",
            "diary/signals.py": "from migraine_app import sessions\n",
            "diary/apps.py": "from diary import signals\n",  # signals -> sessions -> backends: no way back
            "core/a.py": "from core import b\n",
            "core/b.py": "def f():\n    from core import c\n",  # a circle closed inside a function
            "core/c.py": "import core.a\n",
        }
    )
    graph = import_graph(analysis)
    assert find_cycles(graph) == [
        ["core.a", "core.b", "core.c", "core.a"],
        ["diary.models", "diary.services", "diary.models"],
    ]
    report = "\n".join(cycle_report(find_cycles(graph), graph))
    assert "  2 modules import each other: diary.models, diary.services" in report
    assert "    diary.models -> diary.services -> diary.models" in report
    assert "core/b.py:2: core.b imports core.c: `from core import c`  [inside f()]" in report


def test_checker_reports_files_that_do_not_parse():
    analysis = _synthetic(**{"diary/signals.py": "def broken(:\n"})
    assert [error.split(": ")[0] for error in analysis.errors] == ["diary/signals.py:1"]
