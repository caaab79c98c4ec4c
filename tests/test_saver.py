"""tf.train.Saver: save and restore round trips, TF1's save ops, the state file, pruning, errors.

Checkpoints written by real TensorFlow come from tests/fixtures/make_tf_checkpoints.py.
"""
import json
import os

import numpy as np
import pytest

import tf_programs
import tfteach as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "tf_written", "checkpoint_net")
with open(os.path.join(FIXTURES, "expected.json")) as _f:
    EXPECTED = json.load(_f)
N, D, H = 8, 6, 5


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def build_net():
    """tf_programs.checkpoint_net, which make_tf_checkpoints.py also built, with its feed."""
    x, y, loss, train = tf_programs.checkpoint_net(tf, D, H)
    return {x: np.float32(EXPECTED["net"]["feed"]["x"]), y: np.float32(EXPECTED["net"]["feed"]["y"])}, loss, train


def values(sess):
    return {v.op.name: sess.run(v) for v in tf.global_variables()}


def assert_same_values(a, b):
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


# ---- the graph a Saver adds -----------------------------------------------------------------
def test_saver_adds_tensorflow1s_save_ops_by_name():
    build_net()
    saver = tf.train.Saver()
    ours = [[op.name, op.type] for op in tf.get_default_graph().get_operations() if op.name.startswith("save/")]
    assert ours == [n for n in EXPECTED["net"]["nodes"] if n[0].startswith("save/")]
    assert saver.saver_def.filename_tensor_name == "save/Const:0"
    assert saver.saver_def.save_tensor_name == "save/control_dependency:0"
    assert saver.saver_def.restore_op_name == "save/restore_all"
    assert [i.name for i in tf.get_default_graph().get_operation_by_name("save/SaveV2").inputs][3:] == \
        [n + ":0" for n in sorted(EXPECTED["net"]["saved"])]  # every global variable, slots included


def test_a_second_saver_gets_its_own_scope():
    tf.Variable(1.0, name='v')
    tf.train.Saver()
    assert tf.train.Saver(max_to_keep=1).saver_def.restore_op_name == "save_1/restore_all"


# ---- round trips -------------------------------------------------------------------------------
def test_save_then_restore_in_a_fresh_graph(tmp_path):
    feed, loss, train = build_net()
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train, feed)
    prefix = saver.save(sess, str(tmp_path / "model"), global_step=tf.train.get_global_step())
    assert prefix == str(tmp_path / "model-3")
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model-3.data-00000-of-00001", "model-3.index",
                                            "model-3.meta"]
    saved = values(sess)
    tf.reset_default_graph()
    build_net()
    saver = tf.train.Saver()
    sess = tf.Session()
    saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
    assert_same_values(values(sess), saved)


def test_training_continues_with_the_same_numbers(tmp_path):
    """Adam 5 steps, save, 5 more; against: restore in a new graph and session, then 5 steps."""
    feed, loss, train = build_net()
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for _ in range(5):
        sess.run(train, feed)
    prefix = saver.save(sess, str(tmp_path / "model"), global_step=5)
    straight = [sess.run([loss, train], feed)[0] for _ in range(5)]
    straight_values = values(sess)
    tf.reset_default_graph()
    feed, loss, train = build_net()
    sess = tf.Session()
    tf.train.Saver().restore(sess, prefix)
    resumed = [sess.run([loss, train], feed)[0] for _ in range(5)]
    assert resumed == straight
    assert_same_values(values(sess), straight_values)
    assert values(sess)["global_step"] == 10


def test_import_meta_graph_rebuilds_graph_collections_and_training(tmp_path):
    feed, loss, train = build_net()
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train, feed)
    prefix = saver.save(sess, str(tmp_path / "model"), global_step=1)
    graph = tf.get_default_graph()
    names = {k: [getattr(v, "name", v) for v in graph.get_collection(k)] for k in graph.get_all_collection_keys()}
    ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations()]
    feed_by_name = {t.name: v for t, v in feed.items()}
    straight = [sess.run([loss, train], feed)[0] for _ in range(3)]
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(prefix + ".meta")
    graph = tf.get_default_graph()
    assert [[op.name, op.type] for op in graph.get_operations()] == ops
    assert {k: [getattr(v, "name", v) for v in graph.get_collection(k)] for k in names} == names
    assert all(isinstance(v, tf.Variable) for v in tf.global_variables() + tf.trainable_variables())
    assert tf.trainable_variables()[0] is tf.global_variables()[0]  # one Variable object per VariableDef
    assert tf.train.get_global_step().name == "global_step:0"
    sess = tf.Session()
    saver.restore(sess, prefix)
    train_op = tf.get_collection(tf.GraphKeys.TRAIN_OP)[0]
    resumed = [sess.run(["loss:0", train_op], feed_by_name)[0] for _ in range(3)]
    assert resumed == straight


def test_import_meta_graph_under_a_scope(tmp_path):
    v = tf.Variable([1.0, 2.0], name='v')
    sess = tf.Session()
    sess.run(v.initializer)
    prefix = tf.train.Saver().save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(prefix + ".meta", import_scope="imported")
    assert saver.saver_def.restore_op_name == "imported/save/restore_all"
    sess = tf.Session()
    saver.restore(sess, prefix)
    np.testing.assert_array_equal(sess.run("imported/v:0"), [1.0, 2.0])


# ---- checkpoints written by real TensorFlow ------------------------------------------------------
def test_restores_tensorflows_checkpoint_into_the_same_graph_built_by_tfteach():
    build_net()
    sess = tf.Session()
    tf.train.Saver().restore(sess, tf.train.latest_checkpoint(FIXTURES))
    for name, value in EXPECTED["net"]["saved"].items():
        got = values(sess)[name]
        np.testing.assert_array_equal(got, np.asarray(value, got.dtype), err_msg=name)


def test_imports_tensorflows_meta_graph_and_trains_on_as_tensorflow_did(tmp_path):
    saver = tf.train.import_meta_graph(os.path.join(FIXTURES, "model-3.meta"))
    graph = tf.get_default_graph()
    tf_nodes = [[name, {"AddV2": "Add"}.get(t, t)] for name, t in EXPECTED["net"]["nodes"]]
    assert [[op.name, op.type] for op in graph.get_operations()] == tf_nodes  # every node, AddV2 read as Add
    assert sorted(graph.get_all_collection_keys()) == ["global_step", "summaries", "train_op",
                                                       "trainable_variables", "variables"]
    sess = tf.Session()
    saver.restore(sess, tf.train.latest_checkpoint(FIXTURES))
    feed = {k + ":0": np.float32(v) for k, v in EXPECTED["net"]["feed"].items()}
    train_op = tf.get_collection("train_op")[0]
    losses = [float(sess.run(["loss:0", train_op], feed)[0]) for _ in range(5)]
    np.testing.assert_allclose(losses, EXPECTED["net"]["losses_after"], rtol=1e-6)
    for name, value in EXPECTED["net"]["values_after"].items():
        np.testing.assert_allclose(values(sess)[name], value, rtol=1e-5, atol=1e-6, err_msg=name)
    prefix = saver.save(sess, str(tmp_path / "model"), global_step=tf.train.get_global_step())  # TF's save ops
    assert prefix == str(tmp_path / "model-8")
    reader = tf.train.load_checkpoint(prefix)
    assert_same_values({name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()}, values(sess))


# ---- the checkpoint state file, pruning, paths -------------------------------------------
def test_state_file_and_pruning_as_tensorflow_leaves_them(tmp_path, monkeypatch):
    v = tf.Variable(1.0, name='v')
    saver = tf.train.Saver(max_to_keep=2)
    sess = tf.Session()
    sess.run(v.initializer)
    monkeypatch.chdir(tmp_path)
    os.mkdir("run")
    for step in range(1, 5):
        saver.save(sess, "run/model", global_step=step)
    expected = EXPECTED["pruning"]
    assert sorted(os.listdir("run")) == expected["files"]
    assert open("run/checkpoint").read() == expected["state"]
    assert saver.last_checkpoints == expected["last_checkpoints"]
    assert tf.train.latest_checkpoint("run") == os.path.join("run", "model-4")
    state = tf.train.get_checkpoint_state("run")
    assert state.all_model_checkpoint_paths == ["run/model-3", "run/model-4"]


def test_tensorflows_state_file_reads():
    assert open(os.path.join(FIXTURES, "checkpoint")).read() == EXPECTED["checkpoint_state"]
    assert tf.train.latest_checkpoint(FIXTURES) == os.path.join(FIXTURES, "model-3")


def test_absolute_paths_stay_absolute_and_max_to_keep_none_keeps_all(tmp_path):
    v = tf.Variable(1.0, name='v')
    saver = tf.train.Saver(max_to_keep=None)
    sess = tf.Session()
    sess.run(v.initializer)
    for step in range(7):
        saver.save(sess, str(tmp_path / "model"), global_step=step, write_meta_graph=False)
    assert len([f for f in os.listdir(tmp_path) if f.endswith(".index")]) == 7
    assert open(tmp_path / "checkpoint").read() == (f'model_checkpoint_path: "{tmp_path}/model-6"\n'
                                                    f'all_model_checkpoint_paths: "{tmp_path}/model-6"\n')


def test_seed_003_saves_into_a_new_model_directory(tmp_path):
    """`saver.save(sess, FLAGS.rundir + "/model/export")`: one missing directory level is made."""
    v = tf.Variable(2.0, name='v')
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    saver = tf.train.Saver()
    assert saver.save(sess, str(tmp_path) + "/model/export") == str(tmp_path) + "/model/export"
    assert tf.train.latest_checkpoint(str(tmp_path / "model")) == str(tmp_path / "model" / "export")
    saver.save(sess, str(tmp_path) + "/model/export")  # the same prefix again: replaced
    with pytest.raises(ValueError, match="Parent directory of .*/no/such/model doesn't exist"):
        saver.save(sess, str(tmp_path / "no" / "such" / "model"))
    del v


def test_var_list_as_dict_renames_and_as_list_selects(tmp_path):
    a = tf.Variable([1.0, 2.0], name='a')
    b = tf.Variable(3, name='b')
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    prefix = tf.train.Saver({"renamed": a}).save(sess, str(tmp_path / "m"))
    assert tf.train.list_variables(prefix) == [("renamed", [2])]
    assert tf.train.list_variables(tf.train.Saver([b]).save(sess, str(tmp_path / "n"))) == [("b", [])]
    with pytest.raises(ValueError, match="At least two variables have the same name: a"):
        tf.train.Saver([a, a])
    with pytest.raises(TypeError, match="Variable to save is not a Variable"):
        tf.train.Saver([a.value()])


def test_no_variables_to_save():
    tf.constant(1.0)
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()
    saver = tf.train.Saver(allow_empty=True)
    assert saver.save(tf.Session(), "unused", write_meta_graph=False) is None


# ---- bad input -----------------------------------------------------------------------------------
def test_missing_checkpoint_is_not_found_naming_the_path(tmp_path):
    v = tf.Variable(1.0, name='v')
    sess = tf.Session()
    saver = tf.train.Saver()
    missing = str(tmp_path / "model-7")
    with pytest.raises(tf.errors.NotFoundError, match=f"not a valid checkpoint: {missing}"):
        saver.restore(sess, missing)
    with pytest.raises(ValueError):  # what TF1's Saver.restore raises, so `except ValueError` still works
        saver.restore(sess, missing)
    with pytest.raises(ValueError, match="save_path when it is None"):
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
    sess.run(v.initializer)
    saver.save(sess, str(tmp_path / "model"), global_step=3)
    with pytest.raises(tf.errors.NotFoundError, match="model-3"):  # the checkpoints that exist
        saver.restore(sess, missing)
    with pytest.raises(tf.errors.NotFoundError, match="is a directory: tf.train.latest_checkpoint"):
        saver.restore(sess, str(tmp_path))


def test_missing_variables_are_all_listed_as_not_found():
    tf.Variable(tf.zeros([3]), name='not_in_checkpoint')
    tf.Variable(tf.zeros([2]), name='neither')
    with pytest.raises(tf.errors.NotFoundError) as e:
        tf.train.Saver().restore(tf.Session(), os.path.join(FIXTURES, "model-3"))
    assert type(e.value).__name__ == EXPECTED["restore_errors"]["missing"]["class"]
    assert "'not_in_checkpoint': not found" in str(e.value) and "'neither': not found" in str(e.value)
    assert "'layer1/weights' [6, 5] float32" in str(e.value)  # what the checkpoint holds


def test_shape_and_dtype_mismatches_are_all_listed_as_invalid_argument():
    with tf.name_scope('layer1'):
        tf.Variable(tf.zeros([D, H + 1]), name='weights')
        tf.Variable(tf.zeros([H], tf.float64), name='biases')
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.train.Saver().restore(tf.Session(), os.path.join(FIXTURES, "model-3"))
    assert type(e.value).__name__ == EXPECTED["restore_errors"]["shape"]["class"]
    assert type(e.value).__name__ == EXPECTED["restore_errors"]["dtype"]["class"]
    message = str(e.value)
    assert "'layer1/weights': shape [6, 6] in the graph, [6, 5] in the checkpoint" in message
    assert "'layer1/biases': dtype float64 in the graph, float32 in the checkpoint" in message


def test_restore_ops_alone_raise_tensorflows_errors():
    """Running save/restore_all by hand skips the Saver's checks: the kernels raise as TF's."""
    tf.Variable(tf.zeros([3]), name='not_in_checkpoint')
    saver = tf.train.Saver()
    feed = {saver.saver_def.filename_tensor_name: os.path.join(FIXTURES, "model-3")}
    with pytest.raises(tf.errors.NotFoundError, match="Key not_in_checkpoint not found in checkpoint"):
        tf.Session().run(saver.saver_def.restore_op_name, feed)


def test_a_saver_from_another_graph_says_so(tmp_path):
    tf.Variable(1.0, name='v')
    saver = tf.train.Saver()
    tf.reset_default_graph()
    tf.Variable(1.0, name='v')
    with pytest.raises(ValueError, match="made in another graph"):
        saver.save(tf.Session(), str(tmp_path / "m"))


def test_uninitialized_variables_are_not_saved(tmp_path):
    tf.Variable(1.0, name='v')
    with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
        tf.train.Saver().save(tf.Session(), str(tmp_path / "m"))
    assert os.listdir(tmp_path) == []


def test_corrupt_state_file_is_ignored_with_a_warning(tmp_path):
    (tmp_path / "checkpoint").write_text('model_checkpoint_path: "model-3\n')
    with pytest.warns(UserWarning, match="not a checkpoint state file"):
        assert tf.train.latest_checkpoint(str(tmp_path)) is None


def test_corrupt_data_file_fails_restore_with_data_loss(tmp_path):
    v = tf.Variable(np.arange(100, dtype=np.float32), name='v')
    sess = tf.Session()
    sess.run(v.initializer)
    prefix = tf.train.Saver().save(sess, str(tmp_path / "m"))
    data = bytearray((tmp_path / "m.data-00000-of-00001").read_bytes())
    data[40] ^= 4
    (tmp_path / "m.data-00000-of-00001").write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="m.data-00000-of-00001: tensor 'v' at byte offset 0"):
        tf.train.Saver().restore(sess, prefix)


def test_meta_graph_text_form_and_bad_meta_files(tmp_path):
    v = tf.Variable([1.0, 2.0], name='v')
    tf.add_to_collection("my_numbers", 3)
    tf.add_to_collection("my_floats", 0.5)
    tf.add_to_collection("my_strings", "hello")
    meta = tf.train.Saver().export_meta_graph(str(tmp_path / "m.meta.txt"), as_text=True)
    assert 'restore_op_name: "save/restore_all"' in (tmp_path / "m.meta.txt").read_text()
    tf.reset_default_graph()
    tf.train.import_meta_graph(str(tmp_path / "m.meta.txt"))
    assert tf.get_collection("my_numbers") == [3] and tf.get_collection("my_floats") == [0.5]
    assert tf.get_collection("my_strings") == [b"hello"]  # as TF1 gives them back: bytes
    assert tf.global_variables()[0].name == v.name
    with pytest.raises(tf.errors.NotFoundError, match="nope.meta does not exist"):
        tf.train.import_meta_graph(str(tmp_path / "nope.meta"))
    (tmp_path / "cut.meta").write_bytes(meta.SerializeToString()[:100])
    with pytest.raises(tf.errors.DataLossError, match="cut.meta"):
        tf.train.import_meta_graph(str(tmp_path / "cut.meta"))


def test_recover_last_checkpoints_lets_a_new_saver_prune_old_ones(tmp_path):
    v = tf.Variable(1.0, name='v')
    sess = tf.Session()
    sess.run(v.initializer)
    first = tf.train.Saver()
    for step in range(3):
        first.save(sess, str(tmp_path / "model"), global_step=step, write_meta_graph=False)
    second = tf.train.Saver(max_to_keep=2)
    second.recover_last_checkpoints(tf.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths)
    second.save(sess, str(tmp_path / "model"), global_step=3, write_meta_graph=False)
    assert second.last_checkpoints == [str(tmp_path / "model-2"), str(tmp_path / "model-3")]
    assert sorted(f for f in os.listdir(tmp_path) if f.endswith(".index")) == ["model-2.index", "model-3.index"]


def test_tf1_spellings_of_the_options(tmp_path):
    v = tf.Variable(1.0, name='v')
    saver = tf.train.Saver(write_version=tf.train.SaverDef.V2, defer_build=True, pad_step_number=True)
    with pytest.raises(RuntimeError, match="build"):
        saver.save(tf.Session(), str(tmp_path / "m"))
    saver.build()
    sess = tf.Session()
    sess.run(v.initializer)
    assert saver.save(sess, str(tmp_path / "m"), global_step=7) == str(tmp_path / "m-00000007")
    with pytest.raises(ValueError, match="V2 checkpoints only"):
        tf.train.Saver(write_version=tf.train.SaverDef.V1)
