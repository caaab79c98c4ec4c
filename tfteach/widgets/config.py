"""A classroom configuration for a widget: which controls show, the learning-rate range, a step cap, a seed
(the stepper), or the controls and the first position shown (the replay).

A teacher writes it once, as keyword arguments, a dict or a small JSON file handed out with the
lesson; `stepper.export_config()` writes the one a widget has now, as JSON text to paste.
"""
import json
import math
import os

# the stepper's controls, as the widget shows them from left to right
CONTROLS = ("step", "play", "reset", "learning_rate")
# every key a configuration may hold, and what it means (docs/stepper.md has the same table)
KEYS = {
    "controls": "the controls that show, a list from " + ", ".join(CONTROLS),
    "learning_rate": "η at the start (the slider's value)",
    "learning_rate_range": "[lowest, highest] η the slider (and stepper.learning_rate) allows",
    "max_steps": "stop after this many steps in all; Play runs up to it",
    "seed": "an integer: random initial values and data batches are the same for everyone",
    "batch_size": "rows of the learner's data per step (default: all of them)",
}


# the replay's controls and keys (Replay(..., config=...))
REPLAY_CONTROLS = ("prev", "next", "play", "slider", "whole")
REPLAY_KEYS = {
    "controls": "the controls that show, a list from " + ", ".join(REPLAY_CONTROLS),
    "position": "the position shown first, from 0 (the first op that ran)",
    "group": "'op' (a position per op), 'scope' (per forward op and per gradient box) or 'auto'",
    "depth": "name-scope levels the picture opens (1: each <op>_grad box is one node; 'all')",
    "theme": "'light' or 'dark'",
}


# the Playground's controls and keys (Playground(..., config=...)); docs/playground.md has the table
PLAYGROUND_CONTROLS = ("play", "step", "reset", "regenerate", "dataset", "features", "network",
                       "learning_rate", "regularization", "data", "graph", "replay")
PLAYGROUND_KEYS = {
    "controls": "the controls that show, a list from " + ", ".join(PLAYGROUND_CONTROLS),
    "seed": "an integer: the same data, split and initial weights for everyone",
    "max_epochs": "Play stops at this epoch",
    "dataset": "circle, xor, gauss, spiral, plane or multi_gauss",
    "features": "a list from x1, x2, x1^2, x2^2, x1*x2, sin_x1, sin_x2",
    "hidden": "neurons per hidden layer, e.g. [4, 2]",
    "activation": "relu, tanh, sigmoid or linear",
    "problem": "classification or regression",
    "regularization": "null, L1 or L2",
    "regularization_rate": "the regularization's weight in the loss",
    "learning_rate": "η at the start",
    "noise": "0 to 0.5",
    "train_ratio": "the fraction of the points that train (0.1 to 0.9)",
    "batch_size": "points per step",
}


def load_config(config, keys=None, controls=None):
    """A configuration as a dict with only KEYS in it, from a dict, a JSON file's path or JSON text.

    Example: `load_config("class.json")`, `load_config('{"max_steps": 20}')`,
    `load_config({"controls": ["step", "reset"], "seed": 7})`.
    """
    if config is None:
        return {}
    source = "the configuration"
    if isinstance(config, (str, os.PathLike)):
        text = str(config) if str(config).lstrip().startswith("{") else None
        if text is None:
            source = f"the configuration file {os.fspath(config)!r}"
            try:
                with open(config, encoding="utf-8") as f:
                    text = f.read()
            except FileNotFoundError:
                raise FileNotFoundError(f"{source} does not exist (looked in {os.getcwd()}). Put the "
                                        f"teacher's JSON file next to the notebook, or pass its full "
                                        f"path.") from None
        try:
            config = json.loads(text)
        except ValueError as e:
            raise ValueError(f"{source} is not valid JSON: {e}") from None
    if not isinstance(config, dict):
        raise TypeError(f"{source} must be a JSON object (a dict), got {type(config).__name__}")
    keys = KEYS if keys is None else keys
    config = {k: v for k, v in config.items() if k != "widget"}  # export_config's label
    unknown = sorted(set(config) - set(keys))
    if unknown:
        raise ValueError(f"{source} has unknown key(s) {', '.join(map(repr, unknown))}; the keys are: "
                         + "; ".join(f"{k} ({v})" for k, v in keys.items()))
    return check(config, source, controls)


def check(config, source="the configuration", controls=None):
    """Check each value; returns the dict with tuples made lists and numbers made floats/ints.
    `controls`: the widget's controls (default: the stepper's)."""
    config = dict(config)
    known = CONTROLS if controls is None else controls
    if config.get("controls") is not None:
        controls = config["controls"]
        if isinstance(controls, str):
            controls = [controls]
        bad = [c for c in controls if c not in known]
        if bad:
            raise ValueError(f"{source}: unknown control(s) {bad}; the controls are {list(known)}")
        config["controls"] = [c for c in known if c in controls]
    if config.get("learning_rate_range") is not None:
        low, high = (float(x) for x in config["learning_rate_range"])
        if not 0 < low <= high or not math.isfinite(high):
            raise ValueError(f"{source}: learning_rate_range must be [lowest, highest] with "
                             f"0 < lowest <= highest, got {config['learning_rate_range']}")
        config["learning_rate_range"] = [low, high]
    for key in ("max_steps", "max_epochs", "seed", "batch_size", "position", "depth"):
        value = config.get(key)
        if value is not None and not (key == "depth" and value == "all"):
            zero_ok = key in ("seed", "position", "depth")
            if isinstance(value, bool) or int(value) != value or value < (0 if zero_ok else 1):
                raise ValueError(f"{source}: {key} must be a {'non-negative' if zero_ok else 'positive'} "
                                 f"integer, got {value!r}")
            config[key] = int(value)
    if config.get("learning_rate") is not None:
        config["learning_rate"] = float(config["learning_rate"])
    return config


def dump_config(config, widget, keys=None):
    """JSON text of a configuration, keys in KEYS's order, labelled with the widget it is for."""
    ordered = {"widget": widget}
    ordered.update((k, config[k]) for k in (KEYS if keys is None else keys) if config.get(k) is not None)
    return json.dumps(ordered)
