"""An embedded JustClick stand-in on 127.0.0.1, for trying the importer and for its tests."""

from justclick_import.sandbox.server import (
    DEFAULT_CATALOG,
    Faults,
    Product,
    Sandbox,
    SandboxOrder,
    StatusChange,
    load_catalog,
)

__all__ = [
    "DEFAULT_CATALOG",
    "Faults",
    "Product",
    "Sandbox",
    "SandboxOrder",
    "StatusChange",
    "load_catalog",
]
