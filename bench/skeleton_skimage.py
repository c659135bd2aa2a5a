"""skimage's 3D skeletonization (Lee et al. 1994 thinning) on the masks written by bench/skeleton.ts.

    /usr/bin/python3 bench/skeleton_skimage.py <mask.u8> <z> <y> <x> <repeats> [<out.u8>]

Prints one JSON line: {"seconds": [...], "voxels": n, "peak_mb": ..., "base_mb": ..., "skimage": version}.
peak_mb is the process's peak resident memory (ru_maxrss) after the runs, base_mb the same before
the first run (numpy, skimage and the mask loaded): their difference is what skeletonizing took.
It returns only a set of voxels: no tree, no radii.
"""
import json
import resource
import sys
import time

import numpy as np
import skimage
from skimage import morphology

try:  # skimage >= 0.23 folds 3D into skeletonize; older ones have skeletonize_3d
    from skimage.morphology import skeletonize_3d as skel3d
except ImportError:  # pragma: no cover
    skel3d = morphology.skeletonize

m_path, Z, Y, X, reps = sys.argv[1:6]
out_path = sys.argv[6] if len(sys.argv) > 6 else None
mask = np.fromfile(m_path, dtype=np.uint8).reshape((int(Z), int(Y), int(X))).astype(bool)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
secs = []
out = None
for _ in range(int(reps)):
    t = time.perf_counter()
    out = skel3d(mask)
    secs.append(time.perf_counter() - t)
if out_path:
    (out > 0).astype(np.uint8).tofile(out_path)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": secs, "voxels": int(np.count_nonzero(out)), "peak_mb": peak, "base_mb": base, "skimage": skimage.__version__}))
