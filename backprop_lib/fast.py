"""A fast path for one SGD step of an MLP, beside the readable reference code.

:class:`FastMLP` computes exactly what ``mlp_forward``,
``softmax_cross_entropy``, ``mlp_backward`` and ``sgd`` compute together,
but keeps its own copies of the parameters, allocates its buffers once per
batch size, overwrites them in place on every step, and folds the learning
rate into the gradient of the scores so that every parameter update is a
single subtraction. It runs in float32 by default. The tests hold it to the
reference path: same loss, same updated parameters, within float tolerance.
"""

from __future__ import annotations

import numpy as np

from .mlp import num_layers

__all__ = ["FastMLP"]


def _relu_inplace(Z, zeros, scratch):
    np.maximum(Z, zeros, out=Z)


def _relu_backward_inplace(dA, A, scratch):
    np.greater(A, 0, out=scratch)
    np.multiply(dA, scratch, out=dA)


def _sigmoid_inplace(Z, zeros, scratch):
    # sigmoid(z) = (1 + tanh(z / 2)) / 2 never overflows.
    Z *= 0.5
    np.tanh(Z, out=Z)
    Z *= 0.5
    Z += 0.5


def _sigmoid_backward_inplace(dA, A, scratch):
    np.subtract(1, A, out=scratch)
    scratch *= A
    dA *= scratch


def _tanh_inplace(Z, zeros, scratch):
    np.tanh(Z, out=Z)


def _tanh_backward_inplace(dA, A, scratch):
    np.multiply(A, A, out=scratch)
    np.subtract(1, scratch, out=scratch)
    dA *= scratch


_INPLACE_ACTIVATIONS = {
    "relu": (_relu_inplace, _relu_backward_inplace, np.bool_),
    "sigmoid": (_sigmoid_inplace, _sigmoid_backward_inplace, None),
    "tanh": (_tanh_inplace, _tanh_backward_inplace, None),
}


class _Buffers:
    """Every array one step writes, for one batch size.

    Elementwise NumPy operations run fastest on contiguous operands of equal
    shape, so constants that would otherwise be broadcast (zeros for ReLU,
    ones for sums over the batch) are stored at full size.
    """

    def __init__(self, batch_size, input_size, widths, dtype, scratch_dtype):
        N, C = batch_size, widths[-1]
        self.inputs = np.empty((N, input_size), dtype=dtype)
        self.outputs = [np.empty((N, width), dtype=dtype) for width in widths]
        self.output_grads = [np.empty((N, width), dtype=dtype) for width in widths[:-1]]
        self.scratch = [np.empty((N, width), dtype=scratch_dtype) for width in widths[:-1]]
        self.zeros = [np.zeros((N, width), dtype=dtype) for width in widths[:-1]]
        self.ones_batch = np.ones(N, dtype=dtype)
        self.ones_classes = np.ones(C, dtype=dtype)
        self.scores_t = np.empty((C, N), dtype=dtype)
        self.row = np.empty(N, dtype=dtype)
        self.row_starts = np.arange(N) * C
        self.label_index = np.empty(N, dtype=np.intp)


class FastMLP:
    """An MLP classifier trained by SGD on softmax cross-entropy, in place on its own buffers.

    Parameters
    ----------
    params : dict
        ``"W1"`` of shape (D, H1), ``"b1"`` of shape (H1,), ..., ``"WL"`` of
        shape (H_{L-1}, C), ``"bL"`` of shape (C,). Copied; never modified.
    activation : {"relu", "sigmoid", "tanh"}
        Hidden activation, as for :func:`~backprop_lib.mlp.mlp_forward`.
    dtype : numpy floating dtype
        Type of the parameters and of every computation.

    Notes
    -----
    Typical use: ``model = FastMLP(params)``, then ``loss = model.sgd_step(X_batch,
    y_batch, learning_rate)`` once per mini-batch, and ``model.copy_params()`` to
    get a params dict back for :func:`~backprop_lib.mlp.mlp_forward` and friends.
    """

    def __init__(self, params, activation="relu", dtype=np.float32):
        if activation not in _INPLACE_ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {sorted(_INPLACE_ACTIVATIONS)}, not {activation!r}"
            )
        if not np.issubdtype(dtype, np.floating):
            raise ValueError(f"dtype must be a floating type such as float32, not {dtype!r}")
        self.activation = activation
        self.dtype = np.dtype(dtype)
        layers = range(1, num_layers(params) + 1)
        self._weights = [np.array(params[f"W{layer}"], dtype=self.dtype) for layer in layers]
        self._biases = [np.array(params[f"b{layer}"], dtype=self.dtype) for layer in layers]
        self._weight_grads = [np.empty_like(W) for W in self._weights]
        self._bias_grads = [np.empty_like(b) for b in self._biases]
        self._buffers = {}

    def copy_params(self):
        """The current parameters as a new params dict.

        Returns
        -------
        dict
            ``"W1"``, ``"b1"``, ..., ``"WL"``, ``"bL"``, copies in ``self.dtype``.
        """
        params = {}
        for layer, (W, b) in enumerate(zip(self._weights, self._biases), start=1):
            params[f"W{layer}"] = W.copy()
            params[f"b{layer}"] = b.copy()
        return params

    def sgd_step(self, X, y, learning_rate):
        """Forward, loss, backward and ``W -= learning_rate * dW`` for every parameter.

        Parameters
        ----------
        X : ndarray of shape (N, D)
            Not modified; cast to ``self.dtype`` if needed.
        y : ndarray of int of shape (N,)
        learning_rate : float

        Returns
        -------
        float
            The mini-batch's mean cross-entropy before the update.
        """
        buffers = self._buffers_for(X)
        activations = self._forward(self._as_input(X, buffers), buffers)
        scores = activations.pop()
        loss = self._loss_and_scaled_dscores(scores, y, learning_rate, buffers)
        self._backward_and_update(scores, activations, buffers)
        return loss

    def _buffers_for(self, X):
        if X.ndim != 2 or X.shape[1] != self._weights[0].shape[0]:
            raise ValueError(f"X must have shape (N, {self._weights[0].shape[0]}), not {X.shape}")
        if X.shape[0] not in self._buffers:
            widths = [W.shape[1] for W in self._weights]
            scratch_dtype = _INPLACE_ACTIVATIONS[self.activation][2] or self.dtype
            self._buffers[X.shape[0]] = _Buffers(*X.shape, widths, self.dtype, scratch_dtype)
        return self._buffers[X.shape[0]]

    def _as_input(self, X, buffers):
        if X.dtype == self.dtype:
            return X
        np.copyto(buffers.inputs, X, casting="same_kind")
        return buffers.inputs

    def _forward(self, X, buffers):
        activate, _, _ = _INPLACE_ACTIVATIONS[self.activation]
        activations = [X]
        last = len(self._weights) - 1
        for layer, (W, b) in enumerate(zip(self._weights, self._biases)):
            Z = buffers.outputs[layer]
            np.matmul(activations[-1], W, out=Z)
            Z += b
            if layer < last:
                activate(Z, buffers.zeros[layer], buffers.scratch[layer])
            activations.append(Z)
        return activations

    def _loss_and_scaled_dscores(self, scores, y, learning_rate, buffers):
        """Mean cross-entropy; turns ``scores`` into ``learning_rate * dscores`` in place."""
        N = scores.shape[0]
        row = buffers.row
        # Reductions along a short last axis are slow; the transposed copy reduces along axis 0.
        np.copyto(buffers.scores_t, scores.T)
        np.max(buffers.scores_t, axis=0, out=row)
        scores -= row[:, None]
        flat_scores = scores.reshape(-1)
        label_index = np.add(buffers.row_starts, y, out=buffers.label_index)
        picked = flat_scores.take(label_index)
        np.exp(scores, out=scores)
        np.matmul(scores, buffers.ones_classes, out=row)
        loss = (np.log(row).sum(dtype=np.float64) - picked.sum(dtype=np.float64)) / N
        step = learning_rate / N
        np.divide(step, row, out=row)
        scores *= row[:, None]
        flat_scores[label_index] -= step
        return float(loss)

    def _backward_and_update(self, dscores, activations, buffers):
        _, activation_backward, _ = _INPLACE_ACTIVATIONS[self.activation]
        dZ = dscores
        for layer in range(len(self._weights) - 1, -1, -1):
            W, dW = self._weights[layer], self._weight_grads[layer]
            b, db = self._biases[layer], self._bias_grads[layer]
            np.matmul(activations[layer].T, dZ, out=dW)
            np.matmul(buffers.ones_batch, dZ, out=db)
            if layer > 0:
                dA = buffers.output_grads[layer - 1]
                np.matmul(dZ, W.T, out=dA)
                activation_backward(dA, activations[layer], buffers.scratch[layer - 1])
                dZ = dA
            W -= dW
            b -= db
