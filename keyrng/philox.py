"""Philox4x32-10 and 128-bit counter arithmetic on uint32 words, public.

The block function behind TensorFlow's random ops (Random123's Philox4x32 with 10 rounds, as
TensorFlow's `philox_random.h` runs it), and the word arithmetic that moves its counters. Every
function works on tuples of uint32 arrays (least significant word first), broadcasts, and runs
under `jit` and `vmap`, so positions can be computed inside compiled code.

Known answer (Random123's `kat_vectors`, philox4x32_10): key 0, counter 0 gives
`6627e8d5 e169c58d bc57ac4c 9b00dbd8`.

>>> import numpy as np
>>> from keyrng import philox
>>> words = philox.block((np.uint32(0), np.uint32(0)), tuple(np.uint32(0) for _ in range(4)))
>>> [f"{int(w):08x}" for w in words]
['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']
>>> philox.int_to_words(2**64 + 7, 4)
(7, 0, 1, 0)
"""

from keyrng._philox import add as add
from keyrng._philox import add_high as add_high
from keyrng._philox import add_small as add_small
from keyrng._philox import block as block
from keyrng._philox import int_to_words as int_to_words
from keyrng._philox import mulhi as mulhi
from keyrng._philox import multiply as multiply
# compat.function's per-call counter state (calls * 256 in three words)
from keyrng._philox import next_call as next_call
from keyrng._philox import scale_calls as scale_calls
from keyrng._philox import words_to_int as words_to_int

__all__ = ["add", "add_high", "add_small", "block", "int_to_words", "mulhi", "multiply", "next_call",
           "scale_calls", "words_to_int"]
