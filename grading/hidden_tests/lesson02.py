"""Hidden tests of lesson 02, the loss."""

import numpy as np

from . import Case, Question, choice, number

CASES = {
    "mse_loss": [
        Case(1, "predictions of shape (7, 3)", dict(shape=(7, 3), seed=2101)),
        Case(1, "a vector of 9 predictions", dict(shape=(9,), seed=2102)),
    ],
    "softmax": [
        Case(1, "scores of shape (5, 3)", dict(N=5, C=3, seed=2201, scale=1.0, offset=0.0)),
        Case(1, "scores near 800 (stability)", dict(N=2, C=7, seed=2202, scale=5.0, offset=800.0)),
        Case(
            1,
            "scores near -900, widely spread (stability)",
            dict(N=6, C=4, seed=2203, scale=100.0, offset=-900.0),
        ),
    ],
    "cross_entropy_loss": [
        Case(1, "6 samples, 4 classes", dict(N=6, C=4, seed=2301, scale=1.0, offset=0.0)),
        Case(1, "a single sample, 5 classes", dict(N=1, C=5, seed=2302, scale=2.0, offset=0.0)),
        Case(1, "logits near 900 (stability)", dict(N=3, C=5, seed=2303, scale=5.0, offset=900.0)),
        Case(
            1,
            "logits near -1200, widely spread (stability)",
            dict(N=7, C=3, seed=2304, scale=150.0, offset=-1200.0),
        ),
    ],
}

# A cross_entropy_loss built on the student's own softmax is graded with the
# reference softmax, so a softmax mistake costs points in exercise 2 only.
DEPENDS_ON = {"cross_entropy_loss": ("softmax",)}

QUESTIONS = {
    "q_initial_loss": Question(
        1,
        number(np.log(10), rel=2e-3),
        "Revisit section 7: with equal scores, what probability does each of 10 classes get, "
        "and what is -log of it?",
    ),
    "q_subtract_max": Question(
        1,
        choice("b"),
        "Revisit section 4: what happens to softmax when a constant is subtracted from a row, "
        "and how large can exp of a number <= 0 be?",
    ),
    "q_mse_vs_ce": Question(
        1,
        choice("c"),
        "Revisit sections 5 and 8: compare -ln p as p goes to 0 with MSE against a one-hot target.",
    ),
}
