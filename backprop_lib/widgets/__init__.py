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

from .depth_explorer import (  # noqa: E402
    DepthExplorer,
    DepthProbe,
    depth_probe,
    plot_depth_probe,
)
from .playground import (  # noqa: E402
    DEFAULT_STATE,
    Playground,
    PlaygroundModel,
    PlaygroundSnapshot,
    plot_playground,
)

__all__ += [
    "DEFAULT_STATE",
    "DepthExplorer",
    "DepthProbe",
    "depth_probe",
    "Playground",
    "PlaygroundModel",
    "PlaygroundSnapshot",
    "plot_depth_probe",
    "plot_playground",
]
