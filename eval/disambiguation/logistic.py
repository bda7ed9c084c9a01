"""A small L2-regularised logistic regression (Newton's method), enough for a dozen features and a few thousand rows."""

from __future__ import annotations

import math
from collections.abc import Sequence


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [[*row[:], vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            for c in range(col, n + 1):
                a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def fit(rows: Sequence[Sequence[float]], labels: Sequence[bool], l2: float = 1.0, steps: int = 30) -> list[float]:
    """Coefficients [bias, w1, ..., wk] maximising the L2-penalised likelihood (the bias is not penalised)."""
    k = len(rows[0]) + 1
    x = [[1.0, *row] for row in rows]
    w = [0.0] * k
    for _ in range(steps):
        gradient = [-l2 * w[j] if j else 0.0 for j in range(k)]
        hessian = [[(l2 if i == j and i else 0.0) for j in range(k)] for i in range(k)]
        for xi, yi in zip(x, labels, strict=True):
            p = _sigmoid(sum(a * b for a, b in zip(w, xi, strict=True)))
            for j in range(k):
                gradient[j] += (float(yi) - p) * xi[j]
                for m in range(j, k):
                    hessian[j][m] += p * (1 - p) * xi[j] * xi[m]
        for j in range(k):
            for m in range(j):
                hessian[j][m] = hessian[m][j]
        step = _solve(hessian, gradient)
        w = [a + b for a, b in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w


def predict(w: Sequence[float], row: Sequence[float]) -> float:
    """The probability of the positive class."""
    return _sigmoid(w[0] + sum(a * b for a, b in zip(w[1:], row, strict=True)))
