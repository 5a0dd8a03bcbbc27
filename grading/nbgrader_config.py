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
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

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

# Generous per-cell limit: lessons train small networks, nothing legitimate is slow.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
# A student who deleted a graded cell still gets the others graded.
c.OverwriteCells.add_missing_cells = True
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100

# Feedback shows the messages the hidden tests printed, never their code.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
c.ClearHiddenTests.enforce_metadata = False

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
