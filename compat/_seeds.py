"""The one seam from TensorFlow's seed rules to a Philox position.

Every implicit-seed op (uniform, normal, truncated_normal, dropout, shuffle, categorical) asks
`position` where its call draws: it checks determinism, resolves `(seed, seed2)` with
`keyrng.tf.seed_pair` (drawing the eager op seed when only a global seed is set), reserves the
kernel's counter in `_state`, and packs the result as a position (`keyrng.tf.key`'s words).
Inside a `compat.function` the trace being built answers instead (`compat._function`).
The rules themselves are written down once, in the compat package docstring.
"""

from __future__ import annotations

import math
import operator
import secrets
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import keyrng
from compat import _guard, _state

_SEED_FORMS = "an int, a float, a bool, a numpy integer or float, or None"


def check_seed(function: str, seed: Any, argument: str = "seed") -> int | None:
    """An op or global seed as the int TensorFlow's kernel attribute gets, or None.

    TensorFlow accepts any real number: an int of any size, a float, a bool, a numpy integer or
    float, a concrete 0-d array of one. `_truncate_seed` takes it modulo 2**31 - 1 first and the
    kernel's int attribute truncates what is left, so a float seed is `int(seed % (2**31 - 1))`
    (1.5 is the seed 1; -1.5 is 2147483645) and True is 1 (recorded: tests/data/tf_seed_forms_*).

    >>> check_seed("compat.uniform", 1.5), check_seed("compat.uniform", -1.5), check_seed("compat.uniform", True)
    (1, 2147483645, 1)
    """
    if seed is None:
        return None
    if isinstance(seed, (np.ndarray, jax.Array)):
        numeric = not jnp.issubdtype(seed.dtype, jax.dtypes.prng_key) and np.dtype(seed.dtype).kind in "biuf"
        if isinstance(seed, jax.core.Tracer) or seed.ndim != 0 or not numeric:
            keyrng.errors.type_error(function, argument, _SEED_FORMS, seed)
        seed = np.asarray(seed).item()
    if isinstance(seed, (bool, np.bool_)):
        return int(seed)
    if isinstance(seed, (float, np.floating)):
        if not math.isfinite(seed):
            keyrng.errors.value_error(function, argument, "a finite number", seed)
        return int(float(seed) % keyrng.tf.MAXINT32)
    try:
        return operator.index(seed)
    except TypeError:
        keyrng.errors.type_error(function, argument, _SEED_FORMS, seed)


def op_seed_stream(seed: Any) -> Any:
    """What TensorFlow seeds its eager op-seed draw with (`Context._set_global_seed`):
    `random.Random(seed)` when Python's random takes the value as it is (an int, a float — hashed,
    so 1.5 draws other op seeds than 1 — a bool, a NumPy float64, which is a float), else
    `int(np.array(seed))` (a NumPy float32 7.25 draws as 7)."""
    if seed is None or isinstance(seed, (int, float)):
        return seed
    return int(np.asarray(seed).item()) if isinstance(seed, (np.ndarray, jax.Array)) else int(np.array(seed))


def seed_pair(op_seed: int | None) -> tuple[int, int] | None:
    """The eager `(seed, seed2)` of an op with `op_seed` (None: neither seed is set). With a
    global seed and no op seed this draws the next eager op seed; call it under `_state.lock`."""
    global_seed = _state.state.global_seed
    if global_seed is not None and op_seed is None:
        op_seed = _state.draw_op_seed()
    return keyrng.tf.seed_pair(global_seed, op_seed)


def refuse_without_seed(function: str) -> None:
    """The RuntimeError of an unseeded op while op determinism is enabled."""
    keyrng.errors.runtime_error(
        function, "random ops need a global seed or an op seed while op determinism is enabled",
        "neither", "Call compat.set_seed(1) first, or pass seed=.")


def position_words(key: int, counter: int) -> np.ndarray:
    """A position as `keyrng.tf.position_key` takes it: the 64-bit Philox key and the 128-bit
    counter as six uint32 words, least significant first (written out: a hot path).

    >>> position_words(2**32 + 5, 7).tolist()
    [5, 1, 7, 0, 0, 0]
    """
    return np.array((key & 0xFFFFFFFF, (key >> 32) & 0xFFFFFFFF, counter & 0xFFFFFFFF,
                     (counter >> 32) & 0xFFFFFFFF, (counter >> 64) & 0xFFFFFFFF,
                     (counter >> 96) & 0xFFFFFFFF), np.uint32)


def position(function: str, kernel: tuple, op_seed: int | None, blocks: int):
    """Where this call of the kernel `kernel = (op, dtype, attributes...)` draws, as position
    words (`position_words`; traced words inside a compat.function); moves the kernel's counter
    by `blocks` (N*256 for N values of most ops).

    Eagerly the draw stands for `keyrng.tf.key(seed, seed2, offset)` with `(seed, seed2)` from
    the seed rules and `offset` the kernel's counter before this call.
    """
    trace = _guard.current(function)
    if trace is not None:
        return trace.position(kernel[0], kernel[1], op_seed, blocks=blocks)
    with _state.lock:
        if _state.state.determinism and _state.state.global_seed is None and op_seed is None:
            refuse_without_seed(function)
        pair = seed_pair(op_seed)
        if pair is None:  # neither seed: TensorFlow seeds the kernel from OS entropy
            seed, seed2, offset = secrets.randbits(63), secrets.randbits(63), 0
        else:
            seed, seed2 = pair
            offset = _state.reserve((*kernel, seed, seed2), blocks)
    return position_words(seed, (seed2 << 64) + offset)


def spend_op_seed(function: str, op_seed: int | None) -> None:
    """Use up an op seed as a call that draws nothing does in TensorFlow (dropout with rate 0)."""
    trace = _guard.current(function)
    if trace is not None:
        trace.get_seed(op_seed)
        return
    with _state.lock:
        seed_pair(op_seed)
