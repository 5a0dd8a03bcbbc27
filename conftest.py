"""Test-wide set-up shared by tests/ and the notebook runs of solutions/.

Kernels started by the tests (nbval, nbclient, nbgrader) inherit this
environment: the hidden tests in grading/ must be importable from the
solution notebooks, plots must not need a screen, and nbgrader must find
this environment's scripts.
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent

sys.path.insert(0, str(REPO / "grading"))  # the hidden tests, for tests that read them
os.environ["PYTHONPATH"] = os.pathsep.join(
    dict.fromkeys(
        [str(REPO / "grading"), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    )
)
os.environ["PATH"] = os.pathsep.join(
    dict.fromkeys([os.path.dirname(sys.executable), *os.environ.get("PATH", "").split(os.pathsep)])
)
os.environ.setdefault("MPLBACKEND", "Agg")
# Student checks raise (as in a student's notebook) unless a test asks for grading mode.
os.environ.pop("BACKPROP_COURSE_GRADING", None)
