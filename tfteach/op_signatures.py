"""TensorFlow's op signatures: the inputs, outputs and attrs a NodeDef of each op type has.

Mirrors the REGISTER_OP declarations of tensorflow/core/ops/*.cc, which a GraphDef needs:
writing one, every NodeDef must carry the type attrs TF expects (`T`, `Tidx`, `N`, ...);
reading one, the output dtypes come from these rules. Op types not listed follow TF's usual
convention: attr `T` is the dtype of the first input, and every output has that dtype.
"""
import collections

from . import dtypes as _dtypes

# "inputs -> outputs | other attrs", in REGISTER_OP's notation: `x: T` is an input of type
# attr T, `values: N * T` a list of N of them, `data: list(U)` a list of any types, `Ref(T)`
# a variable reference, and a dtype name (`bool`) a fixed type.
# Generated from TensorFlow by tests/fixtures/make_tf_written.py --signatures; to add an op
# type, re-run it, or copy the op's line from TF's REGISTER_OP by hand.
# BEGIN GENERATED
SIGNATURES = {
    "Abs": "x: T -> y: T",
    "Add": "x: T, y: T -> z: T",
    "AddN": "inputs: N * T -> sum: T",
    "AddV2": "x: T, y: T -> z: T",
    "AdjustContrastv2": "images: T, contrast_factor: float32 -> output: T",
    "AdjustHue": "images: T, delta: float32 -> output: T",
    "AdjustSaturation": "images: T, scale: float32 -> output: T",
    "All": "input: bool, reduction_indices: Tidx -> output: bool | keep_dims",
    "Any": "input: bool, reduction_indices: Tidx -> output: bool | keep_dims",
    "ApplyAdagrad": "var: Ref(T), accum: Ref(T), lr: T, grad: T -> out: Ref(T) | use_locking update_slots",
    "ApplyAdam": "var: Ref(T), m: Ref(T), v: Ref(T), beta1_power: T, beta2_power: T, lr: T, beta1: T, beta2: T, epsilon: T, grad: T -> out: Ref(T) | use_locking use_nesterov",
    "ApplyCenteredRMSProp": "var: Ref(T), mg: Ref(T), ms: Ref(T), mom: Ref(T), lr: T, rho: T, momentum: T, epsilon: T, grad: T -> out: Ref(T) | use_locking",
    "ApplyFtrl": "var: Ref(T), accum: Ref(T), linear: Ref(T), grad: T, lr: T, l1: T, l2: T, lr_power: T -> out: Ref(T) | use_locking multiply_linear_by_lr",
    "ApplyFtrlV2": "var: Ref(T), accum: Ref(T), linear: Ref(T), grad: T, lr: T, l1: T, l2: T, l2_shrinkage: T, lr_power: T -> out: Ref(T) | use_locking multiply_linear_by_lr",
    "ApplyGradientDescent": "var: Ref(T), alpha: T, delta: T -> out: Ref(T) | use_locking",
    "ApplyMomentum": "var: Ref(T), accum: Ref(T), lr: T, grad: T, momentum: T -> out: Ref(T) | use_locking use_nesterov",
    "ApplyRMSProp": "var: Ref(T), ms: Ref(T), mom: Ref(T), lr: T, rho: T, momentum: T, epsilon: T, grad: T -> out: Ref(T) | use_locking",
    "ArgMax": "input: T, dimension: Tidx -> output: output_type",
    "ArgMin": "input: T, dimension: Tidx -> output: output_type",
    "AsString": "input: T -> output: string | precision scientific shortest width fill",
    "Assert": "condition: bool, data: list(T) ->  | summarize",
    "Assign": "ref: Ref(T), value: T -> output_ref: Ref(T) | validate_shape use_locking",
    "AssignAdd": "ref: Ref(T), value: T -> output_ref: Ref(T) | use_locking",
    "AssignSub": "ref: Ref(T), value: T -> output_ref: Ref(T) | use_locking",
    "Atan": "x: T -> y: T",
    "AvgPool": "value: T -> output: T | ksize strides padding data_format",
    "AvgPoolGrad": "orig_input_shape: int32, grad: T -> output: T | ksize strides padding data_format",
    "BatchDatasetV2": "input_dataset: variant, batch_size: int64, drop_remainder: bool -> handle: variant | parallel_copy output_types output_shapes metadata",
    "BiasAdd": "value: T, bias: T -> output: T | data_format",
    "BiasAddGrad": "out_backprop: T -> output: T | data_format",
    "BroadcastGradientArgs": "s0: T, s1: T -> r0: T, r1: T",
    "BroadcastTo": "input: T, shape: Tidx -> output: T",
    "Bucketize": "input: T -> output: int32 | boundaries",
    "CacheDataset": "input_dataset: variant, filename: string -> handle: variant | output_types output_shapes metadata",
    "Cast": "x: SrcT -> y: DstT | Truncate",
    "Ceil": "x: T -> y: T",
    "CheckNumerics": "tensor: T -> output: T | message",
    "ComputeAccidentalHits": "true_classes: int64, sampled_candidates: int64 -> indices: int32, ids: int64, weights: float32 | num_true seed seed2",
    "ConcatOffset": "concat_dim: int32, shape: N * shape_type -> offset: N * shape_type",
    "ConcatV2": "values: N * T, axis: Tidx -> output: T",
    "ConcatenateDataset": "input_dataset: variant, another_dataset: variant -> handle: variant | output_types output_shapes metadata",
    "Const": " -> output: dtype | value",
    "ControlTrigger": " -> ",
    "Conv2D": "input: T, filter: T -> output: T | strides use_cudnn_on_gpu padding explicit_paddings data_format dilations",
    "Conv2DBackpropFilter": "input: T, filter_sizes: int32, out_backprop: T -> output: T | strides use_cudnn_on_gpu padding explicit_paddings data_format dilations",
    "Conv2DBackpropInput": "input_sizes: int32, filter: T, out_backprop: T -> output: T | strides use_cudnn_on_gpu padding explicit_paddings data_format dilations",
    "Cos": "x: T -> y: T",
    "CountUpTo": "ref: Ref(T) -> output: T | limit",
    "Cumprod": "x: T, axis: Tidx -> out: T | exclusive reverse",
    "Cumsum": "x: T, axis: Tidx -> out: T | exclusive reverse",
    "DecodeBmp": "contents: string -> image: uint8 | channels",
    "DecodeCSV": "records: string, record_defaults: list(OUT_TYPE) -> output: list(OUT_TYPE) | field_delim use_quote_delim na_value select_cols",
    "DecodeGif": "contents: string -> image: uint8",
    "DecodeImage": "contents: string -> image: dtype | channels expand_animations",
    "DecodeJpeg": "contents: string -> image: uint8 | channels ratio fancy_upscaling try_recover_truncated acceptable_fraction dct_method",
    "DecodePng": "contents: string -> image: dtype | channels",
    "DivNoNan": "x: T, y: T -> z: T",
    "DynamicStitch": "indices: N * int32, data: N * T -> merged: T",
    "Elu": "features: T -> activations: T",
    "EluGrad": "gradients: T, outputs: T -> backprops: T",
    "EncodeJpeg": "image: uint8 -> contents: string | format quality progressive optimize_size chroma_downsampling density_unit x_density y_density xmp_metadata",
    "Enter": "data: T -> output: T | frame_name is_constant parallel_iterations",
    "Equal": "x: T, y: T -> z: bool | incompatible_shape_error",
    "Erf": "x: T -> y: T",
    "Exit": "data: T -> output: T",
    "Exp": "x: T -> y: T",
    "ExpandDims": "input: T, dim: Tdim -> output: T",
    "Expm1": "x: T -> y: T",
    "ExtractJpegShape": "contents: string -> image_shape: output_type",
    "FIFOQueueV2": " -> handle: resource | component_types shapes capacity container shared_name",
    "Fill": "dims: index_type, value: T -> output: T",
    "FilterDataset": "input_dataset: variant, other_arguments: list(Targuments) -> handle: variant | predicate output_types output_shapes metadata",
    "FlatMapDataset": "input_dataset: variant, other_arguments: list(Targuments) -> handle: variant | f output_types output_shapes metadata",
    "Floor": "x: T -> y: T",
    "FloorDiv": "x: T, y: T -> z: T",
    "FloorMod": "x: T, y: T -> z: T",
    "FusedBatchNormGradV3": "y_backprop: T, x: T, scale: float32, reserve_space_1: U, reserve_space_2: U, reserve_space_3: U -> x_backprop: T, scale_backprop: U, offset_backprop: U, reserve_space_4: U, reserve_space_5: U | epsilon data_format is_training",
    "FusedBatchNormV3": "x: T, scale: U, offset: U, mean: U, variance: U -> y: T, batch_mean: U, batch_variance: U, reserve_space_1: U, reserve_space_2: U, reserve_space_3: U | epsilon exponential_avg_factor data_format is_training",
    "GatherNd": "params: Tparams, indices: Tindices -> output: Tparams | bad_indices_policy",
    "GatherV2": "params: Tparams, indices: Tindices, axis: Taxis -> output: Tparams | batch_dims",
    "GeneratorDataset": "init_func_other_args: list(Tinit_func_args), next_func_other_args: list(Tnext_func_args), finalize_func_other_args: list(Tfinalize_func_args) -> handle: variant | init_func next_func finalize_func output_types output_shapes metadata",
    "Greater": "x: T, y: T -> z: bool",
    "GreaterEqual": "x: T, y: T -> z: bool",
    "HistogramSummary": "tag: string, values: T -> summary: string",
    "Identity": "input: T -> output: T",
    "ImageSummary": "tag: string, tensor: T -> summary: string | max_images bad_color",
    "InterleaveDataset": "input_dataset: variant, other_arguments: list(Targuments), cycle_length: int64, block_length: int64 -> handle: variant | f output_types output_shapes metadata",
    "InvertPermutation": "x: T -> y: T",
    "IsFinite": "x: T -> y: bool",
    "IsInf": "x: T -> y: bool",
    "IsNan": "x: T -> y: bool",
    "IsVariableInitialized": "ref: Ref(dtype) -> is_initialized: bool",
    "IteratorFromStringHandleV2": "string_handle: string -> resource_handle: resource | output_types output_shapes",
    "IteratorGetNext": "iterator: resource -> components: list(output_types) | output_shapes",
    "IteratorToStringHandle": "resource_handle: resource -> string_handle: string",
    "IteratorV2": " -> handle: resource | shared_name container output_types output_shapes",
    "L2Loss": "t: T -> output: T",
    "LeakyRelu": "features: T -> activations: T | alpha",
    "LeakyReluGrad": "gradients: T, features: T -> backprops: T | alpha",
    "Less": "x: T, y: T -> z: bool",
    "LessEqual": "x: T, y: T -> z: bool",
    "LinSpace": "start: T, stop: T, num: Tidx -> output: T",
    "ListDiff": "x: T, y: T -> out: T, idx: out_idx",
    "Log": "x: T -> y: T",
    "Log1p": "x: T -> y: T",
    "LogSoftmax": "logits: T -> logsoftmax: T",
    "LogUniformCandidateSampler": "true_classes: int64 -> sampled_candidates: int64, true_expected_count: float32, sampled_expected_count: float32 | num_true num_sampled unique range_max seed seed2",
    "LogicalAnd": "x: bool, y: bool -> z: bool",
    "LogicalNot": "x: bool -> y: bool",
    "LogicalOr": "x: bool, y: bool -> z: bool",
    "LoopCond": "input: bool -> output: bool",
    "MakeIterator": "dataset: variant, iterator: resource -> ",
    "MapDataset": "input_dataset: variant, other_arguments: list(Targuments) -> handle: variant | f output_types output_shapes use_inter_op_parallelism preserve_cardinality force_synchronous metadata",
    "MatMul": "a: T, b: T -> product: T | transpose_a transpose_b grad_a grad_b",
    "Max": "input: T, reduction_indices: Tidx -> output: T | keep_dims",
    "MaxPool": "input: T -> output: T | ksize strides padding explicit_paddings data_format",
    "MaxPoolGrad": "orig_input: T, orig_output: T, grad: T -> output: T | ksize strides padding explicit_paddings data_format",
    "MaxPoolGradGrad": "orig_input: T, orig_output: T, grad: T -> output: T | ksize strides padding data_format",
    "Maximum": "x: T, y: T -> z: T",
    "Mean": "input: T, reduction_indices: Tidx -> output: T | keep_dims",
    "Merge": "inputs: N * T -> output: T, value_index: int32",
    "MergeSummary": "inputs: N * string -> summary: string",
    "Min": "input: T, reduction_indices: Tidx -> output: T | keep_dims",
    "Minimum": "x: T, y: T -> z: T",
    "MirrorPad": "input: T, paddings: Tpaddings -> output: T | mode",
    "MirrorPadGrad": "input: T, paddings: Tpaddings -> output: T | mode",
    "Mul": "x: T, y: T -> z: T",
    "Multinomial": "logits: T, num_samples: int32 -> output: output_dtype | seed seed2",
    "Neg": "x: T -> y: T",
    "NextIteration": "data: T -> output: T",
    "NoOp": " -> ",
    "NotEqual": "x: T, y: T -> z: bool | incompatible_shape_error",
    "OneHot": "indices: TI, depth: int32, on_value: T, off_value: T -> output: T | axis",
    "OneShotIterator": " -> handle: resource | dataset_factory output_types output_shapes container shared_name",
    "OnesLike": "x: T -> y: T",
    "Pack": "values: N * T -> output: T | axis",
    "Pad": "input: T, paddings: Tpaddings -> output: T",
    "PadV2": "input: T, paddings: Tpaddings, constant_values: T -> output: T",
    "PaddedBatchDatasetV2": "input_dataset: variant, batch_size: int64, padded_shapes: N * int64, padding_values: list(Toutput_types), drop_remainder: bool -> handle: variant | parallel_copy output_shapes metadata",
    "ParseExample": "serialized: string, names: string, sparse_keys: Nsparse * string, dense_keys: Ndense * string, dense_defaults: list(Tdense) -> sparse_indices: Nsparse * int64, sparse_values: list(sparse_types), sparse_shapes: Nsparse * int64, dense_values: list(Tdense) | dense_shapes",
    "ParseSingleExample": "serialized: string, dense_defaults: list(Tdense) -> sparse_indices: num_sparse * int64, sparse_values: list(sparse_types), sparse_shapes: num_sparse * int64, dense_values: list(Tdense) | sparse_keys dense_keys dense_shapes",
    "Placeholder": " -> output: dtype | shape",
    "PlaceholderWithDefault": "input: dtype -> output: dtype | shape",
    "Pow": "x: T, y: T -> z: T",
    "PrefetchDataset": "input_dataset: variant, buffer_size: int64 -> handle: variant | output_types output_shapes slack_period legacy_autotune buffer_size_min metadata",
    "Print": "input: T, data: list(U) -> output: T | message first_n summarize",
    "Prod": "input: T, reduction_indices: Tidx -> output: T | keep_dims",
    "QueueCloseV2": "handle: resource ->  | cancel_pending_enqueues",
    "QueueDequeueManyV2": "handle: resource, n: int32 -> components: list(component_types) | timeout_ms",
    "QueueDequeueUpToV2": "handle: resource, n: int32 -> components: list(component_types) | timeout_ms",
    "QueueDequeueV2": "handle: resource -> components: list(component_types) | timeout_ms",
    "QueueEnqueueManyV2": "handle: resource, components: list(Tcomponents) ->  | timeout_ms",
    "QueueEnqueueV2": "handle: resource, components: list(Tcomponents) ->  | timeout_ms",
    "QueueIsClosedV2": "handle: resource -> is_closed: bool",
    "QueueSizeV2": "handle: resource -> size: int32",
    "RandomShuffle": "value: T -> output: T | seed seed2",
    "RandomShuffleQueueV2": " -> handle: resource | component_types shapes capacity min_after_dequeue seed seed2 container shared_name",
    "RandomStandardNormal": "shape: T -> output: dtype | seed seed2",
    "RandomUniform": "shape: T -> output: dtype | seed seed2",
    "RandomUniformInt": "shape: T, minval: Tout, maxval: Tout -> output: Tout | seed seed2",
    "Range": "start: Tidx, limit: Tidx, delta: Tidx -> output: Tidx",
    "RangeDataset": "start: int64, stop: int64, step: int64 -> handle: variant | output_types output_shapes metadata replicate_on_split",
    "Rank": "input: T -> output: int32",
    "ReadFile": "filename: string -> contents: string",
    "ReaderNumRecordsProducedV2": "reader_handle: resource -> records_produced: int64",
    "ReaderReadV2": "reader_handle: resource, queue_handle: resource -> key: string, value: string",
    "ReaderResetV2": "reader_handle: resource -> ",
    "RealDiv": "x: T, y: T -> z: T",
    "Reciprocal": "x: T -> y: T",
    "ReciprocalGrad": "y: T, dy: T -> z: T",
    "Relu": "features: T -> activations: T",
    "Relu6": "features: T -> activations: T",
    "Relu6Grad": "gradients: T, features: T -> backprops: T",
    "ReluGrad": "gradients: T, features: T -> backprops: T",
    "RepeatDataset": "input_dataset: variant, count: int64 -> handle: variant | output_types output_shapes metadata",
    "Reshape": "tensor: T, shape: Tshape -> output: T",
    "ResizeArea": "images: T, size: int32 -> resized_images: float32 | align_corners",
    "ResizeBicubic": "images: T, size: int32 -> resized_images: float32 | align_corners half_pixel_centers",
    "ResizeBicubicGrad": "grads: float32, original_image: T -> output: T | align_corners half_pixel_centers",
    "ResizeBilinear": "images: T, size: int32 -> resized_images: float32 | align_corners half_pixel_centers",
    "ResizeBilinearGrad": "grads: float32, original_image: T -> output: T | align_corners half_pixel_centers",
    "ResizeNearestNeighbor": "images: T, size: int32 -> resized_images: T | align_corners half_pixel_centers",
    "ResizeNearestNeighborGrad": "grads: T, size: int32 -> output: T | align_corners half_pixel_centers",
    "RestoreV2": "prefix: string, tensor_names: string, shape_and_slices: string -> tensors: list(dtypes)",
    "ReverseSequence": "input: T, seq_lengths: Tlen -> output: T | seq_dim batch_dim",
    "ReverseV2": "tensor: T, axis: Tidx -> output: T",
    "Round": "x: T -> y: T",
    "Rsqrt": "x: T -> y: T",
    "RsqrtGrad": "y: T, dy: T -> z: T",
    "SaveV2": "prefix: string, tensor_names: string, shape_and_slices: string, tensors: list(dtypes) -> ",
    "ScalarSummary": "tags: string, values: T -> summary: string",
    "SegmentSum": "data: T, segment_ids: Tindices -> output: T",
    "Select": "condition: bool, t: T, e: T -> output: T",
    "SelectV2": "condition: bool, t: T, e: T -> output: T",
    "Selu": "features: T -> activations: T",
    "SeluGrad": "gradients: T, outputs: T -> backprops: T",
    "Shape": "input: T -> output: out_type",
    "ShapeN": "input: N * T -> output: N * out_type",
    "ShuffleDataset": "input_dataset: variant, buffer_size: int64, seed: int64, seed2: int64 -> handle: variant | reshuffle_each_iteration output_types output_shapes metadata",
    "Sigmoid": "x: T -> y: T",
    "SigmoidGrad": "y: T, dy: T -> z: T",
    "Sign": "x: T -> y: T",
    "Sin": "x: T -> y: T",
    "Size": "input: T -> output: out_type",
    "SkipDataset": "input_dataset: variant, count: int64 -> handle: variant | output_types output_shapes metadata",
    "Slice": "input: T, begin: Index, size: Index -> output: T",
    "Softmax": "logits: T -> softmax: T",
    "SoftmaxCrossEntropyWithLogits": "features: T, labels: T -> loss: T, backprop: T",
    "Softplus": "features: T -> activations: T",
    "SoftplusGrad": "gradients: T, features: T -> backprops: T",
    "Softsign": "features: T -> activations: T",
    "SoftsignGrad": "gradients: T, features: T -> backprops: T",
    "SparseAdd": "a_indices: int64, a_values: T, a_shape: int64, b_indices: int64, b_values: T, b_shape: int64, thresh: Treal -> sum_indices: int64, sum_values: T, sum_shape: int64",
    "SparseAddGrad": "backprop_val_grad: T, a_indices: int64, b_indices: int64, sum_indices: int64 -> a_val_grad: T, b_val_grad: T",
    "SparseReduceSum": "input_indices: int64, input_values: T, input_shape: int64, reduction_axes: int32 -> output: T | keep_dims",
    "SparseReorder": "input_indices: int64, input_values: T, input_shape: int64 -> output_indices: int64, output_values: T",
    "SparseSegmentMean": "data: T, indices: Tidx, segment_ids: Tsegmentids -> output: T | sparse_gradient",
    "SparseSegmentMeanGrad": "grad: T, indices: Tidx, segment_ids: Tsegmentids, output_dim0: int32 -> output: T",
    "SparseSegmentSqrtN": "data: T, indices: Tidx, segment_ids: Tsegmentids -> output: T | sparse_gradient",
    "SparseSegmentSum": "data: T, indices: Tidx, segment_ids: Tsegmentids -> output: T | sparse_gradient",
    "SparseSoftmaxCrossEntropyWithLogits": "features: T, labels: Tlabels -> loss: T, backprop: T",
    "SparseTensorDenseAdd": "a_indices: Tindices, a_values: T, a_shape: Tindices, b: T -> output: T",
    "SparseTensorDenseMatMul": "a_indices: Tindices, a_values: T, a_shape: int64, b: T -> product: T | adjoint_a adjoint_b",
    "SparseToDense": "sparse_indices: Tindices, output_shape: Tindices, sparse_values: T, default_value: T -> dense: T | validate_indices",
    "Split": "split_dim: int32, value: T -> output: num_split * T",
    "SplitV": "value: T, size_splits: Tlen, split_dim: int32 -> output: num_split * T",
    "Sqrt": "x: T -> y: T",
    "SqrtGrad": "y: T, dy: T -> z: T",
    "Square": "x: T -> y: T",
    "SquaredDifference": "x: T, y: T -> z: T",
    "Squeeze": "input: T -> output: T | squeeze_dims",
    "StackPopV2": "handle: resource -> elem: elem_type",
    "StackPushV2": "handle: resource, elem: T -> output: T | swap_memory",
    "StackV2": "max_size: int32 -> handle: resource | elem_type stack_name",
    "StopGradient": "input: T -> output: T",
    "StridedSlice": "input: T, begin: Index, end: Index, strides: Index -> output: T | begin_mask end_mask ellipsis_mask new_axis_mask shrink_axis_mask",
    "StridedSliceGrad": "shape: Index, begin: Index, end: Index, strides: Index, dy: T -> output: T | begin_mask end_mask ellipsis_mask new_axis_mask shrink_axis_mask",
    "StringLength": "input: string -> output: int32 | unit",
    "StringToHashBucketFast": "input: string -> output: int64 | num_buckets",
    "Sub": "x: T, y: T -> z: T",
    "Substr": "input: string, pos: T, len: T -> output: string | unit",
    "Sum": "input: T, reduction_indices: Tidx -> output: T | keep_dims",
    "Switch": "data: T, pred: bool -> output_false: T, output_true: T",
    "TFRecordDataset": "filenames: string, compression_type: string, buffer_size: int64 -> handle: variant | metadata",
    "TFRecordReaderV2": " -> reader_handle: resource | container shared_name compression_type",
    "TakeDataset": "input_dataset: variant, count: int64 -> handle: variant | output_types output_shapes metadata",
    "Tan": "x: T -> y: T",
    "Tanh": "x: T -> y: T",
    "TanhGrad": "y: T, dy: T -> z: T",
    "TensorArrayCloseV3": "handle: resource -> ",
    "TensorArrayConcatV3": "handle: resource, flow_in: float32 -> value: dtype, lengths: int64 | element_shape_except0",
    "TensorArrayGatherV3": "handle: resource, indices: int32, flow_in: float32 -> value: dtype | element_shape",
    "TensorArrayGradV3": "handle: resource, flow_in: float32 -> grad_handle: resource, flow_out: float32 | source",
    "TensorArrayReadV3": "handle: resource, index: int32, flow_in: float32 -> value: dtype",
    "TensorArrayScatterV3": "handle: resource, indices: int32, value: T, flow_in: float32 -> flow_out: float32",
    "TensorArraySizeV3": "handle: resource, flow_in: float32 -> size: int32",
    "TensorArraySplitV3": "handle: resource, value: T, lengths: int64, flow_in: float32 -> flow_out: float32",
    "TensorArrayV3": "size: int32 -> handle: resource, flow: float32 | dtype element_shape dynamic_size clear_after_read identical_element_shapes tensor_array_name",
    "TensorArrayWriteV3": "handle: resource, index: int32, value: T, flow_in: float32 -> flow_out: float32",
    "TensorDataset": "components: list(Toutput_types) -> handle: variant | output_shapes metadata",
    "TensorSliceDataset": "components: list(Toutput_types) -> handle: variant | output_shapes is_files metadata replicate_on_split",
    "TextLineDataset": "filenames: string, compression_type: string, buffer_size: int64 -> handle: variant | metadata",
    "TextLineReaderV2": " -> reader_handle: resource | skip_header_lines container shared_name",
    "Tile": "input: T, multiples: Tmultiples -> output: T",
    "Transpose": "x: T, perm: Tperm -> y: T",
    "TruncateDiv": "x: T, y: T -> z: T",
    "TruncateMod": "x: T, y: T -> z: T",
    "TruncatedNormal": "shape: T -> output: dtype | seed seed2",
    "UnbatchDataset": "input_dataset: variant -> handle: variant | output_types output_shapes metadata",
    "Unpack": "value: T -> output: num * T | axis",
    "UnsortedSegmentSum": "data: T, segment_ids: Tindices, num_segments: Tnumsegments -> output: T",
    "VariableV2": " -> ref: Ref(dtype) | shape container shared_name",
    "Where": "input: T -> index: int64",
    "WholeFileReaderV2": " -> reader_handle: resource | container shared_name",
    "ZerosLike": "x: T -> y: T",
    "ZipDataset": "input_datasets: N * variant -> handle: variant | output_types output_shapes metadata",
}
# END GENERATED

Arg = collections.namedtuple("Arg", ["name", "type", "number", "is_list", "is_ref"])
Signature = collections.namedtuple("Signature", ["inputs", "outputs", "attrs"])
_parsed = {}


def signature(op_type):
    """The parsed Signature of `op_type`, or None when the table does not list it."""
    if op_type not in _parsed:
        text = SIGNATURES.get(op_type)
        _parsed[op_type] = None if text is None else _parse(text)
    return _parsed[op_type]


def _parse(text):
    args, _, attrs = text.partition("|")
    ins, _, outs = args.partition("->")
    return Signature(_args(ins), _args(outs), attrs.split())


def _args(text):
    result = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, t = (s.strip() for s in part.partition(":"))
        is_ref = t.startswith("Ref(")
        t = t[4:-1] if is_ref else t
        is_list = t.startswith("list(")
        t = t[5:-1] if is_list else t
        number, _, t = t.rpartition(" * ")
        result.append(Arg(name, t, number or None, is_list, is_ref))
    return result


def _fixed_dtype(t):
    """The DType an arg type names (`bool`), or None when it names an attr (`T`, `U`)."""
    return _dtypes._BASE.get(t)  # by name only: numpy would read the attr `U` as a dtype


def bind_inputs(sig, n_inputs, attrs):
    """Split `n_inputs` input positions among the signature's input args: [(arg, count)].

    A list arg (`N * T`) takes attrs[N] inputs when known, else an equal share of those the
    single args leave; a `list(U)` arg takes whatever remains.
    """
    single = sum(1 for a in sig.inputs if a.number is None and not a.is_list)
    numbered = [a for a in sig.inputs if a.number is not None]
    spare = n_inputs - single
    counts = {}
    for a in numbered:
        counts[a.name] = attrs.get(a.number, spare // len(numbered))
    rest = spare - sum(counts.values())
    return [(a, counts.get(a.name, rest if a.is_list else 1)) for a in sig.inputs]


def type_attrs(op):
    """The type and number attrs TF expects on `op`'s NodeDef, read off its inputs and outputs."""
    sig = signature(op.type)
    if sig is None:
        first = op.inputs[0].dtype.base_dtype if op.inputs else None
        return {} if first is None or "T" in op.attrs else {"T": first}
    attrs, pos = {}, 0
    for arg, count in bind_inputs(sig, len(op.inputs), op.attrs):
        bound = [t.dtype.base_dtype for t in op.inputs[pos:pos + count]]
        pos += count
        _record(attrs, arg, bound)
    pos = 0
    for arg in sig.outputs:
        count = len(op.outputs) - (len(sig.outputs) - 1) if arg.number or arg.is_list else 1
        _record(attrs, arg, [t.dtype.base_dtype for t in op.outputs[pos:pos + count]])
        pos += count
    return attrs


def _record(attrs, arg, dtypes):
    if arg.number is not None:
        attrs.setdefault(arg.number, len(dtypes))
    if _fixed_dtype(arg.type) is not None:
        return
    if arg.is_list:
        attrs.setdefault(arg.type, list(dtypes))
    elif dtypes:
        attrs.setdefault(arg.type, dtypes[0])


def known_attrs(op_type):
    """Every attr name a NodeDef of `op_type` may carry, or None when the type is not listed."""
    sig = signature(op_type)
    if sig is None:
        return None
    names = set(sig.attrs)
    for arg in sig.inputs + sig.outputs:
        if arg.number:
            names.add(arg.number)
        if _fixed_dtype(arg.type) is None:
            names.add(arg.type)
    return names


def output_dtypes(op_type, attrs, input_dtypes):
    """The dtypes of the outputs of a node of `op_type` with these attrs and input dtypes."""
    sig = signature(op_type)
    if sig is None:
        t = attrs.get("T") or attrs.get("dtype") or (input_dtypes[0] if input_dtypes else None)
        return None if t is None else [_dtypes.as_dtype(t).base_dtype]
    attrs, pos = dict(attrs), 0
    for arg, count in bind_inputs(sig, len(input_dtypes), attrs):  # a NodeDef may omit `T`
        _record(attrs, arg, input_dtypes[pos:pos + count])
        pos += count
    result = []
    for arg in sig.outputs:
        dtype = _fixed_dtype(arg.type)
        if dtype is None and arg.type not in attrs:
            raise ValueError(f"its NodeDef has no attr '{arg.type}', which gives the type of output "
                             f"'{arg.name}'")
        dtypes = attrs[arg.type] if arg.is_list else [dtype or _dtypes.as_dtype(attrs[arg.type])]
        count = attrs[arg.number] if arg.number else 1
        for d in list(dtypes) * count:
            d = _dtypes.as_dtype(d).base_dtype
            result.append(d._as_ref if arg.is_ref else d)
    return result


# ---- attr defaults ------------------------------------------------------------------------
# The `= default` of REGISTER_OP's attrs: a GraphDef may leave out an attr at its default (TF's
# strip_default_attrs), and the importer fills it back. By attr name, since TF's ops agree on
# them; the few ops where a name has another default come first.
_OP_DEFAULTS = {("OneHot", "axis"): -1, ("Pack", "axis"): 0, ("Unpack", "axis"): 0,
                ("Print", "message"): "", ("LeakyRelu", "alpha"): 0.2, ("LeakyReluGrad", "alpha"): 0.2}
_DEFAULTS = {"Truncate": False, "batch_dims": 0, "begin_mask": 0, "end_mask": 0, "ellipsis_mask": 0,
             "new_axis_mask": 0, "shrink_axis_mask": 0, "container": "", "shared_name": "",
             "data_format": "NHWC", "dilations": [1, 1, 1, 1], "exclusive": False, "reverse": False,
             "explicit_paddings": [], "incompatible_shape_error": True, "keep_dims": False, "first_n": -1,
             "summarize": 3, "seed": 0, "seed2": 0, "squeeze_dims": [], "transpose_a": False,
             "transpose_b": False, "grad_a": False, "grad_b": False, "update_slots": True,
             "use_cudnn_on_gpu": True, "use_locking": False, "use_nesterov": False, "validate_shape": True}


def attr_defaults(op_type):
    """{attr: default} for the attrs of `op_type` that TF lets a NodeDef leave out."""
    sig = signature(op_type)
    if sig is None:
        return {}
    result = {}
    for name in sig.attrs:
        if (op_type, name) in _OP_DEFAULTS:
            result[name] = _OP_DEFAULTS[op_type, name]
        elif op_type == "Placeholder" and name == "shape":
            from .tensor_shape import TensorShape
            result[name] = TensorShape(None)  # `shape: shape = { unknown_rank: true }`
        elif name in _DEFAULTS:
            result[name] = _DEFAULTS[name]
    return result
