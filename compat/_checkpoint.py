"""`get_state` / `set_state`: the whole of compat's state as a JSON-serialisable snapshot.

A snapshot holds the global seed, the exact position of the eager op-seed draw (the state of
its `random.Random`), the kernel counter table, the op-determinism switch, and, when
`compat.function` provides them, the counters of compiled functions, and, when there are any,
the `compat.data.ShuffleOrder`s by name (key "data": their seeds, seed generators and the
position of each one's newest unfinished pass; snapshots without the key, older ones included,
leave the shuffle orders as they are), and the learned unigram samplers' weights (key "samplers",
only when there are any). Restoring it makes the
following calls give what an uninterrupted run would have given, in this process or another.

`set_state` checks the whole snapshot before it changes anything: a malformed or foreign one
raises `ValueError` (or `TypeError` when it is not a dict at all) and leaves the state as it was.
"""

from __future__ import annotations

import operator
import random
from typing import Any

import keyrng

from compat import _function, _samplers, _state

FORMAT = "keyrng.compat.state/1"
_FORMS = f"a dict made by compat.get_state (format {FORMAT!r})"
_KEYS = {"format", "global_seed", "op_seed_draw", "kernels", "determinism", "global_generator",
         "functions"}
_MT_WORDS = 624  # random.Random's Mersenne Twister: 624 words and a position in [0, 624]
# tf.data: a snapshot holds "data" (compat.data's shuffle orders by name) only when there are
# any, so snapshots without them keep the keys above, and older snapshots load unchanged.
_OPTIONAL = {"data"}
# Candidate samplers: "samplers" (learned unigram kernels' weights) only when there are any.
_OPTIONAL |= {"samplers"}


def get_state() -> dict:
    """A JSON-serialisable snapshot of compat's state; `set_state` restores it.

    >>> import compat, json
    >>> compat.set_seed(7)
    >>> _ = compat.uniform([2]); _ = compat.uniform([2], seed=1)
    >>> saved = json.dumps(compat.get_state())
    >>> after = compat.uniform([3])
    >>> compat.set_state(json.loads(saved))
    >>> bool((compat.uniform([3]) == after).all())
    True
    """
    with _state.lock:
        current = _state.state
        version, words, gauss = current.op_seeds.getstate()
        snapshot = {
            "format": FORMAT,
            "global_seed": current.global_seed,
            "op_seed_draw": [version, list(words), gauss],
            "kernels": sorted(([*key, offset] for key, offset in current.kernels.items()), key=repr),
            "determinism": current.determinism,
            "global_generator": _generator_state(getattr(current, "global_generator", None)),
        }
        export = getattr(_function, "export_state", None)
        snapshot["functions"] = export() if export is not None else None
        data = _data().export_state()  # tf.data shuffle orders
        if data:
            snapshot["data"] = data
        samplers = _samplers.export_state(current)  # learned unigram kernels' weights
        if samplers:
            snapshot["samplers"] = samplers
    return snapshot


def set_state(state: Any) -> None:
    """Restore a snapshot from `get_state` (also after a round trip through `json`).

    Compiled functions continue from the counters in the snapshot; traces it does not list
    restart, as after `set_seed`. The global generator is restored as a new object: call
    `compat.get_global_generator()` again rather than keep an old reference.

    >>> import compat
    >>> compat.set_state({"format": "something else"})
    Traceback (most recent call last):
    ...
    ValueError: `compat.set_state`: `state` must be a dict made by compat.get_state (format 'keyrng.compat.state/1'); got {'format': 'something else'}.
    """
    if not isinstance(state, dict):
        keyrng.errors.type_error("compat.set_state", "state", _FORMS, state)
    if state.get("format") != FORMAT or set(state) - _OPTIONAL != _KEYS:
        _fail(state)
    global_seed = _optional_int(state["global_seed"], state)
    op_seeds = _op_seed_draw(state["op_seed_draw"], state)
    kernels = _kernels(state["kernels"], state)
    determinism = state["determinism"]
    if not isinstance(determinism, bool):
        _fail(state, "`determinism` is not a bool")
    generator = _global_generator(state["global_generator"], state)
    data = None  # tf.data shuffle orders: checked here, restored with the rest below
    if "data" in state:
        try:
            data = _data().check_state(state["data"])
        except ValueError as error:
            _fail(state, str(error))
    try:  # candidate samplers: the learned weights (an empty table in snapshots without them)
        samplers = _samplers.check_state(state.get("samplers", []))
    except ValueError as error:
        _fail(state, str(error))
    functions = state["functions"]
    importer = getattr(_function, "import_state", None)
    if functions is not None and importer is None:
        _fail(state, "it holds compiled-function counters, and this compat has no compat.function")
    with _state.lock:
        if importer is not None:
            try:
                importer(functions)  # checks everything before it changes anything
            except (TypeError, ValueError) as error:
                _fail(state, f"`functions` does not fit: {error}")
        new = _state.State(global_seed=global_seed, op_seeds=op_seeds, kernels=kernels,
                           generation=_state.state.generation + 1, determinism=determinism,
                           samplers=samplers)
        if generator is not None:
            new.global_generator = generator
        previous, _state.state = _state.state, new
        _data().import_state(data, previous)  # tf.data shuffle orders (None: a snapshot without any)


def _data():
    """compat.data (imported here, not at the top: it imports compat's other modules)."""
    from compat import data

    return data


def _generator_state(generator: Any) -> dict | None:
    if generator is None:
        return None
    return {"state": [int(v) for v in generator.state], "algorithm": int(generator.algorithm)}


def _global_generator(value: Any, state: Any):
    """The global generator a snapshot holds (None: made from OS entropy on first use)."""
    if value is None:
        return None
    why = "`global_generator` is not None or {'state': [3 ints], 'algorithm': int}"
    if not isinstance(value, dict) or set(value) != {"state", "algorithm"}:
        _fail(state, why)
    words, algorithm = value["state"], value["algorithm"]
    if not isinstance(words, (list, tuple)) or len(words) != 3 or not _is_int(algorithm) \
            or not all(_is_int(w) and -2**63 <= w < 2**63 for w in words):
        _fail(state, why)
    from compat import _generator

    try:
        return _generator.Generator(state=list(words), alg=algorithm)
    except (TypeError, ValueError):
        _fail(state, why)


def _fail(state: Any, why: str | None = None) -> None:
    keyrng.errors.value_error("compat.set_state", "state", _FORMS, state, why and f"Here {why}.")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_int(value: Any, state: Any) -> int | None:
    if value is not None and not _is_int(value):
        _fail(state, "`global_seed` is not an int or None")
    return value


def _op_seed_draw(value: Any, state: Any) -> random.Random:
    why = "`op_seed_draw` is not a random.Random state"
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        _fail(state, why)
    version, words, gauss = value
    if version != 3 or not isinstance(words, (list, tuple)) or len(words) != _MT_WORDS + 1:
        _fail(state, why)
    if not all(_is_int(w) and 0 <= w < 2**32 for w in words[:_MT_WORDS]):
        _fail(state, why)
    if not (_is_int(words[-1]) and 0 <= words[-1] <= _MT_WORDS) or not any(words[:_MT_WORDS]):
        _fail(state, why)
    if gauss is not None and not isinstance(gauss, float):
        _fail(state, why)
    generator = random.Random()
    generator.setstate((3, tuple(words), gauss))
    return generator


def _kernels(value: Any, state: Any) -> dict:
    why = "`kernels` is not a list of [op, dtype, shape dtype, seed, seed2, offset] rows"
    if not isinstance(value, (list, tuple)):
        _fail(state, why)
    table = {}
    for row in value:
        if not isinstance(row, (list, tuple)) or len(row) < 2:
            _fail(state, why)
        *key, offset = row
        if not all(isinstance(part, str) or _is_int(part) for part in key):
            _fail(state, why)
        if not _is_int(offset) or not 0 <= offset < 2**128:
            _fail(state, why)
        key = tuple(operator.index(part) if _is_int(part) else part for part in key)
        if key in table:
            _fail(state, "a kernel appears twice")
        table[key] = offset
    return table
