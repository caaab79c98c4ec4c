"""The char-RNN of the TF1 course labs (issue #25), written once with `tf` as an argument: the
fixture script (tests/fixtures/make_char_rnn_program.py) runs it on real TensorFlow,
tests/test_char_rnn_program.py on tfteach.

The classic lab's shape: characters -> ids, an embedding, a BasicLSTMCell run by
tf.nn.dynamic_rnn from a fed initial state, a softmax layer over the vocabulary,
contrib.seq2seq's sequence_loss, Adam with gradients clipped by their global norm, and greedy
sampling that carries the LSTM state from one character to the next (the same graph, batch 1,
sequence 1). The text is lesson 5's: the first two verses of Jane Taylor's "The Star" (1806).
"""
import numpy as np

TEXT = """Twinkle, twinkle, little star,
How I wonder what you are!
Up above the world so high,
Like a diamond in the sky.

When the blazing sun is gone,
When he nothing shines upon,
Then you show your little light,
Twinkle, twinkle, all the night.
"""


def char_rnn(tf, sequence_loss, steps=200, batch_size=16, seq_length=20, hidden=48, learning_rate=0.01, seed=0,
             sample_length=60):
    """Train on random windows of TEXT; return the final loss and next-character accuracy over
    every window of the text, a greedy sample from 'Twinkle', the seed and the number of steps.
    `sequence_loss` is tf.contrib.seq2seq.sequence_loss (tensorflow-addons' on real TF 2)."""
    chars = sorted(set(TEXT))
    vocab = len(chars)
    ids = np.array([chars.index(c) for c in TEXT], np.int32)
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    x = tf.placeholder(tf.int32, [None, None], name="x")
    y = tf.placeholder(tf.int32, [None, None], name="y")
    with tf.variable_scope("char_rnn"):
        embedding = tf.get_variable("embedding", [vocab, hidden])
        cell = tf.nn.rnn_cell.BasicLSTMCell(hidden)
        batch = tf.shape(x)[0]
        initial_state = cell.zero_state(batch, tf.float32)
        c_in = tf.placeholder_with_default(initial_state.c, [None, hidden], name="c_in")
        h_in = tf.placeholder_with_default(initial_state.h, [None, hidden], name="h_in")
        outputs, state = tf.nn.dynamic_rnn(cell, tf.nn.embedding_lookup(embedding, x),
                                           initial_state=tf.nn.rnn_cell.LSTMStateTuple(c_in, h_in))
        softmax_w = tf.get_variable("softmax_w", [hidden, vocab])
        softmax_b = tf.get_variable("softmax_b", [vocab])
        logits = tf.reshape(tf.matmul(tf.reshape(outputs, [-1, hidden]), softmax_w) + softmax_b,
                            [batch, -1, vocab])
    loss = sequence_loss(logits, y, tf.ones_like(y, dtype=tf.float32))
    grads, _ = tf.clip_by_global_norm(tf.gradients(loss, tf.trainable_variables()), 5.0)
    train_op = tf.train.AdamOptimizer(learning_rate).apply_gradients(zip(grads, tf.trainable_variables()))
    predicted = tf.argmax(logits, 2, output_type=tf.int32)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, y), tf.float32))
    rng = np.random.RandomState(seed)
    # both frameworks start from the same weights (numpy draws), so runs differ by rounding only
    start = [v.assign(rng.uniform(-0.1, 0.1, v.get_shape().as_list()).astype(np.float32))
             for v in sorted(tf.trainable_variables(), key=lambda v: v.name)]
    windows = np.array([ids[i:i + seq_length + 1] for i in range(len(ids) - seq_length)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(start)
        for _ in range(steps):
            rows = windows[rng.randint(0, len(windows), batch_size)]
            sess.run(train_op, {x: rows[:, :-1], y: rows[:, 1:]})
        feed = {x: windows[:, :-1], y: windows[:, 1:]}
        final_loss, final_accuracy = sess.run([loss, accuracy], feed)
        text, c, h = "Twinkle", None, None
        for ch in text[:-1]:  # warm the state up on the prompt
            feed = {x: [[chars.index(ch)]]} if c is None else {x: [[chars.index(ch)]], c_in: c, h_in: h}
            c, h = sess.run([state.c, state.h], feed)
        for _ in range(sample_length):
            nxt, c, h = sess.run([predicted, state.c, state.h], {x: [[chars.index(text[-1])]], c_in: c, h_in: h})
            text += chars[int(nxt[0, 0])]
    return {"loss": float(final_loss), "accuracy": float(final_accuracy), "sample": text, "steps": steps,
            "seed": seed, "variables": sorted(v.name for v in tf.trainable_variables())}
