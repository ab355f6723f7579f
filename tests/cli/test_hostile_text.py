"""User text that would break a terminal (SPEC §8): Rich markup (``[/x]``), emoji codes (``:100:``),
and lone surrogates, in names, in ids and on the command line. Names print as written; nothing
is read as markup or turned into an emoji; no encoding error stops a command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from stakeflow.cli import app

NAMES = ["[/x]", "[bold red]loud[/bold red]", "x:thumbs_up:y", "at :100: percent", "[link=http://127.0.0.1]"]

SCENARIO = """stakeflow: 1
name: "{title}"
holders:
""" + "".join(f'  - {{id: h{i}, name: "{n}"}}\n' for i, n in enumerate(NAMES)) + """entities:
  - id: company
    name: "[/company]"
    classes: [{id: common, kind: common}]
    holdings:
""" + "".join(f"      - {{holder: h{i}, class: common, shares: 1M}}\n" for i in range(len(NAMES)))


def stakeflow() -> str:
    exe = Path(sys.executable).with_name("stakeflow")
    return str(exe) if exe.exists() else "stakeflow"


def test_names_print_as_written_in_every_table(tmp_path: Path) -> None:
    f = tmp_path / "names.yaml"
    f.write_text(SCENARIO.replace("{title}", ":100: [/x]"))
    for args in (["waterfall", str(f), "--exit", "5M"], ["validate", str(f)], ["control", str(f)],
                 ["explain", str(f), "--exit", "5M"], ["breakpoints", str(f)]):
        proc = subprocess.run([stakeflow(), *args], capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "Traceback" not in proc.stderr and "💯" not in proc.stdout and "👍" not in proc.stdout
        if args[0] == "waterfall":  # holders by name (explain shows ids)
            for name in NAMES:
                assert name in proc.stdout, (args, name)
        if args[0] == "validate":
            assert ":100: [/x]" in proc.stdout


def test_an_error_on_line_100_is_not_an_emoji(tmp_path: Path) -> None:
    f = tmp_path / "long.yaml"
    f.write_text("stakeflow: 1\n" + "".join(f"# {i}\n" for i in range(2, 100)) + "nmae: x\n")
    proc = subprocess.run([stakeflow(), "validate", str(f)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {f}:100: nmae: unknown key 'nmae'")


def test_an_argument_that_is_not_utf8_is_echoed_escaped(tmp_path: Path) -> None:
    f = tmp_path / "names.yaml"
    f.write_text(SCENARIO.replace("{title}", "t"))
    proc = subprocess.run([stakeflow().encode(), b"waterfall", str(f).encode(), b"--exit", b"5M", b"--entity",
                           b"\xff[/x]:100:"], capture_output=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stderr.decode() == f"error: {f}: unknown entity '\\udcff[/x]:100:' (entities: company)\n"


def test_json_keeps_the_names_and_ids_as_written(tmp_path: Path) -> None:
    f = tmp_path / "names.yaml"
    f.write_text(SCENARIO.replace("{title}", "t"))
    res = CliRunner().invoke(app, ["waterfall", str(f), "--exit", "5M", "--json"])
    assert res.exit_code == 0
    assert list(json.loads(res.stdout)["holders"]) == [f"h{i}" for i in range(len(NAMES))]
