"""skimage.segmentation.watershed on the boundary map and seeds written by bench/watershed.ts.

    /usr/bin/python3 bench/watershed_skimage.py <boundary.u8> <seeds.u32> <z> <y> <x> <out.u32> <repeats>

Prints one JSON line: {"seconds": [...], "skimage": version}. Writes the labels of the last run.
"""
import json
import sys
import time

import numpy as np
import skimage
from skimage.segmentation import watershed

b_path, s_path, Z, Y, X, out_path, reps = sys.argv[1:8]
shape = (int(Z), int(Y), int(X))
boundary = np.fromfile(b_path, dtype=np.uint8).reshape(shape)
seeds = np.fromfile(s_path, dtype="<u4").reshape(shape).astype(np.int32)
secs = []
labels = None
for _ in range(int(reps)):
    t = time.perf_counter()
    labels = watershed(boundary, markers=seeds, connectivity=1)
    secs.append(time.perf_counter() - t)
labels.astype("<u4").tofile(out_path)
print(json.dumps({"seconds": secs, "skimage": skimage.__version__}))
