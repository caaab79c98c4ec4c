"""tf.train.Saver: save variables to TF1 checkpoints and restore them, through ops in the graph.

Mirrors tensorflow/python/training/saver.py. A Saver adds TF1's `save/` ops: save() feeds a
path to `save/Const` and runs `save/control_dependency` (SaveV2 writes the files); restore()
runs `save/restore_all` (RestoreV2 reads, one Assign per variable). Its SaverDef names these
nodes, so a graph exported with it restores in real TensorFlow too.
"""
import numbers
import os
import time

from ..errors import InvalidArgumentError, NotFoundError
from ..graph import GraphKeys, Tensor, get_collection, graph_of
from ..ops.constant import placeholder_with_default
from ..ops.control import group, with_dependencies
from ..ops.state import assign
from ..protos import SaverDef
from ..variables import Variable, global_variables
from . import io_ops
from .checkpoint import CheckpointReader, checkpoint_exists, missing_checkpoint_hint
from .checkpoint_management import (STATE_FILE, meta_graph_filename, remove_checkpoint,
                                    update_checkpoint_state)
from .meta_graph import export_meta_graph

V2 = 2  # SaverDef.V2, the only checkpoint format tfteach writes


class CheckpointNotFoundError(NotFoundError, ValueError):
    """No checkpoint at the path given to restore(): a NotFoundError, and TF1's ValueError."""


class Saver:
    """Saves and restores variables: `saver.save(sess, 'run/model', global_step=step)`.

    Args:
      var_list: the variables to save: a list (each saved under its op name, e.g.
        'layer1/weights') or a dict {name in the checkpoint: variable}. Default: every
        global variable, optimizer slots (`weights/Adam`) and Adam's beta powers included.
      max_to_keep: how many recent checkpoints to keep; older ones are deleted (None or 0:
        keep all).
      keep_checkpoint_every_n_hours: also keep one checkpoint per this many hours.
      name: the name scope of the save ops (default 'save').
      saver_def: use the save ops a SaverDef names instead of adding new ones.
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False, write_version=V2,
                 pad_step_number=False, save_relative_paths=False, filename=None):
        for option, value in (("reshape", reshape), ("sharded", sharded), ("builder", builder)):
            if value:
                raise NotImplementedError(f"tfteach's Saver does not implement {option}={value!r}")
        if write_version != V2:
            raise ValueError(f"tfteach writes V2 checkpoints only (write_version=2), got {write_version!r}")
        self._var_list = var_list
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._name = name
        self._filename = filename
        self._allow_empty = allow_empty
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._last_checkpoints = []  # [(prefix, time saved)], oldest first
        self._to_delete = []
        self._is_empty = False
        self.saver_def = saver_def
        if saver_def is not None and saver_def.version not in (0, V2):
            raise ValueError(f"tfteach reads V2 checkpoints only; this SaverDef is version {saver_def.version}")
        if saver_def is None and not defer_build:
            self.build()
        self._next_checkpoint_time = time.time() + self._hours() * 3600

    def _hours(self):
        return self.saver_def.keep_checkpoint_every_n_hours if self.saver_def else self._keep_hours

    # ---- the save/ ops ------------------------------------------------------------------
    def build(self):
        """Add the save and restore ops (done by the constructor unless defer_build=True)."""
        if self.saver_def is not None or self._is_empty:
            return
        names_to_vars = _names_to_variables(self._var_list)
        if not names_to_vars:
            if self._allow_empty:
                self._is_empty = True
                return
            raise ValueError("No variables to save")
        graph = graph_of(list(names_to_vars.values()))
        with graph.as_default(), graph.name_scope(self._name or "save"):
            # two placeholders, as TF1 has: `save/Const` is the name every SaverDef points at
            filename = placeholder_with_default(self._filename or "model", shape=(), name="filename")
            filename = placeholder_with_default(filename, shape=(), name="Const")
            names, tensors = list(names_to_vars), list(names_to_vars.values())
            slices = [""] * len(names)  # whole tensors: no partitioned variables
            saved = with_dependencies([io_ops.save_v2(filename, names, slices, tensors)], filename)
            restored = io_ops.restore_v2(filename, names, slices, [t.dtype.base_dtype for t in tensors])
            assigns = [assign(t, value, validate_shape=t.shape.is_fully_defined())
                       for t, value in zip(tensors, restored)]
            restore_all = group(*assigns, name="restore_all")
        self.saver_def = SaverDef(filename_tensor_name=filename.name, save_tensor_name=saved.name,
                                  restore_op_name=restore_all.name, max_to_keep=self._max_to_keep or 0,
                                  keep_checkpoint_every_n_hours=self._keep_hours, version=V2)

    def as_saver_def(self):
        return self.saver_def

    to_proto = as_saver_def

    # ---- saving ------------------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None, meta_graph_suffix="meta",
             write_meta_graph=True, write_state=True, strip_default_attrs=False, save_debug_info=False):
        """Save the variables' values in `sess` as checkpoint `save_path` (`save_path-<step>`).

        Writes `<prefix>.index`, `<prefix>.data-00000-of-00001`, `<prefix>.meta` (the graph,
        for tf.train.import_meta_graph) and the `checkpoint` state file, each atomically, the
        state file last; then deletes checkpoints beyond max_to_keep.
        Returns:
          The checkpoint's prefix, e.g. 'run/model-100' (None if the Saver has no variables).
        """
        latest_filename = latest_filename or STATE_FILE
        if os.path.dirname(latest_filename):
            raise ValueError(f"'latest_filename' must not contain path components, got {latest_filename!r}")
        save_path = _as_str(save_path)
        if global_step is not None:
            if not isinstance(global_step, numbers.Integral):
                global_step = int(sess.run(global_step))  # a global-step Variable or tensor
            step = f"{global_step:08d}" if self._pad_step_number else str(global_step)
            checkpoint_file = f"{save_path}-{step}"
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename:
                raise ValueError(f"'latest_filename' collides with 'save_path': '{latest_filename}' and "
                                 f"'{save_path}'")
        parent = os.path.dirname(save_path)
        prefix = None
        if not self._is_empty:
            self._check_graph(sess)
            try:
                prefix = _as_str(sess.run(self.saver_def.save_tensor_name,
                                          {self.saver_def.filename_tensor_name: checkpoint_file}))
            except NotFoundError:
                if not os.path.isdir(parent or "."):  # SaveV2 makes one directory level, not more
                    raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save. Create it "
                                     f"first: os.makedirs({parent!r})") from None
                raise
        if write_meta_graph:
            self.export_meta_graph(meta_graph_filename(checkpoint_file, meta_graph_suffix), graph=sess.graph)
        if prefix is not None and write_state:
            self._record_last_checkpoint(prefix)
            update_checkpoint_state(parent, prefix, self.last_checkpoints, latest_filename,
                                    self._save_relative_paths)
            self._delete_old_checkpoints(meta_graph_suffix)
        return prefix

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False, export_scope=None,
                          clear_devices=False, clear_extraneous_savers=False, strip_default_attrs=False,
                          save_debug_info=False, graph=None):
        """The MetaGraphDef of the graph with this Saver's SaverDef, written to `filename`."""
        return export_meta_graph(filename=filename, graph=graph, saver_def=self.saver_def,
                                 collection_list=collection_list, as_text=as_text, export_scope=export_scope)

    # ---- restoring ---------------------------------------------------------------------
    def restore(self, sess, save_path):
        """Set the saved variables in `sess` to their values in checkpoint `save_path`.

        Raises:
          NotFoundError: no checkpoint at `save_path` (also a ValueError, as TF1 raises), or
            variables the checkpoint does not hold (every one is listed).
          InvalidArgumentError: variables whose shape or dtype differ from the checkpoint's.
        """
        if self._is_empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None. (tf.train.latest_checkpoint(dir) returns "
                             "None when dir has no checkpoint: save one first, or check the directory.)")
        save_path = _as_str(save_path)
        self._check_graph(sess)
        if not checkpoint_exists(save_path):
            raise CheckpointNotFoundError(None, None, f"The passed save_path is not a valid checkpoint: "
                                          f"{save_path} (there is no file {save_path}.index)."
                                          f"{missing_checkpoint_hint(save_path)}")
        _check_matches(sess.graph, self.saver_def.restore_op_name, save_path)
        sess.run(self.saver_def.restore_op_name, {self.saver_def.filename_tensor_name: save_path})

    def _check_graph(self, sess):
        if not hasattr(sess, "run") or not hasattr(sess, "graph"):
            raise TypeError(f"'sess' must be a Session; {sess!r}")
        if self.saver_def is None:
            raise RuntimeError("`build()` should be called before save or restore if defer_build==True")
        try:
            sess.graph.get_operation_by_name(self.saver_def.restore_op_name)
        except KeyError:
            raise ValueError(f"The session's graph has no op '{self.saver_def.restore_op_name}': this Saver was "
                             f"made in another graph (before tf.reset_default_graph()?). Make the Saver after "
                             f"building the model, in the graph the session runs.") from None

    # ---- which checkpoints are kept ------------------------------------------------------
    @property
    def last_checkpoints(self):
        """The prefixes of the checkpoints this Saver keeps, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths):
        """Take over the checkpoints a previous run kept (those that still exist), for pruning."""
        kept = [p for p in checkpoint_paths if checkpoint_exists(p)]
        self._last_checkpoints = sorted(((p, os.path.getmtime(p + ".index")) for p in kept), key=lambda x: x[1])

    def _record_last_checkpoint(self, prefix):
        if not self.saver_def.max_to_keep:
            return
        self._last_checkpoints = [(p, t) for p, t in self._last_checkpoints if p != prefix]
        self._last_checkpoints.append((prefix, time.time()))
        while len(self._last_checkpoints) > self.saver_def.max_to_keep:  # TF1 drops one per save
            self._to_delete.append(self._last_checkpoints.pop(0))

    def _delete_old_checkpoints(self, meta_graph_suffix):
        while self._to_delete:
            prefix, saved = self._to_delete.pop(0)
            if saved > self._next_checkpoint_time:  # one kept per keep_checkpoint_every_n_hours
                self._next_checkpoint_time += self._hours() * 3600
                continue
            try:
                remove_checkpoint(prefix, V2, meta_graph_suffix)
            except OSError:
                pass  # already gone, or not ours to delete: saving still succeeded


# ---- helpers ---------------------------------------------------------------------------
def _as_str(path):
    path = os.fspath(path)
    return path.decode("utf-8") if isinstance(path, bytes) else path


def _names_to_variables(var_list):
    """{name in the checkpoint: the variable's ref tensor}, sorted by name, as TF1 saves them."""
    if var_list is None:
        var_list = global_variables() + get_collection(GraphKeys.SAVEABLE_OBJECTS)
    if isinstance(var_list, dict):
        items = list(var_list.items())
    else:
        items = [(_variable_tensor(v).op.name, v) for v in var_list]
    result, seen = {}, {}
    for name, var in items:
        if not isinstance(name, str):
            raise TypeError(f"var_list keys must be names (strings), got {name!r}")
        tensor = _variable_tensor(var)
        if name in result:
            raise ValueError(f"At least two variables have the same name: {name}")
        if tensor in seen:
            raise ValueError(f"The same variable would be saved as '{seen[tensor]}' and as '{name}'")
        result[name], seen[tensor] = tensor, name
    return dict(sorted(result.items()))


def _variable_tensor(var):
    if isinstance(var, Variable):
        return var._ref()
    if isinstance(var, Tensor) and var.op.type == "VariableV2":
        return var
    raise TypeError(f"Variable to save is not a Variable: {var!r}")


def _restore_targets(op):
    """[(name in the checkpoint, VariableV2 op)] that the restore op `op` assigns."""
    targets = []
    for c in op.control_inputs:
        if c.type == "NoOp":  # e.g. a sharded TF saver's `save/restore_shard`
            targets += _restore_targets(c)
        elif c.type == "Assign" and c.inputs[1].op.type == "RestoreV2":
            names = c.inputs[1].op.inputs[1].op
            if names.type == "Const" and c.inputs[0].op.type == "VariableV2":
                name = names.attrs["value"].ravel()[c.inputs[1].value_index]
                targets.append((name.decode("utf-8") if isinstance(name, bytes) else name, c.inputs[0].op))
    return targets


def _check_matches(graph, restore_op_name, save_path):
    """Raise, listing every variable that is missing from the checkpoint or differs in it."""
    reader = CheckpointReader(save_path)
    shapes, dtypes = reader.get_variable_to_shape_map(), reader.get_variable_to_dtype_map()
    missing, wrong = [], []
    targets = _restore_targets(graph.get_operation_by_name(restore_op_name))
    for key, var in targets:
        label = f"'{key}'" if key == var.name else f"'{key}' (variable '{var.name}')"
        if key not in shapes:
            missing.append(f"{label}: not found in the checkpoint")
            continue
        dtype, shape = var.attrs["dtype"].base_dtype, var.attrs["shape"]
        if dtypes[key] != dtype:
            wrong.append(f"{label}: dtype {dtype.name} in the graph, {dtypes[key].name} in the checkpoint")
        if not shape.is_compatible_with(shapes[key]):
            wrong.append(f"{label}: shape {_dims(shape.as_list())} in the graph, {_dims(shapes[key])} in the "
                         f"checkpoint")
    if not missing and not wrong:
        return
    held = [f"'{k}' {_dims(shapes[k])} {dtypes[k].name}" for k in sorted(shapes)]
    if len(held) > 12:
        held = held[:12] + [f"... ({len(held)} in all: tf.train.list_variables(path))"]
    problems = missing + wrong
    error = NotFoundError if missing else InvalidArgumentError  # TF1: RestoreV2's NotFound comes first
    raise error(None, None, f"Restoring from checkpoint failed: {len(problems)} problem(s) between the graph's "
                f"{len(targets)} saved variables and checkpoint {save_path}:\n  " + "\n  ".join(problems)
                + "\nThe checkpoint holds: " + ", ".join(held) + ".\nBuild the graph as it was when saved (same "
                "variable names, shapes and dtypes), or give tf.train.Saver a var_list {name in the checkpoint: "
                "variable}.")


def _dims(dims):
    return "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"
