"""Hidden tests of lesson 01."""

from . import Case, Question, choice, number  # noqa: F401

CASES = {}
QUESTIONS = {}
