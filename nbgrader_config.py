# The course's nbgrader configuration lives in grading/; this file lets plain
# `nbgrader ...` commands run from the repository root use it.
load_subconfig("grading/nbgrader_config.py")  # noqa: F821
