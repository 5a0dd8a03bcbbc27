"""Feedback never shows hidden-test code, not even inside an error message.

nbgrader's ``ClearHiddenTests`` removes the hidden tests from the source of a
test cell, but a traceback raised in that cell quotes the lines around the
failing one, hidden ones included, and frames inside the hidden-test
package quote its code. This step, run before ``ClearHiddenTests`` in
``GenerateFeedback.preprocessors``, shortens every error of a cell that has
hidden tests to its last line: the exception and its message.
"""

from __future__ import annotations

from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor

__all__ = ["ShortenHiddenTestErrors"]

_ANSI = "\x1b["


def _plain(text):
    """``text`` without terminal colour codes."""
    while _ANSI in text:
        start = text.index(_ANSI)
        end = text.find("m", start)
        text = text[:start] + (text[end + 1 :] if end >= 0 else "")
    return text


class ShortenHiddenTestErrors(NbGraderPreprocessor):
    """Reduce the tracebacks of cells with hidden tests to ``ename: evalue``."""

    def preprocess(self, nb, resources):
        self._marker = ClearHiddenTests(parent=self).begin_test_delimeter
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or self._marker not in cell.source:
            return cell, resources
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                message = _plain(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}")
                output["traceback"] = [message.strip()]
        return cell, resources
