"""nbgrader configuration of the backpropagation course.

``solutions/`` (in this repository) is nbgrader's source directory and
``lessons/`` its release directory. Everything a class produces — submitted,
autograded and feedback notebooks and the gradebook — lives in a course
directory: ``grading/course/`` unless ``BACKPROP_COURSE_DIR`` points
elsewhere (``backprop-course --course DIR`` sets it). ``BACKPROP_RELEASE_DIR``
releases somewhere other than ``lessons/`` (the tests use it).
"""

import os
import sys
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    OverwriteCells,
    OverwriteKernelspec,
)

from backprop_lib.instructor.collect import StudentFileCollector
from backprop_lib.instructor.grading_notes import AddGradingNotes
from backprop_lib.instructor.hidden_test_errors import ShortenHiddenTestErrors
from backprop_lib.instructor.restore_cells import RestoreDeletedCells

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

GRADING = Path(__file__).resolve().parent
REPO = GRADING.parent
COURSE_DIR = Path(os.environ.get("BACKPROP_COURSE_DIR", GRADING / "course")).resolve()

COURSE_DIR.mkdir(parents=True, exist_ok=True)

c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.root = str(COURSE_DIR)
c.CourseDirectory.source_directory = str(REPO / "solutions")
c.CourseDirectory.release_directory = os.environ.get("BACKPROP_RELEASE_DIR", str(REPO / "lessons"))
c.CourseDirectory.db_url = f"sqlite:///{COURSE_DIR / 'gradebook.db'}"
# Only notebooks are released or collected; stray files never reach students.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Limits. A lesson runs in well under 30 s and no legitimate cell takes more
# than a few seconds (training is on small networks), so these only stop
# runaway code: per cell (nbgrader), per notebook and per output
# (`backprop-course autograde`), and per kernel process.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.GuardedExecute.notebook_timeout = 300
c.GuardedExecute.max_output_bytes = 2_000_000
c.ConfinedKernelManager.memory_limit = 2 * 1024**3
c.ConfinedKernelManager.cpu_time_limit = 360
c.ConfinedKernelManager.max_file_size = 100 * 1024**2
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100

# A student who deleted cells (even all of them) is graded on what is left:
# deleted cells come back from the released lesson, before nbgrader restores
# locked cells and hidden tests; nbgrader's own restoring stays on as a backstop.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    RestoreDeletedCells,
    OverwriteCells,
    CheckCellMetadata,
]
c.OverwriteCells.add_missing_cells = True

# Feedback opens with the grader's notes (a restored cell, a kernel that died)
# and shows the messages the hidden tests printed, never their code: not in
# the cell, not in an error's traceback.
c.GenerateFeedback.preprocessors = [
    GetGrades,
    AddGradingNotes,
    ShortenHiddenTestErrors,
    ClearHiddenTests,
    CSSHTMLHeaderPreprocessor,
]
c.ClearHiddenTests.enforce_metadata = False

# Collecting from a folder or an LMS zip (`backprop-course collect`, or
# `nbgrader zip_collect`): student ids come from file or folder names.
c.ZipCollectApp.collector_plugin = StudentFileCollector

# Kernels started by the grader import the hidden tests from grading/ and run
# the student checks in reporting mode, so one failing check never hides the
# partial credit the hidden tests award.
# nbgrader also runs this environment's `alembic` script when it creates a gradebook.
_scripts = os.path.dirname(sys.executable)
os.environ["PATH"] = os.pathsep.join(
    dict.fromkeys([_scripts, *os.environ["PATH"].split(os.pathsep)])
)
_paths = [str(GRADING)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(_paths))
os.environ["BACKPROP_COURSE_GRADING"] = "1"
# One thread per kernel: graders run several kernels side by side, one per core.
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")
