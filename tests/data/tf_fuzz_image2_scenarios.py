"""Randomised tf.image pipelines, second generation (differential fuzzing against TensorFlow 2.21;
recorded by record.py into tf_fuzz_image2_expected.json, replayed by tests/test_fuzz_data.py).

Wider than tf_image_fuzz_scenarios.py: whole augmentation pipelines (flip -> brightness ->
contrast -> saturation -> hue -> crop, chained on the previous op's output as a migrated input
pipeline does), batched and unbatched images up to 16x16, uint8 / float16 / float32 / float64,
every seed form (global only, global + op, op only; stateless lists, tuples, int32/int64 arrays),
the same pipeline inside `R.function` called several times, `set_seed` between calls, and the
argument checks TensorFlow makes before it draws (recorded at the end of a scenario, where a
refusal cannot shift what follows). Generated from a fixed Python seed: the file always makes the
same scenarios. `BATCH` names the generator seed; bump it for a fresh batch.
"""

import random as _random

BATCH = 1  # rebound per batch below
WIDE = False  # batch 2 on: 16-bit and int8 images, sizes up to 32, set_seed between function calls
_r = _random.Random(0)
SCENARIOS = []

_FLOATS = ("np.float32", "np.float64")


def _image(shape, dtype):
    seed = _r.randrange(10**6)
    if dtype in ("np.float16", "np.float32", "np.float64"):
        scale, shift = _r.choice([(1.0, 0.0), (1.0, 0.0), (2.0, -0.5), (255.0, 0.0)])
        if _r.random() < 0.25:  # few levels: equal channels, hue / saturation ties
            return f"img = (np.random.RandomState({seed}).randint(0, 4, {shape}) / 3.0).astype({dtype})\n"
        return f"img = (np.random.RandomState({seed}).rand(*{shape}) * {scale} + {shift}).astype({dtype})\n"
    if dtype != "np.uint8":
        return (f"img = np.random.RandomState({seed}).randint(np.iinfo({dtype}).min, np.iinfo({dtype}).max, {shape})"
                f".astype({dtype})\n")
    return f"img = np.random.RandomState({seed}).randint(0, 256, {shape}).astype(np.uint8)\n"


def _shape(rgb):
    h, w = (_r.randint(1, 32), _r.randint(1, 32)) if WIDE else (_r.randint(1, 16), _r.randint(1, 16))
    c = 3 if rgb else _r.choice([1, 2, 3, 3, 4])
    if _r.random() < 0.4:
        return (_r.randint(1, 4), h, w, c)
    return (h, w, c)


def _op_seed():
    return _r.choice(["", "", ", seed=%d" % _r.randrange(100), ", seed=%d" % _r.randrange(2**31),
                      ", seed=%d" % _r.randrange(2**31, 2**40), ", seed=0"])


def _stateless_seed():
    return _r.choice(["[%d, %d]" % (_r.randrange(2**31), _r.randrange(2**31)),
                      "np.array([%d, %d], np.int64)" % (_r.randrange(-2**40, 2**40), _r.randrange(2**40)),
                      "np.array([%d, %d], np.int32)" % (_r.randrange(-2**31, 2**31), _r.randrange(2**31)),
                      "(%d, %d)" % (_r.randrange(100), _r.randrange(100))])


def _step(kind, shape, stateless, rgb_ok):
    """One augmentation call on `x`, as source text."""
    seed = _stateless_seed() if stateless else None
    pre = "stateless_random_" if stateless else "random_"
    tail = (lambda: f", {seed})") if stateless else (lambda: f"{_op_seed()})")
    if kind == "flip":
        fn = _r.choice(["flip_left_right", "flip_up_down"])
        return f"R.image.{pre}{fn}(x" + (f", {seed})" if stateless else f"{_op_seed()})")
    if kind == "brightness":
        return f"R.image.{pre}brightness(x, {round(_r.uniform(0, 1.0), 4)}" + tail()
    if kind == "hue" and rgb_ok:
        return f"R.image.{pre}hue(x, {round(_r.uniform(0, 0.5), 4)}" + tail()
    if kind in ("contrast", "saturation") and (kind == "contrast" or rgb_ok):
        lo = round(_r.uniform(0, 1.5), 3)
        hi = round(lo + _r.uniform(0.01, 2.5), 3)
        return f"R.image.{pre}{kind}(x, {lo}, {hi}" + tail()
    if kind == "crop":
        size = [_r.randint(1, d) for d in shape]
        return f"R.image.{pre}crop(x, {size}" + (f", {seed})" if stateless else f"{_op_seed()})")
    return None


def _pipeline(shape, dtype, stateless):
    rgb_ok = shape[-1] == 3
    kinds = ["flip", "flip", "brightness", "contrast", "saturation", "hue", "crop"]
    if dtype == "np.float16":  # TensorFlow has no float16 CPU kernel for contrast / saturation / hue
        kinds = ["flip", "flip", "brightness", "crop"]
    chosen = sorted(_r.sample(kinds, _r.randint(1, min(4, len(kinds)))), key=kinds.index)
    steps = []
    cropped = False
    for kind in chosen:
        if kind == "crop":
            if cropped:
                continue
            cropped = True
        call = _step(kind, shape, stateless, rgb_ok)
        if call:
            steps.append(call)
    return steps


def _errors(shape, dtype, stateless):
    """Calls TensorFlow refuses before drawing anything (Python-side checks)."""
    seed = _stateless_seed()
    cands = []
    if stateless:
        cands += [f"R.image.stateless_random_brightness(img, -0.1, {seed})",
                  f"R.image.stateless_random_contrast(img, 0.8, 0.5, {seed})",
                  f"R.image.stateless_random_contrast(img, -0.2, 0.5, {seed})",
                  f"R.image.stateless_random_hue(img, 0.6, {seed})",
                  f"R.image.stateless_random_hue(img, -0.1, {seed})",
                  f"R.image.stateless_random_saturation(img, 1.5, 1.0, {seed})",
                  f"R.image.stateless_random_crop(img, {[d + 1 for d in shape]}, {seed})"]
    else:
        cands += ["R.image.random_brightness(img, -0.1)",
                  "R.image.random_contrast(img, 0.8, 0.5)",
                  "R.image.random_contrast(img, -0.2, 0.5)",
                  "R.image.random_hue(img, 0.6)",
                  "R.image.random_hue(img, -0.1)",
                  "R.image.random_saturation(img, 1.5, 1.0)",
                  "R.image.random_saturation(img, -1.0, 1.0)"]
    return _r.sample(cands, 2)


def _batch(number):
    global BATCH, WIDE, _r
    BATCH, WIDE = number, number >= 2
    _r = _random.Random(7_202_612 + BATCH)
    for n in range(36):
        stateless = _r.random() < 0.35
        in_function = _r.random() < 0.35
        rgb = _r.random() < 0.6
        shape = _shape(rgb)
        dtype = _r.choice(("np.uint8", "np.uint8", "np.float32", "np.float32", "np.float64", "np.float16")
                          + (("np.uint16", "np.int16", "np.int8") if WIDE else ()))
        if in_function and dtype == "np.float16":
            dtype = "np.float32"
        g = _r.choice([None, _r.randrange(100), _r.randrange(2**31), _r.randrange(2**31, 2**40)])
        if g is None and not stateless:
            g = _r.randrange(1000)  # neither seed: OS entropy in TensorFlow
        code = (f"R.set_seed({g})\n" if g is not None else "") + _image(shape, dtype)
        steps = _pipeline(shape, dtype, stateless)
        repeats = _r.randint(1, 3)
        if in_function:
            code += "@R.function\ndef f(x):\n"
            for step in steps:
                code += f"    x = {step}\n"
            code += "    return x\n"
            code += f"for i in range({repeats}):\n    out(f(img))\n"
            if not stateless and _r.random() < 0.5:
                code += "out(R.uniform([2]))\nout(f(img))\n"
            if WIDE and _r.random() < 0.4:
                code += f"R.set_seed({_r.randrange(2**31)})\nout(f(img))\nout(f(img))\n"
        else:
            code += f"for i in range({repeats}):\n    x = img\n"
            for step in steps:
                code += f"    x = {step}\n    out(x)\n"
            if not stateless:
                code += "out(R.uniform([2]))\n"
                if _r.random() < 0.4:
                    code += f"R.set_seed({_r.randrange(2**31)})\nx = img\n"
                    for step in steps:
                        code += f"x = {step}\n"
                    code += "out(x)\n"
        for call in _errors(shape, dtype, stateless):
            code += f"err(lambda: {call})\n"
        SCENARIOS.append((f"image2_{BATCH}_{n}_{'sl' if stateless else 'sf'}{'_fn' if in_function else ''}", code))


for _number in (1, 2):
    _batch(_number)
