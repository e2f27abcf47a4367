"""TensorFlow 2.21 tf.image random augmentation scenarios (recorded by record.py into
tf_image_expected.json; replayed by tests/test_image.py). `R.image` is tf.image / compat.image."""

_F32 = "img = np.random.RandomState({s}).rand({shape}).astype(np.float32)\n"
_U8 = "img = np.random.RandomState({s}).randint(0, 256, ({shape},)).astype(np.uint8)\n"
# Few distinct levels: equal channels and ties exercise the hue / saturation branches.
_LEVELS = "img = (np.random.RandomState({s}).randint(0, 4, ({shape},)) / 3.0).astype(np.float32)\n"


def _img(kind, shape, s=0):
    return {"f32": _F32, "u8": _U8, "lv": _LEVELS}[kind].format(s=s, shape=shape)


SCENARIOS = []


def add(name, code):
    SCENARIOS.append((name, code))


# --- flips ---------------------------------------------------------------------------------------
for fn in ("random_flip_left_right", "random_flip_up_down"):
    add(f"{fn}_op_seeds", _img("f32", "3, 4, 2") +
        f"for s in (1, 2, 3, 4, 5, 6, 1, 1, 1, 1):\n    out(R.image.{fn}(img, seed=s))\n")
    add(f"{fn}_global_seed", "R.set_seed(7)\n" + _img("f32", "3, 4, 2") +
        f"for i in range(10):\n    out(R.image.{fn}(img))\n")
    add(f"{fn}_both_seeds", "R.set_seed(1234)\n" + _img("u8", "2, 3, 1") +
        f"for i in range(8):\n    out(R.image.{fn}(img, seed=5))\n")
    add(f"{fn}_batch", "R.set_seed(3)\n" + _img("f32", "6, 3, 4, 2") +
        f"for i in range(4):\n    out(R.image.{fn}(img, seed=2))\nout(R.image.{fn}(img))\n")
    add(f"{fn}_batch_uint8", _img("u8", "5, 2, 3, 3") +
        f"for i in range(4):\n    out(R.image.{fn}(img, seed=11))\n")
    add(f"{fn}_shares_uniform_counter", "R.set_seed(2)\n" + _img("f32", "2, 2, 1") +
        f"out(R.image.{fn}(img, seed=9))\nout(R.uniform([], seed=9))\nout(R.image.{fn}(img, seed=9))\n"
        "out(R.uniform([3], seed=9))\n")
    add(f"{fn}_errors", _img("f32", "3, 4") +
        f"err(lambda: R.image.{fn}(img, seed=1))\nout(R.uniform([], seed=1))\n")
    add(f"stateless_{fn}", _img("f32", "3, 4, 2") +
        f"for seed in ([1, 2], [2, 3], (5, 6), np.array([7, 8], np.int64), [0, 0]):\n"
        f"    out(R.image.stateless_{fn}(img, seed))\n" + _img("u8", "4, 2, 3, 1", 1) +
        f"for seed in ([1, 2], [3, 4], [99, 100]):\n    out(R.image.stateless_{fn}(img, seed))\n")

add("flips_in_function", "R.set_seed(5)\n" + _img("f32", "3, 4, 2") +
    "@R.function\ndef f(x):\n    return (R.image.random_flip_left_right(x), R.image.random_flip_up_down(x, seed=3),"
    " R.image.random_brightness(x, 0.3))\n"
    "for i in range(4):\n    out(f(img))\n")

# --- crop ----------------------------------------------------------------------------------------
add("random_crop_op_seed", _img("f32", "6, 7, 3") +
    "for i in range(6):\n    out(R.image.random_crop(img, [3, 4, 3], seed=1))\n"
    "out(R.image.random_crop(img, [6, 7, 3], seed=2))\nout(R.image.random_crop(img, [1, 1, 1], seed=2))\n")
add("random_crop_global_seed", "R.set_seed(11)\n" + _img("u8", "5, 5, 2") +
    "for i in range(6):\n    out(R.image.random_crop(img, (2, 3, 2)))\n")
add("random_crop_batch_and_rank2", "R.set_seed(3)\n" + _img("f32", "4, 5, 6, 3") +
    "out(R.image.random_crop(img, [2, 3, 3, 3], seed=4))\nout(R.image.random_crop(img, [4, 2, 2, 1], seed=4))\n"
    "m = np.arange(30, dtype=np.int32).reshape(5, 6)\nout(R.image.random_crop(m, [2, 2], seed=4))\n"
    "out(R.image.random_crop(m, [5, 1], seed=4))\n")
add("random_crop_shares_int_counter", "R.set_seed(2)\n" + _img("f32", "8, 8, 3") +
    "out(R.image.random_crop(img, [3, 3, 3], seed=1))\n"
    "out(R.uniform([3], maxval=2147483647, dtype=R.int32, seed=1))\n"
    "out(R.image.random_crop(img, [5, 2, 3], seed=1))\n")
add("random_crop_errors", _img("f32", "4, 4, 3") +
    "err(lambda: R.image.random_crop(img, [5, 4, 3], seed=1))\nout(R.image.random_crop(img, [2, 2, 3], seed=1))\n")
add("stateless_random_crop", _img("f32", "6, 7, 3") +
    "for seed in ([1, 2], [2, 3], (5, 6), np.array([7, 8], np.int64)):\n"
    "    out(R.image.stateless_random_crop(img, [3, 4, 3], seed))\n"
    "out(R.image.stateless_random_crop(img, [1, 7, 2], [4, 4]))\n"
    "m = np.arange(20, dtype=np.float32).reshape(4, 5)\nout(R.image.stateless_random_crop(m, [3, 3], [1, 1]))\n")

# --- brightness ----------------------------------------------------------------------------------
add("random_brightness_float32", "R.set_seed(1)\n" + _img("f32", "3, 4, 3") +
    "for d in (0.2, 0.5, 1, 0.0, 0):\n    out(R.image.random_brightness(img, d))\n"
    "for i in range(3):\n    out(R.image.random_brightness(img, 0.25, seed=3))\n")
add("random_brightness_uint8", _img("u8", "4, 4, 3") +
    "for i in range(4):\n    out(R.image.random_brightness(img, 0.3, seed=7))\n"
    "out(R.image.random_brightness(img, 0.9, seed=8))\n")
add("random_brightness_dtypes", "R.set_seed(4)\n" + _img("f32", "2, 3, 3") +
    "out(R.image.random_brightness(img.astype(np.float16), 0.2))\n"
    "out(R.image.random_brightness(img.astype(np.float64), 0.2))\n"
    "out(R.image.random_brightness((img * 1000).astype(np.int16), 0.2))\n"
    "out(R.image.random_brightness((img * 100).astype(np.int8), 0.4))\n"
    "out(R.image.random_brightness((img * 2**30).astype(np.int32), 0.2))\n"
    "out(R.image.random_brightness(img.reshape(1, 2, 3, 3), 0.2))\n")
add("random_brightness_errors", _img("f32", "2, 3, 3") +
    "err(lambda: R.image.random_brightness(img, -0.1, seed=1))\nout(R.image.random_brightness(img, 0.1, seed=1))\n")
add("stateless_random_brightness", _img("f32", "3, 4, 3") +
    "for seed in ([1, 2], [3, 4], (5, 6), np.array([7, 8], np.int64)):\n"
    "    out(R.image.stateless_random_brightness(img, 0.3, seed))\n" + _img("u8", "3, 3, 3", 2) +
    "out(R.image.stateless_random_brightness(img, 0.5, [1, 2]))\nout(R.image.stateless_random_brightness(img, 0.5, [9, 9]))\n"
    "err(lambda: R.image.stateless_random_brightness(img, -1.0, [1, 2]))\n")

# --- contrast ------------------------------------------------------------------------------------
for i, shape in enumerate(("1, 1, 3", "3, 5, 3", "7, 7, 1", "4, 4, 4", "5, 9, 2", "2, 3, 5, 3", "13, 11, 3",
                           "16, 16, 3")):
    add(f"random_contrast_float32_{i}", _img("f32", shape, i) +
        "for i in range(3):\n    out(R.image.random_contrast(img, 0.2, 1.8, seed=1))\n"
        "out(R.image.random_contrast(img * 255, 0.5, 3.0, seed=2))\n")
add("random_contrast_uint8", "R.set_seed(6)\n" + _img("u8", "5, 6, 3") +
    "for i in range(4):\n    out(R.image.random_contrast(img, 0.3, 2.5))\n")
add("random_contrast_dtypes", "R.set_seed(8)\n" + _img("f32", "3, 4, 3") +
    "out(R.image.random_contrast(img.astype(np.float64), 0.5, 1.5))\n"
    "out(R.image.random_contrast((img * 3000).astype(np.int16), 0.5, 1.5))\n"
    "err(lambda: R.image.random_contrast(img.astype(np.float16), 0.5, 1.5))\n"
    "out(R.image.random_contrast(img, 0.5, 1.5))\n")
add("random_contrast_errors", _img("f32", "2, 3, 3") +
    "err(lambda: R.image.random_contrast(img, 1.0, 1.0, seed=1))\n"
    "err(lambda: R.image.random_contrast(img, -0.5, 1.0, seed=1))\n"
    "err(lambda: R.image.random_contrast(img[0], 0.5, 1.0, seed=1))\n"
    "out(R.image.random_contrast(img, 0.5, 1.0, seed=1))\n")
add("stateless_random_contrast", _img("f32", "4, 5, 3") +
    "for seed in ([1, 2], [3, 4], (5, 6)):\n    out(R.image.stateless_random_contrast(img, 0.2, 2.0, seed))\n" +
    _img("u8", "2, 3, 4, 3", 3) + "out(R.image.stateless_random_contrast(img, 0.5, 2.0, [1, 2]))\n")

# --- saturation / hue ----------------------------------------------------------------------------
for kind, shape, s in (("f32", "4, 5, 3", 0), ("lv", "6, 6, 3", 1), ("f32", "2, 3, 4, 3", 2)):
    add(f"random_saturation_{kind}_{s}", "R.set_seed(9)\n" + _img(kind, shape, s) +
        "for i in range(3):\n    out(R.image.random_saturation(img, 0.0, 3.0))\n"
        "out(R.image.random_saturation(img * 7 - 2, 0.5, 1.5, seed=4))\n")
    add(f"random_hue_{kind}_{s}", "R.set_seed(9)\n" + _img(kind, shape, s) +
        "for i in range(3):\n    out(R.image.random_hue(img, 0.5))\n"
        "out(R.image.random_hue(img * 7 - 2, 0.2, seed=4))\nout(R.image.random_hue(img, 0.0, seed=4))\n")
add("random_saturation_hue_uint8", _img("u8", "5, 4, 3") +
    "for i in range(3):\n    out(R.image.random_saturation(img, 0.2, 2.0, seed=2))\n"
    "for i in range(3):\n    out(R.image.random_hue(img, 0.4, seed=2))\n"
    "out(R.image.random_hue(img.astype(np.float64) / 255, 0.4, seed=3))\n"
    "out(R.image.random_saturation(img.astype(np.float64) / 255, 0.4, 2.0, seed=3))\n")
add("random_saturation_hue_errors", _img("f32", "3, 3, 2") +
    "err(lambda: R.image.random_saturation(img, 1.0, 0.5, seed=1))\n"
    "err(lambda: R.image.random_saturation(img, -1.0, 0.5, seed=1))\n"
    "err(lambda: R.image.random_hue(img, 0.6, seed=1))\n"
    "err(lambda: R.image.random_hue(img, -0.1, seed=1))\n"
    "err(lambda: R.image.random_hue(img, 0.1, seed=1))\n"
    "err(lambda: R.image.random_saturation(img, 0.1, 0.5, seed=1))\n"
    "err(lambda: R.image.random_hue(np.ones([2, 2, 3], np.float16), 0.1, seed=1))\n"
    "out(R.uniform([2], seed=1))\n")
add("stateless_random_saturation_hue", _img("lv", "4, 5, 3", 5) +
    "for seed in ([1, 2], [3, 4], (5, 6)):\n    out(R.image.stateless_random_saturation(img, 0.1, 3.0, seed))\n"
    "    out(R.image.stateless_random_hue(img, 0.45, seed))\n" + _img("u8", "3, 3, 3", 4) +
    "out(R.image.stateless_random_saturation(img, 0.5, 2.0, [1, 2]))\nout(R.image.stateless_random_hue(img, 0.3, [1, 2]))\n")

# --- sample_distorted_bounding_box ---------------------------------------------------------------
_BOXES = "boxes = np.array([[[0.1, 0.2, 0.6, 0.7], [0.0, 0.0, 1.0, 1.0]]], np.float32)\n"
add("sample_distorted_bounding_box_defaults", _BOXES +
    "for i in range(5):\n    out(R.image.sample_distorted_bounding_box([40, 60, 3], boxes, seed=1))\n"
    "out(R.image.sample_distorted_bounding_box(np.array([40, 60, 3], np.int64), boxes, seed=2))\n")
add("sample_distorted_bounding_box_params", "R.set_seed(3)\n" + _BOXES +
    "for i in range(3):\n"
    "    out(R.image.sample_distorted_bounding_box([100, 80, 3], boxes, seed=5, min_object_covered=0.5,"
    " aspect_ratio_range=[0.5, 2.0], area_range=[0.1, 0.9], max_attempts=20))\n"
    "out(R.image.sample_distorted_bounding_box([7, 9, 1], boxes, seed=6, area_range=[0.5, 1.0]))\n"
    "out(R.image.sample_distorted_bounding_box([3, 3, 3], boxes, seed=6, min_object_covered=0.99,"
    " area_range=[0.01, 0.05], max_attempts=3))\n"
    "out(R.image.sample_distorted_bounding_box([50, 50, 3], np.zeros([1, 0, 4], np.float32), seed=7,"
    " use_image_if_no_bounding_boxes=True))\n")
add("sample_distorted_bounding_box_errors", _BOXES +
    "err(lambda: R.image.sample_distorted_bounding_box([50, 50, 3], np.zeros([1, 0, 4], np.float32), seed=7))\n"
    "err(lambda: R.image.sample_distorted_bounding_box([50, 50, 3], boxes * 2, seed=7))\n"
    "err(lambda: R.image.sample_distorted_bounding_box([50, 50, 3], boxes, seed=7, area_range=[0.1, 1.5]))\n"
    "err(lambda: R.image.sample_distorted_bounding_box([50, 50, 3], boxes, seed=7, max_attempts=0))\n"
    "out(R.image.sample_distorted_bounding_box([50, 50, 3], boxes, seed=7))\n")
add("stateless_sample_distorted_bounding_box", _BOXES +
    "for seed in ([1, 2], [3, 4], (5, 6), np.array([7, 8], np.int64)):\n"
    "    out(R.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes, seed))\n"
    "out(R.image.stateless_sample_distorted_bounding_box([64, 32, 3], boxes, [1, 1], min_object_covered=0.0,"
    " aspect_ratio_range=[0.3, 3.0], area_range=[0.02, 0.5], max_attempts=50))\n"
    "out(R.image.stateless_sample_distorted_bounding_box(np.array([9, 9, 3], np.int64), boxes, [2, 2],"
    " min_object_covered=0.9, area_range=[0.01, 0.1], max_attempts=2))\n")

# The scenarios with calls TensorFlow rejects only after drawing (in the kernel), without those
# calls: what compat, which rejects before drawing, must reproduce (tests/test_image.py DEVIATIONS).
REJECTED_AFTER_DRAWING = ("random_contrast_dtypes", "random_contrast_errors", "random_saturation_hue_errors",
                          "sample_distorted_bounding_box_errors")
for _name, _code in list(SCENARIOS):
    if _name in REJECTED_AFTER_DRAWING:
        add(_name + "_without_rejected",
            "".join(line + "\n" for line in _code.splitlines() if not line.startswith("err(")))

# --- edge cases ----------------------------------------------------------------------------------
add("edge_sdbb_size_dtypes", "boxes = np.array([[[0.1, 0.2, 0.6, 0.7]]], np.float32)\n"
    "for dt in (np.uint8, np.int16, np.int8):\n"
    "    out(R.image.stateless_sample_distorted_bounding_box(np.array([40, 60, 3], dt), boxes, [1, 2]))\n"
    "err(lambda: R.image.stateless_sample_distorted_bounding_box(np.array([40, 60, 3], np.uint16), boxes, [1, 2]))\n"
    "out(R.image.sample_distorted_bounding_box(np.array([30, 20, 3], np.uint8), boxes, seed=4))\n"
    "out(R.image.stateless_sample_distorted_bounding_box([1, 1, 3], boxes, [1, 2]))\n"
    "out(R.image.stateless_sample_distorted_bounding_box([50, 50, 3], np.zeros([1, 0, 4], np.float32), [3, 1],"
    " use_image_if_no_bounding_boxes=True, area_range=[0.3, 0.4]))\n"
    "out(R.image.stateless_sample_distorted_bounding_box([50, 50, 3], np.zeros([2, 3, 4], np.float32) + 0.5, [3, 1]))\n")
add("edge_contrast_large_and_thin", _img("f32", "64, 64, 3", 7) +
    "out(R.image.stateless_random_contrast(img, 0.5, 2.0, [1, 2]))\n"
    "out(R.image.stateless_random_contrast(img[:1], 0.5, 2.0, [1, 2]))\n"
    "out(R.image.stateless_random_contrast(img[:, :1], 0.5, 2.0, [1, 2]))\n"
    "out(R.image.stateless_random_contrast(img[:37, :23] * 1000 - 300, 0.5, 2.0, [1, 2]))\n")
add("edge_list_inputs_and_size_forms", "x = [[[0.1, 0.5, 0.9], [0.3, 0.2, 0.2]], [[0.7, 0.7, 0.7], [0.0, 1.0, 0.5]]]\n"
    "out(R.image.stateless_random_hue(x, 0.3, [1, 2]))\nout(R.image.stateless_random_saturation(x, 0.1, 2.0, [1, 2]))\n"
    "out(R.image.stateless_random_brightness(x, 0.3, [1, 2]))\nout(R.image.stateless_random_contrast(x, 0.1, 2.0, [1, 2]))\n"
    "out(R.image.stateless_random_flip_left_right(x, [1, 2]))\n"
    "out(R.image.stateless_random_crop(x, np.array([1, 2, 3], np.int64), [5, 2]))\n"
    "out(R.image.stateless_random_crop(x, (np.int32(2), 1, 2), [5, 2]))\n"
    "m = [[1, 2, 3], [4, 5, 6]]\nout(R.image.stateless_random_crop(m, [1, 2], [7, 7]))\n")
add("edge_hue_saturation_extremes", "x = np.array([[[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],"
    " [[0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0]],"
    " [[-1.0, 0.5, 2.0], [3.0, -2.0, 0.25], [1e-30, 2e-30, 0.0], [0.5, 0.5, 0.4999999]]], np.float32)\n"
    "for seed in ([1, 2], [2, 2], [3, 2], [4, 2]):\n"
    "    out(R.image.stateless_random_hue(x, 0.5, seed))\n    out(R.image.stateless_random_saturation(x, 0.0, 5.0, seed))\n"
    "out(R.image.random_saturation(x, 0.0, 1e-6, seed=2))\nout(R.image.random_hue(x, 0.5, seed=2))\n")
add("edge_argument_errors", "R.set_seed(3)\n" + _img("f32", "4, 4, 3") +
    "err(lambda: R.image.random_flip_left_right(img.reshape(1, 1, 4, 4, 3)))\n"
    "err(lambda: R.image.random_flip_up_down(img[0, 0]))\n"
    "err(lambda: R.image.random_crop(img, [2, 2]))\n"
    "err(lambda: R.image.random_crop(img, [2, 2, 4]))\n"
    "err(lambda: R.image.stateless_random_crop(img, [2, 2, 3], [1, 2, 3]))\n"
    "err(lambda: R.image.stateless_random_flip_left_right(img, [1]))\n"
    "err(lambda: R.image.stateless_random_brightness(img, 0.1, [[1, 2]]))\n"
    "err(lambda: R.image.random_brightness(img, -1e-9))\n"
    "err(lambda: R.image.random_contrast(img, 0.5, 0.4))\n"
    "err(lambda: R.image.random_saturation(img, -0.1, 0.4))\n"
    "err(lambda: R.image.random_hue(img, 0.5000001))\n"
    "out(R.uniform([2]))\nout(R.image.random_crop(img, [2, 2, 3]))\n")
add("edge_sdbb_argument_errors", "boxes = np.array([[[0.1, 0.2, 0.6, 0.7]]], np.float32)\n"
    "err(lambda: R.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes, [1, 2], min_object_covered=-0.1))\n"
    "err(lambda: R.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes, [1, 2], aspect_ratio_range=[-1.0, 2.0]))\n"
    "err(lambda: R.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes, [1, 2], area_range=[0.0, 0.5]))\n"
    "err(lambda: R.image.stateless_sample_distorted_bounding_box([40, 60], boxes, [1, 2]))\n"
    "err(lambda: R.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes[0], [1, 2]))\n"
    "err(lambda: R.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes[:, :, :3], [1, 2]))\n"
    "err(lambda: R.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes, [1, 2, 3]))\n"
    "err(lambda: R.image.stateless_sample_distorted_bounding_box([-40, 60, 3], boxes, [1, 2]))\n"
    "out(R.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes, [1, 2], min_object_covered=0.0,"
    " aspect_ratio_range=[2.0, 1.0]))\n"
    "out(R.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes, [1, 2], area_range=[0.9, 0.2]))\n")
add("stateless_flips_images_and_batches", _img("f32", "4, 3, 5, 2", 11) + _img("u8", "3, 5, 2", 12).replace("img =", "one =") +
    "for seed in ([1, 2], [7, 0], [0, 0], [-3, 2**31 - 1], np.array([5, 6], np.int64)):\n"
    "    out(R.image.stateless_random_flip_up_down(img, seed))\n"
    "    out(R.image.stateless_random_flip_left_right(img, seed))\n"
    "    out(R.image.stateless_random_flip_up_down(one, seed))\n"
    "    out(R.image.stateless_random_flip_left_right(one, seed))\n"
    "err(lambda: R.image.stateless_random_flip_up_down(img, [1]))\n"
    "err(lambda: R.image.stateless_random_flip_up_down(img[0, 0], [1, 2]))\n")
