"""The API secret key, kept out of every repr, log line, error and page."""

from __future__ import annotations

__all__ = ["Secret"]


class Secret:
    """The API secret key: usable by the client, never shown in a repr, a log or an error."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value.strip()

    def reveal(self) -> str:
        """The key itself, for signing only."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__
