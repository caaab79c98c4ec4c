"""The few Keras backend functions notebooks call: clear_session and learning_phase."""
from ..graph import get_default_graph, reset_default_graph


def clear_session():
    """Start over: a new default graph, so layer names count from `dense` again."""
    reset_default_graph()


def learning_phase():
    """The bool placeholder that is True while `fit` trains (Dropout is active only then).

    One per graph, named `keras_learning_phase`, made on first use; it defaults to False.
    """
    from ..ops.constant import placeholder_with_default
    graph = get_default_graph()
    found = graph.get_collection_ref("keras_learning_phase")  # kept with the graph, as TF's Keras does
    if not found:
        with graph.name_scope(None):
            found.append(placeholder_with_default(False, shape=[], name="keras_learning_phase"))
    return found[0]
