"""The import graph runs one way: no module imports from a layer above its own.

From the bottom: the domain; the use cases' vocabulary (their errors, and the
ports they need from outside); infrastructure (stores, SQL, Stripe, cipher,
settings), which implements those ports; then, side by side and blind to each other, the read
models (projections/) and the use cases (application/<area>/); the composition
root that wires them together; and web/ on top. The test doubles of outside systems
(doubles/) know only the domain and the ports they stand in for.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "application", "projections", "web", "doubles")
COMPOSITION = ("application.bootstrap", "application.demo", "application.workers")

# layer -> the layers its modules may import
MAY_IMPORT = {
    "domain": {"domain"},
    "vocabulary": {"domain", "vocabulary"},
    "infrastructure": {"domain", "vocabulary", "infrastructure"},
    "projections": {"domain", "vocabulary", "infrastructure", "projections"},
    "use cases": {"domain", "vocabulary", "infrastructure", "use cases"},
    "composition": {"domain", "vocabulary", "infrastructure", "projections", "use cases",
                    "composition"},
    "doubles": {"domain", "vocabulary", "doubles"},  # test doubles of outside systems
    "web": {"domain", "vocabulary", "infrastructure", "projections", "use cases", "composition",
            "web"},
}


def layer_of(module: str) -> str:
    if module.startswith(COMPOSITION):
        return "composition"
    if module.startswith(("application.errors", "application.ports")):
        return "vocabulary"
    if module.startswith("application.infrastructure"):
        return "infrastructure"
    if module.startswith("application"):
        return "use cases"
    return module.split(".")[0]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every project module the file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
    return {name for name in found if name.split(".")[0] in PACKAGES}


def arrows_up() -> list[str]:
    wrong = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            importer = module_name(path)
            for imported in sorted(imports(path)):
                if imported == "application":
                    continue  # the package itself, for `from application import x`
                if layer_of(imported) not in MAY_IMPORT[layer_of(importer)]:
                    wrong.append(f"{importer} ({layer_of(importer)}) imports {imported}")
    return wrong


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    assert arrows_up() == []


def test_the_check_sees_an_arrow_up() -> None:
    assert layer_of("projections.view") not in MAY_IMPORT[layer_of("application.reading.lists")]
    assert layer_of("application.bootstrap") not in MAY_IMPORT[layer_of("projections.view")]
    assert layer_of("web.cli") not in MAY_IMPORT[layer_of("application.demo")]
