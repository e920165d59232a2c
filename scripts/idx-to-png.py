#!/usr/bin/env python3
"""Turns an IDX dataset (MNIST, Fashion-MNIST: train-images-idx3-ubyte and its kin, gzipped or
not) into a folder of grey PNG images that `data: {dataset: image-folder}` reads:
DEST/train/<label>/<index>.png and DEST/test/<label>/<index>.png, the index zero-padded so that
file names keep the IDX order.

  scripts/idx-to-png.py SRC DEST [--limit N]   (N: the first N training and N test images)

Python's standard library only (zlib and struct write the PNGs)."""
import argparse, gzip, os, struct, sys, zlib

def read_idx(path):
    for candidate in (path, path + ".gz", path.replace("-idx", ".idx"), path.replace("-idx", ".idx") + ".gz"):
        if os.path.isfile(candidate):
            with open(candidate, "rb") as f:
                data = f.read()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            magic, = struct.unpack(">I", data[:4])
            dims = struct.unpack(">" + "I" * (magic & 0xff), data[4:4 + 4 * (magic & 0xff)])
            return dims, data[4 + 4 * len(dims):]
    sys.exit(f"idx-to-png: {path} (or .gz) not found")

def png(path, width, height, pixels):
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

def export(src, dest, part, images, labels, limit):
    (count, rows, cols), pixels = read_idx(os.path.join(src, images))
    _, label_bytes = read_idx(os.path.join(src, labels))
    count = count if limit is None else min(count, limit)
    size = rows * cols
    for i in range(count):
        folder = os.path.join(dest, part, str(label_bytes[i]))
        os.makedirs(folder, exist_ok=True)
        png(os.path.join(folder, f"{i:05d}.png"), cols, rows, pixels[i * size:(i + 1) * size])
    return count

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("src")
    p.add_argument("dest")
    p.add_argument("--limit", type=int)
    a = p.parse_args()
    train = export(a.src, a.dest, "train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte", a.limit)
    test = export(a.src, a.dest, "test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", a.limit)
    print(f"idx-to-png: {train} training and {test} test images in {a.dest}")

if __name__ == "__main__":
    main()
