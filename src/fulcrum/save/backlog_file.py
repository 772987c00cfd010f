"""Safe saves of the user's backlog file (docs/DESIGN.md, "Saving the user's file").

A save changes only the values that were edited (:mod:`fulcrum.save.new_text`), checks that the new
text reads back as the edited backlog, refuses to overwrite a file that changed on disk since it
was loaded, and replaces the file atomically: a temporary file beside the target, written,
flushed to disk and read back, then renamed over the target. Any failure leaves the original
file byte-identical and raises :class:`SaveError` (or :class:`SaveConflict`) with a message for
the user; the edits stay in the app, which still holds ``edited``. The write itself is
:func:`fulcrum.save.atomic.write_atomic`, shared with the exported plan.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from fulcrum.backlog import (
    MAX_FILE_BYTES,
    Backlog,
    BacklogError,
    cross_check,
    decode,
    format_loc,
    parse_backlog,
    read_text,
)
from fulcrum.cache import note_read
from fulcrum.save.atomic import WriteError, reason, write_atomic
from fulcrum.save.new_text import STRATEGIES
from fulcrum.save.toml_values import Unsupported

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Snapshot:
    """What the app loaded: the text to edit and what the file was, to detect changes on disk."""

    path: Path
    """The path the user named (it may be a symlink; saves go to the file it points to)."""
    text: str
    """The decoded text, without the byte-order mark."""
    digest: str
    """sha256 of the bytes on disk."""
    mtime_ns: int
    """Modification time when read, for a cheap first check."""
    size: int
    """Size in bytes when read."""
    bom: bool = False
    """The file started with a UTF-8 byte-order mark (written back)."""


class SaveConflict(Exception):
    """The file changed on disk since it was loaded (or a save-as target exists): not overwritten."""


class SaveError(Exception):
    """The file could not be written (or the result would not read back); the original is intact."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_snapshot(path: Path) -> tuple[Backlog, Snapshot]:
    """Load a backlog and remember exactly what was on disk. BacklogError on bad input."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read(MAX_FILE_BYTES + 1) if stat.S_ISREG(st.st_mode) else b""
        note_read(str(path), data)
        if not stat.S_ISREG(st.st_mode) or len(data) > MAX_FILE_BYTES:
            read_text(path)  # raises the located BacklogError
    except OSError:
        read_text(path)  # raises BacklogError naming the problem (missing, denied, a directory)
        raise
    text = decode(data, str(path))
    backlog = parse_backlog(text, str(path))
    snap = Snapshot(path, text, _digest(data), st.st_mtime_ns, len(data), data.startswith(BOM))
    return backlog, snap


def disk_changed(snapshot: Snapshot) -> bool:
    """True when the file on disk is no longer what was loaded (a missing file has changed).

    Cheap: a stat, and the digest only when size or modification time differ.
    """
    try:
        st = os.stat(snapshot.path)
        if st.st_mtime_ns == snapshot.mtime_ns and st.st_size == snapshot.size:
            return False
        return _digest(Path(snapshot.path).read_bytes()) != snapshot.digest
    except OSError:
        return True


# --- the new text ---------------------------------------------------------------------------


def render_edits(text: str, original: Backlog, edited: Backlog, name: str = "") -> str:
    """The new file text: ``text`` with only the values that differ between ``original`` (what
    ``text`` holds) and ``edited`` changed. Pure; the result is checked to read back as
    ``edited``, else SaveError in plain words, saying what to change in the file when that is
    known (nothing is written by this function).
    """
    if original == edited:
        return text
    _refuse_invalid(edited)
    reasons: list[Unsupported] = []
    for _strategy, render in STRATEGIES:
        try:
            out = render(text, original, edited)
        except Unsupported as exc:
            reasons.append(exc)
            continue
        except Exception:
            continue
        if _reads_back(out, edited, name):
            return out
    # The reason that says what to change, else the first one; never a library's words.
    why = next((r for r in reasons if r.fix), reasons[0] if reasons else None)
    detail = (
        why.message()
        if why is not None
        else "fulcrum could not write the edits into this file so that it reads back exactly as edited"
    )
    raise SaveError(f"cannot save: {detail}. Nothing was written.")


def _refuse_invalid(edited: Backlog) -> None:
    """Edits the loader would reject (a duplicate id, a dependency on a deleted item) are not saved."""
    problems = cross_check(edited)
    if problems:
        lines = [f"{format_loc(loc)}: {msg}" for loc, msg in problems]
        raise SaveError("cannot save: the backlog has problems to fix first:\n" + "\n".join(lines))


def _reads_back(out: str, edited: Backlog, name: str) -> bool:
    """True when ``out`` loads as exactly ``edited``."""
    try:
        return parse_backlog(out, name) == edited
    except BacklogError:
        return False


# --- writing --------------------------------------------------------------------------------


def save_backlog(
    snapshot: Snapshot,
    original: Backlog,
    edited: Backlog,
    *,
    force: bool = False,
    path: Path | None = None,
) -> Snapshot:
    """Write ``edited`` over the file of ``snapshot`` (or to ``path``: save as); the new Snapshot.

    SaveConflict when the file changed on disk since ``snapshot`` (or ``path`` is another,
    existing file), unless ``force``. SaveError when it cannot be written; the file on disk is
    then unchanged.
    """
    target = Path(path) if path is not None else Path(snapshot.path)
    save_as = path is not None and not _same_file(target, Path(snapshot.path))
    real = Path(os.path.realpath(target))  # a symlink stays a link: write the file it points to
    # What the target must hold when it is replaced: the loaded bytes, or nothing (save as).
    expect = None if save_as else snapshot.digest
    if save_as and real.exists() and not force:
        raise SaveConflict(f"{target} already exists; choose another name or overwrite it")
    if not force:
        _check_unchanged(real, expect, target)
        if not save_as and original == edited:
            return snapshot  # nothing to write, and the file is as loaded
    text = render_edits(snapshot.text, original, edited, str(target))
    try:
        data = (BOM if snapshot.bom else b"") + text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SaveError(
            f"cannot save: the text holds a character UTF-8 cannot encode ({exc.reason})"
        ) from None

    # The conflict check again just before the replace: the window in which another program's
    # write could be lost stays as short as possible.
    def recheck() -> None:
        _check_unchanged(real, expect, target)

    try:
        write_atomic(target, data, before_replace=None if force else recheck)
    except WriteError as exc:
        raise SaveError(str(exc)) from None
    try:
        st = os.stat(real)
    except OSError as exc:
        raise SaveError(_explain(exc, target)) from None
    return Snapshot(target, text, _digest(data), st.st_mtime_ns, st.st_size, snapshot.bom)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _check_unchanged(real: Path, expect: str | None, shown: Path) -> None:
    """SaveConflict unless the target holds bytes of digest ``expect`` (None: does not exist)."""
    try:
        current: str | None = _digest(real.read_bytes())
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise SaveError(_explain(exc, shown)) from None
    if current == expect:
        return
    if expect is None:
        raise SaveConflict(f"{shown} was created by something else meanwhile; choose another name")
    if current is None:
        raise SaveConflict(f"{shown} was deleted or moved since it was loaded")
    raise SaveConflict(f"{shown} changed on disk since it was loaded")


def _explain(exc: OSError, shown: Path) -> str:
    return f"cannot save {shown}: {reason(exc)}; the file on disk is unchanged"
