"""What `fit` reports: the History it returns and its progress display.

In a notebook the progress is one ipywidgets bar updated in place (the epoch, the samples done,
the running loss); elsewhere Keras' text bar. Neither shows timings, so stored notebook outputs
stay the same from run to run. verbose=0 shows nothing, verbose=2 one line per epoch.
"""
import sys
import time


class History:
    """`history.history['loss']` is the loss of each epoch (the mean over its batches, weighted by
    batch size, each computed before that batch's update, as in Keras); likewise every metric,
    with `val_` in front for the validation data."""

    def __init__(self, model=None, params=None):
        self.model = model
        self.params = params or {}
        self.epoch = []
        self.history = {}

    def record(self, epoch, logs):
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self):
        keys = ", ".join(self.history)
        return f"<History of {len(self.epoch)} epochs: {keys}>"


def format_logs(logs):
    """'loss: 0.1234 - accuracy: 0.9500', Keras' way of printing numbers."""
    return " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())


def _in_notebook():
    """True inside a Jupyter kernel with ipywidgets available (not in a terminal IPython)."""
    try:
        from IPython import get_ipython
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _display(widget):
    from IPython.display import display
    display(widget)


class ProgressBar:
    """Progress of `fit`: call epoch_begin, batch_end(seen, logs) after each batch, epoch_end."""

    interval = 0.1  # seconds between redraws within an epoch: enough to look live, cheap to send

    def __init__(self, epochs, samples, verbose=1, notebook=None, stream=None):
        self.epochs, self.samples, self.verbose = epochs, samples, verbose
        self.notebook = _in_notebook() if notebook is None else notebook
        self.stream = stream
        self.widget = None
        self._epoch = 0
        self._last = 0.0

    def _write(self, text):
        stream = self.stream or sys.stdout
        stream.write(text)
        stream.flush()

    # ---- the three events -------------------------------------------------------------
    def epoch_begin(self, epoch):
        self._epoch = epoch
        self._last = 0.0
        if self.verbose == 1 and self.notebook:
            self._widget_update(0, {})
        elif self.verbose:
            self._write(f"Epoch {epoch + 1}/{self.epochs}\n")

    def batch_end(self, seen, logs):
        if self.verbose != 1:
            return
        now = time.monotonic()
        if seen >= self.samples or now - self._last < self.interval:
            return  # the last batch is drawn by epoch_end, with the epoch's logs
        self._last = now
        if self.notebook:
            self._widget_update(seen, logs)
        else:
            self._write("\r" + self._bar(seen, logs))

    def epoch_end(self, epoch, logs):
        if self.verbose == 1 and self.notebook:
            self._widget_update(self.samples, logs, done=epoch + 1 == self.epochs)
        elif self.verbose == 1:
            self._write("\r" + self._bar(self.samples, logs) + "\n")
        elif self.verbose == 2:
            self._write(f" - {format_logs(logs)}\n")

    # ---- drawing --------------------------------------------------------------------------
    def _bar(self, seen, logs, width=30):
        """'32/64 [==============>...............] - loss: 1.1600', Keras' text bar."""
        filled = width * seen // max(self.samples, 1)
        arrow = ">" if 0 < filled < width else ""
        bar = "=" * max(filled - len(arrow), 0) + arrow + "." * (width - filled)
        digits = len(str(self.samples))
        text = f"{seen:{digits}d}/{self.samples} [{bar}]"
        return text + (f" - {format_logs(logs)}" if logs else "")

    def _widget_update(self, seen, logs, done=False):
        import ipywidgets as widgets
        if self.widget is None:
            bar = widgets.IntProgress(min=0, max=max(self.samples, 1), bar_style="info",
                                      style={"description_width": "initial"})
            label = widgets.Label()
            self.widget = widgets.HBox([bar, label])
            _display(self.widget)
        bar, label = self.widget.children
        bar.value = seen
        bar.description = f"Epoch {self._epoch + 1}/{self.epochs}"
        label.value = f"{seen}/{self.samples}" + (f" - {format_logs(logs)}" if logs else "")
        if done:
            bar.bar_style = "success"
