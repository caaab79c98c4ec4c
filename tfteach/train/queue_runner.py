"""tf.train.QueueRunner, Coordinator and start_queue_runners, without threads.

Mirrors tensorflow/python/training/queue_runner_impl.py and coordinator.py. In TF1 a queue
runner is a set of threads, each running an enqueue op in a loop. tfteach runs no threads:
`start_queue_runners` registers the runners with the session, and a dequeue that finds its
queue short runs their enqueue ops itself (see tfteach/ops/queue_ops.py). What a program
sees is TF's: the same elements, OutOfRangeError once the last epoch is read, and a
Coordinator whose should_stop() turns True after request_stop() or a runner's error.
"""
from ..errors import OutOfRangeError
from ..graph import GraphKeys, add_to_collection
from ..ops.queue_ops import started_runners


class QueueRunner:
    """Holds a queue and the enqueue ops that fill it (TF1 gives each its own thread)."""

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 queue_closed_exception_types=None, queue_runner_def=None, import_scope=None):
        if queue is None or not enqueue_ops:
            raise ValueError("QueueRunner needs a queue and a list of enqueue ops.")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        self._distinct = list(dict.fromkeys(self._enqueue_ops))  # num_threads copies of one op run as one
        self._next = 0
        self._coords = {}
        self._exceptions_raised = []

    queue = property(lambda self: self._queue)
    enqueue_ops = property(lambda self: self._enqueue_ops)
    close_op = property(lambda self: self._close_op)
    cancel_op = property(lambda self: self._cancel_op)
    name = property(lambda self: self._queue.name)
    exceptions_raised = property(lambda self: list(self._exceptions_raised))
    queue_closed_exception_types = property(lambda self: (OutOfRangeError,))

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """Register this runner with `sess` (tfteach fills the queue on demand, see the module
        docstring); returns one stand-in thread per enqueue op, as TF returns its threads."""
        runners = started_runners(sess).setdefault(self._queue.queue_ref.op, [])
        if self not in runners:
            runners.append(self)
        self._coords[sess] = coord
        self._session = sess
        threads = [_OnDemandThread(self, sess, i) for i in range(len(self._enqueue_ops))]
        if coord is not None:
            for t in threads:
                coord.register_thread(t)
        return threads

    def _run_once(self, session):
        """Run the next enqueue op (TF1's threads take turns; here one op a call)."""
        op = self._distinct[self._next % len(self._distinct)]
        self._next += 1
        session.run(op)

    def _report(self, error):
        self._exceptions_raised.append(error)
        coord = self._coords.get(getattr(self, "_session", None))
        if coord is not None:
            coord.request_stop(error)


class _OnDemandThread:
    """What create_threads returns in place of a thread: it runs only when a dequeue needs it."""

    daemon = True

    def __init__(self, runner, session, index):
        self._runner, self._session, self.name = runner, session, f"QueueRunnerThread-{runner.name}-{index}"

    def is_alive(self):
        return self._runner in started_runners(self._session).get(self._runner.queue.queue_ref.op, [])

    def join(self, timeout=None):
        return None

    def start(self):
        return None


def add_queue_runner(qr, collection=GraphKeys.QUEUE_RUNNERS):
    """Add `qr` to the graph's queue runners (what start_queue_runners starts)."""
    add_to_collection(collection, qr)


def start_queue_runners(sess=None, coord=None, daemon=True, start=True, collection=GraphKeys.QUEUE_RUNNERS):
    """Start the graph's queue runners in `sess` (the default session if None): they fill
    their queues whenever a dequeue needs elements. Returns stand-ins for TF's threads."""
    if sess is None:
        from ..session import get_default_session
        sess = get_default_session()
        if sess is None:
            raise ValueError("Cannot start queue runners: No default session is registered. Use `with "
                             "sess.as_default()` or pass an explicit session to tf.start_queue_runners(sess=sess)")
    threads = []
    for qr in sess.graph.get_collection(collection):
        threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads


class Coordinator:
    """Tells "threads" when to stop: request_stop(), should_stop(), join().

    As in TF, an OutOfRangeError passed to request_stop is a clean stop; any other error is
    raised again by join().
    """

    def __init__(self, clean_stop_exception_types=None):
        self._clean = tuple(clean_stop_exception_types or (OutOfRangeError,))
        self._stop = False
        self._exception = None
        self._threads = []
        self._joined = False

    def request_stop(self, ex=None):
        """Ask everyone to stop; `ex` (an exception) is re-raised by join() unless it is clean."""
        if ex is not None and not isinstance(ex, self._clean) and self._exception is None:
            self._exception = ex
        self._stop = True

    def should_stop(self):
        return self._stop

    def clear_stop(self):
        self._stop = False
        self._exception = None
        self._joined = False

    def wait_for_stop(self, timeout=None):
        return self._stop

    def register_thread(self, thread):
        self._threads.append(thread)

    def stop_on_exception(self):
        return _StopOnException(self)

    def raise_requested_exception(self):
        if self._exception is not None:
            raise self._exception

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Wait for the threads (tfteach has none running) and re-raise a reported error."""
        self._joined = True
        self._threads = []
        if self._exception is not None:
            raise self._exception

    @property
    def joined(self):
        return self._joined


class _StopOnException:
    def __init__(self, coord):
        self._coord = coord

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if value is not None:
            self._coord.request_stop(value)
            return True
        return False
