"""The class report: one self-contained HTML page per assignment.

Scores come from the gradebook, named mistakes from the autograded
notebooks, problems from the grading status. Plots are embedded as PNG
images, styles inline: the page can be mailed or put on a course site as is.
"""

from __future__ import annotations

import base64
import datetime
import html
import io
import statistics
from pathlib import Path

from .gradebook import GradebookError, open_gradebook
from .mistakes import count_mistakes
from .progress import progress_bar
from .report_plots import exercise_success, frequent_mistakes, score_distribution
from .scores import score_table
from .status import NOT_GRADED, OK, PROBLEMS, StatusBook

__all__ = ["write_report", "default_report_path", "TOP_MISTAKES"]

#: How many mistakes the plot shows.
TOP_MISTAKES = 12

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 58em; margin: 2em auto; color: #222;
       padding: 0 1em; line-height: 1.45 }
h1 { font-size: 1.6em } h2 { font-size: 1.2em; margin-top: 2em }
table { border-collapse: collapse; margin: 0.5em 0 } td, th { padding: 0.25em 0.7em;
        border-bottom: 1px solid #ddd; text-align: left } td.n, th.n { text-align: right }
.facts span { display: inline-block; margin-right: 2em } .facts b { font-size: 1.3em }
img { max-width: 100% } .muted { color: #777 }
"""


def default_report_path(course, assignment):
    """Where ``report`` writes when not told: ``COURSE/reports/<assignment>.html``."""
    return course.root / "reports" / f"{assignment}.html"


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="" src="data:image/png;base64,{data}">'


def _table(header, rows, numeric=()):
    def cell(tag, i, value):
        kind = ' class="n"' if i in numeric else ""
        return f"<{tag}{kind}>{html.escape(str(value))}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _facts(table, book, totals):
    states = [book.get(s).state if book.get(s) else OK for s in table.scores]
    facts = [
        ("submissions", len(table.scores)),
        ("mean", f"{statistics.mean(totals):.1f} / {table.total_maximum:g}"),
        ("median", f"{statistics.median(totals):g}"),
        ("with problems", states.count(PROBLEMS)),
        ("not graded", states.count(NOT_GRADED)),
    ]
    items = "".join(
        f"<span>{html.escape(k)}<br><b>{html.escape(str(v))}</b></span>" for k, v in facts
    )
    return f'<p class="facts">{items}</p>'


def _success_rates(table):
    """Exercises, the share of students with full marks, and the mean share of points."""
    rows = list(table.scores.values())
    full = [sum(row[e] >= table.maximum[e] for row in rows) / len(rows) for e in table.exercises]
    mean = [
        statistics.mean(row[e] for row in rows) / table.maximum[e] if table.maximum[e] else 0.0
        for e in table.exercises
    ]
    return table.exercises, full, mean


def _mistake_section(counts, who, students):
    if not counts:
        return '<p class="muted">No check named a mistake.</p>'
    top = counts.most_common(TOP_MISTAKES)
    labels = [f"{exercise}: {title}" for (exercise, title), _ in top]
    figure = _png(frequent_mistakes(labels, [n for _, n in top], students))
    rows = [
        (exercise, title, n, ", ".join(who[(exercise, title)]))
        for (exercise, title), n in counts.most_common()
    ]
    return figure + _table(["exercise", "mistake", "students", "who"], rows, numeric={2})


def _problem_section(book, students):
    rows = [
        (s, book.get(s).state, book.get(s).summary())
        for s in students
        if book.get(s) is not None and book.get(s).problems
    ]
    if not rows:
        return '<p class="muted">Every submission ran normally.</p>'
    return _table(["student", "state", "what happened"], rows)


def write_report(course, assignment, output=None, progress=True):
    """Write the class report of ``assignment``; return its path.

    ``progress`` shows a progress bar (one step per student read, one per plot).

    Raises
    ------
    GradebookError
        If ``assignment`` has no graded submissions.
    """
    with open_gradebook(course) as gradebook:
        if assignment not in [a.name for a in gradebook.assignments]:
            raise GradebookError(f"no grades for {assignment} in {course.root}: autograde it first")
        table = score_table(gradebook, assignment, course.source)
    if not table.scores:
        raise GradebookError(f"no graded submissions of {assignment} yet: autograde it first")
    book = StatusBook(course.root, assignment)
    students = sorted(table.scores)
    totals = [table.total(s) for s in students]
    with progress_bar(len(students) + 3, f"report {assignment}", progress, "step") as bar:
        counts, who = count_mistakes(
            course.root / "autograded", assignment, table.exercises, students, bar.update
        )
        distribution = _png(score_distribution(totals, table.total_maximum))
        bar.update(1)
        success = _png(exercise_success(*_success_rates(table)))
        bar.update(1)
        mistakes = _mistake_section(counts, who, len(students))
        bar.update(1)
    score_rows = [
        [s, *(f"{table.scores[s][e]:g}" for e in table.exercises), f"{table.total(s):g}"]
        for s in students
    ]
    numeric = set(range(1, len(table.exercises) + 2))
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(assignment)}: class report</title><style>{_STYLE}</style></head>
<body>
<h1>{html.escape(assignment)}: class report</h1>
<p class="muted">Generated {when} from {html.escape(str(course.root))}.</p>
{_facts(table, book, totals)}
<h2>Score distribution</h2>
{distribution}
<h2>Success rate per exercise</h2>
{success}
<h2>Most frequent named mistakes</h2>
{mistakes}
<h2>Submissions the grader had trouble with</h2>
{_problem_section(book, students)}
<h2>Scores</h2>
<details><summary>Every student, every exercise</summary>
{_table(["student", *table.exercises, "total"], score_rows, numeric)}
</details>
</body></html>
"""
    path = Path(output) if output else default_report_path(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
