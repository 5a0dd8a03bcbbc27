"""Finding the course and loading its nbgrader configuration."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

__all__ = ["Course", "CourseNotFound", "find_repo", "load_course"]

CONFIG_PATH = Path("grading") / "nbgrader_config.py"


class CourseNotFound(RuntimeError):
    """No course repository (a folder with grading/nbgrader_config.py) was found."""


#: The repository this package was installed from (an editable install), if it is one.
_INSTALLED_FROM = Path(__file__).resolve().parents[2]


def find_repo(start=None):
    """The course repository: the nearest folder at or above ``start`` with the course config.

    When ``start`` is not given and the current directory is outside any
    course, the repository this package is installed from (if installed
    from a checkout) is the course, so commands work from anywhere.

    Parameters
    ----------
    start : path-like, optional
        Where to start looking; the current directory by default.

    Returns
    -------
    pathlib.Path
    """
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_PATH).is_file():
            return folder
    if start is None and (_INSTALLED_FROM / CONFIG_PATH).is_file():
        return _INSTALLED_FROM
    raise CourseNotFound(
        f"no course found at or above {here}: run this inside the course repository "
        f"(the folder with {CONFIG_PATH}) or pass --repo"
    )


@dataclass(frozen=True)
class Course:
    """A course repository and the nbgrader configuration that describes it."""

    repo: Path
    config: Config

    @property
    def root(self):
        """The course directory: submitted/, autograded/, feedback/, gradebook.db."""
        return Path(self.config.CourseDirectory.root)

    @property
    def source(self):
        """nbgrader's source directory (the repository's ``solutions/``)."""
        return Path(self.config.CourseDirectory.source_directory)

    @property
    def release(self):
        """nbgrader's release directory (the repository's ``lessons/``)."""
        return Path(self.config.CourseDirectory.release_directory)

    def assignments(self):
        """Names of the assignments in the source directory, sorted."""
        return sorted(
            p.name for p in self.source.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))
        )


def load_course(repo=None, course_dir=None, release_dir=None):
    """Load the course configuration.

    Parameters
    ----------
    repo : path-like, optional
        The course repository; found from the current directory by default.
    course_dir : path-like, optional
        Where class data lives (default ``grading/course``). An
        ``nbgrader_config.py`` there overrides the course's settings, as it
        does for nbgrader's own commands.
    release_dir : path-like, optional
        Where lessons are released (default the repository's ``lessons/``).

    Returns
    -------
    Course
    """
    repo = find_repo(repo)
    if course_dir is not None:
        # The config file reads this, and so do the kernels the grader starts.
        os.environ["BACKPROP_COURSE_DIR"] = str(Path(course_dir).resolve())
    loader = PyFileConfigLoader(CONFIG_PATH.name, path=str(repo / CONFIG_PATH.parent))
    config = loader.load_config()
    # Like nbgrader, let a course folder override the course-wide settings.
    local = Path(config.CourseDirectory.root) / CONFIG_PATH.name
    if local.is_file():
        config.merge(PyFileConfigLoader(local.name, path=str(local.parent)).load_config())
    if release_dir is not None:
        config.CourseDirectory.release_directory = str(Path(release_dir).resolve())
    return Course(repo=repo, config=config)
