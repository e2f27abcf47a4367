"""TensorFlow's bit-to-number conversions (`random_distributions.h`). All are exact.

- float32: the low 23 bits of a word as a mantissa in [1, 2), minus 1: `(w & 0x7FFFFF) * 2^-23`.
- float64: 52 mantissa bits from two words, the high 20 bits from the FIRST word.
- float16: the low 10 bits, `(w & 0x3FF) / 1024`; bfloat16: the low 7 bits, `(w & 0x7F) / 128`.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

_MANTISSA_BITS = {"float16": 10, "bfloat16": 7, "float32": 23}


def to_unit_float(word, dtype: str):
    """One uint32 word to a float in [0, 1) of `dtype` (float16, bfloat16 or float32)."""
    bits = _MANTISSA_BITS[dtype]
    mantissa = (word & jnp.uint32((1 << bits) - 1)).astype(jnp.float32)
    return (mantissa * jnp.float32(2.0**-bits)).astype(dtype)


def to_unit_double(high_word, low_word):
    """Two uint32 words to a float64 in [0, 1): `((high & 0xFFFFF) << 32 | low) * 2^-52`.

    Call it with 64-bit types enabled (`jax.enable_x64`).
    """
    with jax.enable_x64(True):
        mantissa = ((high_word & jnp.uint32(0xFFFFF)).astype(jnp.uint64) << 32) | low_word.astype(jnp.uint64)
        return mantissa.astype(jnp.float64) * jnp.float64(2.0**-52)
