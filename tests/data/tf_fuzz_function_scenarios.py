"""Randomised tf.function PROGRAMS (a fixed generator per batch, so the file always makes the same
scenarios): functions calling functions, random ops in loops (`R.fori_loop` / `while_loop` /
`scan`) and branches (`R.cond` / `switch`) nested in each other, under tapes
(`R.value_and_grad`), op seeds or none, global seeds set before and between calls, functions
called several times with the same and new signatures, `input_signature`, `reduce_retracing`,
`jit_compile=True`, eager draws and Generator draws between the calls.

The R names for loops, branches and tapes are tf.while_loop / tf.cond / tf.switch_case /
tf.GradientTape in tests/data/record.py and lax.fori_loop / while_loop / scan / cond / switch /
jax.value_and_grad in tests/replay.py. Draws in loops and branches are folded into a uint32 hash
(`R.fold`: h * 3 + the sum of the draw's bits, exact in both), everything else is returned as is.

Recorded with TensorFlow 2.21 (CPU) by `record.py tf_fuzz_function_scenarios.py
tf_fuzz_function_expected.json --jobs 2`; replayed by tests/test_fuzz_function.py.
"""

import random

SCENARIOS = []

_STATIC_SHAPES = ["[]", "[1]", "[2]", "[3]", "[5]", "[2, 3]", "[7]", "[17]", "[0]", "[4, 1]"]


class _Program:
    """One scenario's generator state."""

    def __init__(self, rng, seeded, generator):
        self.rng = rng
        self.seeded = seeded          # a global seed is set: ops may go without op seeds
        self.generator = generator    # a Generator `g` exists
        self.count = 0

    def fresh(self, stem):
        self.count += 1
        return f"{stem}{self.count}"

    def op_seed(self, force=False):
        r = self.rng
        if self.seeded and not force and r.random() < 0.55:
            return ""
        return f", seed={r.choice([0, 1, 2, 3, 5, 7, 11, r.randrange(2**31), r.randrange(100)])}"

    def shape(self, kind):
        r = self.rng
        if kind == "k" and r.random() < 0.3:
            return r.choice(["[k]", "[2, k]", "[k, 1]"])
        if kind == "x" and r.random() < 0.3:
            return "R.shape(x)"
        return r.choice(_STATIC_SHAPES)

    def op(self, kind, xla, loop_var=None):
        """A random op's expression (float32, int32 or uint32 result)."""
        r = self.rng
        choices = ["stateless", "stateless"] + (["gen"] * 2 if self.generator else [])
        if not xla:
            choices += ["uniform", "uniform", "uniform_int", "normal", "truncated_normal", "dropout",
                        "shuffle", "categorical"]
        which = r.choice(choices)
        shape = self.shape(kind)
        if which == "uniform":
            bounds = r.choice(["", ", -2.0, 3.0", ", maxval=0.5"])
            return f"R.uniform({shape}{bounds}{self.op_seed()})"
        if which == "uniform_int":
            lo = r.choice([0, -5, 3])
            return f"R.uniform({shape}, {lo}, {lo + r.choice([1, 7, 1000, 2**30])}, dtype=R.int32{self.op_seed()})"
        if which in ("normal", "truncated_normal"):
            return f"R.{which}({shape}{self.op_seed()})"
        if which == "dropout":
            rate = r.choice([0.0, 0.1, 0.5, 0.75])
            return f"R.dropout(R.ones({shape}), {rate}{self.op_seed()})"
        if which == "shuffle":
            m = r.choice([1, 2, 5, 9, 33])
            return f"R.shuffle(R.constant(np.arange({m}), R.int32){self.op_seed()})"
        if which == "categorical":
            width = r.randint(2, 5)
            logits = [[round(r.uniform(-2, 2), 2) for _ in range(width)] for _ in range(r.randint(1, 3))]
            return (f"R.categorical(R.constant({logits}, R.float32), {r.randint(1, 6)}, dtype=R.int32"
                    f"{self.op_seed()})")
        if which == "gen":
            method = r.choice(["uniform", "normal", "truncated_normal", "uniform_int"])
            if method == "uniform_int":
                return f"g.uniform({shape}, 0, {r.choice([3, 100, 2**31 - 1])}, dtype=R.int32)"
            return f"g.{method}({shape})"
        # a stateless op, with the loop variable in its seed inside loops
        fn = r.choice(["stateless_uniform", "stateless_normal", "stateless_truncated_normal"])
        a, b = r.randrange(-5, 2**31 - 1), r.randrange(0, 100)
        if loop_var is not None and r.random() < 0.7:
            seed = r.choice([f"[{loop_var}, {b}]", f"[{b}, {loop_var} * 3 + 1]"])
        else:
            seed = f"[{a}, {b}]"
        return f"R.{fn}({shape}, seed={seed})"

    def block(self, lines, indent, depth, kind, xla, mode, callables, loop_var=None):
        """Statements into `lines`. mode "top": results appended to `outs`; mode "hash": folded
        into `h` (loop bodies and branches)."""
        r = self.rng
        pad = " " * indent

        def emit(expr):
            if mode == "top":
                lines.append(f"{pad}outs.append({expr})")
            else:
                lines.append(f"{pad}h = R.fold(h, {expr})")

        for _ in range(r.randint(1, 3 if depth else 4)):
            roll = r.random()
            if roll < 0.18 and depth < 3:  # a loop
                body = self.fresh("body")
                lines.append(f"{pad}def {body}(i{depth}, h):")
                self.block(lines, indent + 4, depth + 1, kind, xla, "hash", callables, f"i{depth}")
                lines.append(f"{pad}    return h")
                form = r.choice(["fori_loop", "while_loop", "scan"])
                trip = r.choice(["n", "n", "2", "1"]) if form != "scan" else r.choice(["2", "3", "1"])
                emit(f"R.{form}({trip}, {body}, R.h0())")
            elif roll < 0.32 and depth < 3:  # a branch
                names = [self.fresh("branch") for _ in range(r.choice([2, 2, 3]))]
                for name in names:
                    lines.append(f"{pad}def {name}():")
                    lines.append(f"{pad}    h = R.h0()")
                    self.block(lines, indent + 4, depth + 1, kind, xla, "hash", callables, loop_var)
                    lines.append(f"{pad}    return h")
                if len(names) == 2:
                    emit(f"R.cond(p, {names[0]}, {names[1]})")
                else:
                    emit(f"R.switch(j, [{', '.join(names)}])")
            elif roll < 0.42 and callables:  # a nested function call
                name = r.choice(callables)
                call = f"{name}(n, p, j, {r.choice([1, 2])})"
                if mode == "top":
                    lines.append(f"{pad}outs.extend({call})")
                else:
                    lines.append(f"{pad}for t in {call}:")
                    lines.append(f"{pad}    h = R.fold(h, t)")
            elif roll < 0.5 and not (xla and not self.generator):  # under a tape
                loss = self.fresh("loss")
                shape = r.choice(["[1]", "[3]", "[2, 2]"])
                lines.append(f"{pad}def {loss}(w):")
                if xla:
                    lines.append(f"{pad}    return R.reduce_sum(w * g.uniform({shape}))")
                elif r.random() < 0.5:
                    lines.append(f"{pad}    return R.reduce_sum(R.dropout(w, 0.5{self.op_seed()}))")
                else:
                    lines.append(f"{pad}    return R.reduce_sum(w * R.uniform({shape}{self.op_seed()}))")
                emit(f"R.value_and_grad({loss}, R.ones({shape}))[1]")
            else:
                emit(self.op(kind, xla, loop_var))


def _function(prog, name, fkind, callables, lines):
    """Define function `name` of kind plain (static k), sig (input_signature, x of any length),
    retrace (reduce_retracing, x) or xla (jit_compile, static k)."""
    r = prog.rng
    xla = fkind == "xla"
    if fkind == "sig":
        lines.append("@R.function(input_signature=[R.TensorSpec([], R.int32), R.TensorSpec([], R.bool), "
                     "R.TensorSpec([], R.int32), R.TensorSpec([None], R.float32)])")
    elif fkind == "retrace":
        lines.append("@R.function(reduce_retracing=True)")
    elif xla:
        lines.append("@R.function(jit_compile=True)")
    else:
        lines.append("@R.function")
    last = "x" if fkind in ("sig", "retrace") else "k"
    lines.append(f"def {name}(n, p, j, {last}):")
    lines.append("    outs = []")
    if prog.seeded and not xla and r.random() < 0.1:
        lines.append(f"    R.set_seed({r.randrange(2**31)})")
    prog.block(lines, 4, 0, "x" if last == "x" else "k", xla, "top", callables)
    lines.append("    return outs")


def _program(rng, number):
    seeded = rng.random() < 0.75
    generator = rng.random() < 0.4
    prog = _Program(rng, seeded, generator)
    lines = []
    if seeded:
        lines.append(f"R.set_seed({rng.choice([0, 1, 42, 1234, rng.randrange(2**31)])})")
    if generator:
        lines.append(f"g = R.Generator.from_seed({rng.randrange(2**31)})")
    functions = []  # (name, kind)
    for index in range(rng.randint(1, 3)):
        kind = rng.choice(["plain", "plain", "plain", "sig", "retrace", "xla"])
        if kind == "xla" and not generator and rng.random() < 0.5:
            kind = "plain"
        name = f"f{index}"
        callables = [f for f, k in functions if k == "xla" or (k == "plain" and kind != "xla")]
        _function(prog, name, kind, callables, lines)
        functions.append((name, kind))

    def args(kind):
        n = rng.choice([0, 1, 2, 3])
        p = rng.choice([True, False])
        j = rng.choice([0, 1, 2, 3])
        head = f"R.constant({n}, R.int32), R.constant({p}), R.constant({j}, R.int32)"
        if kind in ("sig", "retrace"):
            return f"{head}, R.constant(np.zeros({rng.choice([1, 2, 3, 4])}), R.float32)"
        return f"{head}, {rng.choice([1, 1, 2, 3])}"

    calls = [f for f in functions for _ in range(2)] + [None] * rng.randint(2, 6)
    rng.shuffle(calls)
    for call in calls:
        roll = rng.random()
        name, kind = call or rng.choice(functions)
        if call is not None or roll < 0.4:
            lines.append(f"out({name}({args(kind)}))")
        elif roll < 0.7:
            lines.append(f"out({prog.op('k', False).replace('[k]', '[2]').replace('[2, k]', '[2, 2]').replace('[k, 1]', '[1, 1]')})")
        elif roll < 0.8 and seeded:
            lines.append(f"R.set_seed({rng.choice([1, 42, rng.randrange(2**31)])})")
        elif roll < 0.9:
            lines.append(f"out(R.tracing_count({name}))")
        elif kind == "sig":
            lines.append(f"err(lambda: {name}(R.constant(1, R.int32), R.constant(True), R.constant(0, R.int32), "
                         f"R.constant(np.zeros([2, 2]), R.float32)))")
        else:
            lines.append(f"out({name}({args(kind)}))")
    for name, kind in functions:
        lines.append(f"out(R.tracing_count({name}))")
    if generator:
        lines.append("out(g.uniform([2]))")
    return "\n".join(lines) + "\n"


def _batch(seed, count, stem):
    rng = random.Random(seed)
    for number in range(count):
        SCENARIOS.append((f"{stem}_{number}", _program(rng, number)))


_batch(2026, 40, "fuzz_fn_a")
_batch(77, 24, "fuzz_fn_b")
