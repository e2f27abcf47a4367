"""`python -m compat`, the README's first command."""

import os
import subprocess
import sys
from pathlib import Path


def test_demo_prints_every_value_matching():
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-m", "compat"], capture_output=True, text=True, cwd=root,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "DIFFERS" not in proc.stdout
    assert "16/16 values match: every value matches TensorFlow." in proc.stdout
