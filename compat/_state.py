"""The only mutable state in the project: the global seed, the eager op-seed draw, and the
table of kernel counters. Everything is guarded by one lock, so calls from many threads never
share or skip a counter offset.
"""

from __future__ import annotations

import random
import threading
import weakref
from dataclasses import dataclass, field


@dataclass
class State:
    """What TensorFlow's eager context keeps for random ops.

    - `global_seed`: the value given to `set_seed` (None when unset);
    - `op_seeds`: `random.Random(global_seed)`, from which eager unseeded ops draw op seeds;
    - `kernels`: TensorFlow's eager kernel cache, reduced to what random ops keep in it: for each
      `(op, dtype, shape dtype, seed, seed2)` the next block offset of that kernel's Philox stream;
    - `generation`: bumped by every `set_seed`, so compiled functions know their kernels were reset;
    - the registry of live compiled functions and their imported counters (below).
    """

    global_seed: int | None = None
    op_seeds: random.Random = field(default_factory=random.Random)
    kernels: dict = field(default_factory=dict)
    generation: int = 0
    determinism: bool = False
    global_generator: object = None  # compat.get_global_generator's Generator, made on first use
    # TensorFlow's eager scalar cache (TFE_TensorHandleCache), reduced to what it changes: for
    # each (Python type, dtype name), the float zero (0.0 or -0.0) first converted; see
    # compat._ops.eager_zeros. Never cleared by set_seed, as in TensorFlow.
    scalar_zeros: dict = field(default_factory=dict)
    # compat.function's registry (compat/_function.py; exported by compat/_checkpoint.py):
    # `functions`, every live compat.Function (held weakly: a dropped function leaves it);
    # `function_names`, how many compat.functions of each name were made (their checkpoint keys
    # are `name`, `name#1`, ...); `pending`, compiled-function counters imported for traces not
    # made yet, (function key, signature) -> (entry, stamp). A new state object (`reset`,
    # `compat.set_state`) takes over the live functions and their names (they still exist and
    # keep their keys; their traces restart, or take the imported counters) and starts
    # `pending` afresh; `set_seed` empties it.
    functions: weakref.WeakSet = field(default_factory=weakref.WeakSet)
    function_names: dict = field(default_factory=dict)
    pending: dict = field(default_factory=dict)
    # Candidate samplers (compat/_samplers.py): what an eager sampler kernel keeps besides its
    # counter, by the same key as `kernels` — a learned unigram kernel's weights (int64 array),
    # a fixed unigram kernel's table read from its vocabulary file. Dropped with the kernels.
    samplers: dict = field(default_factory=dict)


lock = threading.RLock()
state = State()



def successor(**values) -> State:
    """A new state object with `values`, taking over the live compiled functions and their names
    from the current one (they outlive any reset)."""
    return State(functions=state.functions, function_names=state.function_names, **values)


def reset() -> None:
    """Back to a fresh process's state (used by tests and `compat.reset`); compiled functions that
    still exist stay registered and restart their counters."""
    global state
    with lock:
        state = successor()


def set_global_seed(seed: int | None, stream=None) -> None:
    """`seed` as the kernels' attribute; `stream` (default `seed`) seeds the eager op-seed draw,
    `random.Random(stream)`, as TensorFlow seeds it with the value given to set_seed."""
    with lock:
        state.global_seed = seed
        state.op_seeds = random.Random(seed if stream is None else stream)
        state.kernels.clear()
        state.pending.clear()  # counters imported for traces not made yet
        state.samplers.clear()
        state.generation += 1


def draw_op_seed() -> int:
    """The next eager op seed: `random.Random(global_seed).randint(0, 2**31 - 1)` in call order."""
    with lock:
        return state.op_seeds.randint(0, 2**31 - 1)


def reserve(kernel: tuple, blocks: int) -> int:
    """The kernel's current block offset; moves it forward by `blocks` (TensorFlow's N*256)."""
    with lock:
        offset = state.kernels.get(kernel, 0)
        state.kernels[kernel] = offset + blocks
        return offset
