"""The goods of each row: its product resolved to the shop's id, one entry per unit.

JustClick has no quantity: a line of 3 units is three goods entries. A product may be given by
its id (``good_name``) or its title (``good_title``, or titles in the id column), matched with
the shop's catalog; a cell may hold several products (a preset's ``split``); lines that are not
products (tips, shipping, per preset) are left out and said so. A line with 0 units left after
refunds keeps the goods it had before them, for an order refunded in full (``orders.refunds``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from justclick_import.problems import ProblemCode, RowProblem
from justclick_import.rows.titles import TitleIndex, TitleMatch, fold_title, split_cell
from justclick_import.rows.validate import ValidRows
from justclick_import.sources.catalog import Product

__all__ = ["GoodsRules", "RefundedLine", "RowGoods", "Unit", "resolve_goods"]

Unit = tuple[str, float | None]  # (good_name, good_sum) of one goods entry
# One cell's products: (id or text as written, units), and what is wrong: (code, field,
# value, detail). A piece that is not a product is a NOT_A_PRODUCT issue and no product.
_Resolved = tuple[tuple[tuple[str, int], ...], tuple[tuple[ProblemCode, str, str, str], ...]]


@dataclass(frozen=True)
class GoodsRules:
    """How a file names its products (from its preset or mapping file)."""

    split: str = ""  # the characters that part several products in one cell
    not_products: frozenset[str] = field(default_factory=frozenset)  # folded titles


@dataclass(frozen=True, slots=True)
class RefundedLine:
    """A line with 0 units left after refunds: the goods entries it had before them."""

    units: tuple[Unit, ...]  # at the units ordered; one per product when the file has none
    ordered: int | None  # the units ordered as the file gives them (None: it does not)


@dataclass
class RowGoods:
    """Per row position, its goods entries; and the problems found resolving them.

    ``refunded``, by sheet row: each line with 0 units (``quantity``), with the goods it had
    before a refund took them; an order refunded in full is created with those.
    """

    units: list[tuple[Unit, ...]]
    problems: list[RowProblem]
    refunded: dict[int, RefundedLine] = field(default_factory=dict)


class _Resolver:
    def __init__(self, catalog: Mapping[str, Product] | None, rules: GoodsRules) -> None:
        self.catalog = catalog
        self.index = TitleIndex(catalog) if catalog is not None else None
        self.rules = rules
        self.cache: dict[tuple[str, str], _Resolved] = {}

    def resolve(self, name: str, title: str) -> _Resolved:
        key = (name, title)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._resolve(name, title)
        return found

    def _resolve(self, name: str, title: str) -> _Resolved:
        if name and (self.catalog is None or name in self.catalog):
            return ((name, 1),), ()
        if not name and not title:
            return (), ()  # missing-product, told by validation
        if name and not title:  # the id column holding a title
            return self._titles(name, "good_name", looks_like_id=not any(c.isspace() for c in name))
        if self._not_product(title):
            return (), ((ProblemCode.NOT_A_PRODUCT, "good_title", title, ""),)
        if self.index is None:
            return ((title, 1),), ((ProblemCode.TITLE_WITHOUT_CATALOG, "good_title", title, ""),)
        return self._titles(title, "good_title", looks_like_id=False)

    def _not_product(self, text: str) -> bool:
        return fold_title(text) in self.rules.not_products

    def _titles(self, text: str, column: str, *, looks_like_id: bool) -> _Resolved:
        assert self.index is not None
        if self.rules.split:
            pieces = split_cell(text, self.rules.split, self.index)
        else:
            pieces = [(text, self.index.find(text))]
        products: list[tuple[str, int]] = []
        issues: list[tuple[ProblemCode, str, str, str]] = []
        for piece, match in pieces:
            if not match.ids and self._not_product(piece):
                issues.append((ProblemCode.NOT_A_PRODUCT, column, piece, ""))
                continue
            products.append((match.ids[0] if len(match.ids) == 1 else piece, match.count))
            issue = self._issue(piece, match, column, looks_like_id and len(pieces) == 1)
            if issue is not None:
                issues.append(issue)
        return tuple(products), tuple(issues)

    def _issue(
        self, piece: str, match: TitleMatch, column: str, looks_like_id: bool
    ) -> tuple[ProblemCode, str, str, str] | None:
        assert self.index is not None
        if len(match.ids) == 1:
            return None
        if match.ids:
            return ProblemCode.AMBIGUOUS_TITLE, column, piece, ", ".join(match.ids)
        if looks_like_id:
            return ProblemCode.UNKNOWN_PRODUCT, column, piece, ""
        closest = "; ".join(f"«{title}»" for title in self.index.closest(piece)) or "—"
        return ProblemCode.UNKNOWN_TITLE, column, piece, closest


def resolve_goods(
    valid: ValidRows,
    *,
    catalog: Mapping[str, Product] | None = None,
    rules: GoodsRules | None = None,
    headers: Mapping[str, str] | None = None,
) -> RowGoods | None:
    """Each row's goods entries; None when every row is one unit of the id it names as written
    (no quantity, no titles, every id in the catalog): then the rows are their own goods.

    The units are ``quantity``'s; without that column, ``ordered_quantity``'s. A line with 0
    units in ``quantity`` keeps, in ``refunded``, its goods at the units ordered (one per
    product when the file does not give them).
    """
    rules = rules or GoodsRules()
    headers = headers or {}
    frame = valid.frame
    has_title = "good_title" in frame
    count = len(valid.row_numbers)
    names = valid.texts("good_name") if "good_name" in frame else [""] * count
    titles = valid.texts("good_title") if has_title else [""] * count
    resolver = _Resolver(catalog, rules)
    as_written = catalog is None or all(name in catalog or not name for name in set(names))
    left, ordered = valid.quantities, valid.ordered_quantities
    if left is None and ordered is None and not has_title and as_written:
        return None
    quantities = left if left is not None else ordered or [1] * count
    prices = valid.prices
    units: list[tuple[Unit, ...]] = []
    problems: list[RowProblem] = []
    refunded: dict[int, RefundedLine] = {}
    for position, (name, title) in enumerate(zip(names, titles, strict=True)):
        products, issues = resolver.resolve(name, title)
        row = valid.row_numbers[position]
        for code, column, value, detail in issues:
            problems.append(RowProblem(row, headers.get(column, column), value, code, detail))
        quantity = quantities[position]
        times = 1 if quantity is None else quantity  # None: a bad quantity, told already
        price = prices[position]
        if len(products) > 1 and price is not None:
            column = headers.get("good_sum", "good_sum")
            written = str(frame["good_sum"].iat[position])
            code = ProblemCode.PRICE_NOT_SPLIT
            problems.append(RowProblem(row, column, written, code, str(len(products))))
            price = None
        units.append(tuple((product, price) for product, n in products for _ in range(n * times)))
        if quantity == 0 and left is not None and products:
            before = ordered[position] if ordered is not None else None
            before = before or None  # 0 ordered as well: the file does not say how many
            entries = tuple(
                (product, price) for product, n in products for _ in range(n * (before or 1))
            )
            refunded[row] = RefundedLine(entries, before)
    return RowGoods(units, problems, refunded)
