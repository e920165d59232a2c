#!/usr/bin/env python3
"""PyTorch's side of scripts/bench/vs-pytorch-darts.sh: one epoch of DARTS (first order) on
Fashion-MNIST over specs/mnist.yaml's supernet, as NNI's DARTS trainer runs it and as nas4j's
`nas search --strategy darts` does: the training images split 50/50 (weights / architecture),
batch 64; weights by SGD (lr 0.025 cosine-annealed to 0.001 over the epoch's steps, momentum 0.9,
weight decay 3e-4, gradient norm clipped to 5); architecture weights by Adam (3e-4, betas
0.5/0.999, weight decay 1e-3) on the next validation batch with the weights frozen; conv1's two
candidates mixed by their softmax, the skip always taken. Ends with a checkpoint and the chosen
architecture, as nas4j's epoch does.

  pytorch-darts-epoch.py FASHION_MNIST_DIR OUT_DIR SEED
"""
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from pytorch_nets import Net, idx


def main():
    folder, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    start = time.perf_counter()
    images = idx(f"{folder}/train-images-idx3-ubyte").astype(np.float32) / 255
    labels = idx(f"{folder}/train-labels-idx1-ubyte").astype(np.int64)
    images = (images - images.mean()) / images.std()
    order = np.random.default_rng(seed).permutation(len(labels))
    half = len(labels) // 2
    train, val = order[half:], order[:half]
    x = torch.from_numpy(images).unsqueeze(1)
    y = torch.from_numpy(labels)
    model = Net(dropout=True, supernet="darts")
    alpha = (1e-3 * torch.randn(2)).requires_grad_(True)
    steps = (len(train) + 63) // 64
    weights = torch.optim.SGD(model.parameters(), lr=0.025, momentum=0.9, weight_decay=3e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(weights, steps, eta_min=0.001)
    arch = torch.optim.Adam([alpha], lr=3e-4, betas=(0.5, 0.999), weight_decay=1e-3)
    model.train()
    shuffled = np.random.default_rng(seed + 1).permutation(train)
    correct = seen = 0
    for k, s in enumerate(range(0, len(shuffled), 64)):
        b = torch.from_numpy(shuffled[s:s + 64])
        v = torch.from_numpy(val[(k * 64) % half:(k * 64) % half + 64])
        for p in model.parameters():
            p.requires_grad_(False)
        arch.zero_grad(set_to_none=True)
        F.cross_entropy(model(x[v], mix=F.softmax(alpha, 0)), y[v]).backward()
        arch.step()
        for p in model.parameters():
            p.requires_grad_(True)
        weights.zero_grad(set_to_none=True)
        logits = model(x[b], mix=F.softmax(alpha, 0).detach())
        loss = F.cross_entropy(logits, y[b])
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5)
        weights.step()
        schedule.step()
        correct += int((logits.argmax(1) == y[b]).sum())
        seen += len(b)
    torch.save({"model": model.state_dict(), "alpha": alpha, "weights": weights.state_dict(), "arch": arch.state_dict()},
               f"{out}/checkpoint.pt")
    chosen = ["conv3x3", "conv5x5"][int(alpha.argmax())]
    print(f"PyTorch DARTS epoch: {steps} steps, training accuracy {correct / seen:.4f}, conv1 {chosen},"
          f" {time.perf_counter() - start:.1f} s in the script")


if __name__ == "__main__":
    main()
