"""The web app's scenario library: scenario texts and their revisions, in SQLite through SQLAlchemy.

A scenario is stored as the text its author wrote, byte for byte (comments, spellings, line
endings, a missing final newline), and read with :func:`stakeflow.loads` each time it is used.
Every save is a new revision; none is ever overwritten. A save names the revision it was made
from, and lands only if that is still the current one: of concurrent saves from the same
revision exactly one succeeds (SPEC §11), because the check and the increment are one
``UPDATE ... WHERE revision = ?`` inside the transaction that also writes the new revision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    event,
    inspect,
    select,
    update,
)
from sqlalchemy import text as text_sql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

MAX_ID = 2**63 - 1
"""SQLite's largest integer: a larger id names no scenario (and must not reach the database)."""


class _Base(DeclarativeBase):
    pass


class _Scenario(_Base):
    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    revision: Mapped[int] = mapped_column(Integer)
    created: Mapped[dt.datetime] = mapped_column(DateTime)


class _Revision(_Base):
    __tablename__ = "revisions"
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text)
    saved: Mapped[dt.datetime] = mapped_column(DateTime)


@dataclass(frozen=True)
class Saved:
    """One revision of a scenario in the library."""

    id: int
    name: str
    text: str
    revision: int
    saved: dt.datetime


@dataclass(frozen=True)
class Entry:
    """A scenario in the library's list: its id, current name and current revision."""

    id: int
    name: str
    revision: int


@dataclass(frozen=True)
class RevisionInfo:
    revision: int
    name: str
    saved: dt.datetime


class Conflict(Exception):
    """A save from a revision that is no longer the current one."""

    def __init__(self, current: int) -> None:
        super().__init__(current)
        self.current = current


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def as_id(value: object) -> int | None:
    """A scenario id or revision as given in a URL or a body, or None if it can name nothing."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    n = int(text)
    return n if 0 < n <= MAX_ID else None


class Store:
    """Scenario texts by id, in the SQLite database at ``url`` (``sqlite://`` for memory)."""

    def __init__(self, url: str) -> None:
        memory = url in ("sqlite://", "sqlite:///:memory:")
        # An in-memory database lives in one connection, which every thread of the server must share.
        pool = {"poolclass": StaticPool} if memory else {}
        self._engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60}, **pool)

        @event.listens_for(self._engine, "connect")
        def _pragmas(conn, _record):  # type: ignore[no-untyped-def]
            # Deleting a scenario deletes its revisions; writers queue instead of failing.
            conn.execute("PRAGMA foreign_keys=ON")
            if not memory:
                conn.execute("PRAGMA journal_mode=WAL")

        self._upgrade()
        _Base.metadata.create_all(self._engine)
        self._session = sessionmaker(self._engine, expire_on_commit=False)

    def _upgrade(self) -> None:
        """A library written by an earlier version (one text per scenario, no revisions): each
        text becomes revision 1 of its scenario, under the same id."""
        columns = {c["name"] for c in inspect(self._engine).get_columns("scenarios")} \
            if inspect(self._engine).has_table("scenarios") else set()
        if not columns or "revision" in columns:
            return
        with self._engine.begin() as conn:
            conn.execute(text_sql("ALTER TABLE scenarios RENAME TO scenarios_v0"))
            _Base.metadata.create_all(conn)
            conn.execute(text_sql("INSERT INTO scenarios (id, name, revision, created) "
                                  "SELECT id, name, 1, created FROM scenarios_v0"))
            conn.execute(text_sql("INSERT INTO revisions (scenario_id, revision, name, text, saved) "
                                  "SELECT id, 1, name, text, created FROM scenarios_v0"))
            conn.execute(text_sql("DROP TABLE scenarios_v0"))

    def add(self, name: str, text: str) -> Saved:
        """A new scenario, at revision 1."""
        now = _now()
        with self._session() as s, s.begin():
            row = _Scenario(name=name, revision=1, created=now)
            s.add(row)
            s.flush()
            s.add(_Revision(scenario_id=row.id, revision=1, name=name, text=text, saved=now))
            return Saved(row.id, name, text, 1, now)

    def save(self, scenario_id: int, revision: int, text: str, name: str | None = None) -> int:
        """Save ``text`` as the revision after ``revision``, which must be the current one.

        Returns the new revision; raises :class:`Conflict` (with the current revision) when
        ``revision`` is not the current one, ``KeyError`` when there is no such scenario."""
        now = _now()
        with self._session() as s, s.begin():
            values: dict[str, object] = {"revision": _Scenario.revision + 1}
            if name is not None:
                values["name"] = name
            done = s.execute(update(_Scenario)
                             .where(_Scenario.id == scenario_id, _Scenario.revision == min(revision, MAX_ID))
                             .values(**values).returning(_Scenario.revision, _Scenario.name)).first()
            if done is None:
                current = s.scalar(select(_Scenario.revision).where(_Scenario.id == scenario_id))
                if current is None:
                    raise KeyError(scenario_id)
                raise Conflict(current)
            new, kept_name = done
            s.add(_Revision(scenario_id=scenario_id, revision=new, name=kept_name, text=text, saved=now))
            return int(new)

    def get(self, scenario_id: int, revision: int | None = None) -> Saved | None:
        """The current revision of a scenario (or the one asked for), or None."""
        with self._session() as s:
            if revision is None:
                revision = s.scalar(select(_Scenario.revision).where(_Scenario.id == scenario_id))
                if revision is None:
                    return None
            row = s.get(_Revision, (scenario_id, revision))
            if row is None:
                return None
            return Saved(scenario_id, row.name, row.text, row.revision, row.saved)

    def revisions(self, scenario_id: int) -> list[RevisionInfo] | None:
        """Every revision of a scenario, oldest first, or None if there is no such scenario."""
        with self._session() as s:
            rows = s.scalars(select(_Revision).where(_Revision.scenario_id == scenario_id)
                             .order_by(_Revision.revision)).all()
            return [RevisionInfo(r.revision, r.name, r.saved) for r in rows] if rows else None

    def all(self) -> list[Entry]:
        with self._session() as s:
            return [Entry(r.id, r.name, r.revision) for r in s.scalars(select(_Scenario).order_by(_Scenario.id))]

    def delete(self, scenario_id: int) -> bool:
        with self._session() as s, s.begin():
            s.execute(delete(_Revision).where(_Revision.scenario_id == scenario_id))
            gone = s.execute(delete(_Scenario).where(_Scenario.id == scenario_id).returning(_Scenario.id)).first()
            return gone is not None

    def __len__(self) -> int:
        return len(self.all())

    def close(self) -> None:
        self._engine.dispose()
