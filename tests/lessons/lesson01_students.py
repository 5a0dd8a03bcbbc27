"""Simulated students of lesson 01: one catalog mistake each, or a correct alternative."""

from .students import Variant

VARIANTS = [
    Variant(
        "mistake_w_transposed",
        {
            "dense_forward": """
            def dense_forward(X, W, b):
                return X @ W.T + b, (X, W, b)
        """
        },
        lose=("test_dense_forward",),
        mistake="W used transposed",
    ),
    Variant(
        "mistake_bias_forgotten",
        {
            "dense_forward": """
            def dense_forward(X, W, b):
                return X @ W, (X, W, b)
        """
        },
        lose=("test_dense_forward",),
        mistake="bias forgotten",
    ),
    Variant(
        "mistake_bias_wrong_axis",
        {
            "dense_forward": """
            def dense_forward(X, W, b):
                return X @ W + b.reshape(-1, 1), (X, W, b)
        """
        },
        lose=("test_dense_forward",),
        mistake="bias added on the wrong axis",
    ),
    Variant(
        "mistake_np_max",
        {
            "relu_forward": """
            def relu_forward(Z):
                return np.max(Z, 0), Z
        """
        },
        lose=("test_relu_forward",),
        mistake="np.max instead of np.maximum",
    ),
    Variant(
        "mistake_sigmoid_overflow",
        {
            "sigmoid_forward": """
            def sigmoid_forward(Z):
                return 1 / (1 + np.exp(-Z)), Z
        """
        },
        lose=("test_sigmoid_forward",),
        mistake="exp overflow for large |Z|",
    ),
    Variant(
        "mistake_scores_activated",
        {
            "mlp_forward": """
            def mlp_forward(X, params, activation="relu"):
                forward = {"relu": relu_forward, "sigmoid": sigmoid_forward}[activation]
                L = len(params) // 2
                A, caches = X, []
                for l in range(1, L + 1):
                    Z, dense_cache = dense_forward(A, params[f"W{l}"], params[f"b{l}"])
                    A, activation_cache = forward(Z)
                    caches.append((dense_cache, activation_cache if l < L else None))
                return A, caches
        """
        },
        lose=("test_mlp_forward",),
        mistake="activation applied after the last layer",
    ),
    Variant(
        "wrong_answer",
        {"q_weight_shape": 'q_weight_shape = "a"'},
        lose=("test_q_weight_shape",),
    ),
    Variant(
        "alternative_loops_einsum_where",
        {
            "dense_forward": """
                def dense_forward(X, W, b):
                    Z = np.einsum("nd,dm->nm", X, W)
                    for m in range(len(b)):
                        Z[:, m] += b[m]
                    return Z, (X, W, b)
            """,
            "relu_forward": """
                def relu_forward(Z):
                    return np.where(Z > 0, Z, 0.0), Z
            """,
            "sigmoid_forward": """
                def sigmoid_forward(Z):
                    Z32 = Z.astype(np.float32)
                    E = np.exp(-np.abs(Z32))
                    return np.where(Z32 >= 0, 1 / (1 + E), E / (1 + E)), Z
            """,
            "mlp_forward": """
                def mlp_forward(X, params, activation="relu"):
                    L = len([k for k in params if k[0] == "W"])
                    caches = []
                    A = X
                    for l in range(1, L + 1):
                        Z = np.dot(A, params["W%d" % l]) + params["b%d" % l]
                        dense_cache = (A, params["W%d" % l], params["b%d" % l])
                        if l == L:
                            caches.append((dense_cache, None))
                            return Z, caches
                        if activation == "relu":
                            A = Z * (Z > 0)
                        else:
                            A = 0.5 * (1 + np.tanh(Z / 2))
                        caches.append((dense_cache, Z))
            """,
            "q_weight_shape": 'q_weight_shape = " B "',
            "q_param_count": "q_param_count = 84.0",
        },
    ),
]
