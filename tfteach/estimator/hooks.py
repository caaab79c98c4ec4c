"""tf.estimator.SessionRunHook (tf.train.SessionRunHook): code that runs around each Estimator step.

Mirrors tensorflow/python/training/session_run_hook.py. The Estimator calls, in order:
begin() before the graph is finalized, after_create_session(session, coord) once variables are
restored or initialized, before_run(run_context) / after_run(run_context, run_values) around
each step (before_run may add fetches and feeds: return SessionRunArgs), and end(session).
"""
import collections


class SessionRunHook:
    """Override the methods you need; each default does nothing."""

    def begin(self):
        pass

    def after_create_session(self, session, coord):
        pass

    def before_run(self, run_context):
        return None

    def after_run(self, run_context, run_values):
        pass

    def end(self, session):
        pass


class SessionRunArgs(collections.namedtuple("SessionRunArgs", ["fetches", "feed_dict", "options"])):
    """What before_run asks for: more fetches (any structure Session.run takes) and feeds."""

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


SessionRunValues = collections.namedtuple("SessionRunValues", ["results", "options", "run_metadata"])


class SessionRunContext:
    """What a hook sees of a step: the fetches asked for, the session, request_stop()."""

    def __init__(self, original_args, session):
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    original_args = property(lambda self: self._original_args)
    session = property(lambda self: self._session)
    stop_requested = property(lambda self: self._stop_requested)

    def request_stop(self):
        self._stop_requested = True


class _HookRunner:
    """Runs one step with the hooks around it (what TF's MonitoredSession does for hooks)."""

    def __init__(self, hooks):
        self.hooks = list(hooks)
        self.stop_requested = False

    def begin(self):
        for h in self.hooks:
            h.begin()

    def after_create_session(self, sess):
        for h in self.hooks:
            h.after_create_session(sess, None)

    def run(self, sess, fetches):
        if not self.hooks:
            return sess.run(fetches)
        context = SessionRunContext(SessionRunArgs(fetches), sess)
        extra, feeds = {}, {}
        for h in self.hooks:
            args = h.before_run(context)
            if args is not None:
                if args.fetches is not None:
                    extra[h] = args.fetches
                for key, value in (args.feed_dict or {}).items():
                    if key in feeds:
                        raise RuntimeError(f"Same tensor is fed by two hooks: {key}")
                    feeds[key] = value
        results = sess.run({"caller": fetches, "hooks": extra}, feed_dict=feeds or None)
        for h in self.hooks:
            h.after_run(context, SessionRunValues(results["hooks"].get(h), None, None))
        self.stop_requested = self.stop_requested or context.stop_requested
        return results["caller"]

    def end(self, sess):
        for h in self.hooks:
            h.end(sess)
