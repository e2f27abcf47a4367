"""Philox4x32-10, the block function behind TensorFlow's random ops.

Random123's Philox4x32 with 10 rounds, as TensorFlow's `philox_random.h` runs it: a 128-bit
counter of four uint32 words (word 0 least significant) and a 64-bit key of two words. Every
function here works on tuples of uint32 arrays and broadcasts, so it runs under `jit` and `vmap`.

Known answer (Random123's `kat_vectors`, philox4x32_10): key 0, counter 0 gives
`6627e8d5 e169c58d bc57ac4c 9b00dbd8`.

>>> import numpy as np
>>> words = block((np.uint32(0), np.uint32(0)), tuple(np.uint32(0) for _ in range(4)))
>>> [f"{int(w):08x}" for w in words]
['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

Words = tuple  # a tuple of uint32 arrays of one broadcast shape

MULTIPLIER_A = np.uint32(0xD2511F53)
MULTIPLIER_B = np.uint32(0xCD9E8D57)
KEY_BUMP_A = np.uint32(0x9E3779B9)
KEY_BUMP_B = np.uint32(0xBB67AE85)
ROUNDS = 10


def mulhi(a, b):
    """The high word of the 64-bit product of two uint32 values.

    Not `lax.mulhi`: with jax 0.10.2 its `chlo.mulhi` fails to compile once Shardy gives it a
    sharding ("Unable to convert MHLO to StableHLO"), so sharded draws would not compile at all.
    The widened product compiles everywhere and is as fast on CPU (tests/test_sharding.py).
    """
    with jax.enable_x64(True):
        wide = jnp.asarray(a, jnp.uint32).astype(jnp.uint64) * jnp.asarray(b, jnp.uint32).astype(jnp.uint64)
        return (wide >> 32).astype(jnp.uint32)


def block(key: Words, counter: Words) -> Words:
    """The four output words of one Philox4x32-10 block for `counter` under `key`."""
    k0, k1 = (jnp.asarray(k, jnp.uint32) for k in key)
    c0, c1, c2, c3 = (jnp.asarray(c, jnp.uint32) for c in counter)
    for round_index in range(ROUNDS):
        if round_index:
            k0 = k0 + KEY_BUMP_A
            k1 = k1 + KEY_BUMP_B
        hi0 = mulhi(MULTIPLIER_A, c0)
        lo0 = c0 * MULTIPLIER_A
        hi1 = mulhi(MULTIPLIER_B, c2)
        lo1 = c2 * MULTIPLIER_B
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
    return c0, c1, c2, c3


def add_small(counter: Words, step) -> Words:
    """`counter + step` (mod 2^128) for a uint32 `step` (an array: one counter per element)."""
    c0, c1, c2, c3 = counter
    step = jnp.asarray(step, jnp.uint32)
    n0 = c0 + step
    carry = (n0 < step).astype(jnp.uint32)
    n1 = c1 + carry
    carry = carry & (n1 == 0).astype(jnp.uint32)
    n2 = c2 + carry
    carry = carry & (n2 == 0).astype(jnp.uint32)
    return n0, n1, n2, c3 + carry


def add(counter: Words, step: Words) -> Words:
    """`counter + step` (mod 2^128), both as four uint32 words, least significant first."""
    out = []
    carry = jnp.uint32(0)
    for c, s in zip(counter, step):
        c = jnp.asarray(c, jnp.uint32)
        s = jnp.asarray(s, jnp.uint32)
        partial = c + s
        carry_out = (partial < s).astype(jnp.uint32)
        total = partial + carry
        carry_out = carry_out | (total < carry).astype(jnp.uint32)
        out.append(total)
        carry = carry_out
    return tuple(out)


def multiply(words: Words, factor: int) -> Words:
    """`value * factor` (mod 2^128) as four uint32 words, for a value given as up to four uint32
    words (least significant first; traced or not) and a Python int `factor`. A factor of 1 costs
    nothing.

    >>> [int(w) for w in multiply((np.uint32(0xFFFFFFFF), np.uint32(1)), 2**32 + 3)]
    [4294967293, 4, 2, 0]
    """
    zero = jnp.uint32(0)
    words = tuple(jnp.asarray(w, jnp.uint32) for w in words) + (zero,) * (4 - len(words))
    if factor == 1:
        return words
    total = (zero, zero, zero, zero)
    for i, word in enumerate(words):
        for j, factor_word in enumerate(int_to_words(factor % 2**128, 4)):
            if factor_word == 0 or i + j > 3:
                continue
            factor_word = jnp.uint32(factor_word)
            part = [zero, zero, zero, zero]
            part[i + j] = word * factor_word
            if i + j + 1 < 4:
                part[i + j + 1] = mulhi(word, factor_word)
            total = add(total, tuple(part))
    return total


def add_high(words: Words, high: Words) -> Words:
    """`words + (high << 64)` (mod 2^128) for four uint32 words and two words `high`."""
    low2 = words[2] + high[0]
    carry = (low2 < words[2]).astype(jnp.uint32)
    return words[0], words[1], low2, words[3] + high[1] + carry


def int_to_words(value: int, count: int) -> tuple[int, ...]:
    """Split a non-negative Python int into `count` uint32 words, least significant first.

    >>> int_to_words(2**32 + 5, 2)
    (5, 1)
    """
    return tuple((value >> (32 * i)) & 0xFFFFFFFF for i in range(count))


def words_to_int(words) -> int:
    """The inverse of `int_to_words`.

    >>> words_to_int((5, 1))
    4294967301
    """
    return sum(int(w) << (32 * i) for i, w in enumerate(words))


# --- call counts as 128-bit offsets (compat.function's per-call state) -------------------------

def scale_calls(words: Words, blocks: int) -> Words:
    """`calls * blocks` (mod 2^128) as four uint32 words, from `calls * 256` given as three uint32
    words (least significant first; traced or not): the block offset, after `calls` runs, of a
    kernel that moves by `blocks` per run. A multiple of 256 scales the words; any other count
    scales `calls` itself (the words shifted down by 8 bits).

    >>> [int(w) for w in scale_calls((np.uint32(3 * 256), np.uint32(0), np.uint32(0)), 512)]
    [1536, 0, 0, 0]
    >>> [int(w) for w in scale_calls((np.uint32(3 * 256), np.uint32(0), np.uint32(0)), 5)]
    [15, 0, 0, 0]
    """
    words = tuple(jnp.asarray(w, jnp.uint32) for w in words)
    if blocks % 256 == 0:
        return multiply(words, blocks // 256)
    calls = ((words[0] >> 8) | (words[1] << 24), (words[1] >> 8) | (words[2] << 24), words[2] >> 8)
    return multiply(calls, blocks)


def next_call(words: Words) -> Words:
    """`calls * 256` of one call more: three uint32 words (least significant first) plus 256,
    carried through the three words.

    >>> [int(w) for w in next_call((np.uint32(2**32 - 256), np.uint32(2**32 - 1), np.uint32(0)))]
    [0, 0, 1]
    """
    low = jnp.asarray(words[0], jnp.uint32) + jnp.uint32(256)
    carry = (low < jnp.uint32(256)).astype(jnp.uint32)
    middle = jnp.asarray(words[1], jnp.uint32) + carry
    high = jnp.asarray(words[2], jnp.uint32) + (carry & (middle == 0).astype(jnp.uint32))
    return low, middle, high
