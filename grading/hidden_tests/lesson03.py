"""Hidden tests of lesson 03."""

from . import Case, Question, choice, number  # noqa: F401

CASES = {}
QUESTIONS = {}
