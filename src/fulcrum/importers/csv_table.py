"""A tracker's CSV export read by header name, repeated headers included (Jira writes one
``Labels`` column per label), with every way the file can fail to be that export said in words."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from fulcrum.importers.issues import ExportError

#: How much of the file is looked at for binary content.
SNIFF = 8192


def decode_export(data: bytes, name: str, what: str) -> str:
    """The export's text (UTF-8, a byte-order mark dropped); ExportError when it is empty, binary
    or not UTF-8, naming the file and ``what`` was expected."""
    if not data.strip():
        raise ExportError(f"{name}: the file is empty; expected {what}")
    sniff = data[:SNIFF]
    controls = sum(1 for b in sniff if b < 32 and b not in (9, 10, 13))
    if controls * 10 > len(sniff):
        raise ExportError(f"{name}: not a text file (it holds binary data); expected {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in sniff:
            raise ExportError(f"{name}: not a text file (it holds binary data); expected {what}") from None
        raise ExportError(
            f"{name}: not UTF-8 text (byte {exc.start + 1:,} cannot be read); expected {what}, "
            "exported as UTF-8"
        ) from None


class Table:
    """The rows of a CSV export, read by header name; a header may repeat."""

    def __init__(self, header: list[str], rows: list[list[str]]) -> None:
        self.header = header
        self.rows = rows
        self._where: dict[str, list[int]] = {}
        for i, h in enumerate(header):
            self._where.setdefault(h.casefold(), []).append(i)

    def has(self, name: str) -> bool:
        return name.casefold() in self._where

    def get(self, row: list[str], *names: str) -> str:
        """The first non-empty cell under any of ``names`` (in that order), else ""."""
        for name in names:
            for i in self._where.get(name.casefold(), ()):
                if i < len(row) and row[i].strip():
                    return row[i]
        return ""

    def every(self, row: list[str], name: str) -> list[str]:
        """Every non-empty cell under ``name`` (a repeated header), in column order."""
        return [row[i] for i in self._where.get(name.casefold(), ()) if i < len(row) and row[i].strip()]


@contextmanager
def _field_limit(n: int) -> Iterator[None]:
    # The csv module refuses fields over 128 KiB; a tracker's description may be megabytes.
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, n))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def read_table(data: bytes, name: str, what: str, required: Sequence[str]) -> Table:
    """The CSV export ``data`` as a :class:`Table`; ExportError unless it is text, not JSON, CSV,
    and its first line has every header in ``required``."""
    text = decode_export(data, name, what)
    if text.lstrip()[:1] in ("[", "{"):
        raise ExportError(f"{name}: this looks like JSON, not CSV; expected {what}")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    with _field_limit(len(data) + 1):
        try:
            header = [h.strip() for h in next(reader, [])]
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows.append(row)
        except csv.Error:
            raise ExportError(
                f"{name}: line {reader.line_num:,} cannot be read as CSV; expected {what}"
            ) from None
    table = Table(header, rows)
    missing = [h for h in required if not table.has(h)]
    if missing:
        found = ", ".join(repr(h[:40]) for h in header[:8] if h) or "nothing"
        more = ", ..." if len(header) > 8 else ""
        raise ExportError(
            f"{name}: not {what}: its first line has no column {' and no '.join(repr(m) for m in missing)} "
            f"(found {found}{more})"
        )
    return table
