"""The mkdocs hooks of the documentation site.

- The navigation lists pages that other parts of the project write. An entry
  whose page does not exist yet is left out instead of failing the build, and
  links to such a pending page become plain text until it exists. Links to
  any other missing page still fail the strict build.
- The markers of :data:`MARKERS` in a page (``<!-- leadwire:cli -->``...) are
  replaced with references rendered from the code at build time.
- ``<!-- leadwire:include PAGE "Heading" -->`` is replaced with the body of
  that section of another page, so figures are written in one place only.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path
from typing import Any

import leadwire_reference

log = logging.getLogger("mkdocs.plugins.leadwire")

#: The markers a page may hold, and what renders each.
MARKERS = {
    "<!-- leadwire:configuration -->": leadwire_reference.configuration_reference,
    "<!-- leadwire:cli -->": leadwire_reference.cli_reference,
    "<!-- leadwire:faults -->": leadwire_reference.fault_reference,
    "<!-- leadwire:starter -->": leadwire_reference.starter_configuration,
}

_INCLUDE = re.compile(r'<!-- leadwire:include (?P<page>\S+\.md) "(?P<title>[^"]+)" -->')
_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s#]+\.md)(?:#[^)\s]*)?\)")

#: Pages named in the navigation that do not exist (yet), relative to docs/.
pending: set[str] = set()


def existing_nav(nav: list[Any], docs_dir: Path, missing: set[str]) -> list[Any]:
    """*nav* without entries whose page is missing, nor sections left empty.

    The missing pages are added to *missing*.
    """
    kept: list[Any] = []
    for entry in nav:
        if isinstance(entry, dict):
            ((title, target),) = entry.items()
            if isinstance(target, list):
                children = existing_nav(target, docs_dir, missing)
                if children:
                    kept.append({title: children})
                continue
        else:
            target = entry
        if "://" in target or (docs_dir / target).is_file():
            kept.append(entry)
        else:
            missing.add(target)
    return kept


def unlink_pending(markdown: str, page_path: str, missing: set[str]) -> str:
    """Turn links from *page_path* to a page of *missing* into their text."""

    def replace(match: re.Match[str]) -> str:
        folder = posixpath.dirname(page_path)
        target = posixpath.normpath(posixpath.join(folder, match["target"]))
        return match["text"] if target in missing else match[0]

    return _LINK.sub(replace, markdown)


def _heading_level(line: str) -> int:
    """The level of a Markdown heading line, 0 for any other line."""
    level = len(line) - len(line.lstrip("#"))
    return level if level and line[level:].startswith(" ") else 0


def section_body(markdown: str, title: str) -> str | None:
    """The text under the heading *title*, up to the next heading of its level.

    Lines inside code fences are never headings (``# comment`` in a shell block).
    """
    body: list[str] | None = None
    level = 0
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        depth = 0 if fenced else _heading_level(line)
        if body is None:
            if depth and line[depth:].strip() == title:
                body, level = [], depth
            continue
        if depth and depth <= level:
            break
        body.append(line)
    return None if body is None else "\n".join(body).strip("\n")


def include_sections(markdown: str, docs_dir: Path, missing: set[str]) -> str:
    """Replace each include marker with the section it names."""

    def replace(match: re.Match[str]) -> str:
        page, title = match["page"], match["title"]
        if page in missing:
            return f"*Not published yet: the figures will come with {page}.*"
        body = section_body((docs_dir / page).read_text(encoding="utf-8"), title)
        if body is None:
            log.warning("include: %s has no section %r", page, title)
            return match[0]
        return body

    return _INCLUDE.sub(replace, markdown)


def on_config(config: Any) -> Any:
    """Leave the pages that do not exist yet out of the navigation."""
    pending.clear()
    if config["nav"]:
        config["nav"] = existing_nav(config["nav"], Path(config["docs_dir"]), pending)
    for page in sorted(pending):
        log.info("%s is not written yet: left out of the navigation", page)
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Render the markers; unlink pages that are not written yet."""
    for marker, render in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render())
    markdown = include_sections(markdown, Path(config["docs_dir"]), pending)
    return unlink_pending(markdown, page.file.src_uri, pending)
