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
w +- eps dw', eps = 0.01 / ||dw'||), as nas4j's Darts computes it. MODE proxyless: ProxylessNAS's
binary-gate architecture step on the next batch (Proxyless), then a path drawn from the
architecture weights trains; checked on nas4j's draws (draws.txt). MODE enas: a path drawn by
ENAS's LSTM controller (EnasSampler, as nas4j's plan.txt describes it) trains; checked on nas4j's
paths (paths.txt).

  pytorch_twin.py check MODE DIR   the losses of one step per exported batch, dropout off
  pytorch_twin.py time MODE DIR WARMUP STEPS   the median ms/step after WARMUP steps, dropout on
"""
import math
import random
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
    paths = [(line.split()[0], int(line.split()[1])) for line in open(f"{folder}/paths.txt")] if supernet in ("spos", "enas") else [("conv5x5", 1)]
    if supernet in ("darts", "darts2"):
        paths = [("mix", 1)]
    return model, x.reshape(batches, 64, 1, 28, 28), y.reshape(batches, 64), paths


class DjlAdam(torch.optim.Optimizer):
    """Adam as DJL 0.36 computes it (used by the check only), in two ways unlike torch.optim.Adam: the bias corrections
    are folded into the learning rate, so eps is added to sqrt(v) before them, not after; and their step count is the
    optimizer's (the most updates of any parameter: Optimizer.updateCount returns numUpdate), not the parameter's own, so
    a candidate first trained at step t starts with step t's corrections (SPOS, ENAS and ProxylessNAS paths). With this
    one the check compares the same arithmetic, and what is left is rounding."""

    def __init__(self, params, lr, betas=(0.9, 0.999), weight_decay=0.0, eps=1e-8):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay, eps=eps))
        self.updates = 0

    @torch.no_grad()
    def step(self):
        self.updates += 1
        t = self.updates
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state.update(m=torch.zeros_like(p), v=torch.zeros_like(p))
                lr = group["lr"] * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                g = p.grad + group["weight_decay"] * p
                state["m"].mul_(b1).add_(g, alpha=1 - b1)
                state["v"].mul_(b2).addcmul_(g, g, value=1 - b2)
                p.sub_(lr * state["m"] / (state["v"].sqrt() + group["eps"]))


# The optimizer of every Adam below: torch.optim.Adam when timed, DjlAdam when checked (main sets it).
Adam = torch.optim.Adam


class Darts:
    """DARTS's first-order step over the architecture weights of conv1's two candidates."""

    def __init__(self, model, folder, second_order=False):
        self.second_order = second_order
        logits = [float(v) for v in open(f"{folder}/alpha.txt").read().split()[1:]]
        self.alpha = torch.tensor(logits, requires_grad=True)
        self.optimizer = Adam([self.alpha], lr=3e-4, betas=(0.5, 0.999), weight_decay=1e-3)
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


class Proxyless:
    """ProxylessNAS's step: the binary-gate architecture step on the validation batch (two conv1 candidates drawn from the
    architecture weights, one switched on; the skip's gate drawn from its sigmoid; weights frozen; Adam 1e-3, betas 0/0.999),
    then a path drawn from the weights trains. The draws are nas4j's (draws.txt) when replayed, else this side's own."""

    def __init__(self, model, folder, replay):
        lines = [line.split() for line in open(f"{folder}/alpha.txt")]
        self.names = lines[0][1:]
        self.alpha = torch.tensor([math.log(float(v)) for v in lines[1][1:]], requires_grad=True)
        p = float(lines[2][1])
        self.beta = torch.tensor([math.log(p / (1 - p))], requires_grad=True)
        self.optimizer = Adam([self.alpha, self.beta], lr=1e-3, betas=(0.0, 0.999))
        self.model = model
        self.draws = [line.split() for line in open(f"{folder}/draws.txt")] if replay else None
        self.rng = random.Random(7)
        self.i = 0

    def draw(self):
        """(a, b, on, taken, path): the pair's option indices, the gate on (0: a), the skip's gate, the path to train."""
        if self.draws is not None:
            a, b, on, taken, conv1, skip = self.draws[self.i % len(self.draws)]
            self.i += 1
            return int(a), int(b), int(on), int(taken), (conv1, int(skip))
        with torch.no_grad():
            p = F.softmax(self.alpha, 0).tolist()
            s = torch.sigmoid(self.beta).item()
        a = 0 if self.rng.random() < p[0] else 1
        b = 1 - a
        on = 0 if self.rng.random() < p[a] / (p[a] + p[b]) else 1
        taken = int(self.rng.random() < s)
        # The path is drawn after the update in nas4j; drawing it here from the same weights costs the same.
        path = (self.names[0 if self.rng.random() < p[0] else 1], int(self.rng.random() < s))
        return a, b, on, taken, path

    def architecture_step(self, vx, vy, a, b, on, taken):
        with torch.no_grad():
            p = F.softmax(self.alpha, 0)
            s = torch.sigmoid(self.beta)
        q = [p[a] / (p[a] + p[b]), p[b] / (p[a] + p[b])]
        for w in self.model.parameters():
            w.requires_grad_(False)
        g = [torch.tensor(1.0 if on == j else 0.0, requires_grad=True) for j in (0, 1)]
        gs = torch.tensor(float(taken), requires_grad=True)
        F.cross_entropy(self.model(vx, gates=({self.names[a]: g[0], self.names[b]: g[1]}, gs)), vy).backward()
        for w in self.model.parameters():
            w.requires_grad_(True)
        pair = (a, b)
        grad = torch.zeros(2)
        for i in (0, 1):
            for j in (0, 1):
                grad[pair[i]] += g[j].grad * q[j] * ((1.0 if i == j else 0.0) - q[i])
        self.optimizer.zero_grad(set_to_none=True)
        self.alpha.grad = grad
        self.beta.grad = (gs.grad * s * (1 - s)).reshape(1)
        self.optimizer.step()


class EnasSampler:
    """ENAS's controller drawing a path, under no_grad, the way nas4j's EnasController computes it (plan.txt: an LSTM step
    per node of the model; at a layer decision a tanh-squashed softmax head and the option's embedding fed on; at an input
    choice attention over the inputs' states and a sigmoid per input; log-probability, entropy and skip penalty kept)."""

    def __init__(self, folder):
        lines = [line.split() for line in open(f"{folder}/plan.txt")]
        h, self.tanh = int(lines[0][1]), float(lines[0][2])
        self.plan = lines[1:]
        u = lambda *shape: torch.empty(*shape).uniform_(-0.1, 0.1)
        self.w = {"lstm.w": u(4 * h, h), "lstm.u": u(4 * h, h), "lstm.b": u(4 * h), "start": u(1, h), "plain": u(1, h),
                  "attn.anchor": u(h, h), "attn.query": u(h, h), "attn.v": u(h, 1)}
        for node in self.plan:
            if node[1] == "layer":
                n = int(node[2])
                self.w.update({f"head.{node[0]}": u(n, h), f"bias.{node[0]}": u(n), f"emb.{node[0]}": u(n, h)})
        self.h = h
        self.rng = random.Random(7)

    def lstm(self, x, h, c):
        i, f, g, o = (x @ self.w["lstm.w"].t() + h @ self.w["lstm.u"].t() + self.w["lstm.b"]).split(self.h, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c

    @torch.no_grad()
    def sample(self):
        w = self.w
        h, c = self.lstm(w["start"], torch.zeros(1, self.h), torch.zeros(1, self.h))
        anchors = {"input": h}
        log_prob, entropy, penalty = torch.zeros(1), torch.zeros(1), torch.zeros(1)
        conv1, skip = "conv5x5", 0
        nxt = w["plain"]
        for node in self.plan:
            h, c = self.lstm(nxt, h, c)
            nxt = w["plain"]
            if node[1] == "input":
                stacked = torch.cat([anchors.get(i, anchors["input"]) for i in node[3:]])
                logits = torch.tanh(torch.tanh(stacked @ w["attn.anchor"] + h @ w["attn.query"]) @ w["attn.v"]).reshape(-1) * self.tanh
                take = torch.sigmoid(logits)
                chosen = []
                for k, pk in enumerate(take):
                    yes = self.rng.random() < float(pk)
                    q = 1 - pk
                    log_prob = log_prob + torch.log((pk if yes else q) + 1e-8)
                    entropy = entropy - (pk * torch.log(pk + 1e-8) + q * torch.log(q + 1e-8))
                    penalty = penalty + pk * torch.log(pk / 0.4 + 1e-8) + q * torch.log(q / 0.6 + 1e-8)
                    if yes:
                        chosen.append(stacked[k:k + 1])
                skip = len(chosen)
                if chosen:
                    nxt = torch.cat(chosen).mean(0, keepdim=True)
            elif node[1] == "layer":
                logits = torch.tanh((h @ w[f"head.{node[0]}"].t()).reshape(-1) + w[f"bias.{node[0]}"]) * self.tanh
                logp = torch.log_softmax(logits, 0)
                p = logp.exp().tolist()
                k = 0 if self.rng.random() < p[0] else len(p) - 1
                log_prob = log_prob + logp[k]
                entropy = entropy - (logp.exp() * logp).sum()
                conv1 = ("conv3x3", "conv5x5")[k]
                nxt = w[f"emb.{node[0]}"][k:k + 1]
            anchors[node[0]] = h
        return conv1, skip


def step(model, optimizer, x, y, path, darts=None, vx=None, vy=None, proxyless=None, enas=None):
    mix = None
    if darts and darts.second_order:
        mix = darts.unrolled_step(x, y, vx, vy)
    elif darts:
        mix = darts.architecture_step(vx, vy)
    if enas:
        path = enas.sample()
    if proxyless:
        a, b, on, taken, path = proxyless.draw()
        proxyless.architecture_step(vx, vy, a, b, on, taken)
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
    global Adam
    if what == "check":
        Adam = DjlAdam
    optimizer = Adam(model.parameters(), lr=1e-3)
    darts = Darts(model, folder, second_order=(mode == "darts2")) if mode.startswith("darts") else None
    proxyless = Proxyless(model, folder, replay=(what == "check")) if mode == "proxyless" else None
    # Checked on nas4j's paths (paths.txt); timed with this side's own controller drawing them.
    enas = EnasSampler(folder) if mode == "enas" and what == "time" else None
    n = len(xs)

    def one(i):
        return step(model, optimizer, xs[i % n], ys[i % n], paths[i % len(paths)], darts, xs[(i + 1) % n], ys[(i + 1) % n], proxyless,
                    enas)

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
