"""Hidden tests of lesson 02."""

from . import Case, Question, choice, number  # noqa: F401

CASES = {}
QUESTIONS = {}
