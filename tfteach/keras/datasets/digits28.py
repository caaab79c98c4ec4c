"""A small MNIST stand-in: scikit-learn's 1,797 8x8 digits enlarged to 28x28, as MNIST's structure.

`load_data()` returns `(x_train, y_train), (x_test, y_test)` like `mnist.load_data()`: uint8
images (n, 28, 28) with pixels 0..255, uint8 labels 0..9. Each digit is interpolated to a
20x20 box centred in 28x28 (MNIST's layout), plus four copies shifted by 2 pixels up, down,
left and right: 8,985 images. The split is by digit (a digit and its shifted copies are on the
same side): 1,437 digits (7,185 images) to train, 360 (1,800 images) to test. Deterministic:
no randomness beyond a fixed seed. Needs scikit-learn (its digits ship with it: no download).
"""
import numpy as np

SHIFTS = ((0, 0), (-2, 0), (2, 0), (0, -2), (0, 2))


def resize_matrix(n_in, n_out):
    """(n_out, n_in) linear interpolation weights: pixel centres mapped end to end (also used by
    benchmarks/programs.py, whose float images come from the same enlargement)."""
    pos = np.linspace(0, n_in - 1, n_out)
    m = np.zeros((n_out, n_in))
    lo = np.minimum(pos.astype(int), n_in - 2)
    frac = pos - lo
    m[np.arange(n_out), lo] = 1 - frac
    m[np.arange(n_out), lo + 1] = frac
    return m


def _enlarge(images):
    """(n, 8, 8) values 0..16 -> (n * 5, 28, 28) uint8: 20x20 centred, and the shifted copies
    (all copies of digit i follow each other)."""
    m = resize_matrix(8, 20)
    small = np.einsum("ij,njk,lk->nil", m, images / 16.0, m)  # (n, 20, 20) in [0, 1]
    small = np.clip(np.round(small * 255.0), 0, 255).astype(np.uint8)
    out = np.zeros((len(images), len(SHIFTS), 28, 28), np.uint8)
    for s, (dy, dx) in enumerate(SHIFTS):
        out[:, s, 4 + dy:24 + dy, 4 + dx:24 + dx] = small
    return out.reshape(-1, 28, 28)


def load_data(test_fraction=0.2, seed=0):
    """`(x_train, y_train), (x_test, y_test)`: uint8 (7185, 28, 28), (7185,), (1800, 28, 28), (1800,).

    Example: `(x_train, y_train), (x_test, y_test) = tfteach.keras.datasets.digits28.load_data()`,
    then `x_train.reshape(-1, 784) / 255.0` as for MNIST.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as e:
        raise ImportError("digits28.load_data needs scikit-learn (pip install scikit-learn): its 8x8 "
                          "digits are the source of these images") from e
    digits = load_digits()
    order = np.random.RandomState(seed).permutation(len(digits.images))
    n_train = int((1 - test_fraction) * len(order))  # 1437 of 1797, as tests/test_keras_digits.py
    train, test = np.sort(order[:n_train]), np.sort(order[n_train:])
    labels = digits.target.astype(np.uint8)

    def part(idx):
        return _enlarge(digits.images[idx]), np.repeat(labels[idx], len(SHIFTS))
    return part(train), part(test)
