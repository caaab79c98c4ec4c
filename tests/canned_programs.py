"""Canned-estimator TF1 programs written once with `tf` as an argument (issue #25), in the style of
the course labs: a LinearRegressor on a small housing-like dataset with numeric and bucketized
columns (the ML crash course's "first steps" and "feature crosses" labs) and a DNNClassifier on
the digits with numpy_input_fn (the TF1 "Get started" premade-estimator tutorial). Shared by the
fixture script (tests/fixtures/make_canned_programs.py, TF 2.15 + tensorflow-estimator 2.15)
and tests/test_canned.py, which runs them on tfteach."""
import os

import numpy as np


def housing_data(n=400, seed=0):
    """A housing-like table: rooms per person, median income, latitude -> median house value
    (in $100k), with a latitude effect that is not linear (what bucketizing captures)."""
    rng = np.random.RandomState(seed)
    rooms = rng.uniform(1.0, 4.0, n).astype(np.float32)
    income = rng.gamma(4.0, 1.0, n).astype(np.float32)
    latitude = rng.uniform(32.5, 42.0, n).astype(np.float32)
    value = (0.4 * income + 0.3 * rooms + np.where((latitude > 33.5) & (latitude < 35.0), 1.2, 0.0)
             + np.where(latitude > 37.0, 0.8, 0.0) + rng.normal(0, 0.3, n)).astype(np.float32)
    return {"rooms_per_person": rooms, "median_income": income, "latitude": latitude}, value


def housing_linear_regressor(tf, model_dir, steps=600, batch_size=20, seed=0, shuffle=False):
    """LinearRegressor with numeric columns and a bucketized latitude, TF's default Ftrl.

    The rows are in a random order already; with shuffle=False TF's run is reproducible and, the
    weights starting at zero, tfteach's is the same run. (With shuffle=True, a thread fills TF's
    input queue and its reruns with one seed end with losses from 4.5 to 5.9.)"""
    features, target = housing_data(seed=seed)
    train = {k: v[:300] for k, v in features.items()}
    test = {k: v[300:] for k, v in features.items()}
    latitude = tf.feature_column.bucketized_column(tf.feature_column.numeric_column("latitude"),
                                                   boundaries=[33.5, 35.0, 37.0, 39.0])
    columns = [tf.feature_column.numeric_column("rooms_per_person"),
               tf.feature_column.numeric_column("median_income"), latitude]
    config = tf.estimator.RunConfig(tf_random_seed=seed, save_checkpoints_steps=steps)
    regressor = tf.estimator.LinearRegressor(feature_columns=columns, model_dir=model_dir, config=config)
    regressor.train(tf.estimator.inputs.numpy_input_fn(train, target[:300], batch_size=batch_size,
                                                       num_epochs=None, shuffle=shuffle), steps=steps)
    result = regressor.evaluate(tf.estimator.inputs.numpy_input_fn(test, target[300:], batch_size=50,
                                                                   num_epochs=1, shuffle=False))
    predictions = [float(p["predictions"][0]) for p in regressor.predict(
        tf.estimator.inputs.numpy_input_fn({k: v[:5] for k, v in test.items()}, shuffle=False))]
    return {"average_loss": float(result["average_loss"]), "loss": float(result["loss"]),
            "global_step": int(result["global_step"]), "keys": sorted(result),
            "predictions": predictions, "targets": [float(v) for v in target[300:305]],
            "variables": regressor.get_variable_names(),
            "latitude_weights": regressor.get_variable_value(
                "linear/linear_model/latitude_bucketized/weights").ravel().tolist(),
            "steps": steps, "seed": seed, "batch_size": batch_size}


def digits_dnn_classifier(tf, data, model_dir, steps=400, batch_size=64, seed=0, shuffle=True):
    """DNNClassifier(hidden_units=[64, 32], n_classes=10) on the 8x8 digits, TF's default Adagrad.

    With shuffle=True TF's own reruns differ (a thread fills its input queue); shuffle=False (the
    digits are in a random order already) leaves only the random start to differ."""
    x_train, y_train, x_test, y_test = data
    x_train, x_test = x_train.reshape(-1, 64), x_test.reshape(-1, 64)
    columns = [tf.feature_column.numeric_column("pixels", shape=[64])]
    config = tf.estimator.RunConfig(tf_random_seed=seed, save_checkpoints_steps=steps)
    classifier = tf.estimator.DNNClassifier(hidden_units=[64, 32], feature_columns=columns, n_classes=10,
                                            model_dir=model_dir, config=config)
    classifier.train(tf.estimator.inputs.numpy_input_fn({"pixels": x_train}, y_train, batch_size=batch_size,
                                                        num_epochs=None, shuffle=shuffle), steps=steps)
    result = classifier.evaluate(tf.estimator.inputs.numpy_input_fn({"pixels": x_test}, y_test, batch_size=120,
                                                                    num_epochs=1, shuffle=False))
    first = list(classifier.predict(tf.estimator.inputs.numpy_input_fn({"pixels": x_test[:3]}, shuffle=False)))
    return {"accuracy": float(result["accuracy"]), "average_loss": float(result["average_loss"]),
            "loss": float(result["loss"]), "global_step": int(result["global_step"]), "keys": sorted(result),
            "prediction_keys": sorted(first[0]), "classes": [p["classes"][0].decode() for p in first],
            "variables": classifier.get_variable_names(),
            "checkpoints": sorted(n for n in os.listdir(model_dir) if n.startswith("model.ckpt") or n == "checkpoint"),
            "steps": steps, "seed": seed, "batch_size": batch_size}


def digits_dnn_in_order(tf, data, model_dir, steps=50, batch_size=64):
    """The digits DNNClassifier trained on batches in order (shuffle=False) from whatever
    model_dir holds (TF: its own random start, saved as model.ckpt-0; tfteach: TF's model.ckpt-0
    copied in by the test), then evaluated: the same numbers when the start is the same."""
    x_train, y_train, x_test, y_test = data
    columns = [tf.feature_column.numeric_column("pixels", shape=[64])]
    config = tf.estimator.RunConfig(tf_random_seed=0, save_checkpoints_steps=1000)
    classifier = tf.estimator.DNNClassifier(hidden_units=[64, 32], feature_columns=columns, n_classes=10,
                                            model_dir=model_dir, config=config)
    classifier.train(tf.estimator.inputs.numpy_input_fn({"pixels": x_train.reshape(-1, 64)}, y_train,
                                                        batch_size=batch_size, num_epochs=None, shuffle=False),
                     steps=steps)
    result = classifier.evaluate(tf.estimator.inputs.numpy_input_fn({"pixels": x_test.reshape(-1, 64)}, y_test,
                                                                    batch_size=120, shuffle=False))
    return {k: float(v) for k, v in result.items()}


def categorical_linear_classifier(tf, model_dir, optimizer="Ftrl", steps=12):
    """LinearClassifier on string and integer categories, their cross, a raw cross and a hashed
    column; batches in order and zero initial weights, so TF's numbers are reproducible exactly."""
    rng = np.random.RandomState(0)
    n = 60
    color = rng.choice(["red", "green", "blue", "pink", ""], n)
    size = rng.randint(-1, 4, n).astype(np.int64)
    x = rng.rand(n).astype(np.float32)
    y = ((color == "red") ^ (size > 1)).astype(np.int32)
    features = {"color": color, "size": size, "x": x}
    fc = tf.feature_column
    c = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])
    s = fc.categorical_column_with_identity("size", 4)
    columns = [c, s, fc.crossed_column([c, s], 16), fc.numeric_column("x"),
               fc.categorical_column_with_hash_bucket("colour", 5), fc.crossed_column(["colour", "size"], 8)]
    features["colour"] = color
    est = tf.estimator.LinearClassifier(columns, model_dir=model_dir, optimizer=optimizer)
    est.train(tf.estimator.inputs.numpy_input_fn(features, y, batch_size=10, num_epochs=None, shuffle=False),
              steps=steps)
    result = est.evaluate(tf.estimator.inputs.numpy_input_fn(features, y, batch_size=20, shuffle=False))
    probabilities = [float(p["logistic"][0]) for p in est.predict(
        tf.estimator.inputs.numpy_input_fn({k: v[:6] for k, v in features.items()}, shuffle=False))]
    return {"evaluation": {k: float(v) for k, v in result.items()}, "logistic": probabilities,
            "variables": [v for v in est.get_variable_names() if not v.endswith(("Ftrl", "Ftrl_1"))]}


def census_wide_and_deep(tf, model_dir, steps=300, seed=0, deep=True):
    """The TF1 "wide & deep" tutorial in small: a census-like table (education, occupation, age,
    hours) -> income > 50k; wide: categories, bucketized age and their cross; deep: embeddings,
    indicator and numeric columns. Batches in order; `deep=False` leaves only the linear part
    (zero start: TF's run exactly)."""
    rng = np.random.RandomState(seed)
    n = 400
    education = rng.choice(["Bachelors", "HS-grad", "Masters", "Doctorate", "Some-college"], n)
    occupation = rng.choice(["Tech-support", "Sales", "Exec-managerial", "Craft-repair", "Farming", "Other"], n)
    age = rng.uniform(18, 70, n).astype(np.float32)
    hours = rng.uniform(10, 70, n).astype(np.float32)
    score = (np.isin(education, ["Masters", "Doctorate"]) * 1.5 + (occupation == "Exec-managerial") * 1.0
             + (age > 35) * (age < 60) * 1.0 + (hours - 40) / 20 + rng.normal(0, 0.5, n))
    label = (score > 1.5).astype(np.int64)
    features = {"education": education, "occupation": occupation, "age": age, "hours": hours}
    fc = tf.feature_column
    education_col = fc.categorical_column_with_vocabulary_list(
        "education", ["Bachelors", "HS-grad", "Masters", "Doctorate", "Some-college"])
    occupation_col = fc.categorical_column_with_hash_bucket("occupation", 20)
    age_buckets = fc.bucketized_column(fc.numeric_column("age"), [25, 35, 45, 55, 65])
    wide = [education_col, occupation_col, age_buckets,
            fc.crossed_column([education_col, age_buckets], 50), fc.crossed_column(["education", "occupation"], 50)]
    deep_columns = [fc.indicator_column(education_col), fc.embedding_column(occupation_col, 4),
                    fc.numeric_column("age"), fc.numeric_column("hours")]
    config = tf.estimator.RunConfig(tf_random_seed=seed, save_checkpoints_steps=steps)
    est = tf.estimator.DNNLinearCombinedClassifier(
        model_dir=model_dir, linear_feature_columns=wide, dnn_feature_columns=deep_columns if deep else None,
        dnn_hidden_units=[16, 8] if deep else None, config=config)
    train = {k: v[:300] for k, v in features.items()}
    test = {k: v[300:] for k, v in features.items()}
    est.train(tf.estimator.inputs.numpy_input_fn(train, label[:300], batch_size=30, num_epochs=None, shuffle=False),
              steps=steps)
    result = est.evaluate(tf.estimator.inputs.numpy_input_fn(test, label[300:], batch_size=50, shuffle=False))
    return {"evaluation": {k: float(v) for k, v in result.items()},
            "variables": [v for v in est.get_variable_names() if not v.endswith(("Ftrl", "Ftrl_1", "Adagrad"))],
            "slots": [v for v in est.get_variable_names() if v.endswith(("Ftrl", "Ftrl_1", "Adagrad"))],
            "steps": steps, "seed": seed}


def label_errors(tf, model_dir):
    """What a classifier says about labels it cannot use: out of range (a wrong n_classes), negative,
    float labels for a multi-class head. Returns [error class, the line that explains] per mistake."""
    x = {"a": np.arange(4, dtype=np.float32)}
    out = []
    for i, (n_classes, y) in enumerate([(3, np.array([0, 1, 5, 2])), (2, np.array([0, 1, 2, 1])),
                                        (3, np.array([0., 1., 2., 1.], np.float32)), (3, np.array([0, -1, 1, 1]))]):
        est = tf.estimator.LinearClassifier([tf.feature_column.numeric_column("a")], n_classes=n_classes,
                                            model_dir=os.path.join(model_dir, str(i)))
        try:
            est.train(tf.estimator.inputs.numpy_input_fn(x, y, batch_size=4, shuffle=False), steps=1)
            out.append(["no error", ""])
        except Exception as e:  # the class and the explaining line are what the test compares
            lines = [line for line in str(e).splitlines() if "assertion failed" in line or "Labels" in line]
            out.append([type(e).__name__, lines[0] if lines else str(e)])
    return out


def weighted_linear(tf, model_dir, steps=10):
    """weight_column: a LinearClassifier and a LinearRegressor whose examples weigh 0.5 to 3 (a
    feature named 'w'); zero start and in-order batches, so TF's numbers exactly."""
    rng = np.random.RandomState(1)
    n = 50
    features = {"x": rng.rand(n).astype(np.float32), "w": rng.uniform(0.5, 3.0, n).astype(np.float32),
                "color": rng.choice(["red", "green", "blue"], n)}
    columns = [tf.feature_column.numeric_column("x"),
               tf.feature_column.categorical_column_with_vocabulary_list("color", ["red", "green"])]
    out = {}
    for name, est, y in [
            ("classifier", tf.estimator.LinearClassifier(columns, weight_column="w",
                                                         model_dir=os.path.join(model_dir, "c")),
             ((features["x"] > 0.5) | (features["color"] == "red")).astype(np.int64)),
            ("regressor", tf.estimator.LinearRegressor(columns, weight_column=tf.feature_column.numeric_column("w"),
                                                       model_dir=os.path.join(model_dir, "r")),
             (2 * features["x"] + (features["color"] == "green")).astype(np.float32))]:
        est.train(tf.estimator.inputs.numpy_input_fn(features, y, batch_size=10, num_epochs=None, shuffle=False),
                  steps=steps)
        result = est.evaluate(tf.estimator.inputs.numpy_input_fn(features, y, batch_size=25, shuffle=False))
        out[name] = {k: float(v) for k, v in result.items()}
    return out


def vocabulary_labels(tf, model_dir, steps=10):
    """label_vocabulary: string labels, as the iris CSV spells the species; binary and three classes.
    Zero start, in-order batches: TF's evaluation and predicted classes exactly."""
    rng = np.random.RandomState(2)
    n = 60
    x = rng.rand(n, 2).astype(np.float32)
    species = np.array(["setosa", "versicolor", "virginica"])[np.minimum((x[:, 0] * 3).astype(int), 2)]
    answer = np.where(x[:, 1] > 0.5, "yes", "no")
    features = {"a": x[:, 0], "b": x[:, 1]}
    columns = [tf.feature_column.numeric_column("a"), tf.feature_column.numeric_column("b")]
    out = {}
    for name, est, y in [
            ("three", tf.estimator.LinearClassifier(columns, n_classes=3, model_dir=os.path.join(model_dir, "3"),
                                                    label_vocabulary=["setosa", "versicolor", "virginica"]), species),
            ("two", tf.estimator.LinearClassifier(columns, model_dir=os.path.join(model_dir, "2"),
                                                  label_vocabulary=["no", "yes"]), answer)]:
        est.train(tf.estimator.inputs.numpy_input_fn(features, y, batch_size=10, num_epochs=None, shuffle=False),
                  steps=steps)
        result = est.evaluate(tf.estimator.inputs.numpy_input_fn(features, y, batch_size=20, shuffle=False))
        predicted = list(est.predict(tf.estimator.inputs.numpy_input_fn({k: v[:4] for k, v in features.items()},
                                                                       shuffle=False)))
        out[name] = {"evaluation": {k: float(v) for k, v in result.items()},
                     "classes": [p["classes"][0].decode() for p in predicted],
                     "all_classes": [c.decode() for c in predicted[0]["all_classes"]]}
    return out
