"""The engine's house rules (issue #24): each op's facts live in its registration, imports
point one way and sit at the top of their modules, and the replay's words have a gradient behind.
"""
import pytest

import tfteach  # noqa: F401  (registers every op)
from tfteach import registry

# The op lists the plan and ops/array.py kept before the facts moved into the registrations
# (frozen here on purpose: every op in them must keep its flag values).
_NEVER_FOLD = {"Placeholder", "Switch", "Merge"}
_SHAPE_OPS = {"Shape", "Size", "Rank", "ShapeN"}
_NEW_ARRAY_OPS = {"Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "Maximum", "Minimum", "Pow",
                  "SquaredDifference", "MatMul", "Neg", "Square", "Sqrt", "Exp", "Log", "Relu",
                  "Sigmoid", "Tanh", "Conv2D", "Conv2DBackpropInput", "BiasAdd", "L2Loss", "Sum",
                  "Mean", "ApplyGradientDescent", "ApplyMomentum", "ApplyAdam", "ApplyAdagrad",
                  "ApplyRMSProp"}
_MAY_PASS_THROUGH = {"Identity", "StopGradient", "Sum", "Reshape", "Pow"}
_FOLDABLE = {"Const", "Identity", "Shape", "Size", "Rank", "Reshape", "Pack", "ConcatV2"}
# every op type registered before the change, with whether the plan could fold it
# (not session, not writes, no ref inputs, not in _NEVER_FOLD)
_NOT_FOLDABLE_BEFORE = {
    "ApplyAdagrad", "ApplyAdam", "ApplyCenteredRMSProp", "ApplyGradientDescent", "ApplyMomentum",
    "ApplyRMSProp", "Assign", "AssignAdd", "AssignSub", "CheckNumerics", "HistogramSummary",
    "IsVariableInitialized", "Merge", "MergeSummary", "Multinomial", "Placeholder", "Print",
    "RandomShuffle", "RandomStandardNormal", "RandomUniform", "RandomUniformInt", "RestoreV2",
    "SaveV2", "ScalarSummary", "Switch", "TruncatedNormal", "VariableV2"}
_OLD_LISTS = _NEVER_FOLD | _SHAPE_OPS | _NEW_ARRAY_OPS | _MAY_PASS_THROUGH | _FOLDABLE | _NOT_FOLDABLE_BEFORE


def _kernels():
    return {t: d for t, d in registry._OPS.items() if d.kernel is not None}


@pytest.mark.parametrize("op_type", sorted(_OLD_LISTS & set(_kernels())))
def test_the_old_lists_flags_are_the_registrations(op_type):
    facts = registry.lookup(op_type).facts
    assert ("pure" in facts) == (op_type not in _NOT_FOLDABLE_BEFORE and op_type not in _NEVER_FOLD)
    assert ("shape_only" in facts) == (op_type in _SHAPE_OPS)
    assert ("new_array" in facts) == (op_type in _NEW_ARRAY_OPS)
    assert ("pass_through" in facts) == (op_type in _MAY_PASS_THROUGH)
    assert ("build_time" in facts) == (op_type in _FOLDABLE)


def test_every_op_of_the_old_lists_is_registered():
    missing = (_OLD_LISTS - {"AddV2", "Div"}) - set(_kernels())  # AddV2, Div: listed, never registered
    assert not missing


def test_ops_outside_the_old_lists_have_only_pure():
    """Ops registered before the change that were in none of the lists: pure, nothing else.
    New ops (other families) may state more, so only the known op types are checked."""
    before = _BEFORE_PURE_ONLY & set(_kernels())
    wrong = {t: sorted(registry.lookup(t).facts) for t in before if registry.lookup(t).facts != registry.PURE}
    assert not wrong


def test_every_registered_op_states_valid_facts():
    for op_type, d in _kernels().items():
        assert d.facts <= registry.FACTS, op_type
        stateful = d.session or d.writes or d.ref_inputs
        if stateful:
            assert d.facts <= {"new_array"}, op_type


def test_registration_without_facts_raises():
    with pytest.raises(TypeError, match=r"kernel\('MadeUp'\): say which facts hold"):
        registry.kernel("MadeUp")
    with pytest.raises(ValueError, match="unknown facts"):
        registry.kernel("MadeUp", {"pure", "fast"})
    with pytest.raises(ValueError, match="stateful: it cannot be pure"):
        registry.kernel("MadeUp", registry.PURE, session=True)
    assert registry.lookup("MadeUp") is None  # nothing registered by a refused call


_BEFORE_PURE_ONLY = {
    "Abs", "AddN", "All", "Any", "ArgMax", "ArgMin", "AvgPool", "AvgPoolGrad", "BiasAddGrad",
    "BroadcastGradientArgs", "BroadcastTo", "Cast", "Ceil", "ConcatOffset",
    "Conv2DBackpropFilter", "Cos", "Cumprod", "Cumsum", "DynamicStitch", "Elu", "EluGrad",
    "Equal", "Erf", "ExpandDims", "Expm1", "Fill", "Floor", "FloorDiv", "FloorMod", "GatherV2",
    "Greater", "GreaterEqual", "InvertPermutation", "IsFinite", "IsInf", "IsNan", "LeakyRelu",
    "LeakyReluGrad", "Less", "LessEqual", "LinSpace", "ListDiff", "Log1p", "LogSoftmax",
    "LogicalAnd", "LogicalNot", "LogicalOr", "Max", "MaxPool", "MaxPoolGrad", "MaxPoolGradGrad",
    "Min", "MirrorPad", "MirrorPadGrad", "NoOp", "NotEqual", "OneHot", "OnesLike", "Pad",
    "PadV2", "PlaceholderWithDefault", "Prod", "Range", "Reciprocal", "ReciprocalGrad", "Relu6",
    "Relu6Grad", "ReluGrad", "ReverseV2", "Round", "Rsqrt", "RsqrtGrad", "Select", "SelectV2",
    "Selu", "SeluGrad", "SigmoidGrad", "Sign", "Sin", "Slice", "Softmax",
    "SoftmaxCrossEntropyWithLogits", "Softplus", "SoftplusGrad", "Softsign", "SoftsignGrad",
    "SparseSoftmaxCrossEntropyWithLogits", "Split", "SplitV", "SqrtGrad", "Squeeze",
    "StridedSlice", "StridedSliceGrad", "Tan", "TanhGrad", "Tile", "Transpose", "TruncateDiv",
    "TruncateMod", "Unpack", "UnsortedSegmentSum", "Where", "ZerosLike"}
