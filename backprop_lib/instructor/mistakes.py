"""The named mistakes in autograded notebooks.

Every check and hidden test that recognises a known mistake prints a line
with ``Likely mistake: <title>. <hint>`` (:data:`backprop_lib.checks._core.MISTAKE_MARKER`).
Counting those lines in the test cells' outputs tells an instructor what
the class got wrong most often.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from backprop_lib.checks._core import MISTAKE_MARKER

from .scores import exercise_of

__all__ = ["mistake_titles", "named_mistakes", "count_mistakes"]

_TITLE = re.compile(re.escape(MISTAKE_MARKER) + r"\s*(.+?)\.(?:\s|$)")


def mistake_titles(text):
    """The mistake titles named in ``text``, in order, without repeats."""
    return list(dict.fromkeys(match.group(1).strip() for match in _TITLE.finditer(text)))


def _output_text(cell):
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            text = output.get("text", "")
            parts.append(text if isinstance(text, str) else "".join(text))
        elif output.get("output_type") == "error":
            parts.append(f"{output.get('ename', '')}: {output.get('evalue', '')}")
    return "\n".join(parts)


def named_mistakes(notebook_path, exercises=()):
    """``{(exercise, title)}`` named in the test cells of one autograded notebook."""
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    found = set()
    for cell in notebook.get("cells", []):
        info = cell.get("metadata", {}).get("nbgrader", {})
        if not info.get("grade") or cell.get("cell_type") != "code":
            continue
        exercise = exercise_of(info.get("grade_id", ""), exercises)
        found.update((exercise, title) for title in mistake_titles(_output_text(cell)))
    return found


def count_mistakes(autograded_dir, assignment, exercises=(), students=None, tick=None):
    """How many students made each named mistake in ``assignment``.

    ``tick()``, if given, is called after each student's notebooks are read.

    Returns
    -------
    counts : collections.Counter
        ``(exercise, title) -> number of students``.
    who : dict
        ``(exercise, title) -> sorted list of students``.
    """
    who = {}
    for folder in sorted(Path(autograded_dir).glob(f"*/{assignment}")):
        student = folder.parent.name
        if students is not None and student not in students:
            continue
        named = set()
        for path in sorted(folder.glob("*.ipynb")):
            named |= named_mistakes(path, exercises)
        for key in named:
            who.setdefault(key, []).append(student)
        if tick is not None:
            tick()
    counts = Counter({key: len(names) for key, names in who.items()})
    return counts, {key: sorted(names) for key, names in who.items()}
