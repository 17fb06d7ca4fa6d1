"""Bytes deflated on a second thread while the first makes the next ones.

A big sheet's rows are deflated as they are made (zlib releases the interpreter lock while it
works), into a temporary file, as a raw deflate stream that ends on a byte boundary without
closing: the zip part is then its head, this stream and its tail, each deflated on its own
(``report.zip_parts``). Level 1: a sheet's XML is repetitive enough that level 6 makes it only
13% smaller, for three times the work.
"""

from __future__ import annotations

import queue
import shutil
import tempfile
import threading
import zlib
from pathlib import Path
from typing import IO, Any

__all__ = ["DeflatedStream", "crc32_combine"]

LEVEL = 1
_BACKLOG = 1  # a chunk waits while the next is made: memory stays two chunks


class DeflatedStream:
    """Bytes given in order, deflated in a thread of their own into a temporary file.

    ``write`` returns at once (up to a few chunks ahead); ``finish`` waits for the thread and
    then ``crc``, ``size`` (bytes in) and ``compressed`` (bytes out) are known. ``close``
    removes the file; it is safe to call at any time, also after an error.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.crc = 0
        self.size = 0
        self.compressed = 0
        # Kept open across calls and closed by ``close``: no block to hold it.
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=folder, prefix="rows-")  # noqa: SIM115
        self._deflate = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        self._queue: queue.Queue[tuple[Any, memoryview] | None] = queue.Queue(_BACKLOG)
        self._error: BaseException | None = None
        self._finished = False
        self._thread = threading.Thread(target=self._work, name="deflate-rows", daemon=True)
        self._thread.start()

    def write(self, data: memoryview, keep: Any = None) -> None:
        """Deflate ``data`` after what came before; ``keep`` is held until then (the owner of
        the memory ``data`` views)."""
        if self._error is not None:
            raise self._error
        if self._finished:
            raise ValueError("the stream is finished")
        self._queue.put((keep, data))

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue  # drain: the writer learns of the error at its next write
            _, data = item
            try:
                self.crc = zlib.crc32(data, self.crc)
                self.size += len(data)
                self._file.write(self._deflate.compress(data))
            except BaseException as error:  # a full disk, say: told to the writer
                self._error = error

    def finish(self) -> None:
        """Wait for everything written so far to be deflated; end the stream on a byte
        boundary, not closed (more deflate blocks may follow it)."""
        if not self._finished:
            self._finished = True
            self._queue.put(None)
            self._thread.join()
            if self._error is not None:
                raise self._error
            self._file.write(self._deflate.flush(zlib.Z_SYNC_FLUSH))
            self.compressed = self._file.tell()

    def copy_to(self, out: IO[bytes]) -> None:
        """Append the deflated bytes to ``out`` (after ``finish``)."""
        self._file.seek(0)
        shutil.copyfileobj(self._file, out, 1 << 20)

    def close(self) -> None:
        """Stop the thread (if still running) and remove the temporary file."""
        if not self._finished:
            self._finished = True
            self._error = self._error or ValueError("the stream was abandoned")
            self._queue.put(None)
            self._thread.join()
        self._file.close()


def _times(matrix: list[int], vector: int) -> int:
    """A 32x32 matrix over GF(2) (one int per column) times a vector (an int's bits)."""
    total = 0
    column = 0
    while vector:
        if vector & 1:
            total ^= matrix[column]
        vector >>= 1
        column += 1
    return total


def _squared(matrix: list[int]) -> list[int]:
    return [_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(first: int, second: int, second_size: int) -> int:
    """The CRC-32 of two byte strings one after the other, from the CRC-32 of each and the
    length of the second (zlib's ``crc32_combine``: the first CRC advanced over as many zero
    bits by repeated squaring of the one-zero-bit operator, then the second XORed in)."""
    if second_size <= 0:
        return first
    one_bit = [0xEDB88320] + [1 << n for n in range(31)]  # the CRC register after a 0 bit
    operator = _squared(_squared(one_bit))  # four zero bits
    while second_size:
        operator = _squared(operator)  # first pass: one zero byte; then 2, 4, 8, ... bytes
        if second_size & 1:
            first = _times(operator, first)
        second_size >>= 1
    return first ^ second
