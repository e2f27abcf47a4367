"""`tf.image`'s random augmentations, with TensorFlow 2.21's seeds, counters and numbers (CPU).

Each function draws what TensorFlow's python draws, with the same random op, shape, bounds and
seed (so op seeds and kernel counters move as they do in TensorFlow), then applies TensorFlow's
deterministic adjustment as a pure keyrng kernel (`keyrng.tf.adjust_*`, `flip`, `crop`,
`draw_sample_distorted_bounding_box`). The stateless forms draw with `compat.stateless_uniform`.

- flips: `uniform([], 0, 1.0)` (one image; flipped when `u < 0.5`) or `uniform([batch], 0, 1.0)`
  (each image flipped when `round(u)` is 1);
- `random_crop(value, size)`: `uniform([rank], maxval=2**31 - 1, dtype=int32) % (shape - size + 1)`;
- brightness / hue: `uniform([], -max_delta, max_delta)`; contrast / saturation:
  `uniform([], lower, upper)`;
- `sample_distorted_bounding_box`: its own kernel (SampleDistortedBoundingBoxV2), whose counter
  moves by `max_attempts` blocks per call; with `seed=0` (the default) TensorFlow seeds it from
  OS entropy, whatever the global seed.

A rejected call changes no state: the checks TensorFlow makes after its draw (an image dtype its
CPU kernel lacks, a channel count other than 3) are made here before it.

>>> import compat, numpy as np
>>> compat.reset()
>>> image = np.array([[[1], [2]], [[3], [4]]], np.int32)
>>> compat.image.random_flip_left_right(image, 5).tolist()   # as tf.image's docstring
[[[2], [1]], [[4], [3]]]
>>> compat.image.stateless_random_flip_up_down(image, (2, 3)).tolist()
[[[3], [4]], [[1], [2]]]
"""

from __future__ import annotations

import secrets
from typing import Any

import keyrng
from keyrng.typing import OpSeed, StatelessSeed

from compat import _seeds, _state
from compat._ops import uniform as _uniform
from compat._stateless_ops import stateless_uniform as _stateless_uniform

__all__ = [
    "random_brightness", "random_contrast", "random_crop", "random_flip_left_right",
    "random_flip_up_down", "random_hue", "random_saturation", "sample_distorted_bounding_box",
    "stateless_random_brightness", "stateless_random_contrast", "stateless_random_crop",
    "stateless_random_flip_left_right", "stateless_random_flip_up_down", "stateless_random_hue",
    "stateless_random_saturation", "stateless_sample_distorted_bounding_box",
]

_FLIP_DTYPES = keyrng.tf.IMAGE_DTYPES
_ADJUST_DTYPES = tuple(d for d in keyrng.tf.IMAGE_DTYPES if d != "float16")  # no CPU kernel for half


def _seed(function: str, seed: Any) -> None:
    _seeds.check_seed(function, seed)


def _stateless_seed(function: str, seed: Any) -> None:
    keyrng.tf.stateless_key(function, seed)


# --- flips ---------------------------------------------------------------------------------------

def _flip(function, image, axis, seed, stateless):
    (_stateless_seed if stateless else _seed)(function, seed)
    image = keyrng.tf.check_image(function, image, dtypes=_FLIP_DTYPES)
    shape = [] if image.ndim == 3 else [image.shape[0]]
    if stateless:
        u = _stateless_uniform(shape, seed, minval=0, maxval=1.0)
    else:
        u = _uniform(shape, minval=0, maxval=1.0, seed=seed)
    return keyrng.tf.flip(image, u, axis)


def random_flip_left_right(image, seed: OpSeed = None):
    """`tf.image.random_flip_left_right`: `keyrng.tf.flip(image, compat.uniform(shape, 0, 1.0,
    seed=seed), 1)` with shape `[]` for one image, `[batch]` for a batch.

    >>> import compat, numpy as np
    >>> compat.reset()
    >>> images = np.array([[[[1], [2]], [[3], [4]]], [[[5], [6]], [[7], [8]]]], np.int32)
    >>> compat.image.random_flip_left_right(images, 6).tolist()
    [[[[2], [1]], [[4], [3]]], [[[5], [6]], [[7], [8]]]]
    """
    return _flip("compat.image.random_flip_left_right", image, 1, seed, False)


def random_flip_up_down(image, seed: OpSeed = None):
    """`tf.image.random_flip_up_down`: as `random_flip_left_right`, on axis 0 of each image.

    >>> import compat, numpy as np
    >>> compat.reset()
    >>> compat.image.random_flip_up_down(np.array([[[1], [2]], [[3], [4]]], np.int32), 3).tolist()
    [[[3], [4]], [[1], [2]]]
    """
    return _flip("compat.image.random_flip_up_down", image, 0, seed, False)


def stateless_random_flip_left_right(image, seed: StatelessSeed):
    """`tf.image.stateless_random_flip_left_right`: the draw is
    `compat.stateless_uniform(shape, seed, 0, 1.0)`."""
    return _flip("compat.image.stateless_random_flip_left_right", image, 1, seed, True)


def stateless_random_flip_up_down(image, seed: StatelessSeed):
    """`tf.image.stateless_random_flip_up_down`: the draw is
    `compat.stateless_uniform(shape, seed, 0, 1.0)`."""
    return _flip("compat.image.stateless_random_flip_up_down", image, 0, seed, True)


# --- crops ---------------------------------------------------------------------------------------

def _crop(function, value, size, seed, stateless):
    (_stateless_seed if stateless else _seed)(function, seed)
    value, size = keyrng.tf.check_crop(function, value, size)
    if stateless:
        raw = _stateless_uniform([len(size)], seed, minval=0, maxval=2**31 - 1, dtype="int32")
    else:
        raw = _uniform([len(size)], minval=0, maxval=2**31 - 1, dtype="int32", seed=seed)
    return keyrng.tf.crop(value, raw, size)


def random_crop(value, size, seed: OpSeed = None, name: str | None = None):
    """`tf.image.random_crop`: `keyrng.tf.crop(value, compat.uniform([rank], maxval=2**31 - 1,
    dtype=int32, seed=seed), size)`, the offsets `raw % (shape - size + 1)`.

    >>> import compat, numpy as np
    >>> compat.reset()
    >>> compat.image.random_crop(np.arange(12, dtype=np.int32).reshape(3, 4), [2, 2], seed=1).tolist()
    [[1, 2], [5, 6]]
    """
    return _crop("compat.image.random_crop", value, size, seed, False)


def stateless_random_crop(value, size, seed: StatelessSeed, name: str | None = None):
    """`tf.image.stateless_random_crop`: the offsets from
    `compat.stateless_uniform([rank], seed, 0, 2**31 - 1, dtype=int32)`.

    >>> import compat
    >>> image = [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]
    >>> compat.image.stateless_random_crop(image, (1, 2, 3), (1, 2)).tolist()   # as tf.image's docstring
    [[[1, 2, 3], [4, 5, 6]]]
    """
    return _crop("compat.image.stateless_random_crop", value, size, seed, True)


# --- the adjustments -----------------------------------------------------------------------------

def _bounds_check(function, lower, upper):
    if upper <= lower:
        keyrng.errors.value_error(function, "upper", f"greater than lower ({lower!r})", upper)
    if lower < 0:
        keyrng.errors.value_error(function, "lower", "non-negative", lower)


def _delta_check(function, max_delta, hue=False):
    if hue and max_delta > 0.5:
        keyrng.errors.value_error(function, "max_delta", "at most 0.5", max_delta)
    if max_delta < 0:
        keyrng.errors.value_error(function, "max_delta", "non-negative", max_delta)


def _draw(stateless, seed, low, high):
    if stateless:
        return _stateless_uniform([], seed, minval=low, maxval=high)
    return _uniform([], low, high, seed=seed)


def _brightness(function, image, max_delta, seed, stateless):
    _delta_check(function, max_delta)
    (_stateless_seed if stateless else _seed)(function, seed)
    image = keyrng.tf.check_image(function, image, ranks=None)
    delta = _draw(stateless, seed, -max_delta, max_delta)
    return keyrng.tf.adjust_brightness(image, delta)


def random_brightness(image, max_delta, seed: OpSeed = None):
    """`tf.image.random_brightness`: `keyrng.tf.adjust_brightness(image,
    compat.uniform([], -max_delta, max_delta, seed=seed))`.

    >>> import compat, numpy as np
    >>> compat.reset()
    >>> x = [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]
    >>> compat.image.random_brightness(x, 0.5, seed=1)[0, 0]   # as TensorFlow 2.21, fresh process
    Array([0.7390374, 1.7390374, 2.7390375], dtype=float32)
    """
    return _brightness("compat.image.random_brightness", image, max_delta, seed, False)


def stateless_random_brightness(image, max_delta, seed: StatelessSeed):
    """`tf.image.stateless_random_brightness`: the delta from
    `compat.stateless_uniform([], seed, -max_delta, max_delta)`.

    >>> import compat
    >>> x = [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]
    >>> compat.image.stateless_random_brightness(x, 0.2, (1, 2))[0, 0]   # as tf.image's docstring
    Array([1.1376241, 2.1376243, 3.1376243], dtype=float32)
    """
    return _brightness("compat.image.stateless_random_brightness", image, max_delta, seed, True)


def _contrast(function, image, lower, upper, seed, stateless):
    _bounds_check(function, lower, upper)
    (_stateless_seed if stateless else _seed)(function, seed)
    image = keyrng.tf.check_image(function, image, ranks=None, dtypes=_ADJUST_DTYPES)
    factor = _draw(stateless, seed, lower, upper)
    return keyrng.tf.adjust_contrast(image, factor)


def random_contrast(image, lower, upper, seed: OpSeed = None):
    """`tf.image.random_contrast`: `keyrng.tf.adjust_contrast(image, compat.uniform([], lower,
    upper, seed=seed))` (float16 images are refused: TensorFlow has no CPU kernel for them).

    >>> import compat, numpy as np
    >>> compat.reset()
    >>> x = [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]
    >>> compat.image.random_contrast(x, 0.5, 1.5, seed=1)[0, 0]   # as TensorFlow 2.21, fresh process
    Array([2.1743317, 3.1743317, 4.1743317], dtype=float32)
    """
    return _contrast("compat.image.random_contrast", image, lower, upper, seed, False)


def stateless_random_contrast(image, lower, upper, seed: StatelessSeed):
    """`tf.image.stateless_random_contrast`: the factor from
    `compat.stateless_uniform([], seed, lower, upper)`.

    >>> import compat
    >>> x = [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]
    >>> compat.image.stateless_random_contrast(x, 0.2, 0.5, (1, 2))[0, 0]   # as tf.image's docstring
    Array([3.4605184, 4.4605184, 5.4605184], dtype=float32)
    """
    return _contrast("compat.image.stateless_random_contrast", image, lower, upper, seed, True)


def _saturation(function, image, lower, upper, seed, stateless):
    _bounds_check(function, lower, upper)
    (_stateless_seed if stateless else _seed)(function, seed)
    image = keyrng.tf.check_image(function, image, ranks=None, dtypes=_ADJUST_DTYPES, channels=3)
    factor = _draw(stateless, seed, lower, upper)
    return keyrng.tf.adjust_saturation(image, factor)


def random_saturation(image, lower, upper, seed: OpSeed = None):
    """`tf.image.random_saturation`: `keyrng.tf.adjust_saturation(image, compat.uniform([], lower,
    upper, seed=seed))`; RGB images (3 channels), not float16 (no CPU kernel in TensorFlow).

    >>> import compat, numpy as np
    >>> compat.reset()
    >>> x = [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]
    >>> compat.image.random_saturation(x, 0.5, 1.5, seed=1)[0, 0]   # as TensorFlow 2.21, fresh process
    Array([1.5219252, 2.2609625, 3.       ], dtype=float32)
    """
    return _saturation("compat.image.random_saturation", image, lower, upper, seed, False)


def stateless_random_saturation(image, lower, upper, seed: StatelessSeed = None):
    """`tf.image.stateless_random_saturation`: the factor from
    `compat.stateless_uniform([], seed, lower, upper)`.

    >>> import compat
    >>> x = [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]
    >>> compat.image.stateless_random_saturation(x, 0.5, 1.0, (1, 2))[0, 0]   # as tf.image's docstring
    Array([1.1559395, 2.0779698, 3.       ], dtype=float32)
    """
    return _saturation("compat.image.stateless_random_saturation", image, lower, upper, seed, True)


def _hue(function, image, max_delta, seed, stateless):
    _delta_check(function, max_delta, hue=True)
    (_stateless_seed if stateless else _seed)(function, seed)
    image = keyrng.tf.check_image(function, image, ranks=None, dtypes=_ADJUST_DTYPES, channels=3)
    delta = _draw(stateless, seed, -max_delta, max_delta)
    return keyrng.tf.adjust_hue(image, delta)


def random_hue(image, max_delta, seed: OpSeed = None):
    """`tf.image.random_hue`: `keyrng.tf.adjust_hue(image, compat.uniform([], -max_delta,
    max_delta, seed=seed))`, `max_delta` in [0, 0.5]; RGB images, not float16.

    >>> import compat, numpy as np
    >>> compat.reset()
    >>> x = [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]
    >>> compat.image.random_hue(x, 0.2, seed=1)[0, 0]   # as TensorFlow 2.21, fresh process
    Array([1.       , 3.       , 2.7473793], dtype=float32)
    """
    return _hue("compat.image.random_hue", image, max_delta, seed, False)


def stateless_random_hue(image, max_delta, seed: StatelessSeed):
    """`tf.image.stateless_random_hue`: the delta from
    `compat.stateless_uniform([], seed, -max_delta, max_delta)`.

    >>> import compat
    >>> x = [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]
    >>> compat.image.stateless_random_hue(x, 0.2, (1, 2))[0, 0]   # as tf.image's docstring
    Array([1.6514902, 1.       , 3.       ], dtype=float32)
    """
    return _hue("compat.image.stateless_random_hue", image, max_delta, seed, True)


# --- sample_distorted_bounding_box ---------------------------------------------------------------

def sample_distorted_bounding_box(image_size, bounding_boxes, seed: OpSeed = 0, min_object_covered=0.1,
                                  aspect_ratio_range=None, area_range=None, max_attempts=None,
                                  use_image_if_no_bounding_boxes=None, name: str | None = None):
    """`tf.image.sample_distorted_bounding_box` (SampleDistortedBoundingBoxV2): `(begin, size,
    bboxes)`, from `keyrng.tf.draw_sample_distorted_bounding_box` at the kernel's position
    `keyrng.tf_key(seed, seed2, offset)`, `(seed, seed2)` from the op seed as for any op, the
    offset moving by `max_attempts` blocks per call. `seed=0` (the default) draws from OS
    entropy as TensorFlow does (and is refused under `compat.enable_op_determinism`).

    >>> import compat, numpy as np
    >>> compat.reset()
    >>> boxes = np.array([[[0.0, 0.0, 1.0, 1.0]]], np.float32)
    >>> begin, size, bboxes = compat.image.sample_distorted_bounding_box(  # doctest: +SKIP
    ...     [40, 60, 3], boxes, seed=1)
    >>> begin.tolist(), size.tolist()   # TensorFlow 2.21, fresh process  # doctest: +SKIP
    ([3, 14, 0], [31, 28, -1])

    (The examples of the two bounding-box functions run in the slow group: their kernel takes
    seconds to compile.)
    """
    function = "compat.image.sample_distorted_bounding_box"
    op_seed = _seeds.check_seed(function, seed)
    checked = keyrng.tf.check_sample_distorted_bounding_box(
        function, image_size, bounding_boxes, min_object_covered, aspect_ratio_range, area_range,
        max_attempts, use_image_if_no_bounding_boxes)
    size, _, _, aspect, area, attempts, use_image = checked
    blocks = keyrng.tf.sdbb_blocks(attempts)
    if op_seed:
        kernel = ("SampleDistortedBoundingBoxV2", size.dtype.name, aspect, area, attempts, use_image)
        words = _seeds.position(function, kernel, op_seed, blocks)
    else:
        with _state.lock:
            determinism = _state.state.determinism
        if determinism:
            keyrng.errors.value_error(function, "seed", "a non-zero int while op determinism is enabled",
                                      seed, "Pass seed=1, for example.")
        words = _seeds.position_words(secrets.randbits(63), secrets.randbits(63) << 64)
    return keyrng.tf.draw_sample_distorted_bounding_box(words, *checked)


def stateless_sample_distorted_bounding_box(image_size, bounding_boxes, seed: StatelessSeed,
                                            min_object_covered=0.1, aspect_ratio_range=None,
                                            area_range=None, max_attempts=None,
                                            use_image_if_no_bounding_boxes=None, name: str | None = None):
    """`tf.image.stateless_sample_distorted_bounding_box`:
    `keyrng.tf.draw_sample_distorted_bounding_box(keyrng.tf_stateless_key(seed), ...)`.

    >>> import compat, numpy as np
    >>> bbox = np.array([[[0.0, 0.0, 1.0, 1.0]]], np.float32)
    >>> begin, size, _ = compat.image.stateless_sample_distorted_bounding_box(  # doctest: +SKIP
    ...     [3, 3, 1], bbox, (1, 2))
    >>> begin.tolist(), size.tolist()   # as tf.image's docstring  # doctest: +SKIP
    ([0, 0, 0], [2, 2, -1])
    """
    function = "compat.image.stateless_sample_distorted_bounding_box"
    key, _ = keyrng.tf.stateless_key(function, seed)
    checked = keyrng.tf.check_sample_distorted_bounding_box(
        function, image_size, bounding_boxes, min_object_covered, aspect_ratio_range, area_range,
        max_attempts, use_image_if_no_bounding_boxes)
    return keyrng.tf.draw_sample_distorted_bounding_box(key, *checked)
