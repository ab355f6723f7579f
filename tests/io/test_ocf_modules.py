"""The OCF importer's parts share their helpers in the open (docs/internals.md): no module of
``stakeflow.io`` imports another's underscore-prefixed names, and what the shared state offers
is listed in its ``__all__``."""

from __future__ import annotations

import ast
from pathlib import Path

import stakeflow.io
from stakeflow.io import ocf_state

PACKAGE = Path(stakeflow.io.__file__).parent


def _private_imports(path: Path) -> list[str]:
    """``module.name`` for every underscore-prefixed name ``path`` imports from a module of the
    package (a package-private module itself, such as ``_messages``, may be imported whole)."""
    out: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            out += [f"{node.module}.{a.name}" for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")]
    return out


def test_no_module_imports_the_private_names_of_another() -> None:
    found = {p.name: _private_imports(p) for p in sorted(PACKAGE.glob("*.py"))}
    assert {k: v for k, v in found.items() if v} == {}


def test_what_the_importer_parts_share_is_public() -> None:
    used: set[str] = set()
    for path in sorted(PACKAGE.glob("ocf_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "ocf_state":
                used |= {a.name for a in node.names}
    assert used, "the importer's parts import the shared state"
    assert used <= set(ocf_state.__all__)
    assert all(hasattr(ocf_state, name) for name in ocf_state.__all__)


def test_the_checker_sees_a_private_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from . import _messages as M\nfrom .ocf_state import ImportState, _helper\n")
    assert _private_imports(bad) == ["ocf_state._helper"]
