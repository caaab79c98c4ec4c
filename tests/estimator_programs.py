"""An Estimator TF1 program written once with `tf` as an argument (issue #25), in the style of a
course lab: a linear (or small DNN) classifier on the digits through tf.estimator.Estimator and
tf.estimator.inputs.numpy_input_fn. Shared by the fixture script
(tests/fixtures/make_estimator_program.py, run on TF 2.15 + tensorflow-estimator 2.15) and
tests/test_estimator.py, which runs it on tfteach."""
import numpy as np


def digits_estimator(tf, data, model_dir, steps=1000, batch_size=128, seed=0, hidden=None, learning_rate=0.5,
                     optimizer="gd"):
    """Train `steps` steps, evaluate on the test split, predict its first 10 images.

    By default a linear (softmax) classifier trained by gradient descent, whose final loss
    hardly depends on the initial weights and the order of the batches (TF's own runs with one
    seed differ: its queue is fed by a thread); `hidden=32, optimizer="adam"` makes it a small DNN.

    Returns the evaluation (accuracy, loss, global_step), the first predictions, the
    checkpoint's variable names and the model_dir's checkpoint files.
    """
    x_train, y_train, x_test, y_test = data
    x_train, x_test = x_train.reshape(-1, 64), x_test.reshape(-1, 64)

    def model_fn(features, labels, mode, params):
        net = features["pixels"]
        if params["hidden"]:
            net = tf.layers.dense(net, params["hidden"], activation=tf.nn.relu)
        logits = tf.layers.dense(net, 10)
        predicted = tf.argmax(logits, 1)
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions={"class": predicted,
                                                                 "probabilities": tf.nn.softmax(logits)})
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
        if mode == tf.estimator.ModeKeys.EVAL:
            metrics = {"accuracy": tf.metrics.accuracy(labels=labels, predictions=predicted)}
            return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops=metrics)
        if params["optimizer"] == "adam":
            optimizer = tf.train.AdamOptimizer(params["learning_rate"])
        else:
            optimizer = tf.train.GradientDescentOptimizer(params["learning_rate"])
        train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

    config = tf.estimator.RunConfig(tf_random_seed=seed, save_checkpoints_steps=steps // 2,
                                    log_step_count_steps=steps // 4)
    classifier = tf.estimator.Estimator(model_fn, model_dir=model_dir, config=config,
                                        params={"hidden": hidden, "learning_rate": learning_rate,
                                                "optimizer": optimizer})
    train_input_fn = tf.estimator.inputs.numpy_input_fn({"pixels": x_train}, y_train, batch_size=batch_size,
                                                        num_epochs=None, shuffle=True)
    classifier.train(input_fn=train_input_fn, steps=steps)
    eval_input_fn = tf.estimator.inputs.numpy_input_fn({"pixels": x_test}, y_test, batch_size=100,
                                                       num_epochs=1, shuffle=False)
    result = classifier.evaluate(input_fn=eval_input_fn)
    predict_input_fn = tf.estimator.inputs.numpy_input_fn({"pixels": x_test[:10]}, shuffle=False)
    predicted = [int(p["class"]) for p in classifier.predict(input_fn=predict_input_fn)]
    import os
    return {"accuracy": float(result["accuracy"]), "loss": float(result["loss"]),
            "global_step": int(result["global_step"]), "predicted": predicted,
            "labels": [int(v) for v in np.asarray(y_test[:10])],
            "variables": classifier.get_variable_names(),
            "checkpoints": sorted(n for n in os.listdir(model_dir) if n.startswith("model.ckpt") or n == "checkpoint"),
            "steps": steps, "seed": seed, "batch_size": batch_size}
