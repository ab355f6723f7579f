"""The web app's scenario library: scenario texts kept in SQLite through SQLAlchemy.

A scenario is stored as the text its author wrote (comments and spellings kept) and is read
with :func:`stakeflow.loads` each time it is used, so the library never holds a scenario the
format rejects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import DateTime, Integer, String, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool


class _Base(DeclarativeBase):
    pass


class _Row(_Base):
    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(DateTime)


@dataclass(frozen=True)
class Saved:
    """A scenario in the library."""

    id: int
    name: str
    text: str
    created: dt.datetime


class Store:
    """Scenario texts by id, in the SQLite database at ``url`` (``sqlite://`` for memory)."""

    def __init__(self, url: str) -> None:
        # An in-memory database lives in one connection, which every thread of the server must share.
        pool = {"poolclass": StaticPool} if url in ("sqlite://", "sqlite:///:memory:") else {}
        self._engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        _Base.metadata.create_all(self._engine)
        self._session = sessionmaker(self._engine, expire_on_commit=False)

    def _saved(self, row: _Row) -> Saved:
        return Saved(row.id, row.name, row.text, row.created)

    def add(self, name: str, text: str) -> Saved:
        with self._session() as s, s.begin():
            row = _Row(name=name, text=text, created=dt.datetime.now(dt.UTC).replace(tzinfo=None))
            s.add(row)
            s.flush()
            return self._saved(row)

    def get(self, scenario_id: int) -> Saved | None:
        with Session(self._engine) as s:
            row = s.get(_Row, scenario_id)
            return self._saved(row) if row is not None else None

    def all(self) -> list[Saved]:
        with Session(self._engine) as s:
            return [self._saved(r) for r in s.scalars(select(_Row).order_by(_Row.id))]

    def delete(self, scenario_id: int) -> bool:
        with self._session() as s, s.begin():
            row = s.get(_Row, scenario_id)
            if row is None:
                return False
            s.delete(row)
            return True

    def __len__(self) -> int:
        return len(self.all())
