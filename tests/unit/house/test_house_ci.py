"""The CI entry point runs the suite with PostgreSQL and Redis required."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_ci_run_sets_ci_true_before_make_test(tmp_path):
    """``.ci/run`` itself says CI=true: run it with a ``make`` that reports what it saw."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "make").write_text('#!/bin/sh\necho "CI=$CI args=$*"\n')
    (fake / "make").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = f"{fake}:{env.get('PATH', '')}"
    result = subprocess.run([str(ROOT / ".ci" / "run")], capture_output=True, text=True, env=env,
                            timeout=30, check=True)
    assert result.stdout.strip() == "CI=true args=test"
