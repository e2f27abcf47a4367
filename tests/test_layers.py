"""The two layers stay honest: compat uses keyrng's public API only, and nothing uses jax's
private modules (`jax._src`) or private attributes of jax's key dtypes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import keyrng

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*ROOT.glob("keyrng/*.py"), *ROOT.glob("compat/*.py"), *ROOT.glob("tests/*.py"),
                  *ROOT.glob("benchmarks/*.py")])


def _private_keyrng_uses(tree: ast.AST) -> list[str]:
    """`keyrng._x` imports and attribute reads in a module's syntax tree."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] == "keyrng":
                if any(p.startswith("_") for p in parts[1:]):
                    found.append(f"line {node.lineno}: from {node.module} import ...")
                elif len(parts) == 1:
                    found += [f"line {node.lineno}: from keyrng import {a.name}" for a in node.names
                              if a.name.startswith("_")]
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name.startswith("keyrng.") and any(p.startswith("_") for p in a.name.split(".")[1:])]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "keyrng" and node.attr.startswith("_") and not node.attr.startswith("__"):
            found.append(f"line {node.lineno}: keyrng.{node.attr}")
    return found


@pytest.mark.parametrize("path", sorted(ROOT.glob("compat/*.py")), ids=lambda p: p.name)
def test_compat_uses_only_public_keyrng_names(path):
    uses = _private_keyrng_uses(ast.parse(path.read_text(), str(path)))
    assert not uses, f"compat/{path.name} uses private keyrng names: {uses}"


def test_the_check_sees_private_names():
    source = "from keyrng import _checks\nimport keyrng._impl\nkeyrng._keys.seed(1)\nfrom keyrng._x import y\n"
    assert len(_private_keyrng_uses(ast.parse(source))) == 4
    assert _private_keyrng_uses(ast.parse("from keyrng import tf\nkeyrng.tf.key(1, 2)\n")) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_private_jax(path):
    text = path.read_text()
    if path.name == "test_layers.py":
        return
    assert "jax._src" not in text and "._impl.name" not in text and "dtype._impl" not in text


def test_public_namespaces_are_listed():
    for module in (keyrng, keyrng.tf, keyrng.philox, keyrng.errors, keyrng.typing):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
