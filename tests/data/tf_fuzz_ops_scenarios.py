"""Randomised scenarios over TensorFlow's random ops (a differential fuzz; fixed generators, so the
file always makes the same scenarios): the stateful ops (`uniform`, `normal`, `truncated_normal`,
`shuffle`, `categorical`, `gamma`, `poisson`, `nn.dropout`) eager and inside `R.function`, with a
global seed or not, op seeds or not, repeated calls and mixed order; the stateless family with
seeds and `alg` in every form; and argument errors each followed by a draw (a rejected call moves
no counter). Recorded with TensorFlow 2.21 by tests/data/record.py into
tests/data/tf_fuzz_ops_expected.json, replayed by tests/test_fuzz_ops.py.

Each batch is `_batch(seed, count, tag)`: a new batch (a new generator seed) adds scenarios and
leaves the earlier ones as they were.
"""

import random

SCENARIOS = []

# `o(f)`: records f()'s value, or that it raised; `call(f)` records a function's outputs, or that
# the call raised (TensorFlow raises some errors when the graph runs, compat when it traces: to a
# user both are the call raising).
_PRELUDE = """
def o(f):
    try:
        value = f()
    except Exception:
        err(f)
        return
    out(value)
def t(f):
    try:
        return f()
    except Exception:
        return None
def outs(values):
    for value in values:
        if value is None:
            err(lambda: 1 / 0)
        else:
            out(value)
def call(f):
    try:
        values = f()
    except Exception:
        err(lambda: 1 / 0)
        return
    out(list(values))
"""

_FLOATS = ["float16", "bfloat16", "float32", "float64"]
_INTS = ["int32", "int64"]


class _Gen:
    """One batch's generator of call expressions."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    # --- argument forms ------------------------------------------------------------------------

    def size(self):
        r = self.r
        return r.choice([0, 1, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 127, 255, 256,
                         257, 511, 1023, 1024, 1025, 2047, 4097])

    def dims(self, most=3000):
        r = self.r
        rank = r.choice([0, 1, 1, 1, 2, 2, 3])
        while True:
            dims = [self.size() for _ in range(rank)]
            if rank > 1:
                dims = [max(1, min(d, 40)) if i else d for i, d in enumerate(dims)]
                if r.random() < 0.1:
                    dims[-1] = 0
            n = 1
            for d in dims:
                n *= d
            if n <= most:
                return dims

    def shape(self, dims):
        r = self.r
        form = r.choice(["list", "list", "tuple", "np32", "np64", "const"])
        if form == "list":
            return repr(list(dims))
        if form == "tuple":
            return repr(tuple(dims))
        if form == "np32":
            return f"np.array({list(dims)}, np.int32)"
        if form == "np64":
            return f"np.array({list(dims)}, np.int64)"
        return f"R.constant({list(dims)}, R.int32)" if dims else "R.constant([], R.int32)"

    def dtype(self, name):
        r = self.r
        form = r.choice(["R", "R", "str", "np"])
        if form == "R":
            return f"R.{name}"
        if form == "str" or name == "bfloat16":
            return repr(name)
        return f"np.{name}"

    def opseed(self, need):
        r = self.r
        if need or r.random() < 0.6:
            return r.choice([0, 1, 7, 42, r.randrange(2**31 - 1), 2**31 - 1, 2**31, -5, 2**40 + 3])
        return None

    def float_value(self, small=False):
        r = self.r
        v = r.choice([0.0, 1.0, -1.0, 0.5, 2.5, -3.75, 1e-3, 100.0, 1e4, r.uniform(-10, 10),
                      r.uniform(0.01, 5)])
        if small:
            v = abs(v) % 7 + 0.01
        return round(v, 6)

    def scalar(self, v):
        r = self.r
        form = r.choice(["py", "py", "np32", "np64", "arr0"])
        if form == "py":
            return repr(v)
        if form == "np32":
            return f"np.float32({v!r})"
        if form == "np64":
            return f"np.float64({v!r})"
        return f"np.array({v!r}, np.float32)"

    def param(self, dims, positive=False):
        """A mean / stddev / float bound: a scalar in some form, or an array broadcasting to dims."""
        r = self.r
        if dims and r.random() < 0.3:
            last = dims[-1]
            vals = [round(abs(self.float_value()) + 0.1 if positive else self.float_value(), 4)
                    for _ in range(last)]
            return f"np.array({vals}, np.{r.choice(['float32', 'float64'])})"
        v = self.float_value()
        if positive:
            v = abs(v) + 0.1
        return self.scalar(v)

    # --- stateful calls ------------------------------------------------------------------------

    def uniform(self, need_seed):
        r = self.r
        dims = self.dims()
        s = self.opseed(need_seed)
        seed = "" if s is None else f", seed={s}"
        if r.random() < 0.6:
            d = r.choice(_FLOATS)
            kind = r.choice(["none", "max", "both", "both", "rev", "eq"])
            if kind == "none":
                bounds = ""
            elif kind == "max":
                bounds = f", maxval={self.param(dims)}"
            else:
                a, b = self.float_value(), self.float_value()
                if kind == "eq":
                    b = a
                elif (kind == "rev") != (a > b):
                    a, b = b, a
                bounds = f", minval={self.scalar(a)}, maxval={self.scalar(b)}"
            return f"R.uniform({self.shape(dims)}{bounds}, dtype={self.dtype(d)}{seed})"
        d = r.choice(_INTS)
        top = 2**31 - 1 if d == "int32" else 2**63 - 1
        kind = r.choice(["small", "small", "neg", "huge", "wide", "eq", "rev", "one"])
        if kind == "small":
            a = r.randint(-10, 10)
            b = a + r.randint(1, 1000)
        elif kind == "neg":
            a = -r.randint(1, 2**30)
            b = a + r.randint(1, 2**20)
        elif kind == "huge":
            a = r.randint(-top - 1, 0)
            b = r.randint(1, top)
        elif kind == "wide":
            a, b = -top - 1, top
        elif kind == "eq":
            a = b = r.randint(-5, 5)
        elif kind == "rev":
            a = r.randint(0, 100)
            b = a - r.randint(1, 100)
        else:
            a = r.randint(-100, 100)
            b = a + 1
        form = r.choice(["py", "py", "np", "arr0"])
        if form == "np":
            bounds = f"minval=np.{d}({a}), maxval=np.{d}({b})"
        elif form == "arr0":
            bounds = f"minval=np.array({a}, np.{d}), maxval={b}"
        else:
            bounds = f"minval={a}, maxval={b}"
        return f"R.uniform({self.shape(dims)}, {bounds}, dtype={self.dtype(d)}{seed})"

    def normal(self, need_seed, op="normal"):
        r = self.r
        dims = self.dims()
        s = self.opseed(need_seed)
        seed = "" if s is None else f", seed={s}"
        d = r.choice(_FLOATS)
        args = ""
        if r.random() < 0.7:
            args += f", mean={self.param(dims)}"
        if r.random() < 0.7:
            args += f", stddev={self.param(dims, positive=r.random() < 0.8)}"
        dt = f", dtype={self.dtype(d)}" if r.random() < 0.8 else ""
        return f"R.{op}({self.shape(dims)}{args}{dt}{seed})"

    def shuffle(self, need_seed):
        r = self.r
        s = self.opseed(need_seed)
        seed = "" if s is None else f", seed={s}"
        n = r.choice([0, 1, 2, 3, 5, 17, 64, 255, 256, 257, 1000, 1025, 4099, 10000])
        if r.random() < 0.5 or n > 1100:
            d = r.choice(["int32", "int64", "float32", "float64"])
            return f"R.shuffle(np.arange({n}).astype(np.{d}){seed})"
        inner = r.choice([[2], [3], [1, 2], [2, 2]])
        m = 1
        for x in inner:
            m *= x
        return f"R.shuffle(np.arange({n * m}, dtype=np.float32).reshape({[n] + inner}){seed})"

    def categorical(self, need_seed, stateless=False):
        r = self.r
        batch = r.choice([1, 1, 2, 3, 5])
        classes = r.choice([1, 2, 3, 4, 7, 16, 33, 100])
        rows = []
        for _ in range(batch):
            row = [round(r.uniform(-5, 5), 3) for _ in range(classes)]
            if classes > 1 and r.random() < 0.3:
                for _ in range(r.randint(1, classes - 1)):
                    row[r.randrange(classes)] = "-np.inf"
            rows.append(row)
        text = "[" + ", ".join("[" + ", ".join(str(v) for v in row) + "]" for row in rows) + "]"
        ld = r.choice(["float32", "float32", "float64", "float16"])
        logits = f"np.array({text}, np.{ld})"
        n = r.choice([0, 1, 2, 5, 16, 63, 64, 65, 257, 1000])
        dt = ""
        if r.random() < 0.5:
            dt = f", dtype={self.dtype(r.choice(_INTS))}"
        if stateless:
            return f"R.stateless_categorical({logits}, {n}, {self.sseed()}{dt})"
        s = self.opseed(need_seed)
        seed = "" if s is None else f", seed={s}"
        return f"R.categorical({logits}, {n}{dt}{seed})"

    def alpha(self):
        r = self.r
        shape = r.choice([[], [1], [2], [3], [2, 1], [1, 3]])
        n = 1
        for x in shape:
            n *= x
        vals = [round(r.choice([r.uniform(0.05, 1), r.uniform(1, 20), 0.5, 1.0, 3.0, 200.0]), 4)
                for _ in range(n)]
        d = r.choice(["float32", "float64", "float16"])
        if not shape:
            return repr(vals[0]) if r.random() < 0.5 else f"np.{d}({vals[0]})", shape
        return f"np.array({vals}, np.{d}).reshape({shape})", shape

    def gamma(self, need_seed, stateless=False):
        r = self.r
        dims = self.dims(most=600)
        a, ashape = self.alpha()
        beta = ""
        if r.random() < 0.5:
            b, _ = self.alpha()
            beta = f", beta={b}"
        d = r.choice(["float16", "float32", "float64"])
        dt = f", dtype={self.dtype(d)}" if r.random() < 0.8 else ""
        if stateless:
            full = list(dims) + list(ashape)
            return f"R.stateless_gamma({self.shape(full)}, {self.sseed()}, {a}{beta}{dt})"
        s = self.opseed(need_seed)
        seed = "" if s is None else f", seed={s}"
        return f"R.gamma({self.shape(dims)}, {a}{beta}{dt}{seed})"

    def poisson(self, need_seed, stateless=False):
        r = self.r
        dims = self.dims(most=600)
        shape = r.choice([[], [1], [2], [3], [2, 1]])
        n = 1
        for x in shape:
            n *= x
        vals = [round(r.choice([0.0, 0.5, 1.0, 3.3, 9.9, 10.0, 10.1, 50.0, 1000.0, r.uniform(0, 30)]), 3)
                for _ in range(n)]
        ld = r.choice(["float32", "float64", "float16"])
        lam = f"np.array({vals}, np.{ld}).reshape({shape})" if shape else repr(vals[0])
        if stateless:
            d = r.choice(["float16", "float32", "float64", "int32", "int64"])
            dt = f", dtype={self.dtype(d)}" if r.random() < 0.8 else ""
            return f"R.stateless_poisson({self.shape(list(dims) + shape)}, {self.sseed()}, {lam}{dt})"
        d = r.choice(["float16", "float32", "float64", "int32", "int64"])
        dt = f", dtype={self.dtype(d)}" if r.random() < 0.8 else ""
        s = self.opseed(need_seed)
        seed = "" if s is None else f", seed={s}"
        return f"R.poisson({self.shape(dims)}, {lam}{dt}{seed})"

    def dropout(self, need_seed):
        r = self.r
        dims = self.dims(most=1500)
        if not dims:
            dims = [r.choice([1, 5, 64])]
        d = r.choice(["float16", "float32", "float32", "float64"])
        n = 1
        for x in dims:
            n *= x
        x = f"np.linspace(-3.0, 5.0, {n}).astype(np.{d}).reshape({dims})"
        rate = r.choice([0.0, 0.1, 0.25, 1 / 3, 0.5, 0.9, 0.999])
        rform = r.choice(["py", "np32", "np64", "arr0"])
        rate = {"py": repr(rate), "np32": f"np.float32({rate!r})", "np64": f"np.float64({rate!r})",
                "arr0": f"np.array({rate!r}, np.{d})"}[rform]
        ns = ""
        if r.random() < 0.4 and len(dims) >= 1:
            ns_dims = [x if r.random() < 0.5 else 1 for x in dims]
            ns = f", noise_shape={ns_dims}"
        s = self.opseed(need_seed)
        seed = "" if s is None else f", seed={s}"
        return f"R.dropout({x}, {rate}{ns}{seed})"

    def stateful(self, need_seed):
        r = self.r
        kind = r.choice(["uniform"] * 5 + ["normal"] * 3 + ["truncated_normal"] * 3 + ["shuffle"] * 2
                        + ["categorical"] * 2 + ["gamma"] * 2 + ["poisson"] * 2 + ["dropout"] * 2)
        if kind in ("normal", "truncated_normal"):
            return self.normal(need_seed, kind)
        return getattr(self, kind)(need_seed)

    # --- stateless calls -----------------------------------------------------------------------

    def sseed(self):
        r = self.r
        a = r.choice([0, 1, 2, -1, -2**31, 2**31 - 1, r.randrange(-2**31, 2**31)])
        b = r.choice([0, 3, -7, 2**31 - 1, r.randrange(-2**31, 2**31)])
        form = r.choice(["list", "list", "tuple", "np32", "np64", "const32", "const64"])
        if form == "list":
            return f"[{a}, {b}]"
        if form == "tuple":
            return f"({a}, {b})"
        if form == "np32":
            return f"np.array([{a}, {b}], np.int32)"
        if form == "np64":
            return f"np.array([{a}, {b}], np.int64)"
        if form == "const32":
            return f"R.constant([{a}, {b}], R.int32)"
        return f"R.constant([{a}, {b}], R.int64)"

    def alg(self):
        r = self.r
        if r.random() < 0.5:
            return ""
        return ", alg=" + r.choice(["'philox'", "'auto_select'", "'threefry'", "1", "2", "3",
                                    "R.Algorithm.PHILOX", "R.Algorithm.AUTO_SELECT",
                                    "R.Algorithm.THREEFRY", "'PHILOX'"])

    def stateless(self):
        r = self.r
        kind = r.choice(["uniform"] * 5 + ["normal"] * 2 + ["truncated_normal"] * 2 + ["categorical"]
                        + ["binomial", "gamma", "poisson", "shuffle", "index_shuffle", "split",
                           "fold_in"])
        if kind == "uniform":
            dims = self.dims()
            which = r.random()
            if which < 0.45:
                d = r.choice(_FLOATS)
                bounds = ""
                if r.random() < 0.6:
                    bounds = f", minval={self.param(dims)}, maxval={self.param(dims)}"
                return f"R.stateless_uniform({self.shape(dims)}, {self.sseed()}{bounds}, dtype={self.dtype(d)}{self.alg()})"
            if which < 0.75:
                d = r.choice(_INTS)
                a = r.randint(-1000, 1000)
                b = a + r.choice([1, 2, 7, 1000, 2**20, 2**31 - 1 - max(a, 0)])
                return f"R.stateless_uniform({self.shape(dims)}, {self.sseed()}, minval={a}, maxval={b}, dtype={self.dtype(d)}{self.alg()})"
            d = r.choice(["int32", "int64", "uint32", "uint64"])
            return f"R.stateless_uniform({self.shape(dims)}, {self.sseed()}, minval=None, maxval=None, dtype={self.dtype(d)}{self.alg()})"
        if kind in ("normal", "truncated_normal"):
            dims = self.dims()
            d = r.choice(_FLOATS)
            args = ""
            if r.random() < 0.6:
                args = f", mean={self.param(dims)}, stddev={self.param(dims, positive=True)}"
            return f"R.stateless_{kind}({self.shape(dims)}, {self.sseed()}{args}, dtype={self.dtype(d)}{self.alg()})"
        if kind == "categorical":
            return self.categorical(False, stateless=True)
        if kind == "binomial":
            dims = self.dims(most=500)
            counts = r.choice(["10", "100.0", "np.float32(5)", "1000", "0"])
            probs = r.choice(["0.5", "0.1", "0.9", "0.0", "1.0", "np.float32(0.3)", "0.0001"])
            d = r.choice(["int32", "int64", "float32", "float64", "float16"])
            return f"R.stateless_binomial({self.shape(dims)}, {self.sseed()}, {counts}, {probs}, output_dtype={self.dtype(d)})"
        if kind == "gamma":
            return self.gamma(False, stateless=True)
        if kind == "poisson":
            return self.poisson(False, stateless=True)
        if kind == "shuffle":
            n = r.choice([0, 1, 2, 5, 33, 256, 1000, 10000])
            inner = r.choice([[], [], [2], [1, 3]])
            m = 1
            for x in inner:
                m *= x
            return f"R.stateless_shuffle(np.arange({n * m}).reshape({[n] + inner}), {self.sseed()}{self.alg()})"
        if kind == "index_shuffle":
            d = r.choice(["int32", "int64", "uint32", "uint64"])
            m = r.choice([0, 1, 2, 7, 255, 256, 1000, 2**31 - 1])
            idx = [r.randrange(0, m + 1) for _ in range(r.randint(1, 9))]
            if r.random() < 0.3:
                return f"R.index_shuffle(np.{d}({idx[0]}), {self.sseed()}, np.{d}({m}))"
            return f"R.index_shuffle(np.array({idx}, np.{d}), {self.sseed()}, np.{d}({m}))"
        if kind == "split":
            return f"R.split({self.sseed()}, {r.choice([1, 2, 3, 5])}{self.alg()})"
        data = r.choice([0, 1, 7, -1, 2**31 - 1, "np.int32(5)", "np.int64(-9)", "R.constant(3, R.int32)"])
        return f"R.fold_in({self.sseed()}, {data}{self.alg()})"

    # --- argument errors -----------------------------------------------------------------------

    def bad(self):
        r = self.r
        return r.choice([
            "R.uniform([-1], seed=1)", "R.uniform([2, -3], seed=1)", "R.uniform([1.5], seed=1)",
            "R.uniform('abc', seed=1)", "R.uniform([[2]], seed=1)", "R.uniform([2], dtype=R.int32, seed=1)",
            "R.uniform([2], maxval=5, dtype=R.int64, seed=1)" if False else "R.uniform([2], minval=5, dtype=R.int64, seed=1)",
            "R.uniform([2], minval=5, maxval=5, dtype=R.int32, seed=1)",
            "R.uniform([2], minval=5, maxval=3, dtype=R.int32, seed=1)",
            "R.uniform([2], minval=0, maxval=2**31, dtype=R.int32, seed=1)",
            "R.uniform([2], minval=0, maxval=2**63, dtype=R.int64, seed=1)",
            "R.uniform([2], maxval=np.array([1, 2]), dtype=R.int32, seed=1)",
            "R.uniform([2], maxval=np.array([3]), dtype=R.int32, seed=1)",
            "R.uniform([2], dtype=R.uint32, maxval=5, seed=1)",
            "R.uniform([2], dtype='int8', maxval=5, seed=1)",
            "R.uniform([2], dtype=R.uint64, maxval=5, seed=1)",
            "R.uniform([3], minval=np.zeros(4), seed=1)",
            "R.normal([-2], seed=1)", "R.normal([2], dtype=R.int32, seed=1)",
            "R.normal([3], mean=np.zeros(4), seed=1)", "R.normal([3], stddev=np.ones((2, 3)), seed=1)",
            "R.truncated_normal([0, -1], seed=1)", "R.truncated_normal([2], dtype=R.int64, seed=1)",
            "R.truncated_normal([3], mean=np.zeros(2), seed=1)",
            "R.shuffle(np.float32(3.0), seed=1)",
            "R.categorical(np.zeros(3, np.float32), 2, seed=1)",
            "R.categorical(np.zeros((2, 3), np.float32), -1, seed=1)",
            "R.categorical(np.zeros((2, 3), np.float32), 2, dtype=R.float32, seed=1)",
            "R.categorical(np.zeros((2, 0), np.float32), 2, seed=1)",
            "R.categorical(np.zeros((2, 3), np.int32), 2, seed=1)",
            "R.gamma([2], 1.0, dtype=R.int32, seed=1)", "R.gamma([-2], 1.0, seed=1)",
            "R.poisson([2], 1.0, dtype=R.uint8, seed=1)", "R.poisson([-1], 1.0, seed=1)",
            "R.dropout(np.ones(4, np.float32), 1.0, seed=1)",
            "R.dropout(np.ones(4, np.float32), -0.1, seed=1)",
            "R.dropout(np.ones(4, np.float32), 1.5, seed=1)",
            "R.dropout(np.ones(4, np.int32), 0.5, seed=1)",
            "R.dropout(np.ones(4, np.float32), np.array([0.5, 0.5]), seed=1)",
            "R.dropout(np.ones((2, 3), np.float32), 0.5, noise_shape=[3, 3], seed=1)",
            "R.dropout(np.ones((2, 3), np.float32), 0.5, noise_shape=[2], seed=1)",
            "R.stateless_uniform([2], [1])", "R.stateless_uniform([2], [1, 2, 3])",
            "R.stateless_uniform([2], np.array([1, 2], np.uint32))",
            "R.stateless_uniform([2], np.array([1.0, 2.0]))",
            "R.stateless_uniform([2], [1, 2], dtype=R.int32)",
            "R.stateless_uniform([2], [1, 2], minval=None, maxval=5, dtype=R.int32)",
            "R.stateless_uniform([2], [1, 2], minval=None, maxval=None)",
            "R.stateless_uniform([2], [1, 2], minval=3, maxval=3, dtype=R.int32)",
            "R.stateless_uniform([2], [1, 2], dtype=R.uint32, minval=0, maxval=5)",
            "R.stateless_uniform([-2], [1, 2])",
            "R.stateless_uniform([2], [1, 2], alg='nope')",
            "R.stateless_uniform([2], [1, 2], alg=7)",
            "R.stateless_normal([2], [1, 2], dtype=R.int32)",
            "R.stateless_truncated_normal([2], [[1, 2]])",
            "R.split([1, 2], 0)" if False else "R.split([1, 2, 3])",
            "R.fold_in([1, 2], 1.5)", "R.fold_in([1, 2], [1, 2])",
            "R.stateless_categorical(np.zeros(3, np.float32), 2, [1, 2])",
            "R.stateless_shuffle(np.float32(1.0), [1, 2])",
            "R.index_shuffle(np.array([1, 2], np.int32), [1, 2], np.int64(5))",
            "R.index_shuffle(np.array([1.0]), [1, 2], 5.0)",
            "R.stateless_poisson([2], [1, 2], 1.0, dtype=R.uint8)",
            "R.stateless_gamma([2], [1, 2], np.ones(3))",
            "R.stateless_binomial([2], [1, 2], 10, 0.5, output_dtype=R.uint8)",
        ])


def _eager_scenario(g, rng):
    lines = []
    seeded = rng.random() < 0.6
    if seeded:
        lines.append(f"R.set_seed({rng.choice([0, 1, 5, 1234, rng.randrange(2**31), 2**31 - 1, 2**33 + 1])})")
    calls = [g.stateful(not seeded) for _ in range(rng.randint(2, 6))]
    for _ in range(rng.randint(4, 12)):
        roll = rng.random()
        if roll < 0.45:
            lines.append(f"o(lambda: {rng.choice(calls)})")  # a repeat: counters matter
        elif roll < 0.8:
            c = g.stateful(not seeded)
            calls.append(c)
            lines.append(f"o(lambda: {c})")
        elif roll < 0.92:
            lines.append(f"o(lambda: {g.bad()})")
        elif seeded:
            lines.append(f"R.set_seed({rng.randrange(100)})")
        else:
            lines.append(f"o(lambda: {g.stateless()})")
    return _PRELUDE + "\n".join(lines) + "\n"


def _function_scenario(g, rng):
    lines = []
    seeded = rng.random() < 0.6
    if seeded:
        lines.append(f"R.set_seed({rng.choice([0, 3, 99, rng.randrange(2**31)])})")
    body, bad = [], []
    for _ in range(rng.randint(1, 5)):
        roll = rng.random()
        if roll < 0.7:
            body.append(g.stateful(not seeded))
        elif roll < 0.85:
            body.append(g.stateless())
        else:
            bad.append(g.bad())
    if not body:
        body.append(g.stateful(True))
    text = "\n".join(f"        {c}," for c in body)
    lines.append(f"@R.function\ndef f():\n    return [\n{text}\n    ]")
    lines += [f"call(R.function(lambda: [{c}]))" for c in bad]
    outside = [g.stateful(not seeded) for _ in range(2)]
    for _ in range(rng.randint(2, 4)):
        if rng.random() < 0.7:
            lines.append("call(f)")
        else:
            lines.append(f"o(lambda: {rng.choice(outside)})")
    return _PRELUDE + "\n".join(lines) + "\n"


def _stateless_scenario(g, rng):
    good = [g.stateless() for _ in range(rng.randint(3, 9))]
    bad = [g.bad() for _ in range(rng.randint(0, 2))]
    calls = good + bad
    rng.shuffle(calls)
    if rng.random() < 0.35:
        text = "\n".join(f"        {c}," for c in calls if c not in bad)
        tail = "".join(f"call(R.function(lambda: [{c}]))\n" for c in bad)
        return _PRELUDE + f"@R.function\ndef f():\n    return [\n{text}\n    ]\ncall(f)\n{tail}call(f)\n"
    return _PRELUDE + "\n".join(f"o(lambda: {c})" for c in calls) + "\n"


def _batch(seed, count, tag):
    rng = random.Random(seed)
    g = _Gen(seed + 1)
    makers = [("eager", _eager_scenario), ("function", _function_scenario), ("stateless", _stateless_scenario)]
    for number in range(count):
        kind, make = makers[number % 3]
        code = make(g, rng)
        if "categorical(" in code and "int64" not in code:  # replay.py turns x64 on by this word
            code += "# int64: categorical's default output dtype\n"
        if "np.arange(" in code and "int64" not in code:
            code += "# int64: np.arange's dtype\n"
        SCENARIOS.append((f"fuzz_ops_{tag}_{kind}_{number}", code))


_batch(2026_12_07, 60, "a")
_batch(2026_12_08, 24, "b")
