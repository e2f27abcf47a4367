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


def runtime_error(function: str, requirement: str, got: str, fix: str | None = None) -> NoReturn:
    """Raise the RuntimeError of a call made where it cannot run, in the same template:
    "`{function}`: {requirement}; got {got}." followed by the fix.

    >>> runtime_error("compat.uniform", "it must run eagerly", "a call under jax.jit")
    Traceback (most recent call last):
    ...
    RuntimeError: `compat.uniform`: it must run eagerly; got a call under jax.jit.
    """
    text = f"`{function}`: {requirement}; got {got}."
    if fix:
        text += f" {fix}"
    raise RuntimeError(text)


def _show(value: Any) -> str:
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return text
