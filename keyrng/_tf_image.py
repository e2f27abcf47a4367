"""TensorFlow's tf.image random augmentation kernels as pure functions (TensorFlow 2.21, CPU).

`tf.image.random_*` draw their random values with ordinary random ops (`tf.random.uniform` /
`stateless_uniform`; see `compat.image`) and then apply a deterministic adjustment. This module
holds those adjustments, bit for bit as TensorFlow's CPU kernels compute them, and the one image
op with its own random kernel, SampleDistortedBoundingBox(V2) / StatelessSampleDistortedBoundingBox:

- `convert_image_dtype(image, dtype, saturate)` — `tf.image.convert_image_dtype`'s rules
  (ints to float: cast, then `* (1 / max)`; float to ints: `* (max + 0.5)`, then a cast, or
  `tf.dtypes.saturate_cast`'s clip-and-cast).
- `adjust_brightness`, `adjust_contrast`, `adjust_saturation`, `adjust_hue` — TensorFlow's python
  wrapper (to float32 unless float16/float32, then back) around the kernels `Add`,
  `AdjustContrastv2` (its CPU mean is a pairwise fold of the image plane: reproduced fold for
  fold), `AdjustSaturation` and `AdjustHue` (per-pixel float RGB <-> HSV, reproduced operation
  for operation; the two double constants of AdjustSaturation's rgb_to_hsv included).
- `flip(image, uniform, axis)` — `_random_flip`'s rank-3 `cond(u < .5)` and rank-4
  `round(u) * flipped + (1 - round(u)) * image`.
- `crop(value, raw_offsets, size)` — `random_crop`'s `offset = uniform_int % (shape - size + 1)`
  and slice.
- `draw_sample_distorted_bounding_box(key, image_size, boxes, ...)` — the kernel's rejection loop on
  SimplePhilox words at the key's position (`draw_*`), with `check_sample_distorted_bounding_box`.

XLA:CPU contracts `a * b + c` into a fused multiply-add when the product has one use; TensorFlow's
kernels round every product (its CPU wheels are not built with FMA contraction). Every product
that feeds an addition is therefore passed through `_rounded`, which XLA and LLVM cannot see
through.

>>> import numpy as np
>>> img = np.array([[[0.1, 0.5, 0.9]], [[0.3, 0.3, 0.2]]], np.float32)
>>> adjust_contrast(img, np.float32(2.0))
Array([[[ 0.        ,  0.6       ,  1.25      ]],
<BLANKLINE>
       [[ 0.40000004,  0.20000002, -0.15000004]]], dtype=float32)
"""

from __future__ import annotations

import operator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng import _errors
from keyrng import _philox
from keyrng import _tf_kernels

IMAGE_DTYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
                "float16", "bfloat16", "float32", "float64")
_INT_DTYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")


# --- helpers -------------------------------------------------------------------------------------

def _rounded(v):
    """`v` (float32) unchanged, hidden from the compilers' FMA contraction and algebraic rewrites
    (`_tf_kernels.rounded`: its bits or-ed with a zero no compiler can prove, made from its own
    bits, so a product LLVM knows is never NaN is hidden as well)."""
    return _tf_kernels.rounded(v)


def _rounded64(v):
    """`_rounded` for float64 (call with 64-bit types enabled)."""
    return _tf_kernels.rounded(v)


def _dtype_name(x) -> str:
    return np.dtype(x.dtype).name if not hasattr(x.dtype, "name") else x.dtype.name


def _saturate_limits(in_dtype: str, out_dtype: str):
    """The clip bounds of `tf.dtypes.saturate_cast` from float `in_dtype` to integer `out_dtype`
    (TensorFlow nudges a bound towards 0 when it is not representable in the output type)."""
    np_in = np.dtype(in_dtype).type if in_dtype != "bfloat16" else jnp.bfloat16
    info_in = jnp.finfo(in_dtype)
    info_out = np.iinfo(out_dtype)
    try:
        promoted = np.promote_types(np.dtype(np_in), np.dtype(out_dtype))
    except TypeError:
        promoted = float
    low = np_in(np.maximum(float(info_in.min), info_out.min))
    if np.array([low, info_out.min], dtype=promoted)[0] < np.array([low, info_out.min], dtype=promoted)[1]:
        low = np.nextafter(low, np_in(0), dtype=np_in)
    high = np_in(np.minimum(float(info_in.max), float(info_out.max)))
    if np.array([high, info_out.max], dtype=promoted)[0] > np.array([high, info_out.max], dtype=promoted)[1]:
        high = np.nextafter(high, np_in(0), dtype=np_in)
    return low, high


def _convert_image_dtype_impl(image, dtype: str, saturate: bool = False):
    """`tf.image.convert_image_dtype` for the integer and float dtypes (integer to integer
    conversions are not needed by the augmentations and not provided).

    >>> import numpy as np
    >>> convert_image_dtype(np.array([0, 128, 255], np.uint8), "float32")
    Array([0.       , 0.5019608, 1.       ], dtype=float32)
    >>> convert_image_dtype(np.array([-0.5, 0.5, 1.5], np.float32), "uint8", saturate=True)
    Array([  0, 127, 255], dtype=uint8)
    """
    image = jnp.asarray(image)
    source = _dtype_name(image)
    if source == dtype:
        return image
    if source in _INT_DTYPES and dtype in _INT_DTYPES:
        raise NotImplementedError("integer to integer image conversions")
    if source not in _INT_DTYPES and dtype not in _INT_DTYPES:
        return image.astype(dtype)
    if source in _INT_DTYPES:
        scale = np.dtype(dtype).type(1.0 / np.iinfo(source).max) if dtype != "bfloat16" else \
            jnp.bfloat16(1.0 / np.iinfo(source).max)
        # TensorFlow stores the product: rounded, so that no consumer fused with it (a contrast's
        # `x - mean`) contracts it into a multiply-add (`_tf_kernels.rounded`).
        return _tf_kernels.rounded(image.astype(dtype) * scale)
    scale = np.dtype(source).type(np.iinfo(dtype).max + 0.5) if source != "bfloat16" else \
        jnp.bfloat16(np.iinfo(dtype).max + 0.5)
    scaled = image * scale
    if saturate:
        low, high = _saturate_limits(source, dtype)
        scaled = jnp.minimum(jnp.maximum(scaled, low), high)
    return scaled.astype(dtype)


def _to_float(image):
    """The wrappers' working image: float16 and float32 stay, the rest become float32."""
    return image if _dtype_name(image) in ("float16", "float32") else _convert_image_dtype_impl(image, "float32")


# --- checks --------------------------------------------------------------------------------------

def check_image(function: str, image: Any, argument: str = "image", ranks=(3, 4), dtypes=IMAGE_DTYPES,
                channels: int | None = None):
    """An image as an array (a NumPy or jax array; lists become arrays as TensorFlow makes
    tensors of them) of rank in `ranks`, of a dtype in `dtypes`; with `channels`, the last
    dimension must have that size."""
    if isinstance(image, (list, tuple)) or np.isscalar(image):
        array = np.asarray(image)
        if array.dtype == np.float64:
            array = array.astype(np.float32)
        elif array.dtype == np.int64:
            array = array.astype(np.int32)
        image = array
    if not hasattr(image, "dtype") or not hasattr(image, "shape"):
        _errors.type_error(function, argument, "an array", image)
    try:
        name = np.dtype(image.dtype).name
    except TypeError:
        name = str(image.dtype)
    if name not in dtypes:
        _errors.type_error(function, argument, f"an array of dtype {', '.join(dtypes)}", image)
    if ranks is not None and image.ndim not in ranks:
        forms = " or ".join(str(r) for r in ranks)
        _errors.value_error(function, argument, f"an array of rank {forms}", image.shape)
    if ranks is None and image.ndim < 3:
        _errors.value_error(function, argument, "an array of rank 3 or more", image.shape)
    if channels is not None and image.shape[-1] != channels:
        _errors.value_error(function, argument, f"an array whose last dimension is {channels}",
                            image.shape)
    return image


# --- flips and crops -----------------------------------------------------------------------------

def _flip_impl(image, uniform, axis: int):
    """`_random_flip` after its draw: `axis` 0 (up-down) or 1 (left-right) of each image;
    `uniform` is the float32 draw, a scalar for one image (flipped when `u < 0.5`), one per
    image for a batch (flipped when `round(u)` is 1, i.e. `u > 0.5`), with TensorFlow's
    `flips * flipped + (1 - flips) * image` arithmetic.

    >>> import numpy as np
    >>> flip(np.array([[[1], [2]]], np.int32), np.float32(0.3), 1).tolist()
    [[[2], [1]]]
    """
    image = jnp.asarray(image)
    if image.ndim == 3:
        return jnp.where(uniform < np.float32(0.5), jnp.flip(image, axis), image)
    flips = jnp.round(uniform).reshape(-1, 1, 1, 1).astype(image.dtype)
    flipped = jnp.flip(image, axis + 1)
    one = jnp.ones((), image.dtype)
    if jnp.issubdtype(image.dtype, jnp.floating):
        return lax.add(_opaque_any(flips * flipped), _opaque_any((one - flips) * image))
    return flips * flipped + (one - flips) * image


def _opaque_any(v):
    """`_rounded` for any float dtype (products of 0/1 are exact; this keeps 0 * inf as NaN)."""
    if v.dtype == jnp.float32:
        return _rounded(v)
    return v


def check_crop(function: str, value: Any, size: Any):
    """`(value, size)` of `random_crop`: `size` a sequence of ints (or an integer vector), one per
    dimension of `value`, each at most that dimension (TensorFlow's `Need value.shape >= size`).

    >>> import numpy as np
    >>> check_crop("my.crop", np.zeros([4, 5]), [2, 6])
    Traceback (most recent call last):
    ...
    ValueError: `my.crop`: `size` must be at most value's shape (4, 5) in every dimension; got [2, 6].
    """
    if not hasattr(value, "shape"):
        value = check_image(function, value, "value", ranks=range(64))
    items = size.tolist() if isinstance(size, (np.ndarray, jax.Array)) else size
    try:
        sizes = tuple(_index(s) for s in items)
    except TypeError:
        _errors.type_error(function, "size", "a sequence of ints", size)
    if len(sizes) != value.ndim:
        _errors.value_error(function, "size", f"a sequence of {value.ndim} ints (the rank of value)", size)
    if any(s < 0 or s > d for s, d in zip(sizes, value.shape)):
        _errors.value_error(function, "size", f"at most value's shape {tuple(value.shape)} in every "
                            "dimension", size)
    return value, sizes


def _index(value) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a bool is not a size")
    return operator.index(value)


def _crop_impl(value, raw_offsets, size):
    """`random_crop` after its draw: `raw_offsets` are int32 uniform values in
    `[0, 2**31 - 1)`, one per dimension; the crop starts at `raw % (shape - size + 1)`.

    >>> import numpy as np
    >>> crop(np.arange(12).reshape(3, 4), np.array([7, 5], np.int32), (2, 2)).tolist()
    [[6, 7], [10, 11]]
    """
    value = jnp.asarray(value)
    limit = jnp.asarray(np.array(value.shape, np.int32) - np.array(size, np.int32) + 1)
    offsets = jnp.remainder(jnp.asarray(raw_offsets, jnp.int32), limit)
    return lax.dynamic_slice(value, tuple(offsets[i] for i in range(value.ndim)), tuple(size))


# --- the adjustments -----------------------------------------------------------------------------

def _adjust_brightness_impl(image, delta):
    """`tf.image.adjust_brightness`: `image + delta` in float (float16 and float32 images
    stay, others go through float32), converted back with saturation.

    >>> import numpy as np
    >>> adjust_brightness(np.array([[[10, 250]]], np.uint8), np.float32(0.1)).tolist()
    [[[35, 255]]]
    """
    image = jnp.asarray(image)
    dtype = _dtype_name(image)
    flt = _to_float(image)
    if flt.dtype == jnp.float32:
        flt = _rounded(flt)
    adjusted = flt + jnp.asarray(delta).astype(flt.dtype)
    return _convert_image_dtype_impl(adjusted, dtype, saturate=True)


def _fold_sum(x):
    """AdjustContrastv2's CPU sum over axis 1 of `[batch, image_size, channels]`: the plane is
    folded in halves (`x[:right] + x[left:]`, the odd middle row carried) until one row is left."""
    remaining = x.shape[1]
    s = x
    first = True
    while True:
        right = remaining // 2
        left = remaining - right
        summed = s[:, left:left + right] + s[:, :right] if first else s[:, :right] + s[:, left:left + right]
        s = jnp.concatenate([summed, s[:, right:left]], axis=1)
        first = False
        remaining = left
        if remaining <= 1:
            return s[:, 0]


def _adjust_contrast_impl(images, contrast_factor):
    """`tf.image.adjust_contrast` (AdjustContrastv2 on CPU): per image and channel
    `mean + factor * (x - mean)`, the mean as the kernel's fold sum times `1.0f / (h * w)`.
    float16 images have no CPU kernel in TensorFlow (see `check_adjust`)."""
    images = jnp.asarray(images)
    dtype = _dtype_name(images)
    flt = _to_float(images)
    shape = flt.shape
    h, w, c = shape[-3:]
    planes = flt.reshape(-1, h * w, c)
    if h * w == 0 or planes.shape[0] == 0:
        return _convert_image_dtype_impl(flt, dtype, saturate=True)
    total = _fold_sum(_rounded(planes))
    mean = total * (np.float32(1.0) / np.float32(h * w))
    mean = _rounded(mean)[:, None, :]
    factor = jnp.asarray(contrast_factor, jnp.float32)
    adjusted = mean + _rounded(factor * (planes - mean))
    return _convert_image_dtype_impl(adjusted.reshape(shape), dtype, saturate=True)


def _rgb_to_hsv(r, g, b):
    """AdjustSaturation's internal rgb_to_hsv (h in [0, 1]); its `+ 2.0 / 6.0` and `+ 4.0 / 6.0`
    are double additions rounded to float."""
    vv = jnp.maximum(r, jnp.maximum(g, b))
    rng = vv - jnp.minimum(r, jnp.minimum(g, b))
    s = jnp.where(vv > 0, rng / vv, np.float32(0))
    norm = np.float32(1) / _rounded(np.float32(6) * rng)
    p_r = _rounded(norm * (g - b))
    p_g = _rounded(norm * (b - r))
    p_b = _rounded(norm * (r - g))
    with jax.enable_x64(True):
        h_g = (p_g.astype(jnp.float64) + np.float64(2.0 / 6.0)).astype(jnp.float32)
        h_b = (p_b.astype(jnp.float64) + np.float64(4.0 / 6.0)).astype(jnp.float32)
    hh = jnp.where(r == vv, p_r, jnp.where(g == vv, h_g, h_b))
    hh = jnp.where(rng <= 0, np.float32(0), hh)
    hh = jnp.where(hh < 0, hh + np.float32(1), hh)
    return hh, s, vv


def _hsv_to_rgb(h, s, v):
    c = _rounded(s * v)
    m = v - c
    dh = _rounded(h * np.float32(6))
    category = dh.astype(jnp.int32)
    fmodu = jnp.where(dh <= 0, dh + np.float32(2), dh)
    for _ in range(4):
        fmodu = jnp.where(fmodu >= 2, fmodu - np.float32(2), fmodu)
    x = _rounded(c * (np.float32(1) - jnp.abs(fmodu - np.float32(1))))
    zero = jnp.zeros_like(c)
    table = [(c, x, zero), (x, c, zero), (zero, c, x), (zero, x, c), (x, zero, c), (c, zero, x)]
    out = []
    for k in range(3):
        value = zero
        for cat, row in enumerate(table):
            value = jnp.where(category == cat, row[k], value)
        out.append(value + m)
    return out


def _adjust_saturation_impl(image, saturation_factor):
    """`tf.image.adjust_saturation` (AdjustSaturation on CPU): HSV with `s * factor` clipped to
    [0, 1]; the result converted back without saturation."""
    image = jnp.asarray(image)
    dtype = _dtype_name(image)
    flt = _to_float(image)
    if flt.dtype == jnp.float32:
        flt = _rounded(flt)
    r, g, b = flt[..., 0], flt[..., 1], flt[..., 2]
    h, s, v = _rgb_to_hsv(r, g, b)
    scale = jnp.asarray(saturation_factor, jnp.float32)
    s = jnp.minimum(np.float32(1), jnp.maximum(np.float32(0), _rounded(s * scale)))
    out = jnp.stack(_hsv_to_rgb(h, s, v), axis=-1)
    return _convert_image_dtype_impl(out, dtype)


def _adjust_hue_impl(image, delta):
    """`tf.image.adjust_hue` (AdjustHue on CPU): hue in [0, 6) from the channel order,
    `h += delta * 6` wrapped into [0, 6); the result converted back without saturation."""
    image = jnp.asarray(image)
    dtype = _dtype_name(image)
    flt = _to_float(image)
    if flt.dtype == jnp.float32:
        flt = _rounded(flt)
    r, g, b = flt[..., 0], flt[..., 1], flt[..., 2]
    # rgb_to_hv_range: the six orderings, ties as the kernel's strict comparisons resolve them.
    r_lt_g = r < g
    cases = [  # (condition, v_max, v_mid, v_min, category), first match wins
        (r_lt_g & (b < r), g, r, b, 1),
        (r_lt_g & (b > g), b, g, r, 3),
        (r_lt_g, g, b, r, 2),
        (b < g, r, g, b, 0),
        (b > r, b, r, g, 4),
        (None, r, b, g, 5),
    ]
    v_max, v_mid, v_min, category = r, b, g, jnp.full(r.shape, 5, jnp.int32)
    for cond, mx, md, mn, cat in reversed(cases[:-1]):
        v_max = jnp.where(cond, mx, v_max)
        v_mid = jnp.where(cond, md, v_mid)
        v_min = jnp.where(cond, mn, v_min)
        category = jnp.where(cond, cat, category)
    ratio = (v_mid - v_min) / (v_max - v_min)
    increase = (category & 1) == 0
    h = category.astype(jnp.float32) + jnp.where(increase, ratio, np.float32(1) - ratio)
    h = jnp.where(v_max == v_min, np.float32(0), h)
    delta = jnp.asarray(delta, jnp.float32)
    h = h + _rounded(delta * np.float32(6))
    for _ in range(2):
        h = jnp.where(h < 0, h + np.float32(6), h)
    for _ in range(2):
        h = jnp.where(h >= 6, h - np.float32(6), h)
    # hv_range_to_rgb
    category = h.astype(jnp.int32)
    ratio = h - category.astype(jnp.float32)
    ratio = jnp.where((category & 1) == 0, ratio, np.float32(1) - ratio)
    v_mid = v_min + _rounded(ratio * (v_max - v_min))
    table = [(v_max, v_mid, v_min), (v_mid, v_max, v_min), (v_min, v_max, v_mid),
             (v_min, v_mid, v_max), (v_mid, v_min, v_max)]
    out = []
    for k, default in enumerate((v_max, v_min, v_mid)):
        value = default
        for cat, row in enumerate(table):
            value = jnp.where(category == cat, row[k], value)
        out.append(value)
    return _convert_image_dtype_impl(jnp.stack(out, axis=-1), dtype)


# --- sample_distorted_bounding_box ---------------------------------------------------------------

_SDBB_INT_DTYPES = ("uint8", "int8", "int16", "int32", "int64")  # (the kernel's T)


def check_sample_distorted_bounding_box(function: str, image_size, bounding_boxes, min_object_covered,
                                        aspect_ratio_range, area_range, max_attempts,
                                        use_image_if_no_bounding_boxes):
    """The canonical arguments of SampleDistortedBoundingBoxV2 / StatelessSampleDistortedBoundingBox,
    with the kernel's checks: `(image_size (np array), boxes (float32 [n, 4]), min_object_covered,
    aspect_ratio_range, area_range, max_attempts, use_image)`."""
    size = np.asarray(image_size)
    if not hasattr(image_size, "dtype") and size.dtype == np.int64:
        size = size.astype(np.int32)
    if size.dtype.name not in _SDBB_INT_DTYPES:
        _errors.type_error(function, "image_size", "an array of uint8, int8, int16, int32 or int64", image_size)
    if size.shape != (3,):
        _errors.value_error(function, "image_size", "an array of 3 ints [height, width, channels]", image_size)
    boxes = np.asarray(bounding_boxes, np.float32) if not hasattr(bounding_boxes, "dtype") else bounding_boxes
    if np.dtype(boxes.dtype) != np.float32:
        _errors.type_error(function, "bounding_boxes", "a float32 array", bounding_boxes)
    if boxes.ndim != 3 or boxes.shape[-1] != 4:
        _errors.value_error(function, "bounding_boxes", "an array of shape [batch, N, 4]", boxes.shape)
    boxes = np.asarray(boxes).reshape(-1, 4)
    if not ((boxes >= 0) & (boxes <= 1)).all():
        _errors.value_error(function, "bounding_boxes", "coordinates in [0.0, 1.0]", bounding_boxes)
    height, width = (int(v) for v in size[:2].astype(np.int64))
    if height < 0 or height >= 2**31 - 1 or width < 0 or width >= 2**31 - 1:
        _errors.value_error(function, "image_size", "a height and width below 2**31 - 1", image_size)
    cover = np.float32(0.1 if min_object_covered is None else min_object_covered)
    if not cover >= 0:
        _errors.value_error(function, "min_object_covered", "non-negative", min_object_covered)
    aspect = [0.75, 1.33] if aspect_ratio_range is None else list(aspect_ratio_range)
    area = [0.05, 1.0] if area_range is None else list(area_range)
    if len(aspect) != 2 or not (aspect[0] > 0 and aspect[1] > 0):
        _errors.value_error(function, "aspect_ratio_range", "two positive floats", aspect_ratio_range)
    if len(area) != 2 or not (0 < area[0] <= 1 and 0 < area[1] <= 1):
        _errors.value_error(function, "area_range", "two floats in (0, 1]", area_range)
    attempts = 100 if max_attempts is None else max_attempts
    if isinstance(attempts, bool) or not isinstance(attempts, (int, np.integer)) or attempts <= 0:
        _errors.value_error(function, "max_attempts", "a positive int", max_attempts)
    use_image = bool(use_image_if_no_bounding_boxes)
    if len(boxes) == 0 and not use_image:
        _errors.value_error(function, "bounding_boxes", "at least one box unless "
                            "use_image_if_no_bounding_boxes is True", bounding_boxes)
    return (size, boxes, float(cover), tuple(float(np.float32(a)) for a in aspect),
            tuple(float(np.float32(a)) for a in area), int(attempts), use_image)


def _words_of(key):
    if jnp.issubdtype(jnp.asarray(key).dtype if not hasattr(key, "dtype") else key.dtype, jax.dtypes.prng_key):
        key = jax.random.key_data(key)
    return jnp.asarray(key, jnp.uint32)


def _word(data, index):
    """The SimplePhilox word number `index` from the position `data` (uint32[6])."""
    counter = _philox.add_small((data[2], data[3], data[4], data[5]), index // 4)
    block = _philox.block((data[0], data[1]), counter)
    lane = index % 4
    return jnp.where(lane == 0, block[0], jnp.where(lane == 1, block[1], jnp.where(lane == 2, block[2], block[3])))


def _rint(x):
    return jnp.round(x).astype(jnp.int32)  # lrintf: round half to even


def draw_sample_distorted_bounding_box(key, image_size, boxes, min_object_covered, aspect_ratio_range,
                                       area_range, max_attempts: int, use_image: bool):
    """The kernel after its checks (`check_sample_distorted_bounding_box`), drawing SimplePhilox
    words from `key` (a Philox key or its raw uint32[6] position): `(begin, size, bboxes)` in
    TensorFlow's dtypes (`image_size`'s, and float32 [1, 1, 4]). Compiled once per image size,
    boxes and attributes.

    >>> import numpy as np, keyrng
    >>> args = check_sample_distorted_bounding_box("f", np.array([3, 3, 1], np.int32),
    ...     np.array([[[0.0, 0.0, 1.0, 1.0]]], np.float32), None, None, None, None, None)
    >>> [a.tolist() for a in draw_sample_distorted_bounding_box(  # doctest: +SKIP
    ...     keyrng.tf_stateless_key([1, 2]), *args)]
    [[0, 0, 0], [2, 2, -1], [[[0.0, 0.0, 0.6666666865348816, 0.6666666865348816]]]]
    """
    boxes = np.asarray(boxes, np.float32).reshape(-1, 4)
    params = np.array([min_object_covered, *aspect_ratio_range, *area_range], np.float32)
    hw = np.asarray(image_size)[:2].astype(np.int64).astype(np.int32)
    # The boxes padded to a power of two (at least 4), so that few shapes compile.
    count = len(boxes)
    padded = np.zeros([max(4, 1 << max(count - 1, 0).bit_length()), 4], np.float32)
    padded[:count] = boxes
    begin, size, bboxes = _sdbb(_words_of(key), hw, padded, np.int32(count), params, np.int32(max_attempts))
    out_dtype = np.dtype(image_size.dtype)
    with jax.enable_x64(out_dtype.itemsize == 8):  # (int64 sizes need 64-bit types, as in TensorFlow)
        return begin.astype(out_dtype), size.astype(out_dtype), bboxes


@jax.jit
def _sdbb(data, hw, boxes, count, params, max_attempts):
    """The kernel, compiled once per number of boxes rounded up to a power of two (the rest is
    traced, so also no division by a constant becomes a multiplication); int32 begin and size."""
    f32 = np.float32
    H, W = hw[0], hw[1]
    Hf, Wf = H.astype(jnp.float32), W.astype(jnp.float32)
    valid = jnp.arange(boxes.shape[0]) < count
    given = jnp.stack([(boxes[:, 1] * Wf).astype(jnp.int32), (boxes[:, 0] * Hf).astype(jnp.int32),
                       (boxes[:, 3] * Wf).astype(jnp.int32), (boxes[:, 2] * Hf).astype(jnp.int32)], axis=1)
    image_rect = jnp.stack([jnp.int32(0), jnp.int32(0), W, H])
    rects = jnp.where((count == 0) & (jnp.arange(boxes.shape[0]) == 0)[:, None], image_rect[None, :], given)
    valid = valid | ((count == 0) & (jnp.arange(boxes.shape[0]) == 0))
    cover, lo_ratio, hi_ratio, min_rel, max_rel = (params[i] for i in range(5))
    min_area = _rounded(_rounded(min_rel * Wf) * Hf)
    max_area = _rounded(_rounded(max_rel * Wf) * Hf)
    static_fail = (max_rel <= 0) | (W <= 0) | (H <= 0) | (min_rel > max_rel)
    span = hi_ratio - lo_ratio

    # One SimplePhilox word per step of a state machine (so that the compiled loop holds one
    # Philox block): phase 0 starts an attempt with its aspect ratio; phases 1, 2, 3 are the
    # Uniform(n) draws (ExactUniformInt: rejection below `(2**32 - 1) % n + 1` unless n is a
    # power of two) of the height increment, y and x.
    i32 = jnp.int32

    def rint_times(height, ratio):
        return _rint(_rounded(height.astype(jnp.float32) * ratio))

    def start(ratio):
        """GenerateRandomCrop up to its first draw: `(ok, height, max_height)`."""
        ok = ~(static_fail | (ratio <= 0))
        safe = jnp.where(ok, ratio, f32(1))
        height = _rint(jnp.sqrt(min_area / safe))
        max_height = _rint(jnp.sqrt(max_area / safe))
        too_wide = rint_times(max_height, safe) > W
        with jax.enable_x64(True):
            half_up = _rounded64(W.astype(jnp.float64) + np.float64(0.5))  # (exact; kept apart from - kEps)
            capped = ((half_up - np.float64(np.float32(0.0000001))) / safe.astype(jnp.float64)).astype(jnp.int32)
        capped = jnp.where(rint_times(capped, safe) > W, capped - 1, capped)
        max_height = jnp.minimum(jnp.where(too_wide, capped, max_height), H)
        height = jnp.where(height >= max_height, max_height, height)
        return ok, height, max_height, safe

    def settle(height, ratio):
        """GenerateRandomCrop after the height draw, up to its y draw: `(ok, height, width)`."""
        width = rint_times(height, ratio)
        area = (width * height).astype(jnp.float32)
        small = area < min_area
        height = jnp.where(small, height + 1, height)
        width = jnp.where(small, rint_times(height, ratio), width)
        area = jnp.where(small, (width * height).astype(jnp.float32), area)
        big = area > max_area
        height = jnp.where(big, height - 1, height)
        width = jnp.where(big, rint_times(height, ratio), width)
        area = jnp.where(big, (width * height).astype(jnp.float32), area)
        ok = ~((area < min_area) | (area > max_area) | (width > W) | (height > H) | (width <= 0) | (height <= 0))
        return ok, height, width

    def cond(state):
        attempt, index, phase, n, ratio, height, width, y, kept, done = state
        return (attempt < max_attempts) & ~done

    def body(state):
        attempt, index, phase, n, ratio, height, width, y, kept, done = state
        word = _word(data, index)
        index = index + np.uint32(1)
        # phase 0: a new attempt's aspect ratio
        unit = lax.bitcast_convert_type((word & np.uint32(0x7FFFFF)) | np.uint32(0x3F800000), jnp.float32) - f32(1)
        new_ratio = _rounded(unit * span) + lo_ratio
        ok0, h0, max_h0, safe0 = start(new_ratio)
        # phases 1-3: Uniform(n) on this word
        nu = n.astype(jnp.uint32)
        power = (nu & (nu - np.uint32(1))) == 0
        rem = (np.uint32(0xFFFFFFFF) % jnp.maximum(nu, np.uint32(1))) + np.uint32(1)
        accepted = power | (word >= rem)
        value = jnp.where(power, word & (nu - np.uint32(1)), word % jnp.maximum(nu, np.uint32(1))).astype(i32)

        is0 = phase == 0
        ratio = jnp.where(is0, safe0, ratio)
        # The height is known (phase 0 without a draw, or phase 1 accepted): settle it.
        height_in = jnp.where(is0, h0, height + value)
        height_known = (is0 & ok0 & ~(h0 < max_h0)) | ((phase == 1) & accepted)
        ok1, h1, w1 = settle(height_in, ratio)
        # Where the attempt goes next.
        to_y = height_known & ok1 & (h1 < H)
        to_x_from_settle = height_known & ok1 & ~(h1 < H) & (w1 < W)
        y_done = (phase == 2) & accepted
        to_x_from_y = y_done & (width < W)
        x_done = (phase == 3) & accepted
        finish_settle = height_known & ok1 & ~(h1 < H) & ~(w1 < W)
        finish_y = y_done & ~(width < W)
        height = jnp.where(height_known, h1, jnp.where(is0, h0, height))
        width = jnp.where(height_known, w1, width)
        y = jnp.where(y_done, value, jnp.where(height_known, 0, y))
        x = jnp.where(x_done, value, 0)
        finished = finish_settle | finish_y | x_done
        crop = jnp.stack([x, y, x + width, y + height])
        good = finished & _covers(crop, rects, valid, cover)
        failed = (is0 & ~ok0) | (height_known & ~ok1) | (finished & ~good)
        next_phase = jnp.where(is0 & ok0 & (h0 < max_h0), 1,
                     jnp.where(to_y, 2, jnp.where(to_x_from_settle | to_x_from_y, 3,
                     jnp.where(failed | finished, 0, phase))))
        n = jnp.where(next_phase == 1, jnp.where(is0, max_h0 - h0 + 1, n),
            jnp.where(next_phase == 2, H - height, jnp.where(next_phase == 3, W - width, n)))
        attempt = jnp.where(failed | finished, attempt + 1, attempt)
        kept = jnp.where(good, crop, kept)
        return attempt, index, next_phase.astype(i32), n.astype(i32), ratio, height, width, y, kept, good

    zero = i32(0)
    full = jnp.stack([i32(0), i32(0), W, H])
    state = (zero, np.uint32(0), zero, zero, f32(0), zero, zero, zero, full, jnp.bool_(False))
    crop = lax.while_loop(cond, body, state)[8]  # the image when no attempt succeeded
    x0, y0, x1, y1 = crop[0], crop[1], crop[2], crop[3]
    begin = jnp.stack([y0, x0, jnp.int32(0)])
    size = jnp.stack([y1 - y0, x1 - x0, jnp.int32(-1)])
    # (a barrier, so that a constant image size inside a caller's jit is not turned into a
    # multiplication by its reciprocal)
    fh, fw = lax.optimization_barrier((Hf, Wf))
    bboxes = jnp.stack([y0.astype(jnp.float32) / fh, x0.astype(jnp.float32) / fw,
                        y1.astype(jnp.float32) / fh, x1.astype(jnp.float32) / fw]).reshape(1, 1, 4)
    return begin, size, bboxes


def _covers(crop, rects, valid, cover):
    """SatisfiesOverlapConstraints: the crop has area >= 1 and covers at least `cover` of one
    (valid) box of area >= 1."""
    x0, y0, x1, y1 = crop[0], crop[1], crop[2], crop[3]
    crop_area = ((x1 - x0) * (y1 - y0)).astype(jnp.float32)
    r = jnp.asarray(rects)
    px0 = jnp.maximum(x0, r[:, 0])
    py0 = jnp.maximum(y0, r[:, 1])
    px1 = jnp.minimum(x1, r[:, 2])
    py1 = jnp.minimum(y1, r[:, 3])
    empty = (px0 > px1) | (py0 > py1)
    inter = jnp.where(empty, 0, (px1 - px0) * (py1 - py0)).astype(jnp.float32)
    area = ((r[:, 2] - r[:, 0]) * (r[:, 3] - r[:, 1])).astype(jnp.float32)
    covered = valid & (area >= 1) & (inter / jnp.where(area >= 1, area, np.float32(1)) >= cover)
    return (crop_area >= 1) & covered.any()


def sdbb_blocks(max_attempts: int) -> int:
    """How far SampleDistortedBoundingBoxV2 moves its kernel's counter per call:
    `ReserveSamples32(4 * max_attempts)`, i.e. `max_attempts` blocks."""
    return (4 * max_attempts + 3) // 4


# --- the public, compiled forms ------------------------------------------------------------------
# Each is one XLA computation per shape, dtype and static argument (an eager call of the
# implementations above would compile every primitive on its own).

_convert_image_dtype_jit = jax.jit(_convert_image_dtype_impl, static_argnums=(1, 2))
_flip_jit = jax.jit(_flip_impl, static_argnums=(2,))
_crop_jit = jax.jit(_crop_impl, static_argnums=(2,))
_adjust_brightness_jit = jax.jit(_adjust_brightness_impl)
_adjust_contrast_jit = jax.jit(_adjust_contrast_impl)
_adjust_saturation_jit = jax.jit(_adjust_saturation_impl)
_adjust_hue_jit = jax.jit(_adjust_hue_impl)


def convert_image_dtype(image, dtype: str, saturate: bool = False):
    return _convert_image_dtype_jit(image, np.dtype(dtype).name if dtype != "bfloat16" else dtype, bool(saturate))


def flip(image, uniform, axis: int):
    return _flip_jit(image, uniform, int(axis))


def crop(value, raw_offsets, size):
    return _crop_jit(value, raw_offsets, tuple(int(s) for s in size))


def adjust_brightness(image, delta):
    return _adjust_brightness_jit(image, delta)


def adjust_contrast(images, contrast_factor):
    return _adjust_contrast_jit(images, contrast_factor)


def adjust_saturation(image, saturation_factor):
    return _adjust_saturation_jit(image, saturation_factor)


def adjust_hue(image, delta):
    return _adjust_hue_jit(image, delta)


for _public, _impl in ((convert_image_dtype, _convert_image_dtype_impl), (flip, _flip_impl), (crop, _crop_impl),
                       (adjust_brightness, _adjust_brightness_impl), (adjust_contrast, _adjust_contrast_impl),
                       (adjust_saturation, _adjust_saturation_impl), (adjust_hue, _adjust_hue_impl)):
    _public.__doc__ = _impl.__doc__
    _impl.__doc__ = None  # (the examples run once, on the public form)
del _public, _impl
