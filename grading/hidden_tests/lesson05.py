"""Hidden tests of lesson 05, deep networks: initialisers, batch norm, four predictions."""

from . import Case, Question, choice, number

CASES = {
    "xavier_init": [
        Case(1, "a wide 400 x 120 layer", dict(fan_in=400, fan_out=120, seed=5101)),
        Case(1, "a narrow 90 x 700 layer", dict(fan_in=90, fan_out=700, seed=5102)),
    ],
    "he_init": [
        Case(1, "a 600 x 90 layer", dict(fan_in=600, fan_out=90, seed=5201)),
        Case(1, "a 128 x 300 layer", dict(fan_in=128, fan_out=300, seed=5202)),
    ],
    "batchnorm_forward": [
        Case(1, "7 samples, 3 features, default eps", dict(N=7, D=3, seed=5301, eps=None)),
        Case(1, "12 samples, 5 features, eps=0.01", dict(N=12, D=5, seed=5302, eps=0.01)),
        Case(1, "a batch of 2 samples, 6 features", dict(N=2, D=6, seed=5303, eps=None)),
    ],
    "batchnorm_backward": [
        Case(1, "8 samples, 3 features", dict(N=8, D=3, seed=5401)),
        Case(1, "3 samples, 9 features", dict(N=3, D=9, seed=5402)),
        Case(1, "16 samples, 5 features", dict(N=16, D=5, seed=5403)),
        Case(1, "a batch of 2 samples, 4 features", dict(N=2, D=4, seed=5404)),
    ],
}

QUESTIONS = {
    "q_sigmoid_depth": Question(
        1,
        choice("shrink"),
        "Multiply the sigmoid's largest slope by the weights' scale: is one hand-over above or "
        "below 1? The depth_probe run under the question shows the answer.",
    ),
    "q_relu_large": Question(
        1,
        choice("c"),
        "Section 3: with std-1 weights each ReLU layer scales the signal by about "
        "1 * sqrt(64 / 2); what do 20 such factors make?",
    ),
    "q_relu_he_depth": Question(
        1,
        choice("stay"),
        "He's std is chosen so that one ReLU layer keeps the variance: what is a product of "
        "factors close to 1? Try it in the depth explorer.",
    ),
    "q_he_std": Question(
        1,
        number(0.1),
        "He initialisation counts only the inputs: sqrt(2 / fan_in).",
    ),
}
