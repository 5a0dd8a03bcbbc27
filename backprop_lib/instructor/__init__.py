"""Instructor tools: release lessons, collect, autograde, feedback, export and report.

Every step goes through nbgrader's own configuration, gradebook and
directory layout (see ``grading/nbgrader_config.py``), so nbgrader's
formgrader and command line keep working on the same course.
"""
