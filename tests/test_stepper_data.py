"""The stepper trains on a learner's own data: arrays, or a DataFrame with named columns.

pandas is not a dependency: a small stand-in with `.columns`, `[]` and `.to_numpy()` checks the
duck typing; the same tests run on a real DataFrame when pandas is installed.
"""
import numpy as np
import pytest

import tfteach as tf
from tfteach.widgets import GradientDescentStepper


class Column:
    def __init__(self, name, values):
        self.name, self._values = name, np.asarray(values)

    def to_numpy(self):
        return self._values


class Frame:
    """What the stepper uses of a pandas DataFrame."""

    def __init__(self, columns):
        self._data = {k: np.asarray(v) for k, v in columns.items()}
        self.columns = list(columns)

    def __getitem__(self, key):
        if isinstance(key, list):
            return Frame({k: self._data[k] for k in key})
        return Column(key, self._data[key])

    def to_numpy(self):
        return np.stack([self._data[k] for k in self.columns], axis=1)


def make_frame(kind, columns):
    if kind == "pandas":
        pandas = pytest.importorskip("pandas")
        return pandas.DataFrame(columns)
    return Frame(columns)


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def houses(n=50):
    """size and rooms -> price = 3·size + 2·rooms + 1, as a learner's table."""
    rng = np.random.default_rng(0)
    size, rooms = rng.uniform(0, 1, n), rng.integers(1, 5, n)
    return {"size": size, "rooms": rooms, "price": 3 * size + 2 * rooms + 1}


def linear_model(features=2):
    x = tf.placeholder(tf.float32, [None, features], name="x")
    y = tf.placeholder(tf.float32, [None], name="price")
    w = tf.Variable(tf.zeros([features]), name="w")
    b = tf.Variable(0.0, name="b")
    prediction = tf.reduce_sum(x * w, axis=1) + b
    return x, y, tf.reduce_mean(tf.square(prediction - y), name="loss")


def test_trains_on_arrays():
    table = houses()
    x, y, loss = linear_model()
    stepper = GradientDescentStepper(loss, learning_rate=0.05,
                                     data={x: np.stack([table["size"], table["rooms"]], axis=1),
                                           "price": table["price"]})
    stepper.step(300)
    assert stepper.history[-1] < 0.01 * stepper.history[0]
    assert stepper.values["b"] > 0.5


@pytest.mark.parametrize("kind", ["stand-in", "pandas"])
def test_trains_on_a_dataframe(kind):
    frame = make_frame(kind, houses())
    x, y, loss = linear_model()
    stepper = GradientDescentStepper(loss, learning_rate=0.05, data=frame,
                                     columns={x: ["size", "rooms"], "price": "price"}, batch_size=10, seed=1)
    stepper.step(300)
    assert stepper.history[-1] < 0.02 * stepper.history[0]
    assert stepper.batched


@pytest.mark.parametrize("kind", ["stand-in", "pandas"])
def test_columns_go_to_placeholders_of_the_same_name(kind):
    table = houses()
    frame = make_frame(kind, {"size": table["size"], "price": table["price"]})
    size = tf.placeholder(tf.float32, [None], name="size")
    price = tf.placeholder(tf.float32, [None], name="price")
    w = tf.Variable(0.0, name="w")
    loss = tf.reduce_mean(tf.square(w * size - price))
    stepper = GradientDescentStepper(loss, data=frame)
    assert sorted(t.op.name for t in stepper.data) == ["price", "size"]
    stepper.step(3)
    assert stepper.history[1] < stepper.history[0]


@pytest.mark.parametrize("kind", ["stand-in", "pandas"])
def test_a_text_column_is_named(kind):
    table = houses()
    table["city"] = np.array(["Oslo", "Lyon"] * 25, dtype=object)
    frame = make_frame(kind, table)
    x, y, loss = linear_model(3)
    with pytest.raises(TypeError, match=r"column 'city' holds object values such as 'Oslo'.*get_dummies"):
        GradientDescentStepper(loss, data=frame, columns={x: ["size", "rooms", "city"], y: "price"})


def test_wrong_number_of_columns_names_the_columns():
    frame = Frame(houses())
    x, y, loss = linear_model(2)
    with pytest.raises(ValueError, match=r"columns \['size'\] \(for placeholder 'x'\) has shape \(50, 1\), "
                                         r"but placeholder 'x' has shape \(\?, 2\).*choose 2 column"):
        GradientDescentStepper(loss, data=frame, columns={x: ["size"], y: "price"})


def test_a_one_dimensional_array_for_a_column_placeholder_says_reshape():
    x = tf.placeholder(tf.float32, [None, 1], name="x")
    w = tf.Variable(1.0, name="w")
    loss = tf.reduce_mean(tf.square(w * x))
    with pytest.raises(ValueError, match=r"the array for placeholder 'x' has shape \(4,\).*reshape\(-1, 1\)"):
        GradientDescentStepper(loss, data={x: np.arange(4.0)})


def test_arrays_of_different_lengths_are_both_named():
    x, y, loss = linear_model(2)
    with pytest.raises(ValueError, match=r"different numbers of rows: the array for placeholder 'x' has 5, "
                                         r"the array for placeholder 'price' has 4"):
        GradientDescentStepper(loss, data={x: np.zeros((5, 2)), y: np.zeros(4)})


def test_text_in_an_array_and_missing_values_are_named():
    x, y, loss = linear_model(2)
    with pytest.raises(TypeError, match=r"the array for placeholder 'price' holds <U1 values"):
        GradientDescentStepper(loss, data={x: np.zeros((2, 2)), y: np.array(["a", "b"])})
    frame = Frame({"size": [1.0, np.nan], "rooms": [1, 2], "price": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"column 'size' has 1 missing values \(NaN\)"):
        GradientDescentStepper(loss, data=frame, columns={x: ["size", "rooms"], y: "price"})


def test_not_a_placeholder_and_no_matching_column():
    x, y, loss = linear_model(2)
    with pytest.raises(ValueError, match="'w' is not a placeholder"):
        GradientDescentStepper(loss, data={"w": np.zeros(2)})
    with pytest.raises(ValueError, match=r"no placeholder is named like a column.*columns=\{x:"):
        GradientDescentStepper(loss, data=Frame({"a": [1.0], "b": [2.0]}))


def test_batches_follow_the_seed_and_reset_rewinds_them():
    frame = Frame(houses())
    x, y, loss = linear_model()
    args = dict(data=frame, columns={x: ["size", "rooms"], y: "price"}, batch_size=7, seed=4)
    first = GradientDescentStepper(loss, **args)
    first.step(20)
    again = GradientDescentStepper(loss, **args)
    again.step(20)
    assert first.history == again.history
    history = list(first.history)
    first.reset()
    first.step(20)
    assert first.history == history
