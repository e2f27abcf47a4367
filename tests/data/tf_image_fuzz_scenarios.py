"""Randomised tf.image scenarios (differential fuzzing against TensorFlow 2.21; recorded by
record.py into tf_image_fuzz_expected.json, replayed in tests/test_image.py's slow group).
Generated from a fixed Python seed, so the file is reproducible."""

import random as _random

_r = _random.Random(20261207)
SCENARIOS = []

_DTYPES = ("np.float32", "np.uint8", "np.float64", "np.int16", "np.int32", "np.uint16", "np.int8")


def _image(shape, dtype):
    if dtype in ("np.float16", "np.float32", "np.float64"):
        scale, shift = _r.choice([(1.0, 0.0), (1.0, 0.0), (3.0, -1.0), (255.0, 0.0), (1e-3, 0.0)])
        return (f"img = (np.random.RandomState({_r.randrange(10**6)}).rand(*{shape}) * {scale} + {shift})"
                f".astype({dtype})\n")
    if dtype == "np.uint8" and _r.random() < 0.3:  # few levels: ties between channels
        return (f"img = (np.random.RandomState({_r.randrange(10**6)}).randint(0, 3, {shape}) * 127)"
                f".astype({dtype})\n")
    return f"img = np.random.RandomState({_r.randrange(10**6)}).randint(0, np.iinfo({dtype}).max, {shape}).astype({dtype})\n"


def _shape(rgb):
    h, w = _r.randint(1, 9), _r.randint(1, 9)
    c = 3 if rgb else _r.choice([1, 2, 3, 4])
    if _r.random() < 0.3:
        return (_r.randint(1, 4), h, w, c)
    return (h, w, c)


def _seed_code():
    return _r.choice(["", "R.set_seed(%d)\n" % _r.randrange(2**31), "R.set_seed(%d)\n" % _r.randrange(100)])


def _op_seed():
    return _r.choice(["", ", seed=%d" % _r.randrange(100), ", seed=%d" % _r.randrange(2**31)])


def _stateless_seed():
    return _r.choice(["[%d, %d]" % (_r.randrange(2**31), _r.randrange(2**31)),
                      "np.array([%d, %d], np.int64)" % (_r.randrange(2**40), _r.randrange(2**40)),
                      "(%d, %d)" % (_r.randrange(100), _r.randrange(100))])


for n in range(80):
    kind = _r.choice(["flip", "crop", "brightness", "contrast", "saturation", "hue", "sdbb"])
    if kind == "sdbb":
        h, w = _r.randint(1, 300), _r.randint(1, 300)
        boxes = [[sorted([_r.random(), _r.random()]), sorted([_r.random(), _r.random()])] for _ in range(_r.randint(1, 3))]
        boxes = [[round(y[0], 3), round(x[0], 3), round(y[1], 3), round(x[1], 3)] for y, x in boxes]
        lo = round(_r.uniform(0.2, 1.5), 3)
        args = (f"min_object_covered={round(_r.uniform(0, 1), 3)}, aspect_ratio_range=[{lo}, {round(lo + _r.uniform(0.01, 2), 3)}], "
                f"area_range=[{round(_r.uniform(0.01, 0.5), 3)}, {round(_r.uniform(0.5, 1.0), 3)}], "
                f"max_attempts={_r.choice([1, 5, 50, 100])}")
        if _r.random() < 0.5:
            code = (f"boxes = np.array([{boxes}], np.float32)\n" +
                    f"for i in range(3):\n    out(R.image.stateless_sample_distorted_bounding_box([{h}, {w}, 3], boxes, {_stateless_seed()}, {args}))\n")
        else:
            code = (_seed_code() + f"boxes = np.array([{boxes}], np.float32)\n" +
                    f"for i in range(3):\n    out(R.image.sample_distorted_bounding_box([{h}, {w}, 3], boxes, seed={_r.randint(1, 99)}, {args}))\n")
        SCENARIOS.append((f"fuzz_{n}_sdbb", code))
        continue
    rgb = kind in ("saturation", "hue")
    shape = _shape(rgb)
    dtype = _r.choice(_DTYPES) if kind != "flip" else _r.choice(_DTYPES + ("np.float16",))
    if kind == "brightness":
        dtype = _r.choice(_DTYPES + ("np.float16",))
    code = _seed_code() + _image(shape, dtype)
    stateless = _r.random() < 0.4
    calls = []
    for _ in range(_r.randint(1, 4)):
        if kind == "flip":
            fn = _r.choice(["flip_left_right", "flip_up_down"])
            calls.append(f"R.image.stateless_random_{fn}(img, {_stateless_seed()})" if stateless
                         else f"R.image.random_{fn}(img{_op_seed()})")
        elif kind == "crop":
            size = [_r.randint(0 if _r.random() < 0.1 else 1, d) for d in shape]
            calls.append(f"R.image.stateless_random_crop(img, {size}, {_stateless_seed()})" if stateless
                         else f"R.image.random_crop(img, {size}{_op_seed()})")
        elif kind in ("brightness", "hue"):
            delta = round(_r.uniform(0, 0.5 if kind == "hue" else 1.0), 4)
            calls.append(f"R.image.stateless_random_{kind}(img, {delta}, {_stateless_seed()})" if stateless
                         else f"R.image.random_{kind}(img, {delta}{_op_seed()})")
        else:
            lo = round(_r.uniform(0, 2), 3)
            hi = round(lo + _r.uniform(0.01, 3), 3)
            calls.append(f"R.image.stateless_random_{kind}(img, {lo}, {hi}, {_stateless_seed()})" if stateless
                         else f"R.image.random_{kind}(img, {lo}, {hi}{_op_seed()})")
    for call in calls:
        code += f"out({call})\n"
    code += "out(R.uniform([2]))\n" if not stateless and "set_seed" in code else ""
    SCENARIOS.append((f"fuzz_{n}_{kind}", code))

# Calls with neither a global nor an op seed are seeded from OS entropy in TensorFlow: give them
# an op seed, so that every scenario is deterministic.
for _i, (_name, _code) in enumerate(SCENARIOS):
    if "set_seed" not in _code:
        _lines = [line[:-2] + ", seed=7))" if line.startswith("out(R.image.random_") and "seed=" not in line
                  else line for line in _code.splitlines()]
        SCENARIOS[_i] = (_name, "".join(line + "\n" for line in _lines))
