"""Files written whole-or-nothing still get the permissions of any new file (not mkstemp's 0600)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from stakeflow.io.atomic import write_all, write_text


def test_written_file_has_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "out.yaml", "stakeflow: 1\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.yaml").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_files_written_together_have_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_all([(tmp_path / "a.csv", lambda p: p.write_text("x\n")),
                   (tmp_path / "b.csv", lambda p: p.write_text("y\n"))])
    finally:
        os.umask(old)
    assert [stat.S_IMODE((tmp_path / n).stat().st_mode) for n in ("a.csv", "b.csv")] == [0o644, 0o644]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]
