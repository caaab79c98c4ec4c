"""Run TF1-API cases against a `tf` module and encode what they return as JSON.

A case is a function `case_<name>(tf)` written once against the TF1 API. The fixture
script (`tests/fixtures/make_fixtures.py`) runs every case on real TensorFlow and stores
the encoded result; `tests/test_tf_cases.py` runs the same case on tfteach and compares.
So the expected numbers, names, dtypes and error classes all come from the real thing.
"""
import importlib
import math

import numpy as np

CASE_MODULES = ["core_cases", "ops_cases", "grad_cases", "conv_cases", "bn_cases", "data_cases", "rnn_cases", "image_cases", "estimator_cases", "tf1names_cases", "engine_cases", "device_cases", "rnn_dynamic_cases", "tensor_array_cases", "while_cases", "functional_cases", "sparse_cases", "feature_column_cases", "jpeg_cases", "ftrl_cases"]


def catch(fn, *args, **kwargs):
    """Call fn; return its result, or {'error': <exception class name>} if it raises."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # the class name is what the case records
        return {"error": type(e).__name__}


def encode(obj):
    """Turn a case result into JSON-able data, keeping dtypes of numpy values."""
    if isinstance(obj, dict):
        return {str(k): encode(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [encode(v) for v in obj]
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "SUO":
            return {"array": [x.decode() if isinstance(x, bytes) else str(x) for x in obj.ravel().tolist()],
                    "shape": list(obj.shape), "dtype": "string"}
        return {"array": [_num(x) for x in obj.ravel().tolist()], "shape": list(obj.shape),
                "dtype": str(obj.dtype)}
    if isinstance(obj, np.generic):
        if isinstance(obj, np.bytes_):
            return {"bytes": obj.decode("latin-1")}
        return {"scalar": _num(obj.item()), "dtype": str(obj.dtype)}
    if isinstance(obj, bytes):
        return {"bytes": obj.decode("latin-1")}
    if isinstance(obj, float):
        return _num(obj)
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    raise TypeError(f"case returned an unencodable {type(obj).__name__}: {obj!r}")


def _num(x):
    if isinstance(x, float) and not math.isfinite(x):
        return {"float": repr(x)}  # JSON has no nan/inf
    return x


def all_cases():
    """[(module name, case name, function)] for every case in CASE_MODULES."""
    found = []
    for mod_name in CASE_MODULES:
        try:
            mod = importlib.import_module(f"cases.{mod_name}")
        except ModuleNotFoundError as e:
            if e.name == f"cases.{mod_name}":
                continue
            raise
        for name in sorted(dir(mod)):
            if name.startswith("case_"):
                found.append((mod_name, name, getattr(mod, name)))
    return found


def run_case(fn, tf):
    """Run one case on a fresh default graph and encode its result."""
    tf.reset_default_graph()
    if hasattr(tf, "set_random_seed"):
        tf.set_random_seed(0)
    return encode(fn(tf))
