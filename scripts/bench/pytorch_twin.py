#!/usr/bin/env python3
"""PyTorch's side of scripts/bench/vs-pytorch.sh: specs/mnist.yaml's network written in PyTorch
as NNI's MNIST example writes it, trained with Adam 1e-3 on the batches nas4j exported
(batches.f32, labels.f32), from nas4j's initial weights (params.f32, in the order and shapes
params.txt lists). MODE child: the child {conv1: conv5x5, skipcon: [conv2]}; MODE spos: the
single-path supernet (both conv1 candidates, the skip optional), one path per step as SPOS
trains it (the paths nas4j drew, paths.txt); a candidate off the path gets no gradient and no
update (zero_grad(set_to_none=True)), as in nas4j. MODE darts: both candidates mixed by the
softmax of the architecture weights (nas4j's initial ones, alpha.txt), the skip always taken;
each step DARTS's first-order architecture step on the next batch (weights frozen, Adam 3e-4,
betas 0.5/0.999, weight decay 1e-3), then the weight step with the mixture held fixed. MODE
darts2: the same with DARTS's unrolled second-order architecture step (one virtual SGD step of
xi = 0.025 with weight decay 3e-4, the Hessian-vector product by finite differences at
w +- eps dw', eps = 0.01 / ||dw'||), as nas4j's Darts computes it.

  pytorch_twin.py check MODE DIR   the losses of one step per exported batch, dropout off
  pytorch_twin.py time MODE DIR WARMUP STEPS   the median ms/step after WARMUP steps, dropout on
"""
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from pytorch_nets import Net


def load(folder, dropout, supernet):
    model = Net(dropout, supernet)
    values = np.fromfile(f"{folder}/params.f32", dtype="<f4")
    shapes = []
    for line in open(f"{folder}/params.txt"):
        shape = line.split(" ", 1)[1].strip().strip("()")
        shapes.append(tuple(int(d) for d in shape.split(",") if d.strip()))
    params = list(model.parameters())
    if [tuple(p.shape) for p in params] != shapes:
        sys.exit(f"pytorch-twin: the networks differ: nas4j {shapes}, PyTorch {[tuple(p.shape) for p in params]}")
    at = 0
    with torch.no_grad():
        for p in params:
            n = p.numel()
            p.copy_(torch.from_numpy(values[at:at + n].reshape(p.shape)))
            at += n
    x = torch.from_numpy(np.fromfile(f"{folder}/batches.f32", dtype="<f4"))
    y = torch.from_numpy(np.fromfile(f"{folder}/labels.f32", dtype="<f4")).long()
    batches = y.numel() // 64
    paths = [(line.split()[0], int(line.split()[1])) for line in open(f"{folder}/paths.txt")] if supernet == "spos" else [("conv5x5", 1)]
    if supernet in ("darts", "darts2"):
        paths = [("mix", 1)]
    return model, x.reshape(batches, 64, 1, 28, 28), y.reshape(batches, 64), paths


class Darts:
    """DARTS's first-order step over the architecture weights of conv1's two candidates."""

    def __init__(self, model, folder, second_order=False):
        self.second_order = second_order
        logits = [float(v) for v in open(f"{folder}/alpha.txt").read().split()[1:]]
        self.alpha = torch.tensor(logits, requires_grad=True)
        self.optimizer = torch.optim.Adam([self.alpha], lr=3e-4, betas=(0.5, 0.999), weight_decay=1e-3)
        self.model = model

    def unrolled_step(self, x, y, vx, vy, xi=0.025, wd=3e-4):
        params = list(self.model.parameters())
        backup = [p.detach().clone() for p in params]
        grads = torch.autograd.grad(F.cross_entropy(self.model(x, mix=F.softmax(self.alpha, 0).detach()), y), params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p.sub_(xi * (g + wd * p))
        grads = torch.autograd.grad(F.cross_entropy(self.model(vx, mix=F.softmax(self.alpha, 0)), vy), [self.alpha] + params)
        d_alpha, dw = grads[0], grads[1:]
        eps = 0.01 / max(float(torch.sqrt(sum((g * g).sum() for g in dw))), 1e-12)

        def alpha_gradient_at(sign):
            with torch.no_grad():
                for p, b, d in zip(params, backup, dw):
                    p.copy_(b + sign * eps * d)
            loss = F.cross_entropy(self.model(x, mix=F.softmax(self.alpha, 0)), y)
            return torch.autograd.grad(loss, [self.alpha])[0]

        plus, minus = alpha_gradient_at(1), alpha_gradient_at(-1)
        with torch.no_grad():
            for p, b in zip(params, backup):
                p.copy_(b)
        self.optimizer.zero_grad(set_to_none=True)
        self.alpha.grad = d_alpha - xi * (plus - minus) / (2 * eps)
        self.optimizer.step()
        return F.softmax(self.alpha, 0).detach()

    def architecture_step(self, vx, vy):
        for p in self.model.parameters():
            p.requires_grad_(False)
        self.optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(self.model(vx, mix=F.softmax(self.alpha, 0)), vy).backward()
        self.optimizer.step()
        for p in self.model.parameters():
            p.requires_grad_(True)
        return F.softmax(self.alpha, 0).detach()


def step(model, optimizer, x, y, path, darts=None, vx=None, vy=None):
    mix = None
    if darts and darts.second_order:
        mix = darts.unrolled_step(x, y, vx, vy)
    elif darts:
        mix = darts.architecture_step(vx, vy)
    optimizer.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x, path, mix), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def main():
    torch.set_num_threads(2)
    torch.set_num_interop_threads(2)
    what, mode, folder = sys.argv[1], sys.argv[2], sys.argv[3]
    model, xs, ys, paths = load(folder, dropout=(what == "time"), supernet=(mode if mode != "child" else None))
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    darts = Darts(model, folder, second_order=(mode == "darts2")) if mode.startswith("darts") else None
    n = len(xs)

    def one(i):
        return step(model, optimizer, xs[i % n], ys[i % n], paths[i % len(paths)], darts, xs[(i + 1) % n], ys[(i + 1) % n])

    if what == "check":
        losses = [one(i) for i in range(n)]
        print("PyTorch losses without dropout: " + " ".join(f"{v:.6f}" for v in losses))
        return
    warmup, steps = int(sys.argv[4]), int(sys.argv[5])
    ms = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        one(i)
        if i >= warmup:
            ms.append((time.perf_counter() - start) * 1000)
    ms.sort()
    print(f"PyTorch {mode} step: median {ms[steps // 2]:.1f} ms (IQR {ms[steps // 4]:.1f}-{ms[3 * steps // 4]:.1f}) over {steps} steps")


if __name__ == "__main__":
    main()
