"""The house rules the code itself enforces: public reads pass the publication gate, and the apps form layers.

Both are checked on the source: a module that filters on publication status by hand, or an import that points down
from `core` or closes a circle between apps, fails here before it can leak a draft or tangle the apps.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"

# The gate itself, the states it knows, and the curation workflow (which moves entries between states, for staff).
GATE_MODULES = {"cases/core/gate.py", "cases/core/status.py", "cases/core/models.py"}
GATE_APPS = {"curation"}
QUERY_CALLS = {"filter", "exclude", "get", "get_or_create", "update_or_create", "Q", "Count", "Sum", "Exists"}
FIELD_CALLS = {"values", "values_list", "only", "defer", "order_by", "F", "select_related"}


def _is_status_lookup(name):
    return name == "status" or name.startswith("status__") or "__status" in name


def status_filters(source):
    """[(line, what)] for each place the code reads publication status other than through the gate."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in QUERY_CALLS:
                for keyword in node.keywords:
                    if keyword.arg and _is_status_lookup(keyword.arg):
                        found.append((node.lineno, f"{name}({keyword.arg}=...)"))
            if name in QUERY_CALLS | FIELD_CALLS:
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _is_status_lookup(arg.value):
                        found.append((node.lineno, f"{name}({arg.value!r})"))
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and "__status" in key.value:
                    found.append((node.lineno, f"lookup {key.value!r}"))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if "__status" in text:
                found.append((node.lineno, "a lookup on status built in an f-string"))
        elif isinstance(node, ast.Attribute) and node.attr == "is_published":
            found.append((node.lineno, ".is_published"))
        elif isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                if isinstance(side, ast.Attribute) and side.attr in ("status", "PUBLISHED"):
                    found.append((node.lineno, "a comparison with a publication state"))
    return found


def app_modules():
    for path in sorted(CASES.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative:
            continue
        yield relative, path


def test_the_status_scanner_catches_hand_written_gates():
    """The check below would fail on each way of bypassing the gate seen in this codebase before it existed."""
    bypasses = [
        'Role.objects.filter(organisation__status="published")',
        "Stance.objects.filter(position__status=PUBLISHED).order_by('x')",
        "Count('interventions', filter=Q(interventions__status=PUBLISHED))",
        "rows.values_list('intervention_id', 'organisation__status')",
        "lookup = {f'{path}__status': PUBLISHED}",
        "parent = case.parent if case.parent and case.parent.is_published else None",
        "shown = obj.status == Status.PUBLISHED",
        "Place.objects.exclude(status='draft')",
    ]
    for code in bypasses:
        assert status_filters(code), code
    allowed = [
        "Role.objects.published()",
        "render(request, 'x.html', context, status=400)",
        "HttpResponse('no', status=404)",
        "PublishedPrefetch('roles', Role.objects.all())",
    ]
    for code in allowed:
        assert not status_filters(code), code


def test_no_module_outside_the_gate_reads_publication_status():
    offenders = []
    for relative, path in app_modules():
        if relative in GATE_MODULES or relative.split("/")[1] in GATE_APPS:
            continue
        offenders += [f"{relative}:{line}: {what}" for line, what in status_filters(path.read_text())]
    assert not offenders, "Read publication status through cases/core/gate.py:\n" + "\n".join(offenders)


# --- Layers -------------------------------------------------------------------------------------------------


def app_imports():
    """{app: {app it imports: [module, ...]}} over every import in cases/, those inside functions included."""
    graph = {}
    for relative, path in app_modules():
        app = relative.split("/")[1]
        if app.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "cases" and len(parts) > 1 and parts[1] != app:
                    graph.setdefault(app, {}).setdefault(parts[1], []).append(relative)
    return graph


def cycles(graph):
    """Every circle of imports between apps, each as a list of apps."""
    found, done = [], set()

    def visit(app, trail):
        if app in trail:
            found.append(trail[trail.index(app) :] + [app])
            return
        if app in done:
            return
        for dependency in graph.get(app, {}):
            visit(dependency, [*trail, app])
        done.add(app)

    for app in sorted(graph):
        visit(app, [])
    return found


def test_core_is_the_ground_floor():
    imports = app_imports().get("core", {})
    assert not imports, f"core imports apps built on it: {imports}"


def test_no_circle_of_imports_between_apps():
    found = cycles(app_imports())
    assert not found, "Import circles between apps: " + "; ".join(" -> ".join(c) for c in found)


def test_the_circle_finder_finds_circles():
    assert cycles({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}})
    assert not cycles({"a": {"b": []}, "b": {"c": []}})


@pytest.mark.parametrize("app", ["interventions", "organisations", "scholarship"])
def test_content_apps_stand_on_core_and_find_only_below_them(app):
    layers = ["core", "find", "curation", "organisations", "interventions", "scholarship"]
    below = set(layers[: layers.index(app)])
    assert set(app_imports().get(app, {})) <= below
