"""TF1 programs written once with `tf` as an argument, shared by the fixture scripts (run on real
TensorFlow) and by the tests that compare tfteach with what TensorFlow wrote."""


def seed_neuron(tf):
    """Seed 000's final script, plus a histogram of the weight: the graph, on the default graph.

    Returns y, train_step and the merged summaries.
    """
    x = tf.constant(1.0, name='input')
    w = tf.Variable(0.8, name='weight')
    y = tf.multiply(w, x, name='output')
    y_ = tf.constant(0.0, name='correct_value')
    loss = tf.pow(y - y_, 2, name='loss')
    train_step = tf.train.GradientDescentOptimizer(0.025).minimize(loss)
    for value in [x, w, y, y_, loss]:
        tf.summary.scalar(value.op.name, value)
    tf.summary.histogram('weight_histogram', w)
    return y, train_step, tf.summary.merge_all()


def summary_names_and_tags(tf):
    """Node names, tags and inputs of summaries where TF1 uniquifies them (same scope twice,
    a name scope, a bad tag, a family), and of merge_all."""
    loss = tf.constant(1.0, name='loss')
    s1 = tf.summary.scalar('loss', loss)
    s2 = tf.summary.scalar('loss', loss)
    with tf.name_scope('train'):
        s3 = tf.summary.scalar('loss', loss)
    s4 = tf.summary.scalar('bad name!', loss)
    s5 = tf.summary.scalar('lr', loss, family='opt')
    h1 = tf.summary.histogram('loss', loss)
    m = tf.summary.merge_all()
    tags = {}
    with tf.Session() as sess:
        for key, op in [("s1", s1), ("s2", s2), ("s3", s3), ("s4", s4), ("s5", s5), ("h1", h1)]:
            summary = tf.Summary.FromString(sess.run(op))
            tags[key] = {"node": op.op.name, "tag": summary.value[0].tag,
                         "inputs": [i.name for i in op.op.inputs]}
    tags["merge_all"] = {"node": m.op.name, "inputs": [i.name for i in m.op.inputs]}
    return tags


def checkpoint_net(tf, D=6, H=5):
    """Seed 001's net, small: h = max(x W1 + b1, 0), y_pred = h W2 + b2, squared error, Adam,
    a loss summary. The net of the Saver fixtures. Returns x, y, loss and the train op."""
    x = tf.placeholder(tf.float32, shape=(None, D), name='x')
    y = tf.placeholder(tf.float32, shape=(None, D), name='y')
    with tf.name_scope('layer1'):
        w1 = tf.Variable(tf.random_normal((D, H), seed=1), name='weights')
        b1 = tf.Variable(tf.zeros([H]), name='biases')
        h = tf.maximum(tf.matmul(x, w1) + b1, 0)
    with tf.name_scope('layer2'):
        w2 = tf.Variable(tf.random_normal((H, D), seed=2), name='weights')
        b2 = tf.Variable(tf.zeros([D]), name='biases')
        y_pred = tf.matmul(h, w2) + b2
    loss = tf.reduce_mean(tf.reduce_sum((y_pred - y) ** 2, axis=1), name='loss')
    global_step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=global_step)
    tf.summary.scalar('loss', loss)
    return x, y, loss, train
