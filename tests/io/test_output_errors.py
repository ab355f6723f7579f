"""Every output file, into a place it cannot go (SPEC §8): a read-only folder, an immutable file, a
path that is a folder, a full disk. Each gets one ``error: cannot write ...`` line and status 2, never
a traceback, and leaves no file behind (neither the result nor a temporary file). Files written
get the permissions of any new file; a writer stopped by SIGTERM removes its temporary file, and a
temporary file left by a process killed outright is removed by the next write to that name.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stakeflow.cli import app
from stakeflow.io.atomic import remove_stale, write_text

ROOT = Path(__file__).resolve().parents[2]
VENTURE = ROOT / "examples" / "venture_stacked.yaml"
YC = ROOT / "examples" / "yc_safe.yaml"
OCF = ROOT.parent / "shared" / "ocf-samples" / "v1.2.0" / "Manifest.ocf.json"

# Each writer of the command line: (name, arguments with {out} for the destination, file name).
WRITERS = [
    ("round -o", ["round", str(YC), "--pre-money", "15M", "--invest", "lead=4M", "--new-class", "series_a",
                  "-o", "{out}"], "after.yaml"),
    ("waterfall --xlsx", ["waterfall", str(VENTURE), "--exit", "50M", "--xlsx", "{out}"], "tables.xlsx"),
    ("waterfall --csv", ["waterfall", str(VENTURE), "--exit", "50M", "--csv", "{out}"], "tables.csv"),
    ("value --xlsx", ["value", str(VENTURE), "--method", "opm", "--equity-value", "50M", "--volatility", "60%",
                      "--term", "3", "--rate", "4%", "--xlsx", "{out}"], "values.xlsx"),
    ("breakpoints --plot", ["breakpoints", str(VENTURE), "--plot", "{out}"], "chart.html"),
    ("export-ocf -o", ["export-ocf", str(VENTURE), "-o", "{out}"], "package.ocf.zip"),
    ("import-ocf -o", ["import-ocf", str(OCF), "-o", "{out}"], "imported.yaml"),
]
IDS = [w[0] for w in WRITERS]


def args_for(template: list[str], out: Path) -> list[str]:
    return [a.replace("{out}", str(out)) for a in template]


def errors(stderr: str) -> list[str]:
    """The error lines (import-ocf also says what it could not import, on warning/note lines)."""
    lines = stderr.splitlines()
    assert all(line.startswith(("error: ", "warning: ", "note: ")) for line in lines), stderr
    return [line for line in lines if line.startswith("error: ")]


def stakeflow() -> str:
    exe = Path(sys.executable).with_name("stakeflow")
    return str(exe) if exe.exists() else "stakeflow"


@pytest.fixture
def shared_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    for p in tmp_path.rglob("*"):
        if p.is_dir():
            p.chmod(0o755)


def without_privilege(args: list[str]) -> list[str]:
    """The command, run so that folder permissions apply to it: root overrides them, so as root it
    runs without the capabilities that let it (setpriv, from util-linux)."""
    if os.geteuid() != 0:
        return args
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: root writes into read-only folders")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--", *args]


@pytest.mark.parametrize(("name", "template", "filename"), WRITERS, ids=IDS)
def test_into_a_read_only_folder(name: str, template: list[str], filename: str, shared_dir: Path) -> None:
    folder = shared_dir / f"ro-{filename}"
    folder.mkdir()
    folder.chmod(0o555)
    out = folder / filename
    proc = subprocess.run(without_privilege([stakeflow(), *args_for(template, out)]), capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 2, proc.stderr
    assert errors(proc.stderr) == [f"error: cannot write {out}: permission denied"]
    assert "Traceback" not in proc.stderr and list(folder.iterdir()) == []


@pytest.mark.parametrize(("name", "template", "filename"), WRITERS, ids=IDS)
def test_over_an_immutable_file(name: str, template: list[str], filename: str, shared_dir: Path) -> None:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed, so no file can be made immutable here")
    folder = shared_dir / f"immutable-{filename}"
    folder.mkdir()
    out = folder / filename
    out.write_text("kept\n")
    made = subprocess.run(["chattr", "+i", str(out)], capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"this file system or user cannot make a file immutable: {made.stderr.strip()}")
    try:
        result = CliRunner().invoke(app, args_for(template, out))
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code == 2
        expected = (f"error: cannot write {out}: operation not permitted "
                    "(is the file immutable or the folder protected?)")
        if name == "waterfall --csv":  # the first table goes to the file; the others beside it first
            assert errors(result.stderr)[0].startswith(f"error: cannot write {out}: operation not permitted")
        else:
            assert errors(result.stderr) == [expected]
        assert out.read_text() == "kept\n"
        assert sorted(p.name for p in folder.iterdir()) == [filename]
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=False)


@pytest.mark.parametrize(("name", "template", "filename"), WRITERS, ids=IDS)
def test_onto_a_folder(name: str, template: list[str], filename: str, tmp_path: Path) -> None:
    out = tmp_path / filename
    out.mkdir()
    (out / "inside.txt").write_text("kept\n")
    result = CliRunner().invoke(app, args_for(template, out))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if name == "waterfall --csv":
        # A folder is a valid --csv destination: one file per table inside it.
        assert result.exit_code == 0
        assert sorted(p.name for p in out.iterdir()) == ["classes.csv", "inputs.csv", "inside.txt", "payouts.csv"]
        return
    assert result.exit_code == 2
    assert errors(result.stderr) == [f"error: cannot write {out}: it is a folder; give a file name"]
    assert [p.name for p in out.iterdir()] == ["inside.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [filename]


@pytest.mark.parametrize(("name", "template", "filename"), WRITERS, ids=IDS)
def test_onto_a_full_disk(name: str, template: list[str], filename: str, tmp_path: Path) -> None:
    # A file size limit of 200 bytes stands for a full disk: the write fails half way.
    script = textwrap.dedent("""
        import resource, sys
        from stakeflow.cli import main
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        main(sys.argv[1:])
    """)
    out = tmp_path / filename
    proc = subprocess.run([sys.executable, "-c", script, *args_for(template, out)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    lines = errors(proc.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: cannot write ")
    assert lines[0].endswith(": file too large (the file size limit was reached)")
    assert list(tmp_path.iterdir()) == []


def test_files_written_have_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "t.xlsx"
        result = CliRunner().invoke(app, ["waterfall", str(VENTURE), "--exit", "50M", "--xlsx", str(out),
                                          "--csv", str(tmp_path / "t.csv")])
        assert result.exit_code == 0, result.stderr
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert modes == dict.fromkeys(["t.xlsx", "t.csv", "t-classes.csv", "t-inputs.csv"], 0o644)


def test_sigterm_while_writing_removes_the_temporary_file(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import sys, time
        from stakeflow.io.atomic import atomic_path
        with atomic_path(sys.argv[1]) as tmp:
            tmp.write_text("half")
            print(tmp, flush=True)
            time.sleep(60)
    """)
    out = tmp_path / "result.yaml"
    proc = subprocess.Popen([sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    tmp = Path(proc.stdout.readline().strip())
    assert tmp.exists() and tmp.name.startswith(".result.yaml.stakeflow-")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_a_temporary_file_of_a_killed_process_is_removed_by_the_next_write(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    dead = int(gone.stdout)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = tmp_path / f".out.yaml.stakeflow-{dead}-abc123.tmp"
        running = tmp_path / f".out.yaml.stakeflow-{live.pid}-def456.tmp"
        other = tmp_path / f".other.yaml.stakeflow-{dead}-abc123.tmp"
        unrelated = tmp_path / ".out.yaml.x1y2.tmp"
        for p in (stale, running, other, unrelated):
            p.write_text("half")
        write_text(tmp_path / "out.yaml", "whole\n")
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            ["out.yaml", running.name, other.name, unrelated.name])
        assert remove_stale(tmp_path / "other.yaml") == [other]
    finally:
        live.kill()
        live.wait()
