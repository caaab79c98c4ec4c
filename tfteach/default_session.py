"""The default-session stack: `with sess.as_default()`, tf.get_default_session, and the session
`tensor.eval()` / `op.run()` use. TF1 keeps it in framework/ops.py beside the default graph;
here it is its own small module, imported by graph.py (which re-exports it) and session.py.
"""


_default_session_stack = []


class _DefaultSession:
    def __init__(self, session):
        self._session = session

    def __enter__(self):
        _default_session_stack.append(self._session)
        return self._session

    def __exit__(self, *exc):
        if self._session in _default_session_stack:
            _default_session_stack.remove(self._session)


def get_default_session():
    return _default_session_stack[-1] if _default_session_stack else None


def _session_for(session, element):
    """The session `eval()`/`run()` use: the one given, else the default one, checked."""
    session = session or get_default_session()
    if session is None:
        raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. "
                         "Use `with sess.as_default()` or pass an explicit session to `eval(session=sess)`")
    if session.graph is not element.graph:
        raise ValueError("Cannot use the given session to evaluate tensor: the tensor's graph is "
                         "different from the session's graph.")
    return session
