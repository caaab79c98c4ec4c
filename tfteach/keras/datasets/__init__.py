"""tf.keras.datasets: MNIST from a local file (no downloads in tfteach), and digits28, a
small MNIST-shaped stand-in made from scikit-learn's 8x8 digits."""
from . import digits28, mnist  # noqa: F401
