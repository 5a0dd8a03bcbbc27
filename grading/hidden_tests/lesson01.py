"""Hidden tests of lesson 01, the forward pass."""

from . import Case, Question, choice, number

CASES = {
    "dense_forward": [
        Case(1, "a small batch", dict(N=3, D=5, M=2, seed=1101)),
        Case(1, "a single sample", dict(N=1, D=7, M=4, seed=1102)),
        Case(1, "a larger batch", dict(N=33, D=9, M=6, seed=1103)),
    ],
    "relu_forward": [
        Case(1, "a (5, 3) array", dict(shape=(5, 3), seed=1201)),
        Case(1, "a (1, 9) array", dict(shape=(1, 9), seed=1202)),
    ],
    "sigmoid_forward": [
        Case(1, "moderate inputs", dict(shape=(6, 4), seed=1301, scale=3.0)),
        Case(1, "inputs of size ±1000", dict(shape=(4, 7), seed=1302, scale=1000.0)),
        Case(1, "a single row of tiny inputs", dict(shape=(1, 5), seed=1303, scale=1e-3)),
    ],
    "mlp_forward": [
        Case(
            1,
            "a ReLU network with two hidden layers",
            dict(sizes=(4, 6, 5, 3), N=7, activation="relu", seed=1401),
        ),
        Case(
            1,
            "a sigmoid network with one hidden layer",
            dict(sizes=(3, 8, 2), N=9, activation="sigmoid", seed=1402),
        ),
        Case(
            1,
            "a deeper ReLU network",
            dict(sizes=(2, 9, 7, 5, 4), N=6, activation="relu", seed=1403),
        ),
        Case(1, "a single sample", dict(sizes=(5, 4, 3), N=1, activation="relu", seed=1404)),
    ],
}

DEPENDS_ON = {"mlp_forward": ("dense_forward", "relu_forward", "sigmoid_forward")}

QUESTIONS = {
    "q_weight_shape": Question(1, choice("b"), "Revisit section 4: W maps D inputs to M units."),
    "q_param_count": Question(
        1, number(84), "Count each layer's weights (fan_in x fan_out) and biases (fan_out)."
    ),
    "q_linear_collapse": Question(
        1, choice("b"), "Multiply out the brackets: what do W1 W2 W3 and the biases combine into?"
    ),
}
