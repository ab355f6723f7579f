"""Writing output files whole or not at all.

A file is written to a temporary file beside its destination and renamed over it only once
it is complete, so an error half way (bad input found late, a full disk, an interrupt) never
leaves a truncated file where a result is expected; a rename within one folder is atomic.

A destination that cannot be written (a read-only folder, an immutable file, a folder, a full
disk or a file size limit) is bad input like any other (SPEC §8): an :class:`InputError` naming
the file and the reason, never a traceback. The temporary file is removed on every error and on
SIGTERM; it is named ``.NAME.stakeflow-PID-XXXX.tmp``, so that a later write to the same
destination recognises one left by a process that no longer runs (killed with SIGKILL, a
power cut) and removes it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType

from ..scenario.errors import InputError
from . import _messages as M

_TEMP = re.compile(r"^\.(?P<name>.+)\.stakeflow-(?P<pid>\d+)-[^.]+\.tmp$")


def temp_name_prefix(dest: Path) -> str:
    return f".{dest.name}.stakeflow-{os.getpid()}-"


def cannot_write(dest: Path, exc: OSError) -> InputError:
    """The error for a destination the system refused, in the user's words."""
    reason = exc.strerror or str(exc)
    reason = reason[:1].lower() + reason[1:]
    if exc.errno == errno.EFBIG:
        reason += " (the file size limit was reached)"
    elif exc.errno == errno.EPERM:
        reason += " (is the file immutable or the folder protected?)"
    return InputError(M.CANNOT_WRITE.format(path=dest, reason=reason))


def _folder(dest: Path) -> Path:
    folder = dest.parent if str(dest.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(M.NO_FOLDER.format(path=dest, folder=folder))
    if dest.is_dir():
        raise InputError(M.IS_A_FOLDER.format(path=dest))
    return folder


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: leave its file alone
    return True


def remove_stale(dest: Path) -> list[Path]:
    """Remove temporary files of ``dest`` left by processes that no longer run; return them."""
    folder = dest.parent if str(dest.parent) else Path(".")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m is None or m.group("name") != dest.name or _alive(int(m.group("pid"))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _temporary(dest: Path) -> Path:
    """A new empty temporary file beside ``dest``, after checking where ``dest`` goes."""
    folder = _folder(dest)
    remove_stale(dest)
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_name_prefix(dest), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise cannot_write(dest, exc) from None
    os.close(fd)
    return Path(tmp)


class Terminated(SystemExit):
    """SIGTERM arrived while a file was being written (exit status 128 + 15)."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated(128 + signal.SIGTERM)


@contextlib.contextmanager
def _terminable() -> Iterator[None]:
    """While writing, SIGTERM unwinds like an exception (so temporary files are removed) instead of
    ending the process on the spot. Only the main thread can set a handler; a handler someone else
    set is kept."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) not in (
        signal.SIG_DFL, None
    ):
        yield
        return
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _usual_mode(path: Path) -> None:
    # mkstemp makes the file private; the result gets the permissions any new file would.
    os.chmod(path, 0o666 & ~_umask())


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``, on error it is removed."""
    dest = Path(path)
    with _terminable():
        tmp_path = _temporary(dest)
        try:
            try:
                yield tmp_path
                _usual_mode(tmp_path)
                os.replace(tmp_path, dest)
            except OSError as exc:
                raise cannot_write(dest, exc) from None
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
    with _terminable(), contextlib.ExitStack() as stack:
        pending: list[tuple[Path, Path]] = []
        for dest, _ in outputs:
            _folder(dest)  # every destination checked before any file is made
        for dest, writer in outputs:
            tmp_path = _temporary(dest)
            stack.callback(tmp_path.unlink, missing_ok=True)
            try:
                writer(tmp_path)
                _usual_mode(tmp_path)
            except OSError as exc:
                raise cannot_write(dest, exc) from None
            pending.append((tmp_path, dest))
        for tmp_path, dest in pending:
            try:
                os.replace(tmp_path, dest)
            except OSError as exc:
                raise cannot_write(dest, exc) from None
