"""Simulated classes: right, untouched, catalog mistakes, and every broken or hostile kind.

Each :class:`Pupil` is one submission with the scores and grading status it
must get. Scores are given for the exercises that lose points; every other
exercise must get full marks.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from ..lessons.lesson01_students import VARIANTS as LESSON01_VARIANTS
from ..lessons.lesson02_students import VARIANTS as LESSON02_VARIANTS
from ..lessons.students import lesson_notebook, solution_sources, student_notebook

LESSON01, LESSON02 = "01_forward_pass", "02_loss"
NOTEBOOK = {LESSON01: "forward_pass", LESSON02: "loss"}
MAXIMUM = {
    LESSON01: {
        "dense_forward": 3,
        "relu_forward": 2,
        "sigmoid_forward": 3,
        "mlp_forward": 4,
        "q_weight_shape": 1,
        "q_param_count": 1,
        "q_linear_collapse": 1,
    },
    LESSON02: {
        "mse_loss": 2,
        "softmax": 3,
        "cross_entropy_loss": 4,
        "q_initial_loss": 1,
        "q_subtract_max": 1,
        "q_mse_vs_ce": 1,
    },
}

#: Settings of the test classes: short limits, so hostile notebooks cost seconds.
#: In lesson 01's class the notebook limit is the shorter, in lesson 02's the cell limit.
SETTINGS = {
    LESSON01: """
        c.Execute.timeout = 60
        c.GuardedExecute.notebook_timeout = 20
        c.GuardedExecute.responsive_timeout = 3
        c.GuardedExecute.max_output_bytes = 200_000
    """,
    LESSON02: """
        c.Execute.timeout = 8
        c.GuardedExecute.notebook_timeout = 120
        c.GuardedExecute.responsive_timeout = 3
    """,
}


@dataclass(frozen=True)
class Pupil:
    """A simulated submission and what grading it must give.

    Parameters
    ----------
    student : str
    content : dict or bytes
        The notebook (a dict) or the raw file.
    scores : dict
        Exercise -> expected points, for exercises that do not get full marks.
    state : str
        Expected status: "ok", "graded with problems" or "not graded".
    codes : frozenset
        Expected problem codes.
    filename : str or None
        File name, when not the lesson's notebook name.
    mistake : str or None
        A mistake title the autograded output must name.
    """

    student: str
    content: object
    scores: dict = field(default_factory=dict)
    state: str = "ok"
    codes: frozenset = frozenset()
    filename: str | None = None
    mistake: str | None = None

    def expected(self, assignment):
        """Expected ``{exercise: points}``."""
        if self.state == "not graded":
            return dict.fromkeys(MAXIMUM[assignment], 0.0)
        return {e: float(self.scores.get(e, m)) for e, m in MAXIMUM[assignment].items()}


def _variant(assignment, name):
    variants = {LESSON01: LESSON01_VARIANTS, LESSON02: LESSON02_VARIANTS}[assignment]
    return next(v for v in variants if v.student == name)


def answered(assignment, **cells):
    """The solution notebook with some solution cells written differently."""
    from ..lessons.students import Variant

    return student_notebook(assignment, Variant("custom", cells))


def with_tail(assignment, grade_id, tail):
    """The solution, with ``tail`` run after the solution of cell ``grade_id``."""
    return answered(assignment, **{grade_id: solution_sources(assignment)[grade_id] + "\n" + tail})


def _cells(notebook):
    return {c["metadata"].get("nbgrader", {}).get("grade_id"): c for c in notebook["cells"]}


def without(notebook, *grade_ids):
    """``notebook`` with the cells ``grade_ids`` deleted."""
    notebook = copy.deepcopy(notebook)
    notebook["cells"] = [
        c
        for c in notebook["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade_id") not in grade_ids
    ]
    return notebook


def vandal_code(course_dir):
    """Code that tries to overwrite other students' files and the gradebook."""
    return f"""
import glob, os
targets = glob.glob("../*") + glob.glob("../../*/*/*") + glob.glob("../../../*")
targets += glob.glob({str(course_dir)!r} + "/**/*", recursive=True)
damaged = 0
for target in targets:
    try:
        with open(target, "w") as handle:
            handle.write("vandalised")
        damaged += 1
    except OSError:
        pass
print("course folder visible:", os.environ.get("BACKPROP_COURSE_DIR"))
print("files damaged:", damaged)
"""


def lesson01_class(course_dir):
    """Lesson 01's class: 2 correct, untouched, catalog mistakes, and the hostile kinds."""
    a = LESSON01
    solution = student_notebook(a)
    edited = copy.deepcopy(solution)
    test_relu = _cells(edited)["test_relu_forward"]
    test_relu["source"] = 'print("relu_forward is perfect")\n3.0'
    test_relu["metadata"]["nbgrader"].update(points=50, locked=False)
    hang = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    flood = 'for _ in range(10**7):\n    print("flood " * 20)'
    return [
        Pupil("correct", solution),
        Pupil("untouched", lesson_notebook(a), dict.fromkeys(MAXIMUM[a], 0)),
        Pupil(
            "w_transposed",
            student_notebook(a, _variant(a, "mistake_w_transposed")),
            {"dense_forward": 0},
            mistake="W used transposed",
        ),
        Pupil(
            "sigmoid_overflow",
            student_notebook(a, _variant(a, "mistake_sigmoid_overflow")),
            {"sigmoid_forward": 2},
            mistake="exp overflow for large |Z|",
        ),
        Pupil(
            "activated_scores",
            student_notebook(a, _variant(a, "mistake_scores_activated")),
            {"mlp_forward": 1},
            mistake="activation applied after the last layer",
        ),
        Pupil(
            "wrong_answer", student_notebook(a, _variant(a, "wrong_answer")), {"q_weight_shape": 0}
        ),
        Pupil(
            "too_slow",
            with_tail(a, "q_param_count", "while True:\n    pass"),
            {"q_param_count": 0, "q_linear_collapse": 0},
            "graded with problems",
            frozenset({"cell_timeout", "notebook_timeout"}),
        ),
        Pupil(
            "deaf_to_interrupts",
            with_tail(a, "q_linear_collapse", hang),
            {"q_linear_collapse": 0},
            "graded with problems",
            frozenset({"cell_timeout", "kernel_unresponsive"}),
        ),
        Pupil(
            "memory_hog",
            with_tail(a, "relu_forward", "hog = bytearray(6 * 1024**3)"),
            {},
            "graded with problems",
            frozenset({"memory_error"}),
        ),
        Pupil(
            "kernel_exit",
            with_tail(a, "sigmoid_forward", "import os\nos._exit(1)"),
            {
                "sigmoid_forward": 0,
                "mlp_forward": 0,
                "q_weight_shape": 0,
                "q_param_count": 0,
                "q_linear_collapse": 0,
            },
            "graded with problems",
            frozenset({"kernel_died"}),
        ),
        Pupil(
            "kernel_kill",
            with_tail(a, "mlp_forward", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
            {"mlp_forward": 0, "q_weight_shape": 0, "q_param_count": 0, "q_linear_collapse": 0},
            "graded with problems",
            frozenset({"kernel_died"}),
        ),
        Pupil(
            "flood",
            with_tail(a, "q_weight_shape", flood),
            {},
            "graded with problems",
            frozenset({"output_flood"}),
        ),
        Pupil(
            "deleted_cells",
            without(solution, "setup", "dense_forward", "test_dense_forward"),
            {"dense_forward": 0},
            "graded with problems",
            frozenset({"restored_cells"}),
        ),
        Pupil(
            "edited_locked_cells",
            edited,
            {},
            "graded with problems",
            frozenset({"edited_locked_cells"}),
        ),
        Pupil("not_json", b'{"cells": [', state="not graded", codes=frozenset({"invalid_json"})),
        Pupil("empty_file", b"", state="not graded", codes=frozenset({"empty_file"})),
        Pupil(
            "no_cells",
            {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
            dict.fromkeys(MAXIMUM[a], 0),
            "graded with problems",
            frozenset({"empty_notebook", "restored_cells"}),
        ),
        Pupil(
            "wrong_name",
            solution,
            state="graded with problems",
            codes=frozenset({"wrong_name"}),
            filename="Forward Pass (1).ipynb",
        ),
        Pupil("vandal", with_tail(a, "q_weight_shape", vandal_code(course_dir))),
    ]


def corrupted(notebook, grade_id):
    """``notebook`` with the nbgrader metadata of cell ``grade_id`` made invalid."""
    notebook = copy.deepcopy(notebook)
    _cells(notebook)[grade_id]["metadata"]["nbgrader"] = "garbage"
    return notebook


def lesson02_class():
    """Lesson 02's class: correct, untouched, catalog mistakes, a cell that never ends."""
    a = LESSON02
    return [
        Pupil("correct", student_notebook(a)),
        Pupil("untouched", lesson_notebook(a), dict.fromkeys(MAXIMUM[a], 0)),
        Pupil(
            "mse_sum",
            student_notebook(a, LESSON02_VARIANTS[0]),
            {"mse_loss": 0},
            mistake="sum instead of mean",
        ),
        Pupil(
            "softmax_overflow",
            student_notebook(a, LESSON02_VARIANTS[1]),
            {"softmax": 1},
            mistake="no max-subtraction (overflow on large scores)",
        ),
        Pupil(  # the check cell fails with a NameError: its traceback quotes hidden lines
            "renamed",
            answered(a, mse_loss="def mean_squared_error(y_pred, y_true):\n    return 0.0"),
            {"mse_loss": 0},
        ),
        Pupil(  # the cell becomes a plain cell; the test cell comes back from the lesson
            "broken_metadata",
            corrupted(student_notebook(a), "test_softmax"),
            {},
            "graded with problems",
            frozenset({"invalid_metadata", "restored_cells"}),
        ),
        Pupil(  # the answer is set before the loop: it still counts
            "infinite_loop",
            with_tail(a, "q_subtract_max", "while True:\n    pass"),
            {},
            "graded with problems",
            frozenset({"cell_timeout"}),
        ),
    ]


def notebook_bytes(pupil):
    """The file content of a pupil's submission."""
    if isinstance(pupil.content, bytes):
        return pupil.content
    return json.dumps(pupil.content).encode()
