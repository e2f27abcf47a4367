"""The one error template every public function uses.

"`{function}`: `{argument}` must be {accepted forms}; got {value!r}." followed by the fix where
there is one. `TypeError` for a wrong type, `ValueError` for a wrong value.
"""

from __future__ import annotations

from typing import Any, NoReturn


def message(function: str, argument: str, accepted: str, got: Any, fix: str | None = None) -> str:
    """Format the project's error message.

    >>> message("keyrng.split", "num", "a non-negative int", -1)
    '`keyrng.split`: `num` must be a non-negative int; got -1.'
    """
    text = f"`{function}`: `{argument}` must be {accepted}; got {_show(got)}."
    if fix:
        text += f" {fix}"
    return text


def type_error(function: str, argument: str, accepted: str, got: Any, fix: str | None = None) -> NoReturn:
    raise TypeError(message(function, argument, accepted, got, fix))


def value_error(function: str, argument: str, accepted: str, got: Any, fix: str | None = None) -> NoReturn:
    raise ValueError(message(function, argument, accepted, got, fix))


def _show(value: Any) -> str:
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return text
