"""Simulated students of lesson 04: one catalog mistake each, or a correct alternative."""

from .students import Variant

VARIANTS = [
    Variant(
        "mistake_sgd_wrong_direction",
        {
            "sgd": """
            def sgd(w, dw, config=None):
                config = dict(config or {})
                config.setdefault("learning_rate", 1e-2)
                return w + config["learning_rate"] * dw, config
        """
        },
        lose=("test_sgd",),
        mistake="step in the wrong direction",
    ),
    Variant(
        "mistake_sgd_config_ignored",
        {
            "sgd": """
            def sgd(w, dw, config=None):
                return w - 1e-2 * dw, dict(config or {})
        """
        },
        lose=("test_sgd",),
        mistake="learning_rate in config ignored",
    ),
    Variant(
        "mistake_no_shuffling",
        {
            "iterate_minibatches": """
            def iterate_minibatches(X, y, batch_size, rng):
                for start in range(0, len(X), batch_size):
                    yield X[start:start + batch_size], y[start:start + batch_size]
        """
        },
        lose=("test_iterate_minibatches",),
        mistake="no shuffling",
    ),
    Variant(
        "mistake_last_batch_dropped",
        {
            "iterate_minibatches": """
            def iterate_minibatches(X, y, batch_size, rng):
                order = rng.permutation(len(X))
                for k in range(len(X) // batch_size):
                    batch = order[k * batch_size:(k + 1) * batch_size]
                    yield X[batch], y[batch]
        """
        },
        lose=("test_iterate_minibatches",),
        mistake="last partial batch dropped",
    ),
    Variant(
        "mistake_with_replacement",
        {
            "iterate_minibatches": """
            def iterate_minibatches(X, y, batch_size, rng):
                order = rng.integers(0, len(X), size=len(X))
                for start in range(0, len(X), batch_size):
                    batch = order[start:start + batch_size]
                    yield X[batch], y[batch]
        """
        },
        lose=("test_iterate_minibatches",),
        mistake="sampling with replacement",
    ),
    Variant(
        "mistake_train_in_place",
        {
            "train": """
            def train(params, X, y, X_val, y_val, config):
                activation = config.get("activation", "relu")
                rng = np.random.default_rng(config.get("seed", 0))
                history = {"train_loss": [], "val_loss": [], "val_acc": []}
                for epoch in range(config["epochs"]):
                    batch_losses = []
                    for X_batch, y_batch in iterate_minibatches(X, y, config["batch_size"], rng):
                        scores, caches = mlp_forward(X_batch, params, activation)
                        loss, dscores = softmax_cross_entropy(scores, y_batch)
                        grads = mlp_backward(dscores, caches, activation)
                        for name in params:
                            params[name] -= config["learning_rate"] * grads[name]
                        batch_losses.append(loss)
                    val_scores, _ = mlp_forward(X_val, params, activation)
                    history["train_loss"].append(float(np.mean(batch_losses)))
                    history["val_loss"].append(cross_entropy_loss(val_scores, y_val))
                    history["val_acc"].append(float(np.mean(val_scores.argmax(1) == y_val)))
                return params, history
        """
        },
        lose=("test_train",),
        mistake="params updated in place",
    ),
    Variant(
        "mistake_train_history_per_batch",
        {
            "train": """
            def train(params, X, y, X_val, y_val, config):
                activation = config.get("activation", "relu")
                rng = np.random.default_rng(config.get("seed", 0))
                params = {name: value.copy() for name, value in params.items()}
                history = {"train_loss": [], "val_loss": [], "val_acc": []}
                for epoch in range(config["epochs"]):
                    for X_batch, y_batch in iterate_minibatches(X, y, config["batch_size"], rng):
                        scores, caches = mlp_forward(X_batch, params, activation)
                        loss, dscores = softmax_cross_entropy(scores, y_batch)
                        grads = mlp_backward(dscores, caches, activation)
                        for name in params:
                            params[name], _ = sgd(params[name], grads[name], config)
                        val_scores, _ = mlp_forward(X_val, params, activation)
                        history["train_loss"].append(loss)
                        history["val_loss"].append(cross_entropy_loss(val_scores, y_val))
                        history["val_acc"].append(np.mean(val_scores.argmax(1) == y_val))
                return params, history
        """
        },
        lose=("test_train",),
        mistake="history recorded per mini-batch",
    ),
    Variant(
        "wrong_answer",
        {"q_regime": 'q_regime = "d"'},
        lose=("test_q_regime",),
    ),
    Variant(
        "alternative_loops_float32_lists",
        {
            "sgd": """
                def sgd(w, dw, config=None):
                    if config is None:
                        config = {}
                    config = {**config}
                    lr = config.get("learning_rate", 0.01)
                    config["learning_rate"] = lr
                    step = np.float32(lr) * dw.astype(np.float32)
                    return np.subtract(w, step.astype(w.dtype)), config
            """,
            "iterate_minibatches": """
                def iterate_minibatches(X, y, batch_size, rng):
                    index = np.arange(X.shape[0])
                    rng.shuffle(index)
                    batches, start = [], 0
                    while start < len(index):
                        chosen = index[start:start + batch_size]
                        batches.append((np.take(X, chosen, axis=0), np.take(y, chosen)))
                        start += batch_size
                    return batches
            """,
            "train": """
                def train(params, X, y, X_val, y_val, config):
                    from backprop_lib import softmax_cross_entropy_backward
                    act = config["activation"] if "activation" in config else "relu"
                    seed = config["seed"] if "seed" in config else 0
                    rng = np.random.default_rng(seed)
                    new = {}
                    for key in params:
                        new[key] = np.array(params[key], dtype=np.float64)
                    history = {"train_loss": [], "val_loss": [], "val_acc": []}
                    for _ in range(config["epochs"]):
                        total, count = 0.0, 0
                        for Xb, yb in iterate_minibatches(X, y, config["batch_size"], rng):
                            scores, caches = mlp_forward(Xb, new, act)
                            total += cross_entropy_loss(scores, yb) * len(yb)
                            count += len(yb)
                            dscores = softmax_cross_entropy_backward(scores, yb)
                            grads = mlp_backward(dscores, caches, act)
                            for key in sorted(grads):
                                new[key], _ = sgd(new[key], grads[key],
                                                  {"learning_rate": config["learning_rate"]})
                        val_scores = mlp_forward(X_val, new, act)[0]
                        correct = 0
                        for i in range(len(y_val)):
                            correct += int(np.argmax(val_scores[i]) == y_val[i])
                        history["train_loss"].append(total / count)
                        history["val_loss"].append(cross_entropy_loss(val_scores, y_val))
                        history["val_acc"].append(correct / len(y_val))
                    return new, history
            """,
            "q_regime": 'q_regime = " C "',
            "q_iterations": "q_iterations = 16.0",
        },
    ),
]
