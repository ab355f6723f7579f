"""A tidy table (a pandas DataFrame) written to Parquet or CSV, whole or not at all.

Parquet (through pyarrow) keeps the columns' types and is what pandas, Polars, DuckDB and
Spark read fastest; CSV is for a spreadsheet or a quick look. Either is written beside its
destination and renamed over it once complete (:mod:`~stakeflow.io.atomic`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..scenario.errors import InputError
from . import _messages as M
from .atomic import atomic_path

if TYPE_CHECKING:
    import pandas as pd

TABLE_SUFFIXES = (".parquet", ".csv")


def check_table_path(path: str | Path) -> Path:
    """``path`` if its suffix names a table format this module writes."""
    p = Path(path)
    if p.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(M.TABLE_SUFFIX.format(path=p, valid=" or ".join(TABLE_SUFFIXES)))
    return p


def table_writer(frame: pd.DataFrame, path: str | Path) -> Callable[[Path], None]:
    """A function writing ``frame`` to a given file in the format ``path``'s suffix names."""
    parquet = check_table_path(path).suffix.lower() == ".parquet"

    def write(tmp: Path) -> None:
        if parquet:
            frame.to_parquet(tmp, engine="pyarrow", index=False)
        else:
            frame.to_csv(tmp, index=False)

    return write


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` to ``path`` (``.parquet`` or ``.csv``) whole or not at all."""
    write = table_writer(frame, path)
    with atomic_path(path) as tmp:
        write(tmp)


__all__ = ["TABLE_SUFFIXES", "check_table_path", "table_writer", "write_table"]
