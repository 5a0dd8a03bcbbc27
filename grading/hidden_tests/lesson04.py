"""Hidden tests of lesson 04."""

from . import Case, Question, choice, number  # noqa: F401

CASES = {}
QUESTIONS = {}
