"""The command line (Typer + Rich): thin, calls the stages of the package.

Each command lives in a module of this package that registers itself on :data:`app`;
the modules are imported in the order of ``_COMMANDS``.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._app import app

_FIRST = ["run", "validate", "waterfall", "explain"]


def _register() -> None:
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    for name in sorted(names, key=lambda n: (_FIRST.index(n) if n in _FIRST else len(_FIRST), n)):
        importlib.import_module(f"{__name__}.{name}")


_register()


def main() -> None:
    """Entry point of the ``stakeflow`` command."""
    app()


__all__ = ["app", "main"]
