"""Writing output files whole or not at all.

A file is written to a temporary file beside its destination and renamed over it only once
it is complete, so an error half way (bad input found late, a full disk, an interrupt) never
leaves a truncated file where a result is expected; a rename within one folder is atomic.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..scenario.errors import InputError
from . import _messages as M


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``, on error it is removed."""
    dest = Path(path)
    folder = dest.parent if str(dest.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(M.NO_FOLDER.format(path=dest, folder=folder))
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes the file private; the result gets the permissions any new file would.
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, dest)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_all(outputs: Sequence[tuple[Path, Callable[[Path], None]]]) -> None:
    """Write several files, each by its writer into a temporary path, and rename them only when
    every one has been written: an error leaves none of them half written."""
    stack = contextlib.ExitStack()
    pending: list[tuple[Path, Path]] = []
    try:
        for dest, writer in outputs:
            folder = dest.parent if str(dest.parent) else Path(".")
            if not folder.is_dir():
                raise InputError(M.NO_FOLDER.format(path=dest, folder=folder))
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
            os.close(fd)
            tmp_path = Path(tmp)
            stack.callback(tmp_path.unlink, missing_ok=True)
            writer(tmp_path)
            pending.append((tmp_path, dest))
        mode = 0o666 & ~_umask()
        for tmp_path, dest in pending:
            os.chmod(tmp_path, mode)
            os.replace(tmp_path, dest)
    finally:
        stack.close()
