"""Print the README's command for the main job ("replay") or the tests ("tests")."""

import re
import sys
from pathlib import Path

WHICH = {"replay": "leadwire replay", "tests": "pytest"}

readme = Path(__file__).parents[1].joinpath("README.md").read_text("utf-8")
blocks = re.findall(r"```sh\n(.*?)\n```", readme, flags=re.DOTALL)
wanted = WHICH[sys.argv[1]]
matches = [block.strip() for block in blocks if wanted in block]
if len(matches) != 1:
    sys.exit(f"README must hold exactly one sh block with {wanted!r}")
sys.stdout.write(matches[0] + "\n")
