"""How long the bundled dialogues take to replay.

    python benchmarks/harness/bench_replay.py [--faults all] [--jobs 2]

Prints the number of replays, the wall time, and the time per replay. The
target: all 20 bundled dialogues under ``--faults all`` well under a minute on
two cores.
"""

from __future__ import annotations

import argparse
import io
import time

from rich.console import Console

from leadwire_harness.console import run_command
from leadwire_harness.faults import plan
from leadwire_harness.loader import bundled_paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", default="all")
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()

    paths = bundled_paths()
    replays = len(paths) * len(plan(options.faults))
    started = time.perf_counter()
    code = run_command(
        paths,
        faults=options.faults,
        jobs=options.jobs,
        console=Console(file=io.StringIO()),
    )
    seconds = time.perf_counter() - started

    print(f"dialogues:        {len(paths)}")
    print(f"fault plan:       {options.faults} ({replays} replays at most)")
    print(f"jobs:             {options.jobs}")
    print(f"wall time:        {seconds:.1f} s")
    print(f"per replay:       {1000 * seconds / replays:.0f} ms (wall, all jobs)")
    print(f"exit code:        {code}")


if __name__ == "__main__":
    main()
