"""Differential fuzzing of compat.data and compat.image against TensorFlow 2.21 (CPU) recordings.

- tests/data/tf_fuzz_data_scenarios.py: generated tf.data programs (shuffle / Dataset.random /
  sample_from_datasets datasets, whole and partial passes, interleaved iterators, random ops and
  set_seed between, datasets inside a function), recorded by tests/data/tf_data_record.py into
  tf_fuzz_data_expected.json and replayed with tests/test_data2.py's `D` (compat.data).
- tests/data/tf_fuzz_image2_scenarios.py: generated tf.image augmentation pipelines (stateful and
  stateless, batched or not, uint8 / float16 / float32 / float64, inside `R.function`, argument
  errors), recorded by tests/data/record.py into tf_fuzz_image2_expected.json and replayed with
  tests/replay.py's `R` (compat).

Every output is compared bit for bit; an error TensorFlow raised as TypeError / ValueError must be
the same class here. The default group replays a few cheap scenarios; the rest are slow.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import replay, test_data, test_data2
from tests.test_replay import check as check_values

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> dict:
    path = DATA / name
    return {s["name"]: s for s in json.loads(path.read_text())["scenarios"]} if path.exists() else {}


DATA_SCENARIOS = _load("tf_fuzz_data_expected.json")
IMAGE_SCENARIOS = _load("tf_fuzz_image2_expected.json")

# Cheap to replay in the default group (no new compiled shape beyond a few).
DEFAULT = {"data_fuzz_3_28", "data_fuzz_2_28", "image2_1_0_sl"}


def _params(names):
    return [n if n in DEFAULT else pytest.param(n, marks=pytest.mark.slow) for n in sorted(names)]


def _same_error_classes(scenario: dict, got: list[dict]) -> None:
    """TensorFlow's TypeError / ValueError, except where the house rule (TypeError for a wrong
    type) overrides it: TensorFlow raises ValueError for `None` where it wants a tensor
    (`shuffle(None)`: "Attempt to convert a value (None) with an unsupported type"), compat
    TypeError."""
    for index, (want, have) in enumerate(zip(scenario["outputs"], got)):
        if want.get("error") in ("TypeError", "ValueError"):
            if want["error"] == "ValueError" and have.get("error") == "TypeError" and \
                    have.get("message", "").endswith("got None."):
                continue
            assert have.get("error") == want["error"], \
                f"{scenario['name']} output {index}: TensorFlow raised {want['error']}, got {have}"


@pytest.mark.parametrize("name", _params(DATA_SCENARIOS))
def test_data_program(name):
    scenario = DATA_SCENARIOS[name]
    got = test_data2.replay(scenario["code"])
    test_data.check(scenario, got)
    _same_error_classes(scenario, got)


@pytest.mark.parametrize("name", _params(IMAGE_SCENARIOS))
def test_image_pipeline(name):
    scenario = IMAGE_SCENARIOS[name]
    got = replay.run(scenario["code"])
    check_values(scenario, got)
    _same_error_classes(scenario, got)


def test_recordings_are_complete():
    """Every generated scenario was recorded (a scenario TensorFlow itself gives different results
    for on re-runs would be listed here and left out; none is)."""
    for source, table in (("tf_fuzz_data_scenarios.py", DATA_SCENARIOS),
                          ("tf_fuzz_image2_scenarios.py", IMAGE_SCENARIOS)):
        scope: dict = {}
        exec((DATA / source).read_text(), scope)
        for name, code in scope["SCENARIOS"]:
            assert name in table and table[name]["code"] == code, f"{source}: {name} not recorded"


# --- focused tests for what the fuzzing found ----------------------------------------------------

def test_integer_image_contrast_rounds_like_tensorflow():
    """A uint8 image's float32 conversion (cast * (1/255)) must not be fused into AdjustContrastv2's
    `x - mean` as an FMA: element 2 is 140 in TensorFlow 2.21, 141 with the fused product.
    (Recorded: tf_fuzz_image2_expected.json, image2_1_25_sf_fn, whose flip flipped and whose
    contrast factor is 0.6475863.)"""
    import numpy as np

    import keyrng.tf

    img = np.random.RandomState(3163).randint(0, 256, (3, 5, 2)).astype(np.uint8)[::-1]
    got = np.asarray(keyrng.tf.adjust_contrast(img, np.float32(0.6475863)))
    want = IMAGE_SCENARIOS["image2_1_25_sf_fn"]["outputs"][0]
    assert got.reshape(-1).tolist() == want["bits"]
    assert got.reshape(-1)[2] == 140


def test_small_integer_images_convert_exactly():
    """`convert_image_dtype(x, float32)` of every 8- and 16-bit integer is TensorFlow's
    `float32(x) * float32(1 / max)` (IEEE products, as NumPy computes them)."""
    import numpy as np

    import keyrng.tf

    for dtype in (np.uint8, np.int8, np.uint16, np.int16):
        info = np.iinfo(dtype)
        x = np.arange(info.min, info.max + 1).astype(dtype)
        want = x.astype(np.float32) * np.float32(1.0 / info.max)
        got = np.asarray(keyrng.tf.convert_image_dtype(x, "float32"))
        assert got.view(np.uint32).tolist() == want.view(np.uint32).tolist(), dtype
