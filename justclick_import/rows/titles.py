"""Products named by their title: the catalog's titles, matched whatever the case, spaces and
quotes (« », " ", ' ' and their kin), and a cell of several products split into each one."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from justclick_import.sources.catalog import Product

__all__ = ["TitleIndex", "TitleMatch", "fold_title", "split_cell"]

_QUOTES = re.compile(r"[«»\"“”„‟'‘’‚‛`´]")
_SPACES = re.compile(r"\s+")
# "Title x 2", "Title × 2", "Title х2" (Cyrillic х), "Title (x2)", "Title (2 шт.)", "Title - 2 шт"
_COUNT = re.compile(
    r"^(?P<title>.+?)\s*(?:(?:[x×х]\s*(?P<a>\d+))|\(\s*(?:[x×х]\s*)?(?P<b>\d+)\s*(?:шт\.?|pcs)?\s*\)"
    r"|(?:[-–—:]\s*)(?P<c>\d+)\s*(?:шт\.?|pcs))\s*$",
    re.IGNORECASE,
)

# Where a variant starts: "Футболка - L / Black" is "Футболка" in size L, black.
_VARIANT = re.compile(r"\s+[-–—/|]\s+")
# A line's sum after its count (Tilda: "Title x 2 = 1000"): not part of the title.
_SUM = re.compile(r"\s*=\s*[\d\s.,]+\s*(?:руб\.?|р\.?|₽|rub)?\s*$", re.IGNORECASE)


def fold_title(text: str) -> str:
    """A title as compared: lower case, ё as е, no quotes, one space between words."""
    folded = _QUOTES.sub(" ", text.casefold().replace("ё", "е"))
    return _SPACES.sub(" ", folded).strip()


@dataclass(frozen=True)
class TitleMatch:
    """What a title names: one product id (``ids`` of one), several (ambiguous), or none."""

    ids: tuple[str, ...]
    count: int = 1  # units, from a "x 2" after the title


class TitleIndex:
    """The catalog's products by folded title."""

    def __init__(self, catalog: Mapping[str, Product]) -> None:
        self._by_title: dict[str, list[str]] = {}
        self._titles: dict[str, str] = {}  # folded -> as written (the first)
        for product in catalog.values():
            if product.title:
                key = fold_title(product.title)
                self._by_title.setdefault(key, []).append(product.id)
                self._titles.setdefault(key, product.title)

    def find(self, text: str) -> TitleMatch:
        """The products titled ``text``, also when it ends with a count (``Title x 2``) or a
        variant (Shopify's ``Title - L``, ``Title / Red``)."""
        ids = self._by_title.get(fold_title(text))
        if ids:
            return TitleMatch(tuple(ids))
        counted = _COUNT.match(_SUM.sub("", text))
        if counted is not None:
            found = self._titled(counted.group("title"))
            if found:
                count = int(counted.group("a") or counted.group("b") or counted.group("c"))
                return TitleMatch(found, count)
        return TitleMatch(self._titled(text))

    def _titled(self, text: str) -> tuple[str, ...]:
        """The products titled ``text``, or ``text`` without its variants (``- L / Black``)."""
        text = _SUM.sub("", text)
        ids = self._by_title.get(fold_title(text))
        if ids:
            return tuple(ids)
        cuts = [match.start() for match in _VARIANT.finditer(text)]
        for cut in reversed(cuts):
            ids = self._by_title.get(fold_title(text[:cut]))
            if ids:
                return tuple(ids)
        return ()

    def closest(self, text: str, limit: int = 3) -> list[str]:
        """Up to ``limit`` catalog titles that look like ``text``, as the catalog writes them."""
        keys = difflib.get_close_matches(fold_title(text), list(self._titles), limit, 0.4)
        return [self._titles[key] for key in keys]


def split_cell(text: str, separators: str, index: TitleIndex) -> list[tuple[str, TitleMatch]]:
    """The products of one cell: ``A, B`` or ``A x 2; B``, each with what it names.

    ``separators`` are the characters that may part two products (``,;`` and a line break,
    say). Titles may hold one themselves ("Курс «A, B»"): the longest run of pieces that is a
    title is taken first, so a cell is split only where a title ends.
    """
    pattern = re.compile(rf"\s*[{re.escape(separators)}]\s*")
    bounds = [(m.start(), m.end()) for m in pattern.finditer(text)]
    starts = [0, *(end for _, end in bounds)]
    ends = [*(start for start, _ in bounds), len(text)]
    pieces: list[tuple[str, TitleMatch]] = []
    i = 0
    while i < len(starts):
        for j in range(len(starts) - 1, i - 1, -1):
            candidate = text[starts[i] : ends[j]].strip()
            found = index.find(candidate)
            if found.ids or j == i:
                if candidate:
                    pieces.append((candidate, found))
                i = j + 1
                break
    return pieces
