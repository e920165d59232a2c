#!/usr/bin/env python3
"""Writes specs/data/two-moons.csv: 1,000 points of two interleaved half circles (classes 0 and 1)
with gaussian noise 0.2, seeded, as scikit-learn's make_moons draws them. Kept for reproducibility:
the CSV is in the repository, nothing runs this at build or run time."""
import csv, math, random, sys

def main(path="specs/data/two-moons.csv", n=1000, noise=0.2, seed=7):
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        label = i % 2
        t = math.pi * rnd.random()
        x, y = (math.cos(t), math.sin(t)) if label == 0 else (1 - math.cos(t), 0.5 - math.sin(t))
        rows.append((round(x + rnd.gauss(0, noise), 4), round(y + rnd.gauss(0, noise), 4), label))
    rnd.shuffle(rows)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["x", "y", "class"])
        w.writerows(rows)

if __name__ == "__main__":
    main(*sys.argv[1:2])
