"""Simulated students of lesson 03: one catalog mistake each, or a correct alternative."""

from .students import Variant


def _mistake(student, grade_id, source, mistake):
    """A student who gets every cell right except ``grade_id``, which shows ``mistake``."""
    return Variant(student, {grade_id: source}, lose=(f"test_{grade_id}",), mistake=mistake)


VARIANTS = [
    # -- numerical_gradient ------------------------------------------------------------------
    _mistake(
        "mistake_x_not_restored",
        "numerical_gradient",
        """
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + h
                f_plus = f(x)
                x[i] = old - h
                grad[i] = (f_plus - f(x)) / (2 * h)
            return grad
        """,
        "x not restored",
    ),
    _mistake(
        "mistake_one_sided",
        "numerical_gradient",
        """
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros(x.shape)
            base = f(x)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + h
                grad[i] = (f(x) - base) / h
                x[i] = old
            return grad
        """,
        "one-sided difference",
    ),
    _mistake(
        "mistake_denominator_h",
        "numerical_gradient",
        """
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + h
                f_plus = f(x)
                x[i] = old - h
                f_minus = f(x)
                x[i] = old
                grad[i] = (f_plus - f_minus) / h
            return grad
        """,
        "wrong denominator (h instead of 2h)",
    ),
    _mistake(
        "mistake_denominator_precedence",
        "numerical_gradient",
        """
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + h
                f_plus = f(x)
                x[i] = old - h
                f_minus = f(x)
                x[i] = old
                grad[i] = (f_plus - f_minus) / 2 * h
            return grad
        """,
        "wrong denominator",
    ),
    # -- dense_backward ----------------------------------------------------------------------
    _mistake(
        "mistake_dw_transposed",
        "dense_backward",
        """
        def dense_backward(dZ, cache):
            X, W, b = cache
            return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)
        """,
        "dW transposed",
    ),
    _mistake(
        "mistake_db_not_summed",
        "dense_backward",
        """
        def dense_backward(dZ, cache):
            X, W, b = cache
            return dZ @ W.T, X.T @ dZ, dZ
        """,
        "db not summed over the batch",
    ),
    _mistake(
        "mistake_db_wrong_axis",
        "dense_backward",
        """
        def dense_backward(dZ, cache):
            X, W, b = cache
            return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)
        """,
        "db summed over the wrong axis",
    ),
    _mistake(
        "mistake_dx_with_w",
        "dense_backward",
        """
        def dense_backward(dZ, cache):
            X, W, b = cache
            return dZ @ W, X.T @ dZ, dZ.sum(axis=0)
        """,
        "dX computed with W instead of W.T",
    ),
    # -- relu_backward and sigmoid_backward ----------------------------------------------------
    _mistake(
        "mistake_relu_mask_from_da",
        "relu_backward",
        """
        def relu_backward(dA, cache):
            return dA * (dA > 0)
        """,
        "mask taken from dA instead of the forward input",
    ),
    _mistake(
        "mistake_relu_in_place",
        "relu_backward",
        """
        def relu_backward(dA, cache):
            dZ = dA
            dZ[cache <= 0] = 0
            return dZ
        """,
        "input mutated in place",
    ),
    _mistake(
        "mistake_sigmoid_from_z",
        "sigmoid_backward",
        """
        def sigmoid_backward(dA, cache):
            Z = cache
            return dA * Z * (1 - Z)
        """,
        "derivative computed from Z instead of sigmoid(Z)",
    ),
    # -- the losses ----------------------------------------------------------------------------
    _mistake(
        "mistake_mse_no_factor_2",
        "mse_backward",
        """
        def mse_backward(y_pred, y_true):
            return (y_pred - y_true) / y_pred.size
        """,
        "missing factor 2",
    ),
    _mistake(
        "mistake_mse_no_division",
        "mse_backward",
        """
        def mse_backward(y_pred, y_true):
            return 2 * (y_pred - y_true)
        """,
        "missing division by the number of entries",
    ),
    _mistake(
        "mistake_mse_sign",
        "mse_backward",
        """
        def mse_backward(y_pred, y_true):
            return 2 * (y_true - y_pred) / y_pred.size
        """,
        "sign flipped",
    ),
    _mistake(
        "mistake_ce_no_1_over_n",
        "softmax_cross_entropy_backward",
        """
        def softmax_cross_entropy_backward(logits, y):
            P = softmax(logits)
            P[np.arange(len(y)), y] -= 1
            return P
        """,
        "missing 1/N",
    ),
    _mistake(
        "mistake_ce_no_onehot",
        "softmax_cross_entropy_backward",
        """
        def softmax_cross_entropy_backward(logits, y):
            return softmax(logits) / logits.shape[0]
        """,
        "one-hot not subtracted",
    ),
    _mistake(
        "mistake_ce_sign",
        "softmax_cross_entropy_backward",
        """
        def softmax_cross_entropy_backward(logits, y):
            P = softmax(logits)
            P[np.arange(len(y)), y] -= 1
            return -P / len(y)
        """,
        "sign flipped",
    ),
    # -- mlp_backward --------------------------------------------------------------------------
    _mistake(
        "mistake_mlp_activation_ignored",
        "mlp_backward",
        """
        def mlp_backward(dscores, caches, activation="relu"):
            grads = {}
            dA = dscores
            for l in range(len(caches), 0, -1):
                dense_cache, activation_cache = caches[l - 1]
                dZ = dA if activation_cache is None else relu_backward(dA, activation_cache)
                dA, grads[f"W{l}"], grads[f"b{l}"] = dense_backward(dZ, dense_cache)
            return grads
        """,
        "activation argument ignored",
    ),
    # -- a mistake in a function mlp_backward calls costs points there only --------------------
    Variant(
        "mistake_dense_backward_used_by_mlp",
        {
            "dense_backward": """
            def dense_backward(dZ, cache):
                X, W, b = cache
                return dZ @ W.T, X.T @ dZ / len(dZ), dZ.sum(axis=0)
            """
        },
        lose=("test_dense_backward",),
        mistake="dW divided by N",
    ),
    # -- conceptual answers ----------------------------------------------------------------------
    Variant(
        "wrong_answers",
        {
            "q_planted_bug": 'q_planted_bug = "e"',
            "q_gradcheck_cost": "q_gradcheck_cost = 5000",
        },
        lose=("test_q_planted_bug", "test_q_gradcheck_cost"),
    ),
    # -- correct solutions written differently: full marks -----------------------------------
    Variant(
        "alternative_copies_einsum_where",
        {
            "numerical_gradient": """
                def numerical_gradient(f, x, h=1e-5):
                    grad = np.zeros_like(x, dtype=np.float64)
                    flat = grad.reshape(-1)
                    for k in range(x.size):
                        step = np.zeros(x.size)
                        step[k] = h
                        step = step.reshape(x.shape)
                        flat[k] = (f(x + step) - f(x - step)) / (2.0 * h)
                    return grad
            """,
            "dense_backward": """
                def dense_backward(dZ, cache):
                    X, W, _ = cache
                    dX = np.einsum("nm,dm->nd", dZ, W)
                    dW = np.einsum("nd,nm->dm", X, dZ)
                    db = np.einsum("nm->m", dZ)
                    return dX, dW, db
            """,
            "relu_backward": """
                def relu_backward(dA, cache):
                    return np.where(cache > 0, dA, 0.0)
            """,
            "sigmoid_backward": """
                def sigmoid_backward(dA, cache):
                    s = (0.5 * (1 + np.tanh(cache.astype(np.float32) / 2))).astype(np.float64)
                    return dA * s * (1 - s)
            """,
            "mse_backward": """
                def mse_backward(y_pred, y_true):
                    n_entries = np.prod(y_pred.shape)
                    return np.subtract(y_pred, y_true) * (2.0 / n_entries)
            """,
            "softmax_cross_entropy_backward": """
                def softmax_cross_entropy_backward(logits, y):
                    shifted = logits - logits.max(axis=1, keepdims=True)
                    E = np.exp(shifted)
                    P = E / E.sum(axis=1, keepdims=True)
                    onehot = np.eye(logits.shape[1])[y]
                    return (P - onehot) / len(logits)
            """,
            "mlp_backward": """
                def mlp_backward(dscores, caches, activation="relu"):
                    grads = {}
                    upstream = dscores
                    l = len(caches)
                    for dense_cache, activation_cache in reversed(caches):
                        if activation_cache is not None:
                            if activation == "sigmoid":
                                upstream = sigmoid_backward(upstream, activation_cache)
                            else:
                                upstream = relu_backward(upstream, activation_cache)
                        upstream, dW, db = dense_backward(upstream, dense_cache)
                        grads["W%d" % l] = dW
                        grads["b%d" % l] = db
                        l -= 1
                    return grads
            """,
            "q_planted_bug": 'q_planted_bug = " B "',
            "q_chain_rule": "q_chain_rule = 6",
            "q_gradcheck_cost": "q_gradcheck_cost = 1e4",
            "q_kink": 'q_kink = "B"',
        },
    ),
    Variant(
        "alternative_loops_and_copies",
        {
            "numerical_gradient": """
                def numerical_gradient(f, x, h=1e-5):
                    grad = np.zeros(x.shape)
                    it = np.nditer(x, flags=["multi_index"])
                    for _ in it:
                        i = it.multi_index
                        x_plus, x_minus = x.copy(), x.copy()
                        x_plus[i] += h
                        x_minus[i] -= h
                        grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)
                    return grad
            """,
            "dense_backward": """
                def dense_backward(dZ, cache):
                    X, W, b = cache
                    N, D = X.shape
                    M = W.shape[1]
                    dX, dW, db = np.zeros((N, D)), np.zeros((D, M)), np.zeros(M)
                    for n in range(N):
                        dX[n] = np.dot(W, dZ[n])
                        dW += np.outer(X[n], dZ[n])
                        db += dZ[n]
                    return dX, dW, db
            """,
            "relu_backward": """
                def relu_backward(dA, cache):
                    dZ = dA.copy()
                    dZ[cache <= 0] = 0
                    return dZ
            """,
            "sigmoid_backward": """
                def sigmoid_backward(dA, cache):
                    s = sigmoid(cache)
                    return dA * (s - s ** 2)
            """,
            "softmax_cross_entropy_backward": """
                def softmax_cross_entropy_backward(logits, y):
                    N = logits.shape[0]
                    grad = softmax(logits)
                    for i in range(N):
                        grad[i, y[i]] = grad[i, y[i]] - 1.0
                    return grad / N
            """,
        },
    ),
]
