"""TF 2's switches back to TF1 behaviour (tf.compat.v1.disable_v2_behavior & co.): tfteach is TF1.

Programs written for TF 2's tf.compat.v1 start with these calls; tfteach accepts them and does
nothing, since it has only TF1's graphs, reference variables and control flow (Enter/Merge/
Switch/Exit frames). The `enable_*` ones raise: tfteach has no TF 2 behaviour to turn on.
"""

__all__ = ["control_flow_v2_enabled", "disable_control_flow_v2", "disable_eager_execution",
           "disable_resource_variables", "disable_v2_behavior", "enable_control_flow_v2",
           "enable_v2_behavior", "executing_eagerly"]


def disable_control_flow_v2():
    """Use TF1's control flow (while frames, Switch/Merge conds): tfteach's only kind. A no-op."""


def enable_control_flow_v2():
    raise NotImplementedError("tfteach has TF1's control flow only (Enter/Merge/Switch/Exit frames); "
                              "control flow v2 (functional While/If ops) is not implemented. Remove this "
                              "call, or call tf.disable_control_flow_v2().")


def control_flow_v2_enabled():
    """False: tfteach builds TF1's control flow."""
    return False


def disable_v2_behavior():
    """Turn off TF 2's behaviours: tfteach has none (graphs, sessions, TF1 control flow). A no-op."""


def enable_v2_behavior():
    raise NotImplementedError("tfteach is TensorFlow 1.x's graph API only: there is no TF 2 behaviour "
                              "(eager execution, tf.function, resource variables) to enable. Remove this call.")


def disable_eager_execution():
    """tfteach always builds graphs and runs them in a Session. A no-op."""


def executing_eagerly():
    """False: ops build graph nodes; values come from Session.run."""
    return False


def disable_resource_variables():
    """tfteach's tf.Variable is TF1's reference variable (VariableV2). A no-op."""
