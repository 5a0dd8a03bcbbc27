"""Time one SGD training step of backprop_lib against PyTorch on the CPU.

One step is forward, softmax cross-entropy, backward and the SGD update of
every parameter, on a ReLU MLP in float32. For each shape it prints the
median time of ``FastMLP.sgd_step``, of the readable reference path
(``mlp_forward``, ``softmax_cross_entropy``, ``mlp_backward``, ``sgd``, also
in float32) and of the usual PyTorch step (``zero_grad``, ``cross_entropy``,
``backward``, ``optimizer.step``), and the ratio fast / PyTorch.

PyTorch is given as many threads as NumPy's BLAS uses, so both sides run
their matrix products on the same number of cores.

Run with ``python benchmarks/train_step.py``.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info

from backprop_lib import init_mlp, mlp_backward, mlp_forward, sgd, softmax_cross_entropy
from backprop_lib.fast import FastMLP

#: (layer sizes, batch size) of every benchmarked MLP.
SHAPES = [
    ([2, 16, 16, 2], 200),
    ([2, 64, 64, 2], 1000),
    ([64, 128, 128, 10], 256),
    ([784, 256, 256, 10], 128),
]
LEARNING_RATE = 0.01
DTYPE = np.float32
ROUNDS = 3
BLOCK_SECONDS = 0.25
SETTLE_SECONDS = 0.2
WARMUP_CALLS = 3


def numpy_blas_threads():
    """Threads NumPy's BLAS uses (1 if threadpoolctl finds no BLAS)."""
    blas = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return max(blas, default=1)


def median_seconds(steps, rounds=ROUNDS, block_seconds=BLOCK_SECONDS):
    """Median wall time of one call of each step, over alternating blocks.

    Each round times every step for ``block_seconds`` in turn, so a burst
    of load from other processes is unlikely to hit only one contender.
    Between blocks the measurement sleeps for ``SETTLE_SECONDS``, because
    both OpenBLAS and OpenMP keep their worker threads spinning for a while
    after a parallel call, and those threads would otherwise take the cores
    from the next contender. The first calls of every block are warm-up.

    Parameters
    ----------
    steps : dict of str to callable
        Zero-argument functions that each perform one training step.
    rounds : int
    block_seconds : float

    Returns
    -------
    dict of str to float
        Median seconds per call, by the keys of ``steps``.
    """
    times = {name: [] for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            time.sleep(SETTLE_SECONDS)
            for _ in range(WARMUP_CALLS):
                step()
            deadline = time.perf_counter() + block_seconds
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                step()
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(samples) for name, samples in times.items()}


def problem(layer_sizes, batch_size, seed=0):
    """Random float32 params, inputs and labels for one shape."""
    rng = np.random.default_rng(seed)
    params = {name: value.astype(DTYPE) for name, value in init_mlp(layer_sizes, rng).items()}
    X = rng.standard_normal((batch_size, layer_sizes[0])).astype(DTYPE)
    y = rng.integers(0, layer_sizes[-1], size=batch_size)
    return params, X, y


def fast_step(params, X, y):
    """``FastMLP.sgd_step`` on its own copy of ``params``."""
    model = FastMLP(params, dtype=DTYPE)
    return lambda: model.sgd_step(X, y, LEARNING_RATE)


def reference_step(params, X, y):
    """The readable path: mlp_forward, softmax_cross_entropy, mlp_backward, sgd."""
    state = dict(params)
    config = {"learning_rate": LEARNING_RATE}

    def step():
        scores, caches = mlp_forward(X, state)
        _, dscores = softmax_cross_entropy(scores, y)
        grads = mlp_backward(dscores, caches)
        for name, grad in grads.items():
            state[name], _ = sgd(state[name], grad, config)

    return step


def torch_step(torch, params, X, y):
    """The everyday PyTorch step on an ``nn.Sequential`` holding the same weights."""
    layers = []
    n_layers = len(params) // 2
    for layer in range(1, n_layers + 1):
        W = params[f"W{layer}"]
        linear = torch.nn.Linear(*W.shape)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T.copy()))
            linear.bias.copy_(torch.from_numpy(params[f"b{layer}"]))
        layers.append(linear)
        if layer < n_layers:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    inputs, labels = torch.from_numpy(X), torch.from_numpy(y)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(inputs), labels)
        loss.backward()
        optimizer.step()

    return step


def main():
    """Print one row per shape: median microseconds per step and fast / PyTorch."""
    try:
        import torch
    except ImportError:
        print("train_step benchmark skipped: PyTorch is not installed")
        return 0
    threads = numpy_blas_threads()
    torch.set_num_threads(threads)
    print(
        f"one SGD step, ReLU MLP, {np.dtype(DTYPE).name}; median microseconds per step; "
        f"NumPy BLAS and torch both on {threads} thread(s); torch {torch.__version__}, "
        f"numpy {np.__version__}"
    )
    columns = ("layer sizes", 20), ("N", 5), ("fast", 9), ("reference", 10), ("torch", 9)
    header = " ".join(f"{name:>{width}}" for name, width in columns) + f" {'fast/torch':>11}"
    print(header)
    print("-" * len(header))
    ratios = []
    for layer_sizes, batch_size in SHAPES:
        params, X, y = problem(layer_sizes, batch_size)
        medians = median_seconds(
            {
                "fast": fast_step(params, X, y),
                "reference": reference_step(params, X, y),
                "torch": torch_step(torch, params, X, y),
            }
        )
        fast, reference, pytorch = medians["fast"], medians["reference"], medians["torch"]
        ratios.append(fast / pytorch)
        sizes = "-".join(map(str, layer_sizes))
        print(
            f"{sizes:>20} {batch_size:>5} {fast * 1e6:>9.1f} {reference * 1e6:>10.1f} "
            f"{pytorch * 1e6:>9.1f} {fast / pytorch:>11.2f}"
        )
    print(f"worst fast/torch ratio: {max(ratios):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
