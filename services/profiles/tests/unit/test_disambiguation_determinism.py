"""The engine decides and explains alike in every process: nothing hangs on the hash seed's set order."""

from __future__ import annotations

import os
import subprocess
import sys

# Many shared words of equal rarity: their order in the reasons, and the float sum of their weights, would follow
# the set order (which changes with PYTHONHASHSEED) if the engine did not fix it.
SCRIPT = """
from profiles.disambiguation.replay import Replay, make_mention as mention
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda sigma omega".split()
replay = Replay()
replay.count([mention(f"bg{i}", f"Ada Other{i}", title=f"unrelated {i}") for i in range(30)])
title = " ".join(words)
replay.add_work([mention("w1", "Jun Zhang", coauthors=["Craig Douglas"], title=title)])
replay.add_work([mention("w2", "Jun Zhang", coauthors=["Craig Douglas"], title=title)])
print(replay.decisions[-2:])
"""


def _run(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_decisions_and_reasons_do_not_depend_on_the_hash_seed() -> None:
    outputs = {_run(seed) for seed in ("1", "2", "3", "4")}
    assert len(outputs) == 1, outputs
