"""tf.estimator: Estimator, EstimatorSpec, ModeKeys, RunConfig and tf.estimator.inputs (TF 1.15).

A thin driver over Graph + Session + Saver: see docs/estimator.md.
"""
from . import inputs  # noqa: F401
from .estimator import Estimator, NanLossDuringTrainingError  # noqa: F401
from .hooks import SessionRunArgs, SessionRunContext, SessionRunHook, SessionRunValues  # noqa: F401
from .model_fn import EstimatorSpec, ModeKeys  # noqa: F401
from .run_config import RunConfig  # noqa: F401
from .canned_estimators import DNNClassifier, DNNRegressor, LinearClassifier, LinearRegressor  # noqa: F401
from .canned_combined import DNNLinearCombinedClassifier, DNNLinearCombinedRegressor  # noqa: F401

__all__ = ["DNNClassifier", "DNNLinearCombinedClassifier", "DNNLinearCombinedRegressor", "DNNRegressor", "LinearClassifier", "LinearRegressor", "Estimator", "EstimatorSpec", "ModeKeys", "NanLossDuringTrainingError", "RunConfig", "SessionRunArgs",
           "SessionRunContext", "SessionRunHook", "SessionRunValues"]


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from ..coverage import missing
    raise missing("tf.estimator", name)
