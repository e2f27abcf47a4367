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
import secrets
from typing import Any

import keyrng

from compat import _samplers, _state, _trace

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
        snapshot["functions"] = export_state()
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
    with _state.lock:
        try:
            import_state(functions)  # checks everything before it changes anything
        except (TypeError, ValueError) as error:
            _fail(state, f"`functions` does not fit: {error}")
        new = _state.successor(global_seed=global_seed, op_seeds=op_seeds, kernels=kernels,
                               generation=_state.state.generation + 1, determinism=determinism,
                               pending=_state.state.pending,  # import_state's, just made
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
    why = "`global_generator` is not None or {'state': [3 ints] (Philox) or [2 ints] (ThreeFry), 'algorithm': int}"
    if not isinstance(value, dict) or set(value) != {"state", "algorithm"}:
        _fail(state, why)
    words, algorithm = value["state"], value["algorithm"]
    if not isinstance(words, (list, tuple)) or len(words) not in (2, 3) or not _is_int(algorithm) \
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


# --- compiled functions' counters (compat.function; docs/function.md) ---------------------------

_CALLS_LIMIT = 2**64
_STATE_FORMS = "a list of traces made by export_state"


def export_state() -> list:
    """The counters of every live compiled function's traces, as JSON-serialisable data.

    One dict per trace: `function` (module and qualified name, with `#n` for the n-th later
    function of the same name), `signature` (the static arguments and array shapes), the
    trace-time `global_seed`, `calls` since the last reset, `entropy` (the 64-bit seed material of
    nodes without any seed) and `offsets` (each node's block offset: `calls * N * 256`, for
    reading only, except for nodes in loop bodies and branches, whose own counters these are). Counters imported for traces not made yet are included. A trace with no calls
    since the last reset and every node seeded is left out: it has nothing to restore (and a
    function that is unreachable but not yet collected would otherwise show up).
    """
    with _state.lock:
        rows = {}
        for key, (entry, stamp) in _state.state.pending.items():
            if _trace.adoptable(stamp, _state.state):
                rows[key] = dict(entry)
        for owner in list(_state.state.functions):
            for trace in list(owner._traces.values()):
                row = trace.export()
                if row["calls"] or row["entropy"]:
                    rows[(owner.state_key, trace.signature)] = row
        return [rows[key] for key in sorted(rows)]


def _check_entry(entry, obj) -> dict:
    if not isinstance(entry, dict) or set(entry) != {"function", "signature", "global_seed", "calls",
                                                      "entropy", "offsets"}:
        keyrng.errors.value_error("compat._function.import_state", "state", _STATE_FORMS, obj,
                            "Here an entry does not have the keys of an exported trace.")
    fine = (isinstance(entry["function"], str) and isinstance(entry["signature"], str)
            and (entry["global_seed"] is None or _is_int(entry["global_seed"]))
            and _is_int(entry["calls"]) and 0 <= entry["calls"] < _CALLS_LIMIT
            and _is_int(entry["entropy"]) and 0 <= entry["entropy"] < 2**64
            and isinstance(entry["offsets"], (list, tuple))
            and all(_is_int(o) and 0 <= o < 2**128 for o in entry["offsets"]))
    if not fine:
        keyrng.errors.value_error("compat._function.import_state", "state", _STATE_FORMS, obj,
                            f"Here the entry of {entry.get('function')!r} has a value of the wrong kind.")
    return dict(entry, offsets=list(entry["offsets"]))


def import_state(obj: Any) -> None:
    """Restore `export_state`'s counters; every trace not listed restarts, as after `set_seed`.

    Checks everything first: malformed data raises ValueError and changes nothing. A listed trace
    that exists takes the counters at once (its node offsets must agree); one not traced yet
    takes them when it is first traced, unless `set_seed` or `reset` comes first. `None` means
    no counters at all.
    """
    entries = [] if obj is None else obj
    if not isinstance(entries, (list, tuple)):
        keyrng.errors.value_error("compat._function.import_state", "state", _STATE_FORMS, obj)
    checked = {}
    for entry in entries:
        entry = _check_entry(entry, obj)
        key = (entry["function"], entry["signature"])
        if key in checked:
            keyrng.errors.value_error("compat._function.import_state", "state", _STATE_FORMS, obj,
                                f"Here the trace {key} appears twice.")
        checked[key] = entry
    with _state.lock:
        live = {(owner.state_key, trace.signature): (owner, key, trace)
                for owner in list(_state.state.functions) for key, trace in list(owner._traces.items())}
        for key, entry in checked.items():
            nodes = live[key][2].nodes if key in live else []
            expected = [entry["calls"] * node.blocks if node.counter is None else offset
                        for node, offset in zip(nodes, entry["offsets"])]
            if nodes and entry["offsets"] and (entry["offsets"] != expected
                                               or len(nodes) != len(entry["offsets"])):
                keyrng.errors.value_error("compat._function.import_state", "state", _STATE_FORMS, obj,
                                    f"Here the offsets of {key} do not fit its {len(nodes)} "
                                    "random ops: the function changed since the export.")
        stamp = (_state.state, _state.state.generation)
        _state.state.pending.clear()
        for key, (owner, cache_key, trace) in live.items():
            entry = checked.get(key)
            if entry is not None and entry["global_seed"] != trace.global_seed:
                del owner._traces[cache_key]  # its seeds were read at another time: trace it again
                owner._fast.clear()
                continue
            checked.pop(key, None)
            calls, entropy = (0, secrets.randbits(64)) if entry is None \
                else (entry["calls"], entry["entropy"])
            trace.state = _trace.state_array(calls, entropy)
            trace.set_counters([0] * len(trace.body.counters) if entry is None else
                               [offset for node, offset in zip(trace.nodes, entry["offsets"])
                                if node.counter is not None])
            trace.state_object = trace.generation = None
            trace.adopt = stamp
        for key, entry in checked.items():
            _state.state.pending[key] = (entry, stamp)
