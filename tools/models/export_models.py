#!/usr/bin/python3
"""Export Continuum's whole-model test fixtures from PyTorch to ONNX.

Each model is written in ONNX backend-test layout:

    DIR/<name>/model.onnx
    DIR/<name>/test_data_set_0/input_0.pb ... output_K.pb

Every .pb is one serialized onnx.TensorProto named after the graph input/output it belongs
to. Inputs come from a seeded numpy generator; outputs are computed by PyTorch itself on
the same module that was exported (eval mode, random weights from a fixed seed), so they
are an independent reference for the engine. The one exception is `quantized_mlp`, which
is built by hand with onnx.helper and whose reference is computed with numpy.

Run with the Debian interpreter (torch, torchvision and onnx come from Debian):

    /usr/bin/python3 tools/models/export_models.py            # committed (small) models
    /usr/bin/python3 tools/models/export_models.py --large    # plus resnet18, mobilenet_v2
    /usr/bin/python3 tools/models/export_models.py --only lenet attention
    /usr/bin/python3 tools/models/export_models.py --verify   # re-check what is on disk

The engine's checker compares |actual - expected| <= 1e-5 + 1e-3 * |expected|.
"""
import argparse
import dataclasses
import inspect
import io
import os
import sys
import warnings
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import torch
import torch.nn as nn
import torchvision

OPSET = 17
SEED = 20240917
DEFAULT_OUT = "tensor-engine/src/test/resources/models"


# --------------------------------------------------------------------------- models

class LeNet(nn.Module):
    """LeNet-5 style CNN on 1x1x32x32."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10))

    def forward(self, x):  # x: (1, 1, 32, 32)
        return self.classifier(self.features(x))


class RecurrentClassifier(nn.Module):
    """nn.RNN / nn.LSTM / nn.GRU over a batch_first sequence, Linear on the last step."""

    def __init__(self, cell: str, input_size=16, hidden=32, layers=2,
                 bidirectional=False, classes=5):
        super().__init__()
        kinds = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
        extra = {"nonlinearity": "tanh"} if cell == "rnn" else {}
        self.rnn = kinds[cell](input_size, hidden, num_layers=layers, batch_first=True,
                               bidirectional=bidirectional, **extra)
        self.head = nn.Linear(hidden * (2 if bidirectional else 1), classes)

    def forward(self, x):  # x: (1, seq, input_size)
        out, _ = self.rnn(x)  # (1, seq, hidden * directions)
        return self.head(out[:, -1, :])


class SelfAttentionBlock(nn.Module):
    """Post-norm self-attention block: LayerNorm(x + MHA(x, x, x))."""

    def __init__(self, embed=64, heads=4):
        super().__init__()
        self.mha = nn.MultiheadAttention(embed, heads, batch_first=True)
        self.norm = nn.LayerNorm(embed)

    def forward(self, x):  # x: (1, seq, embed)
        y, _ = self.mha(x, x, x, need_weights=False)
        return self.norm(x + y)


def transformer_encoder():
    layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128,
                                       activation="gelu", batch_first=True)
    return nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)


class ResNetSmall(nn.Module):
    """torchvision's ResNet layout with one torchvision BasicBlock per stage (ResNet-10) at a
    quarter of the width (16-32-64-128 channels), so the committed file stays small.
    torchvision's ResNet class hard-codes 64-512 channels (ResNet-10 at full width is 20 MB)."""

    def __init__(self, width=16, num_classes=10):
        super().__init__()
        from torchvision.models.resnet import BasicBlock, conv1x1
        self.stem = nn.Sequential(
            nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(width),
            nn.ReLU(inplace=True), nn.MaxPool2d(3, stride=2, padding=1))
        blocks, planes = [], width
        for stage in range(4):
            out, stride = width * 2 ** stage, (1 if stage == 0 else 2)
            down = None
            if stride != 1 or planes != out:
                down = nn.Sequential(conv1x1(planes, out, stride), nn.BatchNorm2d(out))
            blocks.append(BasicBlock(planes, out, stride, down))
            planes = out
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(planes, num_classes)
        for m in self.modules():  # torchvision's ResNet init
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):  # x: (1, 3, H, W)
        return self.fc(torch.flatten(self.pool(self.blocks(self.stem(x))), 1))


@dataclasses.dataclass(frozen=True)
class TorchSpec:
    name: str
    build: Callable[[], nn.Module]
    input_shapes: Tuple[Tuple[int, ...], ...]
    description: str
    large: bool = False
    # PyTorch 1.13's nn.MultiheadAttention / nn.TransformerEncoderLayer take a fused "fast
    # path" (aten::_native_multi_head_attention, aten::_transformer_encoder_layer_fwd) in
    # eval mode when autograd is off; the ONNX exporter cannot export those ops. With
    # autograd on (parameters require grad) PyTorch takes the decomposed path, which is
    # what gets traced, so both export and reference run with grad enabled.
    needs_grad_path: bool = False


TORCH_SPECS: List[TorchSpec] = [
    TorchSpec("lenet", LeNet, ((1, 1, 32, 32),),
              "LeNet-5 style CNN: conv 6@5x5, ReLU, maxpool 2, conv 16@5x5, ReLU, maxpool 2, "
              "flatten, FC 120-84-10 with ReLU between"),
    TorchSpec("rnn_classifier", lambda: RecurrentClassifier("rnn", layers=2), ((1, 12, 16),),
              "2-layer nn.RNN (tanh), input 16, hidden 32, batch_first seq 12; Linear(32, 5) "
              "on the last time step"),
    TorchSpec("lstm_classifier",
              lambda: RecurrentClassifier("lstm", layers=2, bidirectional=True), ((1, 12, 16),),
              "2-layer bidirectional nn.LSTM, input 16, hidden 32, batch_first seq 12; "
              "Linear(64, 5) on the last time step"),
    TorchSpec("gru_classifier", lambda: RecurrentClassifier("gru", layers=2), ((1, 12, 16),),
              "2-layer nn.GRU, input 16, hidden 32, batch_first seq 12; Linear(32, 5) on the "
              "last time step"),
    TorchSpec("attention", SelfAttentionBlock, ((1, 16, 64),),
              "nn.MultiheadAttention (embed 64, 4 heads, batch_first, seq 16) + residual + "
              "LayerNorm", needs_grad_path=True),
    TorchSpec("transformer_encoder", transformer_encoder, ((1, 16, 64),),
              "2-layer nn.TransformerEncoder, d_model 64, 4 heads, feed-forward 128, GELU, "
              "post-norm, batch_first seq 16", needs_grad_path=True),
    TorchSpec("resnet_small", ResNetSmall, ((1, 3, 64, 64),),
              "ResNet-10: torchvision BasicBlock x [1,1,1,1], widths 16-32-64-128, 10 classes, "
              "1x3x64x64"),
    TorchSpec("mobilenet_small",
              lambda: torchvision.models.mobilenet_v2(width_mult=0.35, num_classes=10),
              ((1, 3, 96, 96),),
              "torchvision mobilenet_v2(width_mult=0.35, num_classes=10) on 1x3x96x96 "
              "(depthwise convs, ReLU6 as Clip)"),
    TorchSpec("resnet18", lambda: torchvision.models.resnet18(weights=None), ((1, 3, 224, 224),),
              "torchvision resnet18(weights=None), 1000 classes, 1x3x224x224", large=True),
    TorchSpec("mobilenet_v2", lambda: torchvision.models.mobilenet_v2(weights=None),
              ((1, 3, 224, 224),),
              "torchvision mobilenet_v2(weights=None), 1000 classes, 1x3x224x224", large=True),
]


# --------------------------------------------------------------------------- torch export

def seeded_model(spec: TorchSpec) -> nn.Module:
    """Builds the model with weights drawn from a fixed seed, in eval mode."""
    torch.manual_seed(SEED)
    model = spec.build()
    calibrate_batch_norm(model, spec.input_shapes[0])
    model.eval()
    return model


def calibrate_batch_norm(model: nn.Module, input_shape, batches=4, batch_size=8):
    """Gives BatchNorm layers real running statistics from random inputs.

    Freshly initialised BN layers hold mean 0 / var 1, so in eval mode they are near identity
    and a deep net's activations drift: mobilenet_v2's logits come out around 1e-8, below
    the checker's absolute tolerance, which would make the test unable to fail. With
    statistics averaged over a few training-mode passes every BN normalises, outputs stay
    O(0.1..1), and the folded Conv+BN weights are no longer trivial."""
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over the calibration passes
    generator = torch.Generator().manual_seed(SEED)
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            model(torch.randn((batch_size,) + tuple(input_shape[1:]), generator=generator))


def seeded_inputs(name: str, shapes) -> List[np.ndarray]:
    """Standard normal float32 inputs from a generator seeded per model name."""
    rng = np.random.default_rng([SEED, sum(map(ord, name))])
    return [rng.standard_normal(shape).astype(np.float32) for shape in shapes]


def torch_reference(spec: TorchSpec, model: nn.Module, inputs: List[np.ndarray]):
    tensors = [torch.from_numpy(a) for a in inputs]
    ctx = torch.enable_grad() if spec.needs_grad_path else torch.no_grad()
    with ctx:
        out = model(*tensors)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [o.detach().numpy().astype(np.float32) for o in outs]


def export_kwargs() -> Dict:
    kwargs = dict(opset_version=OPSET, do_constant_folding=True, export_params=True)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # the classic TorchScript exporter
    return kwargs


def export_torch(spec: TorchSpec, out_dir: str) -> onnx.ModelProto:
    model = seeded_model(spec)
    inputs = seeded_inputs(spec.name, spec.input_shapes)
    expected = torch_reference(spec, model, inputs)
    n_in, n_out = len(inputs), len(expected)
    input_names = ["input"] if n_in == 1 else [f"input_{i}" for i in range(n_in)]
    output_names = ["output"] if n_out == 1 else [f"output_{i}" for i in range(n_out)]
    buf = io.BytesIO()
    ctx = torch.enable_grad() if spec.needs_grad_path else torch.no_grad()
    with ctx, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, tuple(torch.from_numpy(a) for a in inputs), buf,
                          input_names=input_names, output_names=output_names,
                          **export_kwargs())
    proto = onnx.load_from_string(buf.getvalue())
    proto.doc_string = f"Continuum test model '{spec.name}': {spec.description}"
    write_case(out_dir, spec.name, proto, inputs, expected)
    return proto


# --------------------------------------------------------------------------- quantized MLP

QMLP_IN, QMLP_HIDDEN, QMLP_OUT = 32, 64, 10
QMLP_X_SCALE = np.float32(2.0 ** -5)   # powers of two: x / scale is exact in float32
QMLP_H_SCALE = np.float32(2.0 ** -3)
QMLP_TIE_MARGIN = 1e-2                 # pre-rounding values kept this far from a .5 tie


def quantize(x, scale, zero_point, lo, hi, dtype):
    """ONNX QuantizeLinear: saturate(round_half_to_even(x / scale) + zero_point)."""
    return np.clip(np.rint(x / scale) + zero_point, lo, hi).astype(dtype)


def dequantize(q, scale, zero_point):
    """ONNX DequantizeLinear: (q - zero_point) * scale, in float32."""
    return ((q.astype(np.int32) - np.int32(zero_point)).astype(np.float32)
            * np.asarray(scale, np.float32))


def qmlp_weights():
    rng = np.random.default_rng([SEED, 7])

    def per_channel(k, n):  # symmetric int8 per output channel (axis 1 of a KxN MatMul weight)
        w = rng.standard_normal((k, n)).astype(np.float32) / np.sqrt(k)
        scale = (np.abs(w).max(axis=0) / 127.0).astype(np.float32)
        q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
        return q, scale

    w1q, w1s = per_channel(QMLP_IN, QMLP_HIDDEN)
    b1 = (rng.standard_normal(QMLP_HIDDEN) * 0.1).astype(np.float32)
    w2q, w2s = per_channel(QMLP_HIDDEN, QMLP_OUT)
    b2 = (rng.standard_normal(QMLP_OUT) * 0.1).astype(np.float32)
    return w1q, w1s, b1, w2q, w2s, b2


def qmlp_numpy(x, w1q, w1s, b1, w2q, w2s, b2):
    """numpy reference of the graph below; also returns the values that get rounded."""
    xq = quantize(x, QMLP_X_SCALE, 128, 0, 255, np.uint8)
    xd = dequantize(xq, QMLP_X_SCALE, 128)
    w1 = dequantize(w1q, w1s, 0)
    h = np.maximum(xd @ w1 + b1, 0).astype(np.float32)
    h_scaled = h / QMLP_H_SCALE
    hq = quantize(h, QMLP_H_SCALE, 0, 0, 255, np.uint8)
    hd = dequantize(hq, QMLP_H_SCALE, 0)
    y = (hd @ dequantize(w2q, w2s, 0) + b2).astype(np.float32)
    return y, [x / QMLP_X_SCALE, h_scaled]


def build_qmlp_graph(w1q, w1s, b1, w2q, w2s, b2) -> onnx.ModelProto:
    init = [
        numpy_helper.from_array(QMLP_X_SCALE.reshape(()), "x_scale"),
        numpy_helper.from_array(np.array(128, np.uint8), "x_zero_point"),
        numpy_helper.from_array(w1q, "w1_quantized"),
        numpy_helper.from_array(w1s, "w1_scale"),
        numpy_helper.from_array(np.zeros(QMLP_HIDDEN, np.int8), "w1_zero_point"),
        numpy_helper.from_array(b1, "b1"),
        numpy_helper.from_array(QMLP_H_SCALE.reshape(()), "h_scale"),
        numpy_helper.from_array(np.array(0, np.uint8), "h_zero_point"),
        numpy_helper.from_array(w2q, "w2_quantized"),
        numpy_helper.from_array(w2s, "w2_scale"),
        numpy_helper.from_array(np.zeros(QMLP_OUT, np.int8), "w2_zero_point"),
        numpy_helper.from_array(b2, "b2"),
    ]
    n = helper.make_node
    nodes = [
        n("QuantizeLinear", ["input", "x_scale", "x_zero_point"], ["x_q"], name="quant_x"),
        n("DequantizeLinear", ["x_q", "x_scale", "x_zero_point"], ["x_dq"], name="dequant_x"),
        n("DequantizeLinear", ["w1_quantized", "w1_scale", "w1_zero_point"], ["w1"],
          name="dequant_w1", axis=1),
        n("MatMul", ["x_dq", "w1"], ["h_mm"], name="matmul_1"),
        n("Add", ["h_mm", "b1"], ["h_pre"], name="add_1"),
        n("Relu", ["h_pre"], ["h"], name="relu_1"),
        n("QuantizeLinear", ["h", "h_scale", "h_zero_point"], ["h_q"], name="quant_h"),
        n("DequantizeLinear", ["h_q", "h_scale", "h_zero_point"], ["h_dq"], name="dequant_h"),
        n("DequantizeLinear", ["w2_quantized", "w2_scale", "w2_zero_point"], ["w2"],
          name="dequant_w2", axis=1),
        n("MatMul", ["h_dq", "w2"], ["y_mm"], name="matmul_2"),
        n("Add", ["y_mm", "b2"], ["output"], name="add_2"),
    ]
    graph = helper.make_graph(
        nodes, "quantized_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, QMLP_IN])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, QMLP_OUT])],
        initializer=init)
    model = helper.make_model(graph, producer_name="continuum-export_models",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    model.doc_string = ("Continuum test model 'quantized_mlp': hand-built QDQ MLP 32-64-10 "
                        "(uint8 activations, per-channel int8 weights); reference from numpy")
    return model


def export_quantized_mlp(out_dir: str) -> onnx.ModelProto:
    weights = qmlp_weights()
    rng = np.random.default_rng([SEED, sum(map(ord, "quantized_mlp"))])
    # Inputs are drawn until no value to be rounded lies near a .5 tie: a different but
    # legal float32 summation order in an engine must not flip a rounding decision.
    for _ in range(1000):
        x = rng.standard_normal((1, QMLP_IN)).astype(np.float32)
        y, rounded = qmlp_numpy(x, *weights)
        frac = np.concatenate([np.abs(np.abs(r - np.floor(r)) - 0.5).ravel() for r in rounded])
        if frac.min() > QMLP_TIE_MARGIN:
            break
    else:
        raise RuntimeError("quantized_mlp: no input found away from rounding ties")
    proto = build_qmlp_graph(*weights)
    write_case(out_dir, "quantized_mlp", proto, [x], [y])
    return proto


# --------------------------------------------------------------------------- files

def write_case(out_dir, name, proto, inputs, outputs):
    onnx.checker.check_model(proto)
    graph_inputs = graph_input_names(proto)
    graph_outputs = [o.name for o in proto.graph.output]
    if len(graph_inputs) != len(inputs) or len(graph_outputs) != len(outputs):
        raise RuntimeError(f"{name}: graph has {len(graph_inputs)} inputs / "
                           f"{len(graph_outputs)} outputs, data has {len(inputs)} / "
                           f"{len(outputs)}")
    case_dir = os.path.join(out_dir, name)
    data_dir = os.path.join(case_dir, "test_data_set_0")
    os.makedirs(data_dir, exist_ok=True)
    for stale in os.listdir(data_dir):
        os.remove(os.path.join(data_dir, stale))
    onnx.save(proto, os.path.join(case_dir, "model.onnx"))
    for prefix, names, arrays in (("input", graph_inputs, inputs),
                                  ("output", graph_outputs, outputs)):
        for i, (tensor_name, array) in enumerate(zip(names, arrays)):
            tensor = numpy_helper.from_array(np.ascontiguousarray(array), tensor_name)
            with open(os.path.join(data_dir, f"{prefix}_{i}.pb"), "wb") as f:
                f.write(tensor.SerializeToString())


def graph_input_names(proto):
    initializers = {t.name for t in proto.graph.initializer}
    return [i.name for i in proto.graph.input if i.name not in initializers]


def read_case(out_dir, name):
    case_dir = os.path.join(out_dir, name)
    proto = onnx.load(os.path.join(case_dir, "model.onnx"))
    data_dir = os.path.join(case_dir, "test_data_set_0")

    def load(prefix, count):
        arrays = []
        for i in range(count):
            t = TensorProto()
            with open(os.path.join(data_dir, f"{prefix}_{i}.pb"), "rb") as f:
                t.ParseFromString(f.read())
            arrays.append((t.name, numpy_helper.to_array(t).copy()))
        return arrays

    return (proto, load("input", len(graph_input_names(proto))),
            load("output", len(proto.graph.output)))


# --------------------------------------------------------------------------- verify

def verify_case(out_dir, name) -> str:
    """check_model, names/shapes of the data files, and a fresh PyTorch (or numpy) re-run."""
    path = os.path.join(out_dir, name, "model.onnx")
    onnx.checker.check_model(path)
    proto, inputs, outputs = read_case(out_dir, name)
    problems = []
    for (tensor_name, array), value in zip(inputs + outputs,
                                           [i for i in proto.graph.input
                                            if i.name in graph_input_names(proto)]
                                           + list(proto.graph.output)):
        dims = [d.dim_value for d in value.type.tensor_type.shape.dim]
        if tensor_name != value.name or list(array.shape) != dims:
            problems.append(f"{tensor_name}{list(array.shape)} vs graph {value.name}{dims}")
    if name == "quantized_mlp":
        recomputed, _ = qmlp_numpy(inputs[0][1], *qmlp_weights())
        recomputed = [recomputed]
    else:
        spec = next(s for s in TORCH_SPECS if s.name == name)
        recomputed = torch_reference(spec, seeded_model(spec), [a for _, a in inputs])
    diffs = [float(np.max(np.abs(r - e))) for r, (_, e) in zip(recomputed, outputs)]
    if any(d != 0.0 for d in diffs):
        problems.append(f"re-run differs from stored reference by {max(diffs):.3g}")
    ops = sorted({n.op_type for n in proto.graph.node})
    size = os.path.getsize(path)
    status = "OK" if not problems else "PROBLEM: " + "; ".join(problems)
    out_range = max(float(np.max(np.abs(e))) for _, e in outputs)
    return (f"{name}: opset {proto.opset_import[0].version}, {size} bytes, "
            f"max|output| {out_range:.3g}, ops {ops} -> {status}")


# --------------------------------------------------------------------------- main

ALL_NAMES = [s.name for s in TORCH_SPECS] + ["quantized_mlp"]
LARGE_NAMES = {s.name for s in TORCH_SPECS if s.large}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"output dir (default {DEFAULT_OUT})")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=ALL_NAMES,
                        help="export only these models (large ones included if named)")
    parser.add_argument("--large", action="store_true",
                        help="also export the large models (resnet18, mobilenet_v2)")
    parser.add_argument("--verify", action="store_true",
                        help="do not export; check the models already in --out")
    args = parser.parse_args(argv)

    if args.only:
        names = args.only
    else:
        names = [n for n in ALL_NAMES if args.large or n not in LARGE_NAMES]
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, "
          f"onnx {onnx.__version__}, opset {OPSET}", file=sys.stderr)
    torch.set_num_threads(1)  # one summation order for the references
    failed = False
    for name in names:
        if not args.verify:
            if name == "quantized_mlp":
                export_quantized_mlp(args.out)
            else:
                export_torch(next(s for s in TORCH_SPECS if s.name == name), args.out)
        line = verify_case(args.out, name)
        failed |= "PROBLEM" in line
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
