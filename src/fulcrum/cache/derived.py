"""Plain data derived from one backlog file (the scoring table), kept for the next run on it.

An entry is keyed by what the data was computed with: its kind and layout, fulcrum's version
and installed code (:func:`fulcrum.cache.replay.code_fingerprint`), the format version, Python's
version and the file's real path. It holds the file's size, mtime and a BLAKE2 hash of its bytes
beside the data; a lookup hands the data back only when all three still match, so an edit, a
file of the same size and mtime with other bytes, a damaged or truncated entry, and an entry of
another version or user are all a miss, and the next full load writes the entry again.
"""

from __future__ import annotations

import os
import sys

from fulcrum.cache.replay import FORMAT_VERSION, code_fingerprint
from fulcrum.cache.store import entry_path, keep_for_file, kept_for_file

TYPE_CHECKING = False  # not `typing` (see fulcrum.cache.replay)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


def _key(kind: str, file: str) -> tuple[Any, ...]:
    return (kind, FORMAT_VERSION, code_fingerprint(), sys.version, os.path.realpath(file))


def derived_file(kind: str, file: str, env: Mapping[str, str] = os.environ) -> str | None:
    """Where the data of ``kind`` for ``file`` is kept (None: no cache folder)."""
    return entry_path(_key(kind, file), env)


def lookup_derived(kind: str, file: str, env: Mapping[str, str] = os.environ) -> Any:
    """The data kept for ``file`` under ``kind``, or None when there is none that still holds."""
    try:
        key = _key(kind, file)
    except (OSError, ValueError):  # no working folder to resolve a relative path; a NUL in it
        return None
    kept = kept_for_file(key, env)
    return kept[0] if kept is not None and len(kept) == 1 else None


def store_derived(
    kind: str,
    file: str,
    data: tuple[Any, ...],
    started_ns: int,
    read: tuple[int, str] | None,
    env: Mapping[str, str] = os.environ,
) -> None:
    """Keep ``data``, computed from the bytes of ``file`` whose (size, hash) is ``read`` by a run
    that started at ``started_ns``, unless the file changed since (``store.file_state``)."""
    if read is not None:
        keep_for_file(_key(kind, file), file, started_ns, (data,), env, read)
