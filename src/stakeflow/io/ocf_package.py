"""Open Cap Table Format packages on disk: finding and reading them, writing them.

An OCF package is a manifest (``Manifest.ocf.json``, file_type ``OCF_MANIFEST_FILE``) that
lists the JSON files of the cap table, given as a folder, a zip of that folder, or the
manifest itself. pyocf 1.2.0 reads a manifest path (and only zips with the manifest at their
root), so a zip is extracted to a temporary folder first and the manifest found in it. Every
failure is reported as bad input, naming the file, never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, RootModel, ValidationError
from pyocf.captable import FILEMAP, Captable
from pyocf.files.ocfmanifestfile import OCFManifestFile
from pyocf.objects.issuer import Issuer
from pyocf.types.file import File

from ..scenario._yaml import line_of, read_tree
from ..scenario.errors import InputError, InputErrors, path_str
from ..scenario.numbers import NumberError, parse_number
from . import _messages as M
from .atomic import atomic_path

OCF_VERSION = "1.2.0"
MANIFEST = "Manifest.ocf.json"
_MAX_UNZIPPED = 2 * 1024**3
"""Refuse zips that would expand beyond this many bytes (a cap table is a few megabytes)."""

FILE_NAMES = {
    "documents": "Documents.ocf.json",
    "financings": "Financings.ocf.json",
    "stakeholders": "Stakeholders.ocf.json",
    "stock_classes": "StockClasses.ocf.json",
    "stock_legend_templates": "StockLegends.ocf.json",
    "stock_plans": "StockPlans.ocf.json",
    "transactions": "Transactions.ocf.json",
    "valuations": "Valuations.ocf.json",
    "vesting_terms": "VestingTerms.ocf.json",
}


def read_package(path: str | Path) -> Captable:
    """The cap table of the OCF package at ``path`` (a .zip, a folder or a manifest)."""
    with manifest_of(Path(path)) as manifest:
        return _load(manifest, Path(path))


@contextmanager
def manifest_of(path: Path) -> Iterator[Path]:
    """The manifest of the package at ``path``; a zip is extracted to a temporary folder that
    lives as long as the context."""
    if not path.exists():
        raise InputError(M.NO_SUCH_PATH.format(path=path))
    if path.is_dir():
        yield _find_manifest(path, path)
        return
    if zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="stakeflow-ocf-") as tmp:
            _extract(path, Path(tmp))
            yield _find_manifest(Path(tmp), path)
        return
    if path.suffix.lower() == ".zip":
        raise InputError(M.CORRUPT_ZIP.format(path=path, detail="no zip directory found"))
    if path.suffix.lower() != ".json":
        raise InputError(M.NOT_OCF.format(path=path))
    yield path


def _extract(path: Path, dest: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            root = dest.resolve()
            for info in zf.infolist():
                target = (dest / info.filename).resolve()
                if root != target and root not in target.parents:
                    raise InputError(M.UNSAFE_ZIP.format(path=path, member=info.filename))
                total += info.file_size
                if total > _MAX_UNZIPPED:
                    raise InputError(M.CORRUPT_ZIP.format(path=path, detail="expands beyond 2 GB"))
            zf.extractall(dest)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise InputError(M.CORRUPT_ZIP.format(path=path, detail=exc)) from None


def _is_manifest(p: Path) -> bool:
    try:
        with p.open("rb") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("file_type") == "OCF_MANIFEST_FILE"


def _find_manifest(folder: Path, shown: Path) -> Path:
    """``Manifest.ocf.json`` at the top of ``folder`` or, failing that, the one manifest below it."""
    top = [p for p in folder.iterdir() if p.is_file() and p.name.lower() == MANIFEST.lower()]
    if top:
        return top[0]
    named = sorted(p for p in folder.rglob("*") if p.is_file() and p.name.lower() == MANIFEST.lower())
    found = named or sorted(p for p in folder.rglob("*.json") if p.is_file() and _is_manifest(p))
    found = [p for p in found if "__MACOSX" not in p.parts]
    if not found:
        raise InputError(M.MISSING_MANIFEST.format(path=shown))
    if len(found) > 1:
        listed = ", ".join(str(p.relative_to(folder)) for p in found)
        raise InputError(M.SEVERAL_MANIFESTS.format(path=shown, found=listed))
    return found[0]


def _load(manifest: Path, shown: Path) -> Captable:
    where = shown if shown.suffix.lower() == ".json" else Path(shown, manifest.name)
    try:
        doc = json.loads(manifest.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(M.NOT_TEXT.format(path=where)) from None
    except ValueError as exc:
        raise InputError(M.NOT_JSON.format(path=where, detail=exc)) from None
    if not isinstance(doc, dict) or doc.get("file_type") != "OCF_MANIFEST_FILE":
        found = doc.get("file_type") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(M.NOT_MANIFEST.format(path=where, found=found))
    if doc.get("ocf_version") != OCF_VERSION:
        raise InputError(M.OCF_VERSION.format(path=where, found=doc.get("ocf_version")))
    problems = _located_problems(OCFManifestFile, doc, manifest.read_text(encoding="utf-8"), str(where), {})
    seen: dict[tuple[str, str], tuple[str, str, int | None]] = {}
    for key, cls in FILEMAP:
        for entry in doc.get(f"{key}_files") or ():
            name = entry.get("filepath") if isinstance(entry, dict) else None
            if not isinstance(name, str):
                continue
            part = manifest.parent / name
            if not part.is_file():
                raise InputError(M.MISSING_FILE.format(path=shown, name=name))
            try:
                text = part.read_text(encoding="utf-8")
                data = json.loads(text)
            except UnicodeDecodeError:
                raise InputError(M.NOT_TEXT.format(path=shown)) from None
            except ValueError as exc:
                raise InputError(M.NOT_JSON.format(path=f"{shown}: {name}", detail=exc)) from None
            shown_part = str(where.parent / Path(name)) if where.suffix.lower() == ".json" else f"{shown}/{Path(name)}"
            problems += _located_problems(cls, data, text, shown_part, seen, key)
    if problems:
        raise InputErrors(problems)
    try:
        return Captable.load(manifest)
    except ValidationError as exc:
        raise InputError(M.INVALID_OCF.format(path=shown, model=exc.title, detail=_first_errors(exc))) from None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise InputError(M.INVALID_OCF.format(path=shown, model="package", detail=exc)) from None


def _located_problems(model: type[BaseModel], data: Any, text: str, shown: str,
                      seen: dict[tuple[str, str], tuple[str, str, int | None]], key: str = "") -> list[str]:
    """Every problem of one file of the package, each on its own line, located in that file: its
    line, the JSON path (``items[3].seniority``) and the id of the object it is in. Checked here:
    pyocf's schema, ids given twice among the objects of one kind, and numbers outside the range
    of the scenario format (SPEC §1)."""
    _, lines, _ = read_tree(text)
    out: list[tuple[int, str]] = []

    def report(loc: tuple[Any, ...], message: str) -> None:
        line = line_of(lines, loc)
        where = path_str(loc) or "(the file)"
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            obj = _item(data, loc[1])
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                where = M.OCF_OBJECT.format(path=where, id=obj["id"])
        out.append((line or 0, M.OCF_PROBLEM.format(file=shown, line=line or 1, where=where, message=message)))

    try:
        model.model_validate(data)
    except ValidationError as exc:
        by_loc: dict[tuple[Any, ...], list[str]] = {}
        for err in exc.errors(include_url=False):
            msg = str(err["msg"]).removeprefix("Value error, ")
            msgs = by_loc.setdefault(_json_loc(data, err["loc"]), [])
            if msg not in msgs:
                msgs.append(msg)  # the members of a union each say why they do not fit: one line
        for loc, msgs in by_loc.items():
            report(loc, "; ".join(msgs))
    except (TypeError, ValueError):
        # pyocf's own types can fail outside pydantic's checks (a mapping where a date goes):
        # find the object and the field by validating them one at a time.
        for loc in _unreadable(model, data):
            report(loc, M.OCF_UNREADABLE)
    items = data.get("items") if isinstance(data, dict) else None
    for i, obj in enumerate(items if isinstance(items, list) else []):
        if not isinstance(obj, dict):
            continue
        oid = obj.get("id")
        if isinstance(oid, str):
            kind = (key, str(obj.get("object_type", "")) if key == "transactions" else "")
            if (kind[0], oid) in seen:
                other_file, other, other_line = seen[(kind[0], oid)]
                where = other if other_file == shown else f"{other_file}: {other}"
                report(("items", i, "id"), M.OCF_DUPLICATE.format(id=oid, other=where, line=other_line))
            else:
                seen[(kind[0], oid)] = (shown, f"items[{i}]", line_of(lines, ("items", i)))
        for loc, value in _numbers(obj, ("items", i)):
            try:
                parse_number(value)
            except NumberError as exc:
                report(loc, M.OCF_NUMBER.format(detail=exc))
    return [line for _, line in sorted(out, key=lambda p: p[0])]


def _unreadable(model: type[BaseModel], data: Any) -> list[tuple[Any, ...]]:
    """Where pyocf fails with an error of its own: each object that fails alone, and in it each
    field without which it no longer does."""

    def fails(items: list[Any]) -> bool:
        try:
            model.model_validate({**data, "items": items})
        except ValidationError:
            return False
        except (TypeError, ValueError):
            return True
        return False

    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [()]
    out: list[tuple[Any, ...]] = []
    for i, obj in enumerate(items):
        if not fails([obj]):
            continue
        keys = [k for k in obj if not fails([{kk: v for kk, v in obj.items() if kk != k}])] if isinstance(obj, dict) \
            else []
        out += [("items", i, k) for k in keys] or [("items", i)]
    return out or [()]


def _item(data: Any, i: int) -> Any:
    items = data.get("items") if isinstance(data, dict) else None
    return items[i] if isinstance(items, list) and i < len(items) else None


def _json_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """pydantic's location as a path in the JSON document: the parts naming union members and
    model types (which are not keys of the document) left out."""
    out: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            out.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
            out.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and not (
            "[" in part or "-" in part or part[:1].isupper()
        ):
            out.append(part)  # a missing key: named, though the document does not have it
            node = None
    return tuple(out)


_DIGITS = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def _numbers(node: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """The numeric strings of an object (OCF writes numbers as strings), ids left aside."""
    if isinstance(node, dict):
        for k, v in node.items():
            if not (isinstance(k, str) and (k == "id" or k.endswith(("_id", "_ids")))):
                yield from _numbers(v, (*loc, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _numbers(v, (*loc, i))
    elif isinstance(node, str) and _DIGITS.match(node):
        yield loc, node


def _first_errors(exc: ValidationError, most: int = 3) -> str:
    errs = exc.errors(include_url=False)
    parts = []
    for e in errs[:most]:
        loc = ".".join(str(p) for p in e["loc"] if not (isinstance(p, str) and ("[" in p or "function" in p)))
        msg = e["msg"] if len(e["msg"]) <= 160 else e["msg"][:157] + "..."
        parts.append(f"{loc}: {msg}")
    more = f" (and {len(errs) - most} more)" if len(errs) > most else ""
    return "; ".join(parts) + more


# --- writing ---------------------------------------------------------------------------------------
def plain(value: Any) -> Any:
    """JSON data of a pyocf object, leaving out optional fields that are unset (the OCF schemas
    reject ``null`` where a field is optional) but keeping required ones even when null."""
    if isinstance(value, RootModel):
        return plain(value.root)
    if isinstance(value, BaseModel):
        out: dict[str, Any] = {}
        for name, info in type(value).model_fields.items():
            v = getattr(value, name)
            if v is None and not info.is_required():
                continue
            out[info.alias or name] = plain(v)
        return out
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "value") and type(value).__module__.startswith("pyocf.enums"):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if type(value).__name__ == "Decimal":
        return format(value, "f")
    return value


def package_files(cap: Captable, issuer: Issuer, as_of: dt.date, comments: list[str]) -> dict[str, bytes]:
    """The files of an OCF package (name -> bytes), the manifest with each file's md5."""
    files: dict[str, bytes] = {}
    entries: dict[str, list[File]] = {}
    for key, file_cls in FILEMAP:
        name = FILE_NAMES[key]
        body = file_cls(items=getattr(cap, key))
        data = (json.dumps(plain(body), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        files[name] = data
        entries[f"{key}_files"] = [File(filepath=f"./{name}", md5=hashlib.md5(data).hexdigest())]
    manifest = OCFManifestFile(
        ocf_version=OCF_VERSION,
        issuer=issuer,
        as_of=as_of,
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        comments=comments or None,
        **entries,
    )
    files[MANIFEST] = (json.dumps(plain(manifest), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


def write_package(path: str | Path, files: dict[str, bytes]) -> None:
    """Write the package as a zip at ``path`` (atomically: whole or not at all)."""
    # Zipped in memory, then written: a zip file left open by a failed write (a full disk) would
    # fail again when collected and print a traceback of its own.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in [MANIFEST, *(n for n in files if n != MANIFEST)]:
            zf.writestr(name, files[name])
    with atomic_path(path) as tmp:
        tmp.write_bytes(buf.getvalue())
