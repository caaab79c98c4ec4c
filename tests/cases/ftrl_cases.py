"""Cases for tf.train.FtrlOptimizer (tfteach/train/ftrl.py): five steps of a small least-squares
problem under each of TF1's update rules (ApplyFtrl; L1/L2; ApplyFtrlV2 with L2 shrinkage and a
learning-rate power other than -0.5), slot and op names, argument errors. Oracle: TF 2.21,

    TF_CPP_MIN_LOG_LEVEL=3 /opt/tfvenv/bin/python tests/fixtures/make_fixtures.py ftrl_cases
"""
import numpy as np

from cases.harness import catch


def _train(tf, steps=5, **kwargs):
    w = tf.Variable(np.array([[0.5, -1.0], [2.0, 0.1]], np.float32), name="w")
    b = tf.Variable(np.array([0.0, 0.3], np.float32), name="b")
    x = tf.constant(np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, 3.0]], np.float32))
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w) + b - 1.0))
    opt = tf.train.FtrlOptimizer(0.3, **kwargs)
    train = opt.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train)
        slots = {name: sess.run(opt.get_slot(w, name)) for name in opt.get_slot_names()}
        return {"w": sess.run(w), "b": sess.run(b), "slots": slots, "loss": sess.run(loss),
                "variables": sorted(v.op.name for v in tf.global_variables()),
                "updates": sorted(op.type + " " + op.name for op in tf.get_default_graph().get_operations()
                                  if op.type.startswith("ApplyFtrl"))}


def case_ftrl_default(tf):
    return _train(tf)


def case_ftrl_l1_l2(tf):
    return _train(tf, l1_regularization_strength=0.5, l2_regularization_strength=0.2)


def case_ftrl_v2_shrinkage_and_power(tf):
    return _train(tf, learning_rate_power=-0.7, l2_shrinkage_regularization_strength=0.3)


def case_ftrl_fixed_rate_and_names(tf):
    """learning_rate_power=0: a fixed rate; accum_name/linear_name rename the slots."""
    return _train(tf, steps=3, learning_rate_power=0.0, initial_accumulator_value=0.5, accum_name="acc",
                  linear_name="lin")


def case_ftrl_errors(tf):
    opt = tf.train.FtrlOptimizer
    return {"power": catch(opt, 0.1, learning_rate_power=0.5),
            "accumulator": catch(opt, 0.1, initial_accumulator_value=-1.0),
            "l1": catch(opt, 0.1, l1_regularization_strength=-1.0),
            "l2": catch(opt, 0.1, l2_regularization_strength=-1.0),
            "shrinkage": catch(opt, 0.1, l2_shrinkage_regularization_strength=-1.0)}
