"""Simulated students of lesson 02: one catalog mistake each, or a correct alternative."""

from .students import Variant

VARIANTS = [
    Variant(
        "mistake_mse_sum",
        {
            "mse_loss": """
            def mse_loss(y_pred, y_true):
                return float(np.sum((y_pred - y_true) ** 2))
        """
        },
        lose=("test_mse_loss",),
        mistake="sum instead of mean",
    ),
    Variant(
        "mistake_softmax_no_max",
        {
            "softmax": """
            def softmax(Z):
                E = np.exp(Z)
                return E / E.sum(axis=1, keepdims=True)
        """
        },
        lose=("test_softmax",),
        mistake="no max-subtraction (overflow on large scores)",
    ),
    Variant(
        "mistake_softmax_wrong_axis",
        {
            "softmax": """
            def softmax(Z):
                E = np.exp(Z - Z.max(axis=0, keepdims=True))
                return E / E.sum(axis=0, keepdims=True)
        """
        },
        lose=("test_softmax",),
        mistake="normalised along the wrong axis",
    ),
    Variant(
        # cross_entropy_loss calls the student's (wrong) softmax: the hidden tests
        # grade it with the reference softmax, so the mistake costs points once.
        "mistake_softmax_wrong_axis_reused",
        {
            "softmax": """
            def softmax(Z):
                E = np.exp(Z - Z.max(axis=0, keepdims=True))
                return E / E.sum(axis=0, keepdims=True)
        """,
            "cross_entropy_loss": """
            def cross_entropy_loss(logits, y):
                P = softmax(logits)
                return float(-np.mean(np.log(P[np.arange(len(y)), y])))
        """,
        },
        lose=("test_softmax",),
        mistake="normalised along the wrong axis",
    ),
    Variant(
        "mistake_ce_no_max",
        {
            "cross_entropy_loss": """
            def cross_entropy_loss(logits, y):
                N = logits.shape[0]
                log_sum_exp = np.log(np.exp(logits).sum(axis=1))
                return float(np.mean(log_sum_exp - logits[np.arange(N), y]))
        """
        },
        lose=("test_cross_entropy_loss",),
        mistake="no max-subtraction (overflow on large scores)",
    ),
    Variant(
        "mistake_ce_wrong_axis",
        {
            "cross_entropy_loss": """
            def cross_entropy_loss(logits, y):
                N = logits.shape[0]
                shifted = logits - logits.max(axis=0, keepdims=True)
                log_p = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
                return float(-np.mean(log_p[np.arange(N), y]))
        """
        },
        lose=("test_cross_entropy_loss",),
        mistake="normalised along the wrong axis",
    ),
    Variant(
        "mistake_ce_sum",
        {
            "cross_entropy_loss": """
            def cross_entropy_loss(logits, y):
                N = logits.shape[0]
                shifted = logits - logits.max(axis=1, keepdims=True)
                log_sum_exp = np.log(np.exp(shifted).sum(axis=1))
                return float(np.sum(log_sum_exp - shifted[np.arange(N), y]))
        """
        },
        lose=("test_cross_entropy_loss",),
        mistake="sum instead of mean",
    ),
    Variant(
        "wrong_answer",
        {"q_initial_loss": "q_initial_loss = 10"},
        lose=("test_q_initial_loss",),
    ),
    Variant(
        "alternative_loops_einsum_float32",
        {
            "mse_loss": """
                def mse_loss(y_pred, y_true):
                    d = (y_pred - y_true).ravel()
                    return np.dot(d, d) / d.size
            """,
            "softmax": """
                def softmax(Z):
                    P = np.empty_like(Z)
                    for i in range(Z.shape[0]):
                        e = np.exp((Z[i] - np.max(Z[i])).astype(np.float32))
                        P[i] = e / np.einsum("c->", e)
                    return P
            """,
            "cross_entropy_loss": """
                def cross_entropy_loss(logits, y):
                    N, C = logits.shape
                    onehot = np.arange(C)[None, :] == y[:, None]
                    m = logits.max(axis=1)
                    lse = m + np.log(np.sum(np.exp(logits - m[:, None]), axis=1))
                    right = np.sum(np.where(onehot, logits, 0.0), axis=1)
                    return np.mean(lse - right)
            """,
            "q_initial_loss": "q_initial_loss = 2.303",
            "q_subtract_max": 'q_subtract_max = " B "',
        },
    ),
    Variant(
        "alternative_softmax_then_log_scipy",
        {
            "mse_loss": """
                def mse_loss(y_pred, y_true):
                    total = 0.0
                    for a, b in zip(y_pred.ravel(), y_true.ravel()):
                        total += (a - b) ** 2
                    return total / y_pred.size
            """,
            "softmax": """
                from scipy.special import logsumexp

                def softmax(Z):
                    return np.exp(Z - logsumexp(Z, axis=1, keepdims=True))
            """,
            "cross_entropy_loss": """
                def cross_entropy_loss(logits, y):
                    P = softmax(logits)
                    picked = [P[i, label] for i, label in enumerate(y)]
                    return -np.mean(np.log(picked))
            """,
            "q_initial_loss": "q_initial_loss = np.log(10.0)",
            "q_mse_vs_ce": 'q_mse_vs_ce = "C"',
        },
    ),
]
