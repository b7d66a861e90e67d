"""Helpers of the documentation tests: paths, pages, and docs_gen/ loading."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
DOCS_GEN = ROOT / "docs_gen"

_MARKED_BLOCK = re.compile(
    r"<!-- (?P<mark>tested(?: \w+)?) -->\n```(?P<lang>\w+)\n(?P<body>.*?)\n```",
    re.DOTALL,
)


def load_docs_gen(name: str) -> ModuleType:
    """Import docs_gen/<name>.py, with docs_gen on the path as mkdocs has it."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, DOCS_GEN / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(DOCS_GEN))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(DOCS_GEN))
    return module


def page(relative: str) -> str:
    """The Markdown source of docs/<relative>."""
    return (DOCS / relative).read_text(encoding="utf-8")


def marked_blocks(relative: str, mark: str) -> list[str]:
    """The code blocks of a page preceded by ``<!-- MARK -->``, in order."""
    return [
        found["body"]
        for found in _MARKED_BLOCK.finditer(page(relative))
        if found["mark"] == mark
    ]
