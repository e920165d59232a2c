"""What the PyTorch sides of the vs-pytorch benchmarks share: specs/mnist.yaml's network written as
NNI's MNIST example writes it (the child, or the supernet with both conv1 candidates, its
parameters in nas4j's order) and IDX files read as numpy arrays."""
import gzip
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    """An IDX file (MNIST's format, gzipped or not) as a numpy array."""
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path += ".gz"
    data = gzip.open(path, "rb").read() if path.endswith(".gz") else open(path, "rb").read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class Net(nn.Module):
    """The child conv1 (conv5x5 unless given) + optional skip (supernet None), or the supernet (spos, darts, darts2)."""

    def __init__(self, dropout=True, supernet=None, conv1="conv5x5"):
        super().__init__()
        if supernet or conv1 == "conv3x3":
            self.conv3x3 = nn.Conv2d(1, 32, 3)
        if supernet or conv1 == "conv5x5":
            self.conv5x5 = nn.Conv2d(1, 32, 5, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.conv3 = nn.Conv2d(64, 64, 1)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)
        self.drop1 = nn.Dropout(0.25 if dropout else 0.0)
        self.drop2 = nn.Dropout(0.5 if dropout else 0.0)
        self.conv1 = conv1

    def forward(self, x, path=None, mix=None, gates=None):
        """path: (conv1 candidate, skip 0 or 1), the child's own by default; mix: both candidates weighted, the skip taken;
        gates: ({candidate: gate} for the candidates that run, the skip's gate), ProxylessNAS's binary gates."""
        skip_gate = None
        if mix is not None:
            x = F.relu(mix[0] * self.conv3x3(x) + mix[1] * self.conv5x5(x))
            skip = 1
        elif gates is not None:
            weights, skip_gate = gates
            x = F.relu(sum(g * getattr(self, name)(x) for name, g in weights.items()))
            skip = 1
        else:
            conv1, skip = path if path is not None else (self.conv1, 1)
            x = F.relu((self.conv3x3 if conv1 == "conv3x3" else self.conv5x5)(x))
        c2 = self.conv2(x)
        if skip_gate is not None:
            x = self.conv3(c2) + skip_gate * c2
        else:
            x = self.conv3(c2) + c2 if skip else self.conv3(c2)
        x = self.drop1(F.max_pool2d(x, 2))
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc2(self.drop2(x))
