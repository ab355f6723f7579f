"""The command line (Typer + Rich): thin, calls the stages of the package.

Each command lives in a module of this package that registers itself on the Typer app with
``@app.command()``. Running one command imports only its module, so that every command starts
fast; asking for help, or importing :data:`app` (as tests do), registers them all.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Any

import typer

from ._common import EXIT_BAD_INPUT, err_console

_FIRST = ["run", "validate", "waterfall", "explain"]
# Command names whose module is not named after them.
_MODULE_OF = {"import-ocf": "ocf", "export-ocf": "ocf"}


def _modules() -> list[str]:
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    return sorted(names, key=lambda n: (_FIRST.index(n) if n in _FIRST else len(_FIRST), n))


def _register(only: str | None = None) -> Any:
    from ._app import app

    for name in [only] if only else _modules():
        importlib.import_module(f"{__name__}.{name}")
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _register()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _command_module(argv: list[str]) -> str | None:
    """The module of the command named on the command line, if one is named and exists."""
    if not argv or argv[0].startswith("-"):
        return None
    module = _MODULE_OF.get(argv[0], argv[0].replace("-", "_"))
    return module if module in _modules() else None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``stakeflow`` command.

    Usage mistakes (an unknown option, a missing argument) are reported like every other bad
    input (SPEC §8): ``error:`` lines on stderr and exit status 2.
    """
    args = list(sys.argv[1:] if argv is None else argv) or ["--help"]
    # A command-line argument that is not valid UTF-8 reaches Python as lone surrogates; echoed
    # in a message it must show escaped, not stop the command with an encoding error.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    app = _register(_command_module(args))
    command = typer_main(app)
    try:
        code = command.main(args=args, prog_name="stakeflow", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("error: interrupted", markup=False)
        sys.exit(130)
    except typer.TyperException as exc:  # click's usage errors: unknown option, missing argument
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        err_console.print(f"error: {message}", markup=False)
        ctx = getattr(exc, "ctx", None)
        err_console.print(f"error: see '{ctx.command_path if ctx is not None else 'stakeflow'} --help'",
                          markup=False)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(code if isinstance(code, int) else 0)


def typer_main(app: Any) -> Any:
    import typer.main

    return typer.main.get_command(app)


__all__ = ["app", "main"]
