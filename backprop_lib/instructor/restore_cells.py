"""Put back the cells a student deleted, taken from the released lesson.

nbgrader's ``OverwriteCells.add_missing_cells`` restores deleted *grade*
cells only, and fails when the cell before a deleted one is gone too (an
emptied notebook, say). This step runs before it and restores every cell the
release had (locked text, the set-up cell with the imports, exercise stubs,
test cells) at its place among the cells that survived, so a submission is
graded as far as it can be. ``OverwriteCells`` then brings back the hidden
tests and the original text of locked cells, as usual.
"""

from __future__ import annotations

import copy
import uuid
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = ["RestoreDeletedCells", "grade_id"]


def grade_id(cell):
    """The nbgrader ``grade_id`` of ``cell``, or None."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


class RestoreDeletedCells(NbGraderPreprocessor):
    """Restore cells missing from a submission, from the released notebook.

    Records what it did in ``resources["nbgrader"]``: ``restored_cells``
    (grade_ids put back) and ``edited_locked_cells`` (locked cells whose text
    differs from the release; ``OverwriteCells`` restores their text).
    """

    def _released_notebook(self, resources):
        coursedir = CourseDirectory(config=self.config)
        folder = coursedir.format_path(
            coursedir.release_directory, ".", resources["nbgrader"]["assignment"]
        )
        path = Path(folder) / f"{resources['nbgrader']['notebook']}.ipynb"
        if not path.is_file():
            self.log.warning("No released notebook %s: deleted cells cannot be restored", path)
            return None
        return nbformat.read(path, as_version=nbformat.NO_CONVERT)

    def preprocess(self, nb, resources):
        released = self._released_notebook(resources)
        info = resources.setdefault("nbgrader", {})
        info["restored_cells"], info["edited_locked_cells"] = [], []
        if released is None:
            return nb, resources
        present = {}
        for cell in nb.cells:
            present.setdefault(grade_id(cell), cell)
        present.pop(None, None)
        anchor = None  # the cell after which the next missing cell goes
        for template in released.cells:
            name = grade_id(template)
            if name is None:
                continue
            if name in present:
                anchor = present[name]
                locked = template.metadata["nbgrader"].get("locked", False)
                if locked and anchor.get("source", "") != template.source:
                    info["edited_locked_cells"].append(name)
                continue
            cell = _fresh_copy(template, nb)
            position = 0 if anchor is None else _index(nb.cells, anchor) + 1
            nb.cells.insert(position, cell)
            present[name] = anchor = cell
            info["restored_cells"].append(name)
        if info["restored_cells"]:
            self.log.warning("Restored deleted cells: %s", ", ".join(info["restored_cells"]))
        return nb, resources


def _fresh_copy(template, nb):
    """A copy of ``template`` whose cell id (if ``nb`` has ids) is not used in ``nb``."""
    cell = copy.deepcopy(template)
    if (nb.nbformat, nb.get("nbformat_minor", 0)) < (4, 5):
        cell.pop("id", None)
    elif cell.get("id") in {other.get("id") for other in nb.cells}:
        cell.id = uuid.uuid4().hex[:8]
    return cell


def _index(cells, wanted):
    return next(i for i, cell in enumerate(cells) if cell is wanted)
