#!/usr/bin/python3
"""Setup (d) of the trainer throughput benchmark (docs/benchmarks.md): the Fashion-MNIST MLP 784-256-128-10 in
PyTorch, plain SGD, cross-entropy, float32. Same data path as the Java setups: one shuffled order, each step
gathers its batch rows from the full training tensor. Prints one line per batch size:
"batch B samples_per_second S cpu_samples_per_second C": the best of --rounds timed rounds after a warm-up, by the
wall clock and per second of this thread's CPU time (with one thread all of torch's work runs on it)."""
import argparse
import gzip
import os
import time

import numpy as np
import torch


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cell", action="append", required=True, help="batch:warmup_steps:timed_steps")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    images = idx(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz"))
    labels = idx(os.path.join(args.data_dir, "train-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255.0)
    y = torch.from_numpy(labels.astype(np.int64))
    order = torch.randperm(len(x))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)

    for cell in args.cell:
        batch, warmup, timed = (int(v) for v in cell.split(":"))
        best = 0.0
        best_cpu = 0.0
        for _ in range(args.rounds):
            model = torch.nn.Sequential(
                torch.nn.Linear(784, 256), torch.nn.ReLU(),
                torch.nn.Linear(256, 128), torch.nn.ReLU(),
                torch.nn.Linear(128, 10))
            optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
            loss_fn = torch.nn.CrossEntropyLoss()
            start = None
            cpu_start = None
            for step in range(warmup + timed):
                if step == warmup:
                    start = time.perf_counter()
                    cpu_start = time.thread_time()
                rows = order[step * batch:(step + 1) * batch]
                xb = x.index_select(0, rows)
                yb = y.index_select(0, rows)
                optimizer.zero_grad(set_to_none=True)
                loss = loss_fn(model(xb), yb)
                loss.backward()
                optimizer.step()
                loss.item()  # like the Java setups, read the loss every step
            best = max(best, timed * batch / (time.perf_counter() - start))
            best_cpu = max(best_cpu, timed * batch / (time.thread_time() - cpu_start))
        print(f"batch {batch} samples_per_second {best:.1f} cpu_samples_per_second {best_cpu:.1f}", flush=True)


if __name__ == "__main__":
    main()
