"""``backprop-course``: the instructor's command line, one thin subcommand per step."""

from __future__ import annotations

import argparse
import sys
import textwrap

__all__ = ["main", "build_parser"]

WORKFLOW = """\
from a pile of submissions to grades, feedback and a class report:

  backprop-course collect 01_forward_pass ~/Downloads/submissions.zip
  backprop-course autograde 01_forward_pass
  backprop-course feedback 01_forward_pass
  backprop-course export -o grades.csv
  backprop-course report 01_forward_pass

Class data lives in grading/course/ unless you pass --course DIR (before or
after the subcommand). Run `backprop-course COMMAND --help` for details.
"""


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _course_options(parser, default):
    """--repo and --course; subcommands only override what the main parser got."""
    parser.add_argument(
        "--course",
        metavar="DIR",
        default=default,
        help="where class data lives: submitted/, autograded/, feedback/, gradebook.db "
        "(default: grading/course in the repository)",
    )
    parser.add_argument(
        "--repo",
        metavar="DIR",
        default=default,
        help="the course repository (default: found from the current directory)",
    )


def _load(args):
    from .instructor.course import load_course

    return load_course(args.repo, args.course)


def _shown(path):
    from pathlib import Path

    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _release(args):
    from .instructor.release import release

    course = _load(args)
    for path in release(course, args.assignments or None):
        shown = path.relative_to(course.repo) if path.is_relative_to(course.repo) else path
        print(f"released {shown}")
    return 0


def _collect(args):
    from .instructor.collect import collect

    course = _load(args)
    summary = collect(course, args.assignment, args.source, args.pattern, args.force)
    where = _shown(course.root / "submitted")
    print(f"collected {len(summary.students)} submissions of {args.assignment} into {where}/")
    if summary.skipped:
        print(f"skipped {len(summary.skipped)} files that matched no student:")
        for name in summary.skipped[:20]:
            print(f"  {name}")
        if len(summary.skipped) > 20:
            print(f"  ... and {len(summary.skipped) - 20} more")
    return 0 if summary.students else 1


def _autograde(args):
    from .instructor.autograde import autograde

    course = _load(args)
    summary = autograde(
        course,
        args.assignment,
        workers=args.workers,
        force=args.force,
        students=args.student,
        progress=not args.quiet,
    )
    states = {}
    for status in summary.graded:
        states.setdefault(status.state, []).append(status)
    counts = ", ".join(f"{len(v)} {k}" for k, v in states.items()) or "nothing new"
    print(
        f"autograded {len(summary.graded)} submissions of {args.assignment} in "
        f"{summary.seconds:.0f} s with {summary.workers} workers: {counts}"
    )
    if summary.skipped:
        print(f"{len(summary.skipped)} already graded (unchanged); --force grades them again")
    for status in summary.graded:
        if status.problems:
            print(f"  {status.student} ({status.state}): {status.summary()}")
    print(f"grades are in {_shown(course.root / 'gradebook.db')}; log: {_shown(summary.log_path)}")
    return 0


def _feedback(args):
    from .instructor.feedback import feedback

    course = _load(args)
    summary = feedback(course, args.assignment, args.student, progress=not args.quiet)
    pages = sum(len(p) for p in summary.pages.values())
    where = _shown(course.root / "feedback")
    print(f"wrote {pages} feedback pages for {len(summary.pages)} students into {where}/")
    if summary.failed:
        print(f"failed for {', '.join(summary.failed)}; see {_shown(summary.log_path)}")
        return 1
    return 0


def _export(args):
    from .instructor.export import export_grades

    course = _load(args)
    path, rows = export_grades(course, args.assignments, args.output or course.root / "grades.csv")
    print(f"wrote {rows} students to {_shown(path)}")
    return 0


def _report(args):
    from .instructor.report import write_report

    course = _load(args)
    path = write_report(course, args.assignment, args.output, progress=not args.quiet)
    print(f"wrote the class report to {_shown(path)}")
    return 0


def _command(commands, name, summary, description, run, course_default):
    parser = commands.add_parser(
        name,
        help=summary,
        description=textwrap.dedent(description),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _course_options(parser, course_default)
    parser.set_defaults(run=run)
    return parser


def build_parser():
    """The argument parser of ``backprop-course`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="backprop-course",
        description="Run the backpropagation course: release lessons and grade a class.",
        epilog=WORKFLOW,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _course_options(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    keep = argparse.SUPPRESS  # a subcommand's --course only overrides one given there

    release = _command(
        commands,
        "release",
        "regenerate lessons/ from solutions/",
        """\
        Regenerate the student notebooks in lessons/ from the nbgrader source
        notebooks in solutions/: solutions become stubs, hidden tests are removed.

        example: backprop-course release 01_forward_pass""",
        _release,
        keep,
    )
    release.add_argument("assignments", nargs="*", help="assignments to release (default: all)")

    collect = _command(
        commands,
        "collect",
        "gather submissions from a folder or an LMS zip",
        """\
        Copy the submissions of ASSIGNMENT found in SOURCE (a folder, or a zip
        downloaded from your LMS) to COURSE/submitted/<student>/ASSIGNMENT/,
        with nbgrader's zip_collect. Student ids are read from the file names:

          alice.ipynb, alice_forward_pass.ipynb     the name up to the first "_"
          smithjo_late_1234_5678_anything.ipynb      (Canvas zips work as they are)
          alice/forward_pass.ipynb                  a folder per student (Moodle)

        A notebook with another name is stored under the lesson's notebook name.
        Other layouts: give --pattern, a regular expression matched against each
        file's full path, with a group named student_id, e.g.
          --pattern '.*/(?P<student_id>[a-z0-9]+)-hw1\\.ipynb$'

        examples:
          backprop-course collect 01_forward_pass ~/Downloads/submissions.zip
          backprop-course collect 01_forward_pass handed_in/ --force""",
        _collect,
        keep,
    )
    collect.add_argument("assignment", help="the assignment, e.g. 01_forward_pass")
    collect.add_argument("source", help="a folder of submissions, or a zip file of them")
    collect.add_argument("--pattern", help="regular expression with a student_id group")
    collect.add_argument(
        "--force", action="store_true", help="replace students' existing submissions"
    )

    autograde = _command(
        commands,
        "autograde",
        "grade every submission of an assignment, in parallel",
        """\
        Run every submission of ASSIGNMENT (in COURSE/submitted/) with the hidden
        tests and record the scores in the gradebook: nbgrader's autograde, with
        one worker process per core. Each notebook runs in its own kernel and
        temporary folder, with time, memory and output limits; a notebook that
        hangs, crashes its kernel or is not a notebook at all is graded as far
        as possible and reported, and the batch goes on.

        Submissions already graded are skipped unless they changed, so if the
        batch is interrupted, run the same command again to finish it.

        examples:
          backprop-course autograde 01_forward_pass
          backprop-course autograde 01_forward_pass --workers 2
          backprop-course autograde 01_forward_pass --student alice --force""",
        _autograde,
        keep,
    )
    autograde.add_argument("assignment", help="the assignment, e.g. 01_forward_pass")
    autograde.add_argument(
        "--workers", type=_positive, metavar="N", help="worker processes (default: one per core)"
    )
    autograde.add_argument("--force", action="store_true", help="grade graded submissions again")
    autograde.add_argument(
        "--student", action="append", metavar="ID", help="only this student (repeatable)"
    )
    autograde.add_argument("--quiet", action="store_true", help="no progress bar")

    feedback = _command(
        commands,
        "feedback",
        "write an HTML feedback page per student",
        """\
        Write COURSE/feedback/<student>/ASSIGNMENT/<notebook>.html for every
        autograded student: their notebook with outputs, the score of every
        test and the mistakes the checks recognised. Hidden-test code never
        appears. Students whose notebook could not run get a page saying why.

        example: backprop-course feedback 01_forward_pass""",
        _feedback,
        keep,
    )
    feedback.add_argument("assignment", help="the assignment, e.g. 01_forward_pass")
    feedback.add_argument(
        "--student", action="append", metavar="ID", help="only this student (repeatable)"
    )
    feedback.add_argument("--quiet", action="store_true", help="no progress bar")

    export = _command(
        commands,
        "export",
        "write grades to a CSV file",
        """\
        Write a CSV file with one row per student: one column per exercise,
        the total, and a status column noting submissions the grader had
        trouble with.

        examples:
          backprop-course export
          backprop-course export 01_forward_pass -o lesson01.csv""",
        _export,
        keep,
    )
    export.add_argument("assignments", nargs="*", help="assignments to export (default: all)")
    export.add_argument("-o", "--output", help="CSV file to write (default: COURSE/grades.csv)")

    report = _command(
        commands,
        "report",
        "write a one-page HTML class report",
        """\
        Write one self-contained HTML page about ASSIGNMENT: the distribution
        of scores, the success rate of each exercise, the mistakes the checks
        named most often, and the submissions the grader had trouble with.

        example: backprop-course report 01_forward_pass -o report.html""",
        _report,
        keep,
    )
    report.add_argument("assignment", help="the assignment, e.g. 01_forward_pass")
    report.add_argument(
        "-o", "--output", help="HTML file to write (default: COURSE/reports/ASSIGNMENT.html)"
    )
    report.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv=None):
    """Entry point of the ``backprop-course`` command."""
    args = build_parser().parse_args(argv)
    from .instructor.errors import USER_ERRORS

    try:
        return args.run(args)
    except USER_ERRORS as error:
        print(f"backprop-course: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "\nbackprop-course: interrupted. Finished work is kept; "
            "run the same command again to complete it.",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
