#!/usr/bin/python3
"""Setup "pytorch" of the trainer throughput benchmark (docs/benchmarks.md): the Fashion-MNIST MLP 784-256-128-10 in
PyTorch, plain SGD, cross-entropy, float32. Same data path as the Java setups: one shuffled order, each step
gathers its batch rows from the full training tensor.

A worker driven by ThroughputBenchmark, so that its rounds interleave with the Java setups' rounds: it loads the data
once, prints "ready", then reads one cell per line from stdin, "BATCH WARMUP_STEPS TIMED_STEPS", trains a fresh model
for the warm-up and the timed steps and answers "batch B samples_per_second S" (wall clock of the timed steps)."""
import argparse
import gzip
import os
import sys
import time

import numpy as np
import torch


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def cell(x, y, order, batch, warmup, timed):
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    steps_per_epoch = len(order) // batch
    start = None
    for step in range(warmup + timed):
        if step == warmup:
            start = time.perf_counter()
        at = (step % steps_per_epoch) * batch
        rows = order[at:at + batch]
        xb = x.index_select(0, rows)
        yb = y.index_select(0, rows)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        loss.item()  # like the Java setups, read the loss every step
    return timed * batch / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--threads", type=int, required=True)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    images = idx(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz"))
    labels = idx(os.path.join(args.data_dir, "train-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255.0)
    y = torch.from_numpy(labels.astype(np.int64))
    order = torch.randperm(len(x))
    print(f"ready: torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        batch, warmup, timed = (int(v) for v in line.split())
        rate = cell(x, y, order, batch, warmup, timed)
        print(f"batch {batch} samples_per_second {rate:.1f}", flush=True)


if __name__ == "__main__":
    main()
