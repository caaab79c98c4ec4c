"""The TensorFlow Playground's six data sets, in numpy, from a seed.

Each generator returns (points, labels): points an (n, 2) float array, labels an (n,) array.
Classification labels are +1 or -1 (the Playground's tanh output aims at them); regression
labels are between -1 and 1. `noise` is the Playground's slider divided by 100 (0 to 0.5).
The definitions follow playground.tensorflow.org's src/dataset.ts: the same shapes, radii,
sample counts (500 to classify, 1200 to regress) and noise rules; the random numbers come from
numpy's generator, so the points themselves differ from the web page's.
"""
import numpy as np

N_CLASSIFY = 500   # points in a classification set (the Playground's NUM_SAMPLES_CLASSIFY)
N_REGRESS = 1200   # points in a regression set
DOMAIN = (-6.0, 6.0)  # the square the pictures show


def circle(n, noise, rng):
    """Half the points inside radius 2.5 (label +1), half in the ring 3.5 to 5 (label -1).
    Noise moves the point at which the label is decided, not the point drawn."""
    radius = 5.0
    half = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    shifted = points + rng.uniform(-radius, radius, (n, 2)) * noise
    labels = np.where(np.hypot(shifted[:, 0], shifted[:, 1]) < radius * 0.5, 1.0, -1.0)
    return points, labels


def xor(n, noise, rng):
    """Points in [-5.3, 5.3]² away from the axes; +1 where x1·x2 >= 0 (after the noise)."""
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, 0.3, -0.3)
    shifted = points + rng.uniform(-5, 5, (n, 2)) * noise
    labels = np.where(shifted[:, 0] * shifted[:, 1] >= 0, 1.0, -1.0)
    return points, labels


def gauss(n, noise, rng):
    """Two Gaussian blobs at (2, 2) (label +1) and (-2, -2) (label -1); noise widens them
    (variance 0.5 at noise 0 up to 4 at noise 0.5)."""
    variance = 0.5 + (4 - 0.5) * noise / 0.5
    half = n // 2
    centres = np.concatenate([np.full((half, 2), 2.0), np.full((n - half, 2), -2.0)])
    points = centres + rng.normal(0, np.sqrt(variance), (n, 2))
    labels = np.concatenate([np.ones(half), -np.ones(n - half)])
    return points, labels


def spiral(n, noise, rng):
    """Two interleaved spirals of radius 5, 1.75 turns each (+1 and -1), each point moved by
    up to ±noise in x1 and x2."""
    half = n // 2
    parts = []
    for delta, label in ((0.0, 1.0), (np.pi, -1.0)):
        i = np.arange(half)
        r = i / half * 5
        t = 1.75 * i / half * 2 * np.pi + delta
        x = r * np.sin(t) + rng.uniform(-1, 1, half) * noise
        y = r * np.cos(t) + rng.uniform(-1, 1, half) * noise
        parts.append((np.stack([x, y], axis=1), np.full(half, label)))
    return np.concatenate([p for p, _ in parts]), np.concatenate([l for _, l in parts])


def plane(n, noise, rng):
    """Regression: label (x1 + x2) / 10 over [-6, 6]² (noise shifts where it is read)."""
    points = rng.uniform(-6, 6, (n, 2))
    shifted = points + rng.uniform(-6, 6, (n, 2)) * noise
    labels = (shifted[:, 0] + shifted[:, 1]) / 10
    return points, labels


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def multi_gauss(n, noise, rng):
    """Regression: six bumps of alternating sign, each falling from ±1 at its centre to 0 at
    distance 2; a point's label is the bump largest in size there."""
    points = rng.uniform(-6, 6, (n, 2))
    shifted = points + rng.uniform(-6, 6, (n, 2)) * noise
    dist = np.hypot(shifted[:, None, 0] - _BUMPS[None, :, 0], shifted[:, None, 1] - _BUMPS[None, :, 1])
    values = _BUMPS[None, :, 2] * np.clip(1 - dist / 2, 0, 1)
    labels = values[np.arange(n), np.argmax(np.abs(values), axis=1)]
    return points, labels


CLASSIFICATION = {"circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral}
REGRESSION = {"plane": plane, "multi_gauss": multi_gauss}
DATASETS = {**CLASSIFICATION, **REGRESSION}


def make(name, noise=0.0, seed=0, n=None):
    """(points, labels) of the named set: `make("spiral", noise=0.1, seed=3)`."""
    if name not in DATASETS:
        raise ValueError(f"Playground: unknown dataset {name!r}; the datasets are {sorted(DATASETS)}")
    if not 0 <= noise <= 0.5:
        raise ValueError(f"Playground: noise must be between 0 and 0.5 (the slider's 0-50 %), got {noise}")
    if n is None:
        n = N_CLASSIFY if name in CLASSIFICATION else N_REGRESS
    points, labels = DATASETS[name](n, float(noise), np.random.default_rng(seed))
    return points.astype(np.float64), labels.astype(np.float64)


def split(points, labels, train_ratio, seed):
    """Shuffle (seeded) and split: the first `train_ratio` of the rows train, the rest test."""
    order = np.random.default_rng([seed, 1]).permutation(len(points))
    cut = int(np.floor(len(points) * train_ratio))
    train, test = order[:cut], order[cut:]
    return (points[train], labels[train]), (points[test], labels[test])
