"""Interactive pieces of the lessons: a pure model function per explorer plus a thin widget."""

from .quiz import Quiz, QuizQuestion

__all__ = ["Quiz", "QuizQuestion"]
