"""PyTorch peer of the MLP benchmark: the same network and protocol as bench/DeepLearning.Bench.

784-256-128-10, ReLU, dropout 0.2 after each hidden layer, Adam lr 1e-3, batch 128, 2 threads,
seed 1, a permutation per epoch and index_select batches, Fashion-MNIST scaled to [0, 1].
Prints one JSON line per epoch and a summary line, like the C# modes.
Usage: /usr/bin/python3 bench/pytorch/mlp.py [--epochs N] [--data DIR] [--lockstep]
"""
import argparse
import gzip
import json
import resource
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path, magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    got, count = struct.unpack(">II", data[:8])
    assert got == magic, f"{path}: magic {got:#x}"
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).reshape(count, rows * cols)
    return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8)


def load(directory, split):
    prefix = "train" if split == "train" else "t10k"
    x = read_idx(f"{directory}/{prefix}-images-idx3-ubyte.gz", 0x803).float().div_(255)
    y = read_idx(f"{directory}/{prefix}-labels-idx1-ubyte.gz", 0x801).long()
    return x, y


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--lockstep", action="store_true",
                        help="print {\"ready\": true} after loading, then wait for a line on stdin before each epoch "
                             "(the C# 'interleaved' bench drives the epochs)")
    args = parser.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(1)
    train_x, train_y = load(args.data, "train")
    test_x, test_y = load(args.data, "test")
    model = nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = train_x.shape[0]
    seconds = []
    if args.lockstep:
        print(json.dumps({"ready": True}), flush=True)
    for epoch in range(1, args.epochs + 1):
        if args.lockstep and not sys.stdin.readline():
            return
        start = time.perf_counter()
        model.train()
        permutation = torch.randperm(rows)
        loss_sum, batches = 0.0, 0
        for begin in range(0, rows, 128):
            index = permutation[begin:begin + 128]
            x, y = train_x.index_select(0, index), train_y.index_select(0, index)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item()
            batches += 1
        elapsed = time.perf_counter() - start
        seconds.append(elapsed)
        model.eval()
        with torch.no_grad():
            accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
        print(json.dumps({"bench": "pytorch-mlp", "epoch": epoch, "seconds": round(elapsed, 3),
                          "trainLoss": round(loss_sum / batches, 5), "testAccuracy": round(accuracy, 5),
                          "rssMb": round(rss_mb(), 1)}), flush=True)
    steady = seconds[1:] or seconds
    print(json.dumps({"bench": "pytorch-mlp", "summary": "epochs 2..N", "torch": torch.__version__,
                      "epochs": args.epochs, "meanSecondsPerEpoch": round(sum(steady) / len(steady), 3),
                      "testAccuracy": round(accuracy, 5),
                      "processPeakRssMb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)}), flush=True)


if __name__ == "__main__":
    main()
