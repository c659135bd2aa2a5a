"""Data for the boundary model: the NeuroProof medulla volume (CC BY 3.0). ISBI 2012 is not used
(non-commercial terms, 4x4x50 nm): the model stays under the sample's license.

Split of the NeuroProof volume (fixed, issue #3): train z 0-149, validate z 150-174, test z 175-249.
The test slab is never read by training or tuning code (only by evaluate_test()).
"""
import gzip
import os

import numpy as np
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SAMPLE = os.path.join(ROOT, "data", "neuroproof-medulla")
SHAPE = (250, 250, 250)  # z, y, x
TRAIN = (0, 150)
VAL = (150, 175)
TEST = (175, 250)

# must match core/model-io.ts
NORM_MEAN = 128.0
NORM_STD = 32.0
CONTEXT = 3


def load_grey():
    """uint8 (z, y, x): slice iso.(2600+z).png is z."""
    zs = []
    for z in range(SHAPE[0]):
        im = Image.open(os.path.join(SAMPLE, "slices", "iso.%d.png" % (2600 + z))).convert("L")
        zs.append(np.asarray(im, dtype=np.uint8))
    return np.stack(zs)


def load_labels(name):
    with gzip.open(os.path.join(SAMPLE, "labels", name), "rb") as f:
        raw = f.read()
    return np.frombuffer(raw, dtype="<u4").reshape(SHAPE)


def boundary_target(gt):
    """1 where a 6-neighbour (in 3D) has a different body, or the voxel is unlabelled (0)."""
    b = gt == 0
    for ax in range(3):
        d = np.diff(gt, axis=ax) != 0
        sl_lo = [slice(None)] * 3
        sl_hi = [slice(None)] * 3
        sl_lo[ax] = slice(0, -1)
        sl_hi[ax] = slice(1, None)
        b[tuple(sl_lo)] |= d
        b[tuple(sl_hi)] |= d
    return b.astype(np.uint8)


def normalise(grey_u8):
    return (grey_u8.astype(np.float32) - NORM_MEAN) / NORM_STD

