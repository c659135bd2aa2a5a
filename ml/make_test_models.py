"""Tiny ONNX files that do NOT fit the model contract, for the bad-input tests of ingest
(server/ingest/fixtures/). Run: /usr/bin/python3 ml/make_test_models.py"""
import os

import onnx
from onnx import TensorProto, helper

OUT = os.path.join(os.path.dirname(__file__), "..", "server", "ingest", "fixtures")


def save(name, nodes, inp, out):
    g = helper.make_graph(nodes, name, [inp], [out])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], producer_name="axonaut-tests")
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, name + ".onnx"))


f = TensorProto.FLOAT
# one input channel instead of three
save("wrong-channels", [helper.make_node("Sigmoid", ["input"], ["boundary"])],
     helper.make_tensor_value_info("input", f, ["N", 1, "H", "W"]),
     helper.make_tensor_value_info("boundary", f, ["N", 1, "H", "W"]))
# a fixed 64x64 input: does not fit the 256-px tiles
save("fixed-size", [helper.make_node("ReduceMean", ["input"], ["boundary"], axes=[1], keepdims=1)],
     helper.make_tensor_value_info("input", f, [1, 3, 64, 64]),
     helper.make_tensor_value_info("boundary", f, [1, 1, 64, 64]))
# other tensor names
save("wrong-names", [helper.make_node("Sigmoid", ["x"], ["y"])],
     helper.make_tensor_value_info("x", f, ["N", 3, "H", "W"]),
     helper.make_tensor_value_info("y", f, ["N", 3, "H", "W"]))
print("written to", os.path.abspath(OUT))
