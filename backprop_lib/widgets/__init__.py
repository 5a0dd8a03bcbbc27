"""Interactive pieces of the lessons: a pure model function per explorer plus a thin widget."""

from .quiz import Quiz, QuizQuestion

__all__ = ["Quiz", "QuizQuestion"]

from .lr_explorer import (  # noqa: E402
    LearningRateExplorer,
    LRTrace,
    QuadraticBowl,
    classify_regime,
    learning_rate_explorer,
    lr_descent,
    plot_lr_regimes,
)

__all__ += [
    "LearningRateExplorer",
    "LRTrace",
    "QuadraticBowl",
    "classify_regime",
    "learning_rate_explorer",
    "lr_descent",
    "plot_lr_regimes",
]
