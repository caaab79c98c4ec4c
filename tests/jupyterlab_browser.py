"""Fixtures for real-browser widget tests: a throwaway JupyterLab and Debian's Chromium.

Use them from a test module marked `browser`:

    from jupyterlab_browser import jupyter_lab, lab_page, open_and_run_all  # noqa: F401

`jupyter_lab` starts JupyterLab on a free port of 127.0.0.1 with an empty token, a throwaway
config/data/settings dir (news toast and autosave off) and a copy of the widget notebooks as
its root, so the repository's notebooks are never rewritten. `lab_page` is a Playwright page
in headless Chromium started from `executable_path` (no browser download). Without Chromium
or Playwright the tests skip, unless TFTEACH_BROWSER=required (CI's browser step) makes that a
failure.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START_TIMEOUT_S = 90
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]
SETTINGS = {  # JupyterLab user settings: nothing pops up, nothing is saved behind our back
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def _unavailable(reason):
    if os.environ.get("TFTEACH_BROWSER") == "required":
        pytest.fail(f"browser test required but {reason}")
    pytest.skip(reason)


def chromium_path():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    _unavailable("Chromium is not installed (apt-get install chromium)")


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install playwright; no browser download needed)")
    return sync_playwright


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url, proc, log_path):
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "/api/status", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    with open(log_path) as f:
        log = f.read()[-3000:]
    raise RuntimeError(f"JupyterLab did not answer {url}/api/status within {START_TIMEOUT_S}s "
                       f"(exit code {proc.poll()}):\n{log}")


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory):
    """Base URL of a JupyterLab serving a copy of widgets/ (started and stopped here)."""
    pytest.importorskip("jupyterlab")
    _playwright()
    chromium_path()  # no server for a test that would skip anyway
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "root"
    shutil.copytree(os.path.join(ROOT, "widgets"), root)
    # the lessons too, under notebooks/, as a learner opens them (without their run outputs)
    shutil.copytree(os.path.join(ROOT, "notebooks"), root / "notebooks",
                    ignore=shutil.ignore_patterns("last-run*", "log_*", ".ipynb_checkpoints"))
    for plugin, values in SETTINGS.items():
        path = home / "settings" / (plugin + ".jupyterlab-settings")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])),
               # the python3 kernelspec runs `python`: make it this interpreter
               PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = home / "jupyterlab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password=",
             f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True", "--allow-root"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root, start_new_session=True)
    try:
        _wait_ready(url, proc, log_path)
        yield url
    finally:
        _stop(proc)


def _stop(proc):
    """SIGTERM (the server shuts its kernels down), then SIGKILL for whatever is left."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the group started for this server: stray kernels
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture
def lab_page():
    """A Playwright page in headless Debian Chromium, closed afterwards."""
    sync_playwright = _playwright()
    executable = chromium_path()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
                                    timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def open_and_run_all(page, base_url, notebook):
    """Open `notebook` (a path under widgets/, or notebooks/<lesson>) in JupyterLab and run all."""
    from playwright.sync_api import expect
    # ?reset: a fresh workspace, so notebooks opened by earlier tests are not open beside it
    page.goto(f"{base_url}/lab/tree/{notebook}?reset", wait_until="domcontentloaded")
    expect(page.locator(".jp-NotebookPanel")).to_be_visible(timeout=90_000)
    # the kernel is up when the app says so; then run every cell, as the Run menu does
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const kernel = w && w.sessionContext && w.sessionContext.session &&
                           w.sessionContext.session.kernel;
            return kernel && kernel.status === 'idle';
        }""", timeout=90_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
