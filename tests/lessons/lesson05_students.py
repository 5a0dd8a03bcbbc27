"""Simulated students of lesson 05: one named mistake each, or a correct alternative."""

from .students import Variant


def _both_inits(xavier_std, he_std, draw="std * rng.standard_normal((fan_in, fan_out))"):
    """Cells for xavier_init and he_init that make the same mistake in the same way."""
    return {
        "xavier_init": f"""
            def xavier_init(fan_in, fan_out, rng):
                std = {xavier_std}
                return {draw}
        """,
        "he_init": f"""
            def he_init(fan_in, fan_out, rng):
                std = {he_std}
                return {draw}
        """,
    }


XAVIER_STD = "np.sqrt(2.0 / (fan_in + fan_out))"
HE_STD = "np.sqrt(2.0 / fan_in)"
BOTH_INITS = ("test_xavier_init", "test_he_init")

VARIANTS = [
    # --- the catalog mistake of COURSE.md, and its two halves -------------------------------
    Variant(
        "mistake_bn_mean_var_constant",
        {
            "batchnorm_backward": """
            def batchnorm_backward(dout, cache):
                X_hat, inv_std, gamma = cache
                dX = dout * gamma * inv_std
                return dX, (dout * X_hat).sum(axis=0), dout.sum(axis=0)
        """
        },
        lose=("test_batchnorm_backward",),
        mistake="mean and variance treated as constants",
    ),
    Variant(
        "mistake_bn_variance_constant",
        {
            "batchnorm_backward": """
            def batchnorm_backward(dout, cache):
                X_hat, inv_std, gamma = cache
                dX_hat = dout * gamma
                dX = inv_std * (dX_hat - dX_hat.mean(axis=0))
                return dX, (dout * X_hat).sum(axis=0), dout.sum(axis=0)
        """
        },
        lose=("test_batchnorm_backward",),
        mistake="variance treated as a constant",
    ),
    Variant(
        "mistake_bn_dgamma_not_summed",
        {
            "batchnorm_backward": """
            def batchnorm_backward(dout, cache):
                X_hat, inv_std, gamma = cache
                dX_hat = dout * gamma
                dX = inv_std * (dX_hat - dX_hat.mean(axis=0)
                                - X_hat * (dX_hat * X_hat).mean(axis=0))
                return dX, dout * X_hat, dout.sum(axis=0)
        """
        },
        lose=("test_batchnorm_backward",),
        mistake="dgamma not summed over the batch",
    ),
    # A wrong forward also costs the backward: its check runs the student's own forward
    # to get the cache, and stops when the forward's output is wrong.
    Variant(
        "mistake_bn_unbiased_variance",
        {
            "batchnorm_forward": """
            def batchnorm_forward(X, gamma, beta, eps=1e-5):
                mean = X.mean(axis=0)
                inv_std = 1.0 / np.sqrt(X.var(axis=0, ddof=1) + eps)
                X_hat = (X - mean) * inv_std
                return gamma * X_hat + beta, (X_hat, inv_std, gamma)
        """
        },
        lose=("test_batchnorm_forward", "test_batchnorm_backward"),
    ),
    # --- initialisers: every mistake the verifiers name -------------------------------------
    Variant(
        "mistake_init_shape_transposed",
        _both_inits(XAVIER_STD, HE_STD, draw="std * rng.standard_normal((fan_out, fan_in))"),
        lose=BOTH_INITS,
        mistake="shape transposed",
    ),
    Variant(
        "mistake_init_variance_as_std",
        _both_inits("2.0 / (fan_in + fan_out)", "2.0 / fan_in"),
        lose=BOTH_INITS,
        mistake="variance used as std",
    ),
    Variant(
        "mistake_init_uniform_limit",
        _both_inits(XAVIER_STD, HE_STD, draw="rng.uniform(-std, std, (fan_in, fan_out))"),
        lose=BOTH_INITS,
        mistake="uniform limit set to the standard deviation",
    ),
    Variant(
        "mistake_init_not_centred",
        _both_inits(XAVIER_STD, HE_STD, draw="std * rng.random((fan_in, fan_out))"),
        lose=BOTH_INITS,
        mistake="weights not centred on zero",
    ),
    Variant(
        "mistake_init_global_random",
        _both_inits(XAVIER_STD, HE_STD, draw="std * np.random.randn(fan_in, fan_out)"),
        lose=BOTH_INITS,
        mistake="global np.random used instead of rng",
    ),
    Variant(
        "mistake_init_rng_ignored",
        _both_inits(
            XAVIER_STD,
            HE_STD,
            draw="std * np.random.default_rng(0).standard_normal((fan_in, fan_out))",
        ),
        lose=BOTH_INITS,
        mistake="rng argument not used",
    ),
    Variant(
        "mistake_init_wrong_fan",
        _both_inits("np.sqrt(1.0 / fan_in)", "np.sqrt(2.0 / fan_out)"),
        lose=BOTH_INITS,
        mistake="wrong fan used",
    ),
    Variant(
        "mistake_xavier_is_he",
        {
            "xavier_init": """
            def xavier_init(fan_in, fan_out, rng):
                return np.sqrt(2.0 / fan_in) * rng.standard_normal((fan_in, fan_out))
        """
        },
        lose=("test_xavier_init",),
        mistake="He formula used instead of Xavier",
    ),
    Variant(
        "mistake_he_factor_two_missing",
        {
            "he_init": """
            def he_init(fan_in, fan_out, rng):
                return np.sqrt(1.0 / fan_in) * rng.standard_normal((fan_in, fan_out))
        """
        },
        lose=("test_he_init",),
        mistake="factor 2 missing",
    ),
    Variant(
        "mistake_he_is_xavier",
        {
            "he_init": """
            def he_init(fan_in, fan_out, rng):
                return np.sqrt(2.0 / (fan_in + fan_out)) * rng.standard_normal((fan_in, fan_out))
        """
        },
        lose=("test_he_init",),
        mistake="Xavier formula used instead of He",
    ),
    # --- a wrong prediction -----------------------------------------------------------------
    Variant(
        "wrong_answer",
        {"q_sigmoid_depth": 'q_sigmoid_depth = "grow"'},
        lose=("test_q_sigmoid_depth",),
    ),
    # --- correct, written differently: full marks -------------------------------------------
    Variant(
        "alternative_uniform_loops_dict_cache",
        {
            "xavier_init": """
                def xavier_init(fan_in, fan_out, rng):
                    limit = np.sqrt(3.0) * np.sqrt(2.0 / (fan_in + fan_out))
                    return rng.uniform(-limit, limit, size=(fan_in, fan_out))
            """,
            "he_init": """
                def he_init(fan_in, fan_out, rng):
                    return rng.normal(0.0, (2.0 / fan_in) ** 0.5, size=(fan_in, fan_out))
            """,
            "batchnorm_forward": """
                def batchnorm_forward(X, gamma, beta, eps=1e-5):
                    N, D = X.shape
                    out = np.empty_like(X)
                    centred = np.empty_like(X)
                    std = np.empty(D)
                    for j in range(D):
                        column = X[:, j]
                        mu = sum(column) / N
                        centred[:, j] = column - mu
                        std[j] = np.sqrt(np.sum(centred[:, j] ** 2) / N + eps)
                        out[:, j] = gamma[j] * centred[:, j] / std[j] + beta[j]
                    return out, {"centred": centred, "std": std, "gamma": gamma, "N": N}
            """,
            "batchnorm_backward": """
                def batchnorm_backward(dout, cache):
                    # The long way round the graph, one node at a time (CS231n style).
                    centred, std, gamma, N = (cache[k] for k in ("centred", "std", "gamma", "N"))
                    inv_std = 1.0 / std
                    X_hat = centred * inv_std
                    dbeta = np.einsum("nd->d", dout)
                    dgamma = np.einsum("nd,nd->d", dout, X_hat)
                    dX_hat = dout * gamma
                    dinv_std = np.sum(dX_hat * centred, axis=0)
                    dcentred = dX_hat * inv_std
                    dvar = dinv_std * -0.5 * inv_std**3
                    dcentred = dcentred + 2.0 * centred * dvar / N
                    dmean = -np.sum(dcentred, axis=0)
                    dX = dcentred + dmean / N
                    return dX, dgamma, dbeta
            """,
            "q_sigmoid_depth": 'q_sigmoid_depth = " Shrink "',
            "q_relu_large": 'q_relu_large = "C"',
            "q_he_std": "q_he_std = 0.1",
        },
    ),
    Variant(
        "alternative_float32_inside",
        {
            "batchnorm_forward": """
                def batchnorm_forward(X, gamma, beta, eps=1e-5):
                    mean = np.mean(X, axis=0, keepdims=True)
                    std = np.sqrt(np.mean((X - mean) ** 2, axis=0, keepdims=True) + eps)
                    X_hat = (X - mean) / std
                    return X_hat * gamma + beta, {"X_hat": X_hat, "std": std, "gamma": gamma}
            """,
            "batchnorm_backward": """
                def batchnorm_backward(dout, cache):
                    X_hat = cache["X_hat"].astype(np.float32)
                    dX_hat = (dout * cache["gamma"]).astype(np.float32)
                    N = dout.shape[0]
                    dX = (N * dX_hat - dX_hat.sum(axis=0) - X_hat * np.sum(dX_hat * X_hat, axis=0))
                    dX = dX.astype(dout.dtype) / (N * cache["std"])
                    return dX, np.sum(dout * cache["X_hat"], axis=0), np.sum(dout, axis=0)
            """,
        },
    ),
]
