"""docs/coverage.md cannot drift: its table accounts for every random name TensorFlow 2.21 has.

`tests/data/tf_random_surface.json` lists TensorFlow's public random surface (recorded by
`tests/data/tf_surface_record.py` from TensorFlow 2.21.0). Every name there has one row in the
table; every compat name a row gives exists; every row that claims TensorFlow's numbers names the
test files that check them, and those files exist and use the name; every gap says why.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import compat

ROOT = Path(__file__).resolve().parents[1]
SURFACE = json.loads((ROOT / "tests" / "data" / "tf_random_surface.json").read_text())
TABLE = (ROOT / "docs" / "coverage.md").read_text()
NOT_OPS = {("tf.random", "experimental")}  # a module, listed by its own names
PREFIX = {"tf.keras.random": "keras.random"}


def _surface() -> list[str]:
    names = []
    for group, members in SURFACE.items():
        if group == "tensorflow":
            continue
        for member in members:
            if (group, member) not in NOT_OPS:
                names.append(f"{PREFIX.get(group, group)}.{member}")
    return names


def _rows() -> dict[str, list[str]]:
    rows = {}
    for line in TABLE.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[0].startswith("`"):
            continue
        name = cells[0].strip("`")
        assert name not in rows, f"{name} has two rows"
        rows[name] = cells
    return rows


ROWS = _rows()


# Where compat puts each TensorFlow namespace's names (the compat name a gap would have).
NATURAL = (("tf.random.experimental.", "compat.experimental."), ("tf.random.", "compat."),
           ("tf.image.", "compat.image."), ("tf.nn.", "compat.nn."), ("tf.data.Dataset.", "compat.data."),
           ("tf.data.experimental.", "compat.data."), ("keras.random.", "compat.keras."))


def _natural(name: str) -> str:
    for theirs, ours in NATURAL:
        if name.startswith(theirs):
            return ours + name[len(theirs):]
    raise AssertionError(name)


def _exists(path: str) -> bool:
    try:
        _resolve(path)
    except AttributeError:
        return False
    return True


def _resolve(path: str):
    parts = path.split(".")
    assert parts[0] == "compat", path
    obj = compat
    for part in parts[1:]:
        obj = getattr(obj, part)
    return obj


def test_the_surface_was_recorded_from_the_release_compat_reproduces():
    assert SURFACE["tensorflow"] == compat.TF_VERSION


def test_every_tensorflow_name_has_a_row():
    missing = [name for name in _surface() if name not in ROWS]
    assert not missing, f"docs/coverage.md has no row for {missing}"


def test_every_row_is_a_tensorflow_name():
    extra = sorted(set(ROWS) - set(_surface()))
    assert not extra, f"docs/coverage.md lists names TensorFlow 2.21 does not have: {extra}"


@pytest.mark.parametrize("name", sorted(ROWS))
def test_row(name):
    _, ours, exact, eager, function, evidence = ROWS[name]
    if ours in ("—", ""):
        assert exact and exact != "—", f"{name}: a gap must say why"
        assert not _exists(_natural(name)), f"{name}: {_natural(name)} exists; the row is out of date"
        return
    for path in re.findall(r"`(compat\.[\w.]+)", ours):
        _resolve(path)
    assert eager in ("yes", "no", "—") and function in ("yes", "no", "—"), name
    files = re.findall(r"tests/[\w/]+\.py", evidence)
    assert files, f"{name}: no test named as evidence"
    leaf = re.findall(r"`(compat\.[\w.]+)", ours)[0].rsplit(".", 1)[-1]
    for file in files:
        path = ROOT / file
        assert path.exists(), f"{name}: {file} does not exist"
        text = path.read_text()
        data = "".join(p.read_text() for p in (ROOT / "tests" / "data").glob("*scenarios*.py"))
        assert leaf in text or leaf in data, f"{name}: neither {file} nor a scenario uses {leaf}"
