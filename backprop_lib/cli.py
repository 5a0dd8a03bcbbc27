"""``backprop-course``: the instructor's command line, one thin subcommand per step."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main", "build_parser"]


def _add_course_options(parser):
    parser.add_argument(
        "--repo", help="the course repository (default: found from the current directory)"
    )
    parser.add_argument(
        "--course",
        metavar="DIR",
        help="where class data lives: submitted/, autograded/, feedback/, gradebook.db "
        "(default: grading/course in the repository)",
    )


def _release(args):
    from .instructor.course import load_course
    from .instructor.release import release

    course = load_course(args.repo, args.course)
    for path in release(course, args.assignments or None):
        shown = path.relative_to(course.repo) if path.is_relative_to(course.repo) else path
        print(f"released {shown}")
    return 0


def build_parser():
    """The argument parser of ``backprop-course`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="backprop-course",
        description="Run the backpropagation course: release lessons and grade a class.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    release = commands.add_parser(
        "release",
        help="regenerate lessons/ from solutions/",
        description="Regenerate the student notebooks in lessons/ from the nbgrader source "
        "notebooks in solutions/: solutions become stubs, hidden tests are removed.",
    )
    release.add_argument("assignments", nargs="*", help="assignments to release (default: all)")
    _add_course_options(release)
    release.set_defaults(run=_release)
    return parser


def main(argv=None):
    """Entry point of the ``backprop-course`` command."""
    args = build_parser().parse_args(argv)
    from .instructor.course import CourseNotFound
    from .instructor.release import ReleaseError

    try:
        return args.run(args)
    except (CourseNotFound, ReleaseError) as error:
        print(f"backprop-course: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
