"""Tables out to Excel (openpyxl) and CSV, where analysts work.

:func:`write_xlsx` writes one sheet per table — a bold, frozen header row, numbers formatted
by kind (thousands separators, the scenario's currency, percentages, per-share prices to four
decimals), columns wide enough for their contents — and the inputs that produced them
(scenario name, file, entity, exit values, options) on a sheet of their own. The cells hold
the numbers themselves, as floats, never text: formatting is only how Excel shows them.
:func:`write_csv` writes the same tables as CSV, one file per table, numbers in full
precision (the shortest decimal that reads back as the same float). Every file is written
atomically (:mod:`.atomic`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..scenario.errors import InputError
from . import _messages as M
from .atomic import cannot_write, write_all

INPUTS_SHEET = "inputs"
"""Name of the sheet (and CSV file) that holds the inputs."""

KINDS = ("money", "price", "percent", "shares", "number", "multiple", "text")
"""Kinds of column: ``money`` (currency, 2 decimals), ``price`` (currency, 4 decimals, per share),
``percent`` (a fraction shown as a percentage), ``shares`` (a count), ``number``, ``multiple``
(``2.00x``), ``text``."""

_SYMBOL = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "CNY": "¥", "INR": "₹", "CHF": "CHF "}

# Column names that say what they hold, for tables that do not say it themselves.
_BY_NAME = {
    "amount": "money", "value": "money", "exit_value": "money", "proceeds": "money", "from": "money",
    "to": "money", "standard_error": "money", "value_after_dlom": "money", "equity_value": "money",
    "share": "percent", "ownership": "percent", "probability": "percent", "volatility": "percent",
    "rate": "percent", "dlom_discount": "percent", "discount": "percent", "backsolve_price": "price",
    "shares": "shares", "issued": "shares", "pool_increase": "shares",
    "per_share": "price", "price": "price", "strike": "price", "price_per_share": "price",
    "per_share_standard_error": "price", "per_share_after_dlom": "price",
}

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


Formats = Mapping[str, "str | Mapping[str, str]"]
"""Column kinds: ``{column: kind}`` for every sheet, or ``{sheet: {column: kind}}`` for one."""


def sheet_formats(formats: Formats, sheet: str) -> dict[str, str]:
    """The column kinds that apply to ``sheet``: the general ones, then the sheet's own."""
    out = {k: v for k, v in formats.items() if isinstance(v, str)}
    own = formats.get(sheet)
    if isinstance(own, Mapping):
        out.update(own)
    return out


def number_format(kind: str, currency: str = "USD", decimals: int | None = None) -> str:
    """The Excel number format of a kind of column (:data:`KINDS`), or a format given as is."""
    sym = _SYMBOL.get(currency)

    def cur(d: int) -> str:
        body = "#,##0" + ("." + "0" * d if d else "")
        return f'"{sym}"{body}' if sym else f'{body} "{currency}"'

    if kind == "money":
        return cur(2 if decimals is None else decimals)
    if kind == "price":
        return cur(4 if decimals is None else decimals)
    if kind == "percent":
        return "0.00%"
    if kind == "shares":
        return "#,##0" if not decimals else "#,##0." + "0" * decimals
    if kind == "number":
        return "#,##0.00######"
    if kind == "multiple":
        return '0.00"x"'
    if kind == "text":
        return "@"
    return kind  # an explicit Excel format, e.g. "0.000"


def _cell(value: Any) -> Any:
    """A value as a cell holds it: numbers as floats (exact rationals rounded once, to the nearest
    double), dates as dates, missing values empty, anything else as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, int | float):
        f = float(value)
        return None if not math.isfinite(f) else (value if isinstance(value, int) else f)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return _cell(value.item())
    if isinstance(value, dt.date):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(str(_cell(v)) for v in value)
    if value is pd.NaT:
        return None
    return str(value)


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table with a meaningful index turned into its first columns."""
    if isinstance(df.index, pd.RangeIndex) and df.index.name is None:
        return df
    return df.reset_index()


def sheet_names(names: Iterable[str]) -> list[str]:
    """Excel sheet names for ``names``: at most 31 characters, none of ``[]:*?/\\``, unique."""
    out: list[str] = []
    for name in names:
        base = _BAD_SHEET_CHARS.sub("_", str(name)).strip("'") or "sheet"
        cand, n = base[:31], 2
        while cand.lower() in (o.lower() for o in out):
            suffix = f" ({n})"
            cand, n = base[: 31 - len(suffix)] + suffix, n + 1
        out.append(cand)
    return out


def _kind(column: str, series: pd.Series | None, formats: Mapping[str, str]) -> str:
    if column in formats:
        return formats[column]
    key = column.lower().replace(" ", "_")
    if key in _BY_NAME:
        return _BY_NAME[key]
    if series is not None and pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return "number"
    return "text" if series is not None and series.dtype == object else "General"


def _shown(value: Any, kind: str) -> str:
    """About how Excel shows ``value`` as ``kind``: for column widths."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        if kind == "percent":
            return f"{value:.2%}"
        if kind in ("money", "price"):
            return "$ " + f"{value:,.{2 if kind == 'money' else 4}f}"
        if kind == "shares":
            return f"{value:,.0f}"
        return f"{value:,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _style_header(ws: Any) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"


def _fit(ws: Any, widths: list[int], most: int = 60) -> None:
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, 8), most)


def _write_sheet(ws: Any, df: pd.DataFrame, formats: Mapping[str, str], currency: str) -> None:
    df = _frame(df)
    columns = [str(c) for c in df.columns]
    ws.append(columns)
    _style_header(ws)
    kinds = [_kind(str(col), df.iloc[:, j], formats) for j, col in enumerate(df.columns)]
    fmts: list[str] = []
    for j, kind in enumerate(kinds):
        decimals = None
        if kind == "shares":
            vals = [float(v) for v in df.iloc[:, j]
                    if isinstance(v, int | float | Fraction) and not isinstance(v, bool)]
            decimals = 0 if all(math.isnan(v) or v == int(v) for v in vals) else 4
        fmts.append(number_format(kind, currency, decimals))
    widths = [len(c) for c in columns]
    # Cells are reached by their row and column (a look-up), never as ``ws[ws.max_row]``, which scans
    # every cell of the sheet and would make a sheet of n rows cost n² (thousands of exits).
    for r, row in enumerate(df.itertuples(index=False, name=None), start=2):
        ws.append([_cell(v) for v in row])
        for j in range(len(row)):
            cell = ws.cell(row=r, column=j + 1)
            if fmts[j] != "General" and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = fmts[j]
            widths[j] = max(widths[j], len(_shown(cell.value, kinds[j])))
    _fit(ws, widths)


def _write_inputs(ws: Any, inputs: Mapping[str, Any], currency: str) -> None:
    ws.append(["input", "value"])
    _style_header(ws)
    widths = [5, 5]
    for key, value in inputs.items():
        values = list(value) if isinstance(value, list | tuple) else [value]
        ws.append([str(key), *([_cell(v) for v in values] or [None])])
        kind = _BY_NAME.get(str(key).lower().replace(" ", "_")) or ("money" if "value" in str(key).lower() else None)
        widths[0] = max(widths[0], len(str(key)))
        for j, cell in enumerate(ws[ws.max_row][1:], start=1):
            if kind and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = number_format(kind, currency)
            widths += [8] * (j + 1 - len(widths))
            widths[j] = max(widths[j], len(_shown(cell.value, kind or "number")))
    _fit(ws, widths, most=80)


Output = tuple[Path, Callable[[Path], None]]
"""A file to write: its destination and the function that writes it (to a temporary path)."""


def xlsx_output(
    path: str | Path,
    sheets: Mapping[str, pd.DataFrame],
    inputs: Mapping[str, Any],
    formats: Formats | None = None,
    currency: str = "USD",
) -> Output:
    """The workbook of ``sheets`` and ``inputs``, ready to be written at ``path`` (see
    :func:`write_xlsx`)."""
    dest = Path(path)
    if dest.suffix.lower() != ".xlsx":
        raise InputError(M.XLSX_SUFFIX.format(path=dest))
    _folder_of(dest)
    wb = Workbook()
    names = sheet_names([*sheets, INPUTS_SHEET])
    first = True
    for name, (key, df) in zip(names, sheets.items(), strict=False):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = name
        _write_sheet(ws, df, sheet_formats(formats or {}, key), currency)
    ws = wb.active if first else wb.create_sheet()
    ws.title = names[-1]
    _write_inputs(ws, inputs, currency)
    def write(tmp: Path) -> None:
        # The workbook is zipped in memory and then written: a zip file left open by a failed write
        # (a full disk) would fail again when collected, and print a traceback of its own.
        buf = io.BytesIO()
        wb.save(buf)
        tmp.write_bytes(buf.getvalue())

    return dest, write


def write_xlsx(
    path: str | Path,
    sheets: Mapping[str, pd.DataFrame],
    inputs: Mapping[str, Any],
    formats: Formats | None = None,
    currency: str = "USD",
) -> Path:
    """Write ``sheets`` (name -> table) and ``inputs`` to an Excel workbook at ``path``.

    ``formats`` maps a column name to its kind (:data:`KINDS`) or to an Excel number format,
    for every sheet, or a sheet name to such a mapping for that sheet alone; columns not named
    take a kind from their name (``amount``, ``share``, ``per_share``, ...) or, if numeric, a
    plain number format.
    """
    out = xlsx_output(path, sheets, inputs, formats, currency)
    write_all([out])
    return out[0]


def _folder_of(dest: Path) -> Path:
    folder = dest.parent if str(dest.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(M.NO_FOLDER.format(path=dest, folder=folder))
    return folder


def _csv_name(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_.")
    return s or "table"


def _is_folder(p: Path) -> bool:
    return p.is_dir() or not p.suffix


def csv_paths(path: str | Path, names: Sequence[str]) -> list[Path]:
    """Where each table goes: into the folder ``path`` as ``<table>.csv`` when ``path`` is a folder
    (or has no suffix), else the first table to ``path`` and the others beside it as
    ``<stem>-<table>.csv``."""
    p = Path(path)
    if _is_folder(p):
        return [p / f"{_csv_name(n)}.csv" for n in names]
    if p.suffix.lower() != ".csv":
        raise InputError(M.CSV_SUFFIX.format(path=p))
    return [p, *(p.with_name(f"{p.stem}-{_csv_name(n)}.csv") for n in names[1:])]


def _csv_value(v: Any) -> Any:
    c = _cell(v)
    if isinstance(c, float):
        return repr(c)
    if isinstance(c, dt.date):
        return c.isoformat()
    return "" if c is None else c


def csv_outputs(
    path: str | Path, sheets: Mapping[str, pd.DataFrame], inputs: Mapping[str, Any] | None = None
) -> list[Output]:
    """The CSV files of ``sheets`` (and of the inputs, as table ``inputs``), ready to be written
    (see :func:`write_csv`)."""
    tables: dict[str, list[list[Any]]] = {}
    for name, df in sheets.items():
        df = _frame(df)
        rows = [[str(c) for c in df.columns]]
        rows += [[_csv_value(v) for v in row] for row in df.itertuples(index=False, name=None)]
        tables[name] = rows
    if inputs is not None:
        rows = [["input", "value"]]
        for key, value in inputs.items():
            values = list(value) if isinstance(value, list | tuple) else [value]
            rows.append([str(key), *(_csv_value(v) for v in values)])
        tables[INPUTS_SHEET] = rows
    dests = csv_paths(path, list(tables))
    p = Path(path)
    _folder_of(p if _is_folder(p) and not p.exists() else dests[0])

    def writer(rows: list[list[Any]]) -> Callable[[Path], None]:
        def write(tmp: Path) -> None:
            with tmp.open("w", newline="", encoding="utf-8") as f:
                csv.writer(f).writerows(rows)
        return write

    return [(d, writer(rows)) for d, rows in zip(dests, tables.values(), strict=True)]


def _write(outputs: Sequence[Output]) -> list[Path]:
    """Write every output or none: a folder the CSV files need is made first, and removed again
    if writing fails."""
    made = []
    for folder in dict.fromkeys(d.parent for d, _ in outputs):
        if not folder.exists():
            try:
                folder.mkdir()
            except OSError as exc:
                raise cannot_write(folder, exc) from None
            made.append(folder)
    try:
        write_all(outputs)
    except BaseException:
        for folder in made:
            folder.rmdir()
        raise
    return [d for d, _ in outputs]


def write_csv(
    path: str | Path, sheets: Mapping[str, pd.DataFrame], inputs: Mapping[str, Any] | None = None
) -> list[Path]:
    """Write each table (and the inputs, as table ``inputs``) as CSV; return the files written.
    ``path`` is a .csv file (the first table; the others beside it as ``<stem>-<table>.csv``) or a
    folder (``<table>.csv`` each), made if its parent exists."""
    return _write(csv_outputs(path, sheets, inputs))


def save_tables(
    xlsx: str | Path | None,
    csv_path: str | Path | None,
    sheets: Mapping[str, pd.DataFrame],
    inputs: Mapping[str, Any],
    formats: Formats | None = None,
    currency: str = "USD",
    say: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write the tables to an Excel workbook and/or CSV, as asked, all files or none (every
    destination is checked before any is written); report each file written."""
    outputs: list[Output] = []
    if xlsx is not None:
        outputs.append(xlsx_output(xlsx, sheets, inputs, formats, currency))
    if csv_path is not None:
        outputs += csv_outputs(csv_path, sheets, inputs)
    written = _write(outputs)
    report = say or _stderr
    for p in written:
        report(f"wrote {p}")
    return written


def _stderr(line: str) -> None:
    import sys

    sys.stderr.write(line + "\n")
