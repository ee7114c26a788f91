#!/usr/bin/python3
"""Export single convolution layers of the bundled and large models as one-layer ONNX models.

`ModelComparison` run over these gives each runtime's whole time for one layer in a session (the
engine's kernel against ONNX Runtime's, both allocating the layer's output), where `NodeProfile --ort`
compares against ORT's in-graph nodes, which run in its NCHWc layout with the reorders elsewhere.
Same layout as export_models.py (backend-test directories, PyTorch's own output as the reference):

    DIR/<name>/model.onnx
    DIR/<name>/test_data_set_0/input_0.pb, output_0.pb

    /usr/bin/python3 tools/models/export_layers.py --out tools/models/out/layers
    java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \\
        dev.continuum.benchmarks.ModelComparison --threads 1 --seconds 3 tools/models/out/layers

Layer names: stems, depthwise 3x3 (dw<channels>s<stride>_<size>), pointwise 1x1
(pw<in>to<out>_<size>), full 3x3 (c3x3_<channels>_<size>, c3x3s2_<in>_<size> with twice the
channels out) and 1x1/2 (c1x1s2_<in>_<size>), each with the activation it has in its
model; resnet18's 3x3/2 max pool (maxpool3x3s2_<size>).
"""
import argparse
import os

import numpy as np
from onnx import numpy_helper
import torch
import torch.nn as nn

OPSET = 17


def depthwise(channels: int, stride: int) -> nn.Module:
    return nn.Sequential(nn.Conv2d(channels, channels, 3, stride, 1, groups=channels), nn.ReLU6())


def conv3x3(channels: int) -> nn.Module:
    return nn.Sequential(nn.Conv2d(channels, channels, 3, 1, 1), nn.ReLU())


# name -> (module, input shape)
LAYERS = {
    # stems: mobilenet_small's, mobilenet_v2's, resnet_small's
    "stem3x3_96": (lambda: nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU6()), (1, 3, 96, 96)),
    "stem3x3_224": (lambda: nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU6()), (1, 3, 224, 224)),
    "stem7x7_64": (lambda: nn.Sequential(nn.Conv2d(3, 16, 7, 2, 3), nn.ReLU()), (1, 3, 64, 64)),
    # depthwise 3x3 with Relu6, stride 1 and 2
    "dw32s1_112": (lambda: depthwise(32, 1), (1, 32, 112, 112)),
    "dw144s1_56": (lambda: depthwise(144, 1), (1, 144, 56, 56)),
    "dw576s1_14": (lambda: depthwise(576, 1), (1, 576, 14, 14)),
    "dw48s2_48": (lambda: depthwise(48, 2), (1, 48, 48, 48)),
    "dw96s2_112": (lambda: depthwise(96, 2), (1, 96, 112, 112)),
    "dw144s2_56": (lambda: depthwise(144, 2), (1, 144, 56, 56)),
    # pointwise: an expansion with Relu6, projections without activation, mobilenet_v2's last layer
    "pw16to96_112": (lambda: nn.Sequential(nn.Conv2d(16, 96, 1), nn.ReLU6()), (1, 16, 112, 112)),
    "pw32to16_112": (lambda: nn.Conv2d(32, 16, 1), (1, 32, 112, 112)),
    "pw96to24_56": (lambda: nn.Conv2d(96, 24, 1), (1, 96, 56, 56)),
    "pw320to1280_7": (lambda: nn.Sequential(nn.Conv2d(320, 1280, 1), nn.ReLU6()), (1, 320, 7, 7)),
    # mobilenet_small's narrow pointwise layers: fewer positions than a GEMM panel
    "pw32to192_6": (lambda: nn.Sequential(nn.Conv2d(32, 192, 1), nn.ReLU6()), (1, 32, 6, 6)),
    "pw112to1280_3": (lambda: nn.Sequential(nn.Conv2d(112, 1280, 1), nn.ReLU6()), (1, 112, 3, 3)),
    # resnet18's 3x3 layers with Relu, stride 1, one per stage
    "c3x3_64_56": (lambda: conv3x3(64), (1, 64, 56, 56)),
    "c3x3_128_28": (lambda: conv3x3(128), (1, 128, 28, 28)),
    "c3x3_256_14": (lambda: conv3x3(256), (1, 256, 14, 14)),
    "c3x3_512_7": (lambda: conv3x3(512), (1, 512, 7, 7)),
    # resnet18's first layer of a stage: 3x3/2 with Relu, and its 1x1/2 downsample without
    "c3x3s2_64_56": (lambda: nn.Sequential(nn.Conv2d(64, 128, 3, 2, 1), nn.ReLU()), (1, 64, 56, 56)),
    "c3x3s2_256_14": (lambda: nn.Sequential(nn.Conv2d(256, 512, 3, 2, 1), nn.ReLU()), (1, 256, 14, 14)),
    "c1x1s2_64_56": (lambda: nn.Conv2d(64, 128, 1, 2), (1, 64, 56, 56)),
    # resnet18's stem and the 3x3/2 max pool after it
    "stem7x7_224": (lambda: nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3), nn.ReLU()), (1, 3, 224, 224)),
    "maxpool3x3s2_112": (lambda: nn.MaxPool2d(3, 2, 1), (1, 64, 112, 112)),
}


def export(name: str, make, shape, out: str) -> None:
    torch.manual_seed(0)
    module = make().eval()
    x = torch.from_numpy(np.random.default_rng(0).standard_normal(shape).astype(np.float32))
    d = os.path.join(out, name)
    os.makedirs(os.path.join(d, "test_data_set_0"), exist_ok=True)
    torch.onnx.export(module, x, os.path.join(d, "model.onnx"), input_names=["input"],
                      output_names=["output"], opset_version=OPSET)
    with torch.no_grad():
        y = module(x)
    for kind, value in (("input", x), ("output", y)):
        tensor = numpy_helper.from_array(value.numpy(), kind)
        with open(os.path.join(d, "test_data_set_0", kind + "_0.pb"), "wb") as f:
            f.write(tensor.SerializeToString())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="directory to write the layer models into")
    parser.add_argument("--only", nargs="+", choices=sorted(LAYERS), help="export only these layers")
    args = parser.parse_args()
    for name in args.only or LAYERS:
        make, shape = LAYERS[name]
        export(name, make, shape, args.out)
        print("wrote", os.path.join(args.out, name))


if __name__ == "__main__":
    main()
