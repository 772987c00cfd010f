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

from fulcrum.cache.replay import FORMAT_VERSION, code_fingerprint, entry_name
from fulcrum.cache.store import SUFFIX, cache_dir, file_state, private_dir, read_entry, same_file, write_entry

TYPE_CHECKING = False  # not `typing` (see fulcrum.cache.replay)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


def _key(kind: str, file: str) -> tuple[Any, ...]:
    return (kind, FORMAT_VERSION, code_fingerprint(), sys.version, os.path.realpath(file))


def derived_file(kind: str, file: str, env: Mapping[str, str] = os.environ) -> str | None:
    """Where the data of ``kind`` for ``file`` is kept (None: no cache folder)."""
    folder = cache_dir(env)
    return None if folder is None else os.path.join(folder, entry_name(_key(kind, file)) + SUFFIX)


def lookup_derived(kind: str, file: str, env: Mapping[str, str] = os.environ) -> Any:
    """The data kept for ``file`` under ``kind``, or None when there is none that still holds."""
    folder = cache_dir(env)
    if folder is None or not private_dir(folder, create=False):
        return None
    try:
        key = _key(kind, file)
    except (OSError, ValueError):
        return None
    payload = read_entry(os.path.join(folder, entry_name(key) + SUFFIX), key)
    if payload is None or len(payload) != 5 or not same_file(*payload[:4]):
        return None
    return payload[4]


def store_derived(
    kind: str, file: str, data: tuple[Any, ...], started_ns: int, env: Mapping[str, str] = os.environ
) -> None:
    """Keep ``data``, computed from ``file`` by a run that started at ``started_ns``, unless the
    file changed since (then it may be older than the file's bytes)."""
    folder = cache_dir(env)
    if folder is None:
        return
    state = file_state(file, started_ns)
    if state is None:
        return
    key = _key(kind, file)
    write_entry(folder, entry_name(key), key, (*state, data))
