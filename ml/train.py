"""Train the 2.5D boundary U-Net on the NeuroProof medulla volume and export it to ONNX.

    /usr/bin/python3 ml/train.py [--steps N] [--out public/models/boundary.onnx]   (npm run train:model)

Reproducible: fixed seeds, one thread count, deterministic sampling. CPU only (Debian python3-torch).
Split (issue #3): train z 0-149, validate z 150-174 (model selection), test z 175-249 (read once at
the end, for the model card only; nothing is tuned on it).
"""
import argparse
import json
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import boundary_data as D  # noqa: E402


# ---------------------------------------------------------------- model

def block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class UNet25D(nn.Module):
    """3 input slices -> 1 boundary logit map. Three 2x poolings: H, W multiples of 8."""

    def __init__(self, c=(16, 24, 32, 48)):
        super().__init__()
        self.e1 = block(D.CONTEXT, c[0])
        self.e2 = block(c[0], c[1])
        self.e3 = block(c[1], c[2])
        self.b = block(c[2], c[3])
        self.u3 = nn.ConvTranspose2d(c[3], c[2], 2, stride=2)
        self.d3 = block(2 * c[2], c[2])
        self.u2 = nn.ConvTranspose2d(c[2], c[1], 2, stride=2)
        self.d2 = block(2 * c[1], c[1])
        self.u1 = nn.ConvTranspose2d(c[1], c[0], 2, stride=2)
        self.d1 = block(2 * c[0], c[0])
        self.head = nn.Conv2d(c[0], 1, 1)

    def forward(self, x):
        e1 = self.e1(x)
        e2 = self.e2(F.max_pool2d(e1, 2))
        e3 = self.e3(F.max_pool2d(e2, 2))
        b = self.b(F.max_pool2d(e3, 2))
        d3 = self.d3(torch.cat([self.u3(b), e3], 1))
        d2 = self.d2(torch.cat([self.u2(d3), e2], 1))
        d1 = self.d1(torch.cat([self.u1(d2), e1], 1))
        return self.head(d1)


class WithSigmoid(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, input):  # noqa: A002 (the ONNX input name)
        return torch.sigmoid(self.net(input))


# ---------------------------------------------------------------- sampling

class Sampler:
    """Random 2.5D crops from a (z, y, x) slab in the three orientations (the volume is isotropic)."""

    def __init__(self, grey, target, crop, rng):
        self.x = D.normalise(grey)
        self.t = target.astype(np.float32)
        self.crop = crop
        self.rng = rng

    def one(self):
        r = self.rng
        x, t, c = self.x, self.t, self.crop
        Z, Y, X = x.shape
        axis = r.choice([0, 0, 1, 2])  # half the crops in the xy plane (the one used at inference)
        if axis == 0:
            z = r.randint(1, Z - 2)
            y0, x0 = r.randint(0, Y - c), r.randint(0, X - c)
            inp = x[z - 1:z + 2, y0:y0 + c, x0:x0 + c]
            tgt = t[z, y0:y0 + c, x0:x0 + c]
        elif axis == 1:  # xz plane, context along y
            y = r.randint(1, Y - 2)
            z0, x0 = r.randint(0, Z - c), r.randint(0, X - c)
            inp = x[z0:z0 + c, y - 1:y + 2, x0:x0 + c].transpose(1, 0, 2)
            tgt = t[z0:z0 + c, y, x0:x0 + c]
        else:  # yz plane, context along x
            xx = r.randint(1, X - 2)
            z0, y0 = r.randint(0, Z - c), r.randint(0, Y - c)
            inp = x[z0:z0 + c, y0:y0 + c, xx - 1:xx + 2].transpose(2, 0, 1)
            tgt = t[z0:z0 + c, y0:y0 + c, xx]
        k = r.randint(0, 3)
        inp = np.rot90(inp, k, axes=(1, 2))
        tgt = np.rot90(tgt, k)
        if r.random() < 0.5:
            inp, tgt = inp[:, :, ::-1], tgt[:, ::-1]
        if r.random() < 0.5:
            inp = inp[::-1]  # z-1 <-> z+1
        gain = 1.0 + r.uniform(-0.15, 0.15)
        bias = r.uniform(-0.2, 0.2)
        return np.ascontiguousarray(inp * gain + bias, dtype=np.float32), np.ascontiguousarray(tgt)

    def batch(self, n):
        xs, ts = zip(*(self.one() for _ in range(n)))
        return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ts)[:, None])


# ---------------------------------------------------------------- evaluation

def predict_slab(net, grey, z0, z1, batch=4):
    """Boundary probability (z1-z0, Y, X) for slices z0..z1-1, context clamped to the whole volume,
    each slice mirror-padded to a multiple of 8 (as core/model-io.ts does for the 250^2 sample)."""
    Z, Y, X = grey.shape
    ph, pw = (-Y) % 8, (-X) % 8
    xn = D.normalise(grey)
    out = np.zeros((z1 - z0, Y, X), np.float32)
    net.eval()
    with torch.no_grad():
        for s in range(z0, z1, batch):
            zs = list(range(s, min(z1, s + batch)))
            inp = np.stack([xn[[max(0, z - 1), z, min(Z - 1, z + 1)]] for z in zs])
            inp = np.pad(inp, ((0, 0), (0, 0), (0, ph), (0, pw)), mode="reflect")
            p = torch.sigmoid(net(torch.from_numpy(inp))).numpy()[:, 0, :Y, :X]
            out[s - z0:s - z0 + len(zs)] = p
    return out


def boundary_metrics(prob, target):
    """BCE, best F1 over thresholds, mean prob on boundary / interior voxels."""
    p = np.clip(prob.ravel().astype(np.float64), 1e-6, 1 - 1e-6)
    t = target.ravel().astype(bool)
    bce = float(-(np.log(p[t]).sum() + np.log(1 - p[~t]).sum()) / p.size)
    best = (0.0, 0.5)
    for th in np.arange(0.1, 0.91, 0.05):
        pr = p > th
        tp = float((pr & t).sum())
        prec = tp / max(1.0, float(pr.sum()))
        rec = tp / max(1.0, float(t.sum()))
        f1 = 2 * prec * rec / max(1e-9, prec + rec)
        if f1 > best[0]:
            best = (f1, float(th))
    return {
        "bce": round(bce, 4),
        "f1": round(best[0], 4),
        "f1_threshold": round(best[1], 2),
        "mean_p_boundary": round(float(p[t].mean()), 4),
        "mean_p_interior": round(float(p[~t].mean()), 4),
        "boundary_fraction": round(float(t.mean()), 4),
    }


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1200)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--crop", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--val-every", type=int, default=200)
    ap.add_argument("--out", default=os.path.join(D.ROOT, "public", "models", "boundary.onnx"))
    ap.add_argument("--metrics", default=os.path.join(D.ROOT, "ml", "metrics.json"))
    ap.add_argument("--reference", default=os.path.join(D.ROOT, "ml", "export-reference.f32"))
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True, warn_only=True)

    t_start = time.time()
    grey = D.load_grey()
    gt = D.load_labels("ground-truth.u32.raw.gz")
    # targets from each slab's own labels only (no label crosses a split border)
    train_t = D.boundary_target(gt[D.TRAIN[0]:D.TRAIN[1]])
    val_t = D.boundary_target(gt[D.VAL[0]:D.VAL[1]])
    sampler = Sampler(grey[D.TRAIN[0]:D.TRAIN[1]], train_t, args.crop, random.Random(args.seed))

    net = UNet25D()
    n_params = sum(p.numel() for p in net.parameters())
    print(f"UNet25D: {n_params} parameters; train slab z {D.TRAIN}, validation z {D.VAL}", flush=True)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.1)

    best = None
    history = []
    t_train = time.time()
    for step in range(1, args.steps + 1):
        net.train()
        x, t = sampler.batch(args.batch)
        logits = net(x)
        loss = F.binary_cross_entropy_with_logits(logits, t)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 50 == 0:
            el = time.time() - t_train
            print(f"step {step}/{args.steps} loss {loss.item():.4f} ({el:.0f} s, {el / step:.2f} s/step)", flush=True)
        if step % args.val_every == 0 or step == args.steps:
            vp = predict_slab(net, grey, D.VAL[0], D.VAL[1])
            m = boundary_metrics(vp, val_t)
            m["step"] = step
            history.append(m)
            print(f"  validation: {m}", flush=True)
            if best is None or m["bce"] < best[0]["bce"]:
                best = (m, {k: v.clone() for k, v in net.state_dict().items()})
    train_s = time.time() - t_train

    net.load_state_dict(best[1])
    net.eval()
    export(net, args.out, grey, args.reference)

    # the test slab: read once, after model selection, for the model card
    test_t = D.boundary_target(gt[D.TEST[0]:D.TEST[1]])
    test_m = boundary_metrics(predict_slab(net, grey, D.TEST[0], D.TEST[1]), test_t)
    metrics = {
        "parameters": n_params,
        "steps": args.steps,
        "batch": args.batch,
        "crop": args.crop,
        "seed": args.seed,
        "threads": args.threads,
        "train_seconds": round(train_s),
        "total_seconds": round(time.time() - t_start),
        "best_step": best[0]["step"],
        "validation": {k: v for k, v in best[0].items() if k != "step"},
        "test": test_m,
        "history": history,
        "onnx_bytes": os.path.getsize(args.out),
        "torch": torch.__version__,
    }
    with open(args.metrics, "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    print(json.dumps({k: v for k, v in metrics.items() if k != "history"}, indent=2))


def export(net, out, grey, ref_path):
    """ONNX (opset 17, dynamic N/H/W, sigmoid inside) + a reference input/output pair for the node test."""
    os.makedirs(os.path.dirname(out), exist_ok=True)
    wrapped = WithSigmoid(net).eval()
    dummy = torch.zeros(1, D.CONTEXT, 64, 64)
    torch.onnx.export(
        wrapped,
        dummy,
        out,
        input_names=["input"],
        output_names=["boundary"],
        dynamic_axes={"input": {0: "N", 2: "H", 3: "W"}, "boundary": {0: "N", 2: "H", 3: "W"}},
        opset_version=17,
        do_constant_folding=True,
    )
    import onnx

    m = onnx.load(out)
    onnx.checker.check_model(m)
    m.doc_string = "Axonaut 2.5D boundary U-Net; see public/models/boundary.md and docs/model-contract.md"
    onnx.save(m, out)
    # reference: slices z=159..161 (validation slab), crop y 40..104, x 80..144 -> PyTorch output
    z = 160
    inp = D.normalise(grey[z - 1:z + 2, 40:104, 80:144])[None]
    with torch.no_grad():
        ref = wrapped(torch.from_numpy(np.ascontiguousarray(inp))).numpy()
    np.concatenate([inp.ravel(), ref.ravel()]).astype("<f4").tofile(ref_path)
    print(f"exported {out} ({os.path.getsize(out)} bytes); reference pair {ref_path}", flush=True)


if __name__ == "__main__":
    main()
