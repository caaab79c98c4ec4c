"""The `checkpoint` state file, latest_checkpoint, removing old checkpoints, load_checkpoint.

Mirrors tensorflow/python/checkpoint/checkpoint_management.py and training/checkpoint_utils.py. The state file is a
CheckpointState in protobuf text format, e.g.

    model_checkpoint_path: "model-10"
    all_model_checkpoint_paths: "model-5"
    all_model_checkpoint_paths: "model-10"

Paths are stored relative to the file's directory when the Saver was given a relative path,
absolute when it was given an absolute one (as TF1 does); readers join them to the directory.
"""
import glob
import os
import warnings

from ..protobuf import DecodeError, parse_text
from ..protos import CheckpointState
from .checkpoint import CheckpointReader, atomic_write, checkpoint_exists, index_filename

STATE_FILE = "checkpoint"


def _state_path(save_dir, latest_filename=None):
    return os.path.join(save_dir, latest_filename or STATE_FILE)


def generate_checkpoint_state_proto(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None):
    """The CheckpointState listing `all_model_checkpoint_paths`, ending with the latest one."""
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    if not os.path.isabs(save_dir):  # relative paths become relative to save_dir, as in TF
        model_checkpoint_path = _rebase(model_checkpoint_path, save_dir)
        paths = [_rebase(p, save_dir) for p in paths]
    return CheckpointState(model_checkpoint_path=model_checkpoint_path, all_model_checkpoint_paths=paths)


def _rebase(path, save_dir):
    """A path relative to the working directory, made relative to save_dir (absolute: kept)."""
    return path if os.path.isabs(path) else os.path.relpath(path, save_dir)


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None, save_relative_paths=False):
    """Atomically rewrite `save_dir/checkpoint` to name the latest checkpoint and those kept.

    `save_relative_paths`: store paths relative to save_dir even when they are absolute,
    so the directory can be moved.
    """
    if save_relative_paths:
        model_checkpoint_path = _unabsolute(model_checkpoint_path, save_dir)
        all_model_checkpoint_paths = [_unabsolute(p, save_dir) for p in all_model_checkpoint_paths or []]
    state = generate_checkpoint_state_proto(save_dir, model_checkpoint_path, all_model_checkpoint_paths)
    path = _state_path(save_dir, latest_filename)
    if path == state.model_checkpoint_path:
        raise RuntimeError(f"Save path '{model_checkpoint_path}' conflicts with path used for checkpoint "
                           f"state.  Please use a different save path.")
    atomic_write(path, str(state).encode("utf-8"))


def _unabsolute(path, save_dir):
    """An absolute path made relative to save_dir (a relative one: kept)."""
    return os.path.relpath(path, save_dir) if os.path.isabs(path) else path


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState of `checkpoint_dir/checkpoint`, paths joined to the directory; or None.

    A state file that cannot be parsed gives a warning and None, as in TF.
    """
    checkpoint_dir = os.fspath(checkpoint_dir)
    path = _state_path(checkpoint_dir, latest_filename)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            state = parse_text(f.read(), CheckpointState())
        if not state.model_checkpoint_path:
            raise DecodeError("no model_checkpoint_path")
    except (DecodeError, OSError) as e:
        warnings.warn(f"{path}: not a checkpoint state file ({e}); checkpoint ignored", stacklevel=2)
        return None
    state.model_checkpoint_path = os.path.join(checkpoint_dir, state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [os.path.join(checkpoint_dir, p) for p in state.all_model_checkpoint_paths]
    return state


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint in `checkpoint_dir`, or None when there is none.

    Example: `saver.restore(sess, tf.train.latest_checkpoint('run/model'))`.
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    if state is not None:
        warnings.warn(f"Couldn't match files for checkpoint {state.model_checkpoint_path}", stacklevel=2)
    return None


def remove_checkpoint(checkpoint_prefix, checkpoint_format_version=2, meta_graph_suffix="meta"):
    """Delete a checkpoint's files: `.index`, `.data-*-of-*`, and its `.meta` when there is one."""
    pattern = glob.escape(checkpoint_prefix) + ".data-?????-of-?????"
    for path in [index_filename(checkpoint_prefix), meta_graph_filename(checkpoint_prefix, meta_graph_suffix)]:
        if os.path.exists(path):
            os.remove(path)
    for path in glob.glob(pattern):
        os.remove(path)


def meta_graph_filename(checkpoint_filename, meta_graph_suffix="meta"):
    """`model-10.meta` for the checkpoint `model-10`."""
    return checkpoint_filename + "." + meta_graph_suffix


def get_checkpoint_mtimes(checkpoint_prefixes):
    """The modification times (seconds since the epoch) of the checkpoints' `.index` files."""
    return [os.path.getmtime(index_filename(p)) for p in checkpoint_prefixes if checkpoint_exists(p)]



# ---- reading a checkpoint without a graph (checkpoint_utils) ----------------------------------
def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader of a checkpoint prefix, or of the latest checkpoint in a directory.

    Example: `tf.train.load_checkpoint('run').get_tensor('layer1/weights')`.
    """
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        path = latest
    return CheckpointReader(path)


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of every tensor in a checkpoint, sorted by name."""
    reader = load_checkpoint(ckpt_dir_or_file)
    return sorted(reader.get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name):
    """The value of tensor `name` ('w' or 'w:0') in a checkpoint, as a numpy array."""
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name[:-2] if name.endswith(":0") else name)
