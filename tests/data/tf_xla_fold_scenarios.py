# TensorFlow 2.21 CPU under tf.function(jit_compile=True) with XLA's code generation changed by
# XLA_FLAGS (docs/xla.md, "Values TensorFlow computes at compile time"; tests/test_xla.py): does
# TensorFlow's value for one program and one seed depend on the machine it was compiled for?
# The scenarios are the ones whose values TensorFlow folds at compile time (constant seeds, small
# arrays: taken by name, source unchanged, from tf_xla_scenarios.py and tf_xla_more_scenarios.py)
# and a few computed at run time (seeds as arguments: the fused multiply-add of the bounds, XLA's
# own log/sqrt/sin/cos/erfinv approximations).
# Run from this directory, once per flag set, each into its own file, the flags in the note:
#   XLA_FLAGS=--xla_cpu_max_isa=SSE4_2 python record.py tf_xla_fold_scenarios.py \
#       tf_xla_fold_sse4_2.json --list S --note 'tf.function(jit_compile=True), XLA_FLAGS=--xla_cpu_max_isa=SSE4_2'
import os
import sys

# This file's folder: `__file__` when imported (pytest collects tests/data), the scenario file
# named on record.py's command line when record.py runs it.
_HERE = os.path.dirname(os.path.abspath(globals().get("__file__") or sys.argv[1]))
S = []


def _take(file, names):
    scope = {}
    with open(os.path.join(_HERE, file)) as source:
        exec(source.read(), scope)
    found = dict(scope["S"])
    S.extend((name, found[name]) for name in names)


_take("tf_xla_scenarios.py", ("xla_stateless_truncated_normal_seeds", "xla_stateless_uniform_bounds",
                              "xla_affine_folding", "xla_stateless_normal_seeds",
                              "xla_stateless_uniform_seeds"))
_take("tf_xla_more_scenarios.py", ("xla_uniform_f64_bounds_constant", "xla_uniform_f64_bounds_argument",
                                   "xla_tn_small_constant", "xla_uniform_f32_bounds_argument"))

# XLA_FLAGS=--xla_cpu_max_isa=SSE4_2 fails to link TensorFlow's float16 and bfloat16 programs
# ("Failed to materialize symbols"): the float32 and float64 part of xla_tn_small_constant alone
# (its outputs 0 to 97 are the full scenario's).
_TN_SMALL = dict(S)["xla_tn_small_constant"]
assert "(R.float32, R.float64, R.float16, R.bfloat16)" in _TN_SMALL
S.append(("xla_tn_small_constant_f32_f64",
          _TN_SMALL.replace("(R.float32, R.float64, R.float16, R.bfloat16)", "(R.float32, R.float64)")))
S.append(("xla_fold_seed_argument", """
for dt in (R.float32, R.float64):
    for op, kw in ((R.stateless_normal, {}), (R.stateless_truncated_normal, {}),
                   (R.stateless_normal, dict(mean=0.3, stddev=2.5)),
                   (R.stateless_uniform, dict(minval=-1.1, maxval=2.3))):
        t = R.function(lambda s: op([1000], seed=s, dtype=dt, **kw), jit_compile=True)
        for seed in ([1, 2], [-3, 7], [12345, -2**31]):
            out(t(R.constant(seed)))
"""))
