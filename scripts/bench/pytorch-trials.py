#!/usr/bin/env python3
"""PyTorch's side of scripts/bench/vs-pytorch-search.sh: one trial of a multi-trial search of
specs/mnist.yaml as NNI runs trials (a fresh Python process each): the child given as
conv1=conv3x3|conv5x5 and skip=0|1, trained one epoch on the MNIST IDX files (batch 64, Adam
1e-3, 2 threads; a seeded 10% of the training images held out), its validation accuracy printed.

  pytorch-trials.py MNIST_DIR CONV1 SKIP SEED
"""
import sys

import numpy as np
import torch
import torch.nn.functional as F

from pytorch_nets import Net, idx


def main():
    folder, conv1, skip, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    images = idx(f"{folder}/train-images-idx3-ubyte").astype(np.float32) / 255
    labels = idx(f"{folder}/train-labels-idx1-ubyte").astype(np.int64)
    images = (images - images.mean()) / images.std()
    order = np.random.default_rng(seed).permutation(len(labels))
    held = len(labels) // 10
    val, train = order[:held], order[held:]
    x = torch.from_numpy(images).unsqueeze(1)
    y = torch.from_numpy(labels)
    model = Net(dropout=True, conv1=conv1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    shuffled = np.random.default_rng(seed + 1).permutation(train)
    for start in range(0, len(shuffled), 64):
        b = torch.from_numpy(shuffled[start:start + 64])
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x[b], (conv1, skip)), y[b]).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum(int((model(x[val[s:s + 256]], (conv1, skip)).argmax(1) == y[val[s:s + 256]]).sum()) for s in range(0, held, 256))
    print(f"{conv1} skip={skip}: validation accuracy {correct / held:.4f}")


if __name__ == "__main__":
    main()
