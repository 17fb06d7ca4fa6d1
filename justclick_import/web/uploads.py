"""Receiving an uploaded file: streamed straight into the private folder, cut off at the limit.

The multipart body is parsed as it arrives (python-multipart), so a file larger than the limit
never lands anywhere, and the file is written only inside the server's 0700 folder (never in
the system's temporary folder, as a spooled form would be).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from justclick_import.sources.reader import CSV_SUFFIXES, EXCEL_SUFFIXES

__all__ = [
    "MAX_UPLOAD_BYTES",
    "READABLE_SUFFIXES",
    "Received",
    "UploadRefused",
    "receive_upload",
    "safe_name",
]

# The largest file the page takes: a million order lines of a legacy export fit well within it.
MAX_UPLOAD_BYTES = 256 * 1024 * 1024
READABLE_SUFFIXES = tuple(sorted(CSV_SUFFIXES | EXCEL_SUFFIXES))
_FIELD = "file"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


class UploadRefused(Exception):
    """The upload cannot be taken; ``reason`` is a key of the page's texts."""

    def __init__(self, reason: str, **facts: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.facts = facts


@dataclass(frozen=True)
class Received:
    """A file taken from an upload: where it is now, and its size."""

    path: Path
    size: int


def safe_name(given: str) -> str:
    """The uploaded file's own name, without folders or characters no file system takes."""
    name = PurePosixPath(given.replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[:100]}.{suffix[:15]}" if dot else name[:120]
    return name or "upload.csv"


class _Part:
    """What the parser has seen of the current part: its headers, and the file it goes to."""

    def __init__(self, folder: Path, limit: int) -> None:
        self.folder = folder
        self.limit = limit
        self.header_name = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.descriptor: int | None = None
        self.path: Path | None = None
        self.size = 0
        self.error: UploadRefused | None = None

    def on_part_begin(self) -> None:
        self.headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_name.strip().lower()] = self.header_value.strip()
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        if options.get(b"name") != _FIELD.encode() or self.path is not None:
            return
        filename = options.get(b"filename", b"").decode("utf-8", "replace")
        if not filename:
            self.error = self.error or UploadRefused("upload-none")
            return
        name = safe_name(filename)
        suffix = PurePosixPath(name).suffix.lower()
        if suffix not in READABLE_SUFFIXES:
            self.error = self.error or UploadRefused("upload-type", suffix=suffix or name)
            return
        self.path = self.folder / name
        self.descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.descriptor is None or self.error is not None:
            return
        self.size += end - start
        if self.size > self.limit:
            self.error = UploadRefused("upload-too-big", limit=self.limit)
            return
        os.write(self.descriptor, data[start:end])

    def on_part_end(self) -> None:
        self.close()

    def close(self) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None


async def receive_upload(request: Request, folder: Path, limit: int = MAX_UPLOAD_BYTES) -> Received:
    """Take the form's ``file`` into ``folder`` (already private); raise ``UploadRefused``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + 64 * 1024:  # the form's own bytes aside
        raise UploadRefused("upload-too-big", limit=limit)
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadRefused("upload-none")
    part = _Part(folder, limit)
    callbacks = {name: getattr(part, name) for name in dir(part) if name.startswith("on_")}
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if part.error is not None:
                break
        else:
            parser.finalize()
    except Exception as error:  # a broken body: nothing usable was received
        part.error = part.error or UploadRefused("upload-broken", detail=type(error).__name__)
    finally:
        part.close()
    if part.error is None and part.path is None:
        part.error = UploadRefused("upload-none")
    if part.error is not None:
        if part.path is not None:
            part.path.unlink(missing_ok=True)
        raise part.error
    assert part.path is not None
    return Received(part.path, part.size)
