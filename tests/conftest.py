"""Shared set-up for the tests: attention_ref importable, and hypothesis profiles.

Profiles (tests/test_properties.py uses hypothesis):
- "ci", loaded when the environment variable CI is set: derandomized, so a CI
  run explores the same examples every time and a red build can be reproduced;
  no example database is written.
- "dev", otherwise: random examples, remembered in .hypothesis/ (git-ignored),
  so a failure found locally is replayed first on the next run.
Both have no per-example deadline: a slow shared CI machine must not turn a
correct property into a flaky failure. Choose one explicitly with
`pytest --hypothesis-profile=dev`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `pytest` (unlike `python -m pytest`) does not put the cwd on sys.path
    sys.path.insert(0, str(ROOT))

try:
    from hypothesis import settings
except ImportError:  # the property tests will report the missing dependency themselves
    pass
else:
    settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None, database=None)
    settings.register_profile("dev", max_examples=60, deadline=None)
    settings.load_profile("ci" if os.environ.get("CI") else "dev")
