"""Hidden tests of lesson 04, gradient descent."""

from . import Case, Question, choice, number

CASES = {
    "sgd": [
        Case(
            1,
            "a (4, 7) array with learning_rate 0.05",
            dict(shape=(4, 7), seed=4101, learning_rate=0.05),
        ),
        Case(1, "a vector of 6 with config=None", dict(shape=(6,), seed=4102, learning_rate=None)),
    ],
    "iterate_minibatches": [
        Case(1, "37 samples in batches of 8", dict(N=37, D=3, batch_size=8, seed=4201)),
        Case(
            1, "30 samples in batches of 6 (no remainder)", dict(N=30, D=5, batch_size=6, seed=4202)
        ),
        Case(1, "11 samples in batches of 4", dict(N=11, D=2, batch_size=4, seed=4203)),
    ],
    "train": [
        Case(
            1,
            "full-batch steps with the default activation and seed",
            dict(
                N=21,
                N_val=11,
                D=3,
                C=2,
                hidden=(7,),
                learning_rate=0.4,
                epochs=4,
                batch_size=25,
                seed=None,
                activation=None,
                data_seed=4301,
            ),
        ),
        Case(
            1,
            "a two-hidden-layer sigmoid network with batch_size = N",
            dict(
                N=18,
                N_val=6,
                D=5,
                C=3,
                hidden=(6, 4),
                learning_rate=0.25,
                epochs=3,
                batch_size=18,
                seed=2,
                activation="sigmoid",
                data_seed=4302,
            ),
        ),
        Case(
            1,
            "mini-batches of 7 with a tiny learning rate",
            dict(
                N=28,
                N_val=10,
                D=3,
                C=4,
                hidden=(5,),
                learning_rate=1e-4,
                epochs=2,
                batch_size=7,
                seed=4,
                activation="relu",
                data_seed=4303,
            ),
        ),
        Case(
            1,
            "mini-batches of 8 with a last partial batch",
            dict(
                N=27,
                N_val=9,
                D=4,
                C=3,
                hidden=(6,),
                learning_rate=0.1,
                epochs=3,
                batch_size=8,
                seed=7,
                activation="relu",
                data_seed=4304,
            ),
        ),
    ],
}

DEPENDS_ON = {"train": ("sgd", "iterate_minibatches")}

QUESTIONS = {
    "q_regime": Question(
        1,
        choice("c"),
        "Work out the factor 1 - learning_rate x curvature from section 3 and read off the regime.",
    ),
    "q_iterations": Question(
        1,
        number(16),
        "One iteration per mini-batch; count the batches, including the last partial one.",
    ),
    "q_overfitting": Question(
        1,
        choice("b"),
        "Revisit section 8: which curve shows how the network does on data it never trained on?",
    ),
}
