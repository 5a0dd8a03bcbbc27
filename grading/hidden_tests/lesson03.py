"""Hidden tests of lesson 03, the backward pass."""

from . import Case, Question, choice, number

CASES = {
    "numerical_gradient": [
        Case(1, "a (2, 5) array with the default h", dict(shape=(2, 5), h=None, seed=3101)),
        Case(1, "a vector of 7 entries with h=1e-4", dict(shape=(7,), h=1e-4, seed=3102)),
        Case(1, "a (3, 2, 4) array with h=1e-6", dict(shape=(3, 2, 4), h=1e-6, seed=3103)),
    ],
    "dense_backward": [
        Case(1, "a batch of 5 samples, 3 features, 2 units", dict(N=5, D=3, M=2, seed=3201)),
        Case(1, "a single sample (N=1)", dict(N=1, D=4, M=7, seed=3202)),
        Case(1, "a batch of 12 samples, 6 features, 3 units", dict(N=12, D=6, M=3, seed=3203)),
        Case(1, "a layer with a single unit (M=1)", dict(N=7, D=5, M=1, seed=3204)),
    ],
    "relu_backward": [
        Case(1, "a (6, 4) array", dict(shape=(6, 4), seed=3301)),
        Case(1, "a (1, 9) array", dict(shape=(1, 9), seed=3302)),
    ],
    "sigmoid_backward": [
        Case(1, "moderate inputs of shape (5, 2)", dict(shape=(5, 2), seed=3401, scale=3.0)),
        Case(1, "inputs of size ±1000", dict(shape=(2, 7), seed=3402, scale=1000.0)),
    ],
    "mse_backward": [
        Case(1, "predictions of shape (7, 2)", dict(shape=(7, 2), seed=3501)),
        Case(1, "a vector of 9 predictions", dict(shape=(9,), seed=3502)),
    ],
    "softmax_cross_entropy_backward": [
        Case(1, "6 samples, 4 classes", dict(N=6, C=4, seed=3601, scale=1.0, offset=0.0)),
        Case(1, "a single sample, 5 classes", dict(N=1, C=5, seed=3602, scale=2.0, offset=0.0)),
        Case(
            1,
            "logits near -800 (stability)",
            dict(N=7, C=3, seed=3603, scale=20.0, offset=-800.0),
        ),
    ],
    "mlp_backward": [
        Case(
            1,
            "a ReLU network with two hidden layers",
            dict(sizes=(4, 6, 5, 3), N=7, activation="relu", seed=3701),
        ),
        Case(
            1,
            "a sigmoid network with one hidden layer",
            dict(sizes=(3, 8, 2), N=9, activation="sigmoid", seed=3702),
        ),
        Case(
            1,
            "a deeper ReLU network",
            dict(sizes=(2, 9, 7, 5, 4), N=6, activation="relu", seed=3703),
        ),
        Case(
            1,
            "a single sample through a sigmoid network",
            dict(sizes=(5, 4, 6, 3), N=1, activation="sigmoid", seed=3704),
        ),
    ],
}

DEPENDS_ON = {"mlp_backward": ("dense_backward", "relu_backward", "sigmoid_backward")}

QUESTIONS = {
    "q_planted_bug": Question(
        2,
        choice("b"),
        "Gradient-check every input of the layer (X, W, b and g), not only g: the gradients "
        "outside the band share one line, and the one inside the band does not use it.",
    ),
    "q_chain_rule": Question(
        1,
        number(6.0),
        "Go forward first (q = xy, s = q + z), then backward: df/ds = 2s, and the multiply "
        "gate hands y the upstream gradient times the other input.",
    ),
    "q_gradcheck_cost": Question(
        1,
        number(10000),
        "Count the entries of W, then the calls to f that central differences make per entry.",
    ),
    "q_kink": Question(
        1,
        choice("b"),
        "Revisit the table of bands in section 4: which harmless cause gives a suspicious error "
        "that disappears at another input?",
    ),
}
