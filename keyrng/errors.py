"""keyrng's error template, for libraries built on keyrng (compat uses it for every error).

"`{function}`: `{argument}` must be {accepted forms}; got {value!r}." followed by the fix where
there is one; `TypeError` for a wrong type, `ValueError` for a wrong value, `RuntimeError` (same
shape: "`{function}`: {requirement}; got {what happened}.") for a call made where it cannot run.

>>> from keyrng import errors
>>> errors.message("compat.uniform", "shape", "a sequence of non-negative ints", [-1])
'`compat.uniform`: `shape` must be a sequence of non-negative ints; got [-1].'
>>> errors.value_error("compat.uniform", "shape", "a sequence of non-negative ints", [-1])
Traceback (most recent call last):
...
ValueError: `compat.uniform`: `shape` must be a sequence of non-negative ints; got [-1].
"""

from keyrng._errors import message as message
from keyrng._errors import runtime_error as runtime_error
from keyrng._errors import type_error as type_error
from keyrng._errors import value_error as value_error

__all__ = ["message", "runtime_error", "type_error", "value_error"]
