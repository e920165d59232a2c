#!/usr/bin/env python3
"""PyTorch's side of scripts/bench/vs-pytorch.sh: specs/mnist.yaml's child {conv1: conv5x5,
skipcon: [conv2]} written in PyTorch as NNI's MNIST example writes it, trained with Adam 1e-3 on
the batches nas4j exported (batches.f32, labels.f32), from nas4j's initial weights (params.f32,
in the order and shapes params.txt lists).

  pytorch-twin.py check DIR   the losses of one step per exported batch, dropout off
  pytorch-twin.py time DIR WARMUP STEPS   the median ms/step after WARMUP steps, dropout on
"""
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Child(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.conv3 = nn.Conv2d(64, 64, 1)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)
        self.drop1 = nn.Dropout(0.25 if dropout else 0.0)
        self.drop2 = nn.Dropout(0.5 if dropout else 0.0)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        skip = self.conv2(x)
        x = self.conv3(skip) + skip
        x = self.drop1(F.max_pool2d(x, 2))
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc2(self.drop2(x))


def load(folder, dropout):
    model = Child(dropout)
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
    return model, x.reshape(batches, 64, 1, 28, 28), y.reshape(batches, 64)


def step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def main():
    torch.set_num_threads(2)
    torch.set_num_interop_threads(2)
    mode, folder = sys.argv[1], sys.argv[2]
    model, xs, ys = load(folder, dropout=(mode == "time"))
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    if mode == "check":
        losses = [step(model, optimizer, xs[i], ys[i]) for i in range(len(xs))]
        print("PyTorch losses without dropout: " + " ".join(f"{v:.6f}" for v in losses))
        return
    warmup, steps = int(sys.argv[3]), int(sys.argv[4])
    ms = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        step(model, optimizer, xs[i % len(xs)], ys[i % len(xs)])
        if i >= warmup:
            ms.append((time.perf_counter() - start) * 1000)
    ms.sort()
    print(f"PyTorch child step: median {ms[steps // 2]:.1f} ms (IQR {ms[steps // 4]:.1f}-{ms[3 * steps // 4]:.1f}) over {steps} steps")


if __name__ == "__main__":
    main()
