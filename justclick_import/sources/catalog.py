"""The shop's product catalog (``id,title,price,physical``): which ids exist, which go by post."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from justclick_import.errors import ConfigError, ErrorCode

__all__ = ["Product", "load_catalog", "read_catalog"]

_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


@dataclass(frozen=True)
class Product:
    """One product of the shop's catalog."""

    id: str
    title: str
    price: float
    physical: bool


def load_catalog(path: Path) -> dict[str, Product]:
    """Read a catalog CSV (``id,title,price,physical``) into products keyed by id.

    Raises ``ValueError`` naming the file and line of a bad entry.
    """
    products: dict[str, Product] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:  # -sig: Excel writes a BOM
        reader = csv.DictReader(handle)
        missing = {"id", "title", "price", "physical"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: line 1: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            where = f"{path}: line {reader.line_num}"
            product_id = (row["id"] or "").strip()
            if not product_id:
                raise ValueError(f"{where}: empty id")
            if product_id in products:
                raise ValueError(f"{where}: duplicate id {product_id!r}")
            try:
                price = float((row["price"] or "").strip())
            except ValueError:
                raise ValueError(f"{where}: price {row['price']!r} is not a number") from None
            if not math.isfinite(price) or price < 0:
                raise ValueError(f"{where}: price {row['price']!r} is not a valid price")
            flag = (row["physical"] or "").strip().lower()
            if flag not in _TRUE | _FALSE:
                raise ValueError(
                    f"{where}: physical {row['physical']!r} is not 1/0, true/false, yes/no"
                )
            title = (row["title"] or "").strip()
            products[product_id] = Product(product_id, title, price, flag in _TRUE)
    return products


def read_catalog(path: Path) -> dict[str, Product]:
    """``load_catalog`` for a run's catalog: raises ``ConfigError`` (exit 2) instead."""
    try:
        return load_catalog(path)
    except OSError as error:
        raise ConfigError(
            ErrorCode.BAD_CATALOG, f"cannot read the catalog {path}: {error.strerror}"
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ConfigError(ErrorCode.BAD_CATALOG, f"bad catalog: {error}") from None
