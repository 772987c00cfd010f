"""The cache kept between runs, per user, validated: the scoring table of each backlog `rank`
read (``derived``), and the last output of the other printing commands (``replay``).

Importing this package loads only the standard library, so a cache hit answers without pydantic,
tomli or the models (docs/DESIGN.md "The cache and the fast path").
"""

from __future__ import annotations

from fulcrum.cache.derived import derived_file, lookup_derived, store_derived
from fulcrum.cache.replay import (
    CACHED_COMMANDS,
    FORMAT_VERSION,
    NO_CACHE_COMMANDS,
    NO_CACHE_FLAG,
    Recorder,
    code_fingerprint,
    entry_file,
    lookup,
    play,
    request_key,
    store,
    wanted,
)
from fulcrum.cache.store import (
    MAX_BYTES,
    MAX_ENTRIES,
    OFF_VARIABLE,
    SUFFIX,
    bytes_read,
    cache_dir,
    disabled,
    file_digest,
    note_read,
    private_dir,
    prune,
)

__all__ = [
    "CACHED_COMMANDS",
    "FORMAT_VERSION",
    "MAX_BYTES",
    "MAX_ENTRIES",
    "NO_CACHE_COMMANDS",
    "NO_CACHE_FLAG",
    "OFF_VARIABLE",
    "SUFFIX",
    "Recorder",
    "bytes_read",
    "cache_dir",
    "code_fingerprint",
    "derived_file",
    "disabled",
    "entry_file",
    "file_digest",
    "lookup",
    "lookup_derived",
    "note_read",
    "play",
    "private_dir",
    "prune",
    "request_key",
    "store",
    "store_derived",
    "wanted",
]
