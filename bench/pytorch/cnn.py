"""PyTorch peer of the cnn benchmark mode: the same networks and protocol as bench/DeepLearning.Bench/CnnBench.cs.

Networks (built exactly as src/Transforms/Networks/Architectures builds them, same parameter count):
  small-cnn  conv3x3(1->32, no bias)-BN-ReLU, maxpool 2, conv3x3(32->64, no bias)-BN-ReLU, maxpool 2,
             linear 3136->128, ReLU, dropout 0.5, linear 128->10; He-normal (fan-out) convs, BN 1/0,
             linears N(0, 0.01^2) with zero bias (torchvision's init, ConvLayers.Initialize)
  lenet5     LeNet-5 with SmallInput: conv5x5(1->6, pad 2)-tanh-avgpool, conv5x5(6->16)-tanh-avgpool,
             linear 400->120-tanh->84-tanh->10; PyTorch's default init
  resnetN    CIFAR ResNet-N (N = 6n+2: 20, 32, 44, 56): conv3x3 16, BN, ReLU, 3 stages of n basic
             blocks (16/32/64 maps, stride 2 at stages 2 and 3, option-A shortcuts: subsample and
             zero-pad channels), global average pool, linear 64->10; init as small-cnn
Protocol: Fashion-MNIST scaled to [0, 1] and standardised with the training set's mean and standard
deviation, batch 128 (--batch), a permutation per epoch, Adam (or AdamW / SGD-Nesterov 0.9) with cosine
annealing to 0 per step over the run, 2 threads, seed 1. --augment: per sample, random crop of the
image padded by 2 (zeros on the pixel scale) and a horizontal flip with probability 0.5, before
standardisation; --flip: the flip alone. After every epoch the test set is scored in eval mode under no_grad at batch 512
(as our loop's validation pass); "seconds" is training plus that pass, like our loop's epoch time,
and "trainSeconds" the training pass alone. Inference: eval + no_grad, batch 256 over the 10,000 test
images (standardisation included), one warm-up pass then 3 timed passes; the headline is the median.
Prints one JSON line per epoch (and per inference pass) and a summary line, like the C# mode.
--lockstep: commands on stdin (see --help); the C# cnn mode's --peer alternates with it epoch by epoch.
Usage: OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/pytorch/cnn.py \
         [--arch small-cnn] [--width 1] [--epochs 15] [--augment | --flip] [--erase] [--optimizer adam|adamw|nesterov] [--lr X] [--weight-decay X] [--label-smoothing X]
"""
import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from mlp import load, rss_mb

EVAL_BATCH = 512
INFERENCE_BATCH = 256
INFERENCE_REPEATS = 3


def init_like_torchvision(module):
    """ConvLayers.Initialize: He normal (fan-out, ReLU) convs, BN weight 1 bias 0, linears N(0, 0.01^2) bias 0."""
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            if m.bias is not None:
                nn.init.zeros_(m.bias)


def conv_bn(cin, cout, k):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=(k - 1) // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def scale(channels, width):
    """ConvLayers.Scale: channels x width, rounded half away from zero, at least 1."""
    return max(1, int(math.floor(channels * width + 0.5)))


class SmallCnn(nn.Module):
    def __init__(self, classes=10, size=28, width=1.0):
        super().__init__()
        first, second, hidden = scale(32, width), scale(64, width), scale(128, width)
        self.features = nn.Sequential(conv_bn(1, first, 3), nn.MaxPool2d(2, 2), conv_bn(first, second, 3), nn.MaxPool2d(2, 2))
        self.classifier = nn.Sequential(nn.Linear(second * (size // 4) ** 2, hidden), nn.ReLU(inplace=True), nn.Dropout(0.5), nn.Linear(hidden, classes))
        init_like_torchvision(self)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


class LeNet5(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2, 2),
                                      nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2, 2))
        self.classifier = nn.Sequential(nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, classes))

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


class BasicBlock(nn.Module):
    """ResNetBasicBlock with option A (CIFAR): subsample by the stride and zero-pad the new channels."""

    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.stride = stride
        self.pad = planes - inplanes

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)), inplace=True)
        out = self.bn2(self.conv2(out))
        if self.stride != 1 or self.pad != 0:
            identity = F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
        else:
            identity = x
        return F.relu(out.add_(identity), inplace=True)


class CifarResNet(nn.Module):
    def __init__(self, blocks, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        inplanes = 16
        stages = []
        for s, planes in enumerate((16, 32, 64)):
            layers = []
            for b in range(blocks):
                layers.append(BasicBlock(inplanes, planes, (1 if s == 0 else 2) if b == 0 else 1))
                inplanes = planes
            stages.append(nn.Sequential(*layers))
        self.layer1, self.layer2, self.layer3 = stages
        self.fc = nn.Linear(64, classes)
        init_like_torchvision(self)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)), inplace=True)
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def build(arch, width=1.0):
    if arch == "small-cnn":
        return SmallCnn(width=width)
    if arch == "lenet5":
        return LeNet5()
    if arch.startswith("resnet"):
        depth = int(arch[len("resnet"):])
        assert (depth - 2) % 6 == 0, "CIFAR ResNets have depth 6n+2"
        return CifarResNet((depth - 2) // 6)
    raise SystemExit(f"unknown --arch {arch}")


def augment(x, generator, padding=2):
    """Per sample: random crop of the zero-padded image (pixel scale), then a horizontal flip with probability 0.5."""
    b, c, h, w = x.shape
    padded = F.pad(x, (padding, padding, padding, padding))
    oy = torch.randint(0, 2 * padding + 1, (b,), generator=generator)
    ox = torch.randint(0, 2 * padding + 1, (b,), generator=generator)
    flip = torch.rand(b, generator=generator) < 0.5
    ar_h, ar_w = torch.arange(h), torch.arange(w)
    rows = oy[:, None] + ar_h[None, :]
    cols = ox[:, None] + torch.where(flip[:, None], (w - 1) - ar_w[None, :], ar_w[None, :])
    batch = torch.arange(b)[:, None, None]
    # [B, H+2p, W+2p, C] gathered at [B, H, W] -> [B, H, W, C] -> [B, C, H, W]
    return padded.permute(0, 2, 3, 1)[batch, rows[:, :, None], cols[:, None, :]].permute(0, 3, 1, 2).contiguous()


def erase(x, generator, p=0.5, area=(0.02, 0.33), ratio=(0.3, 3.3)):
    """Random erasing per sample (as RandomErasing's defaults): with probability p one rectangle of a uniform fraction
    of the area and a log-uniform aspect ratio at a uniform position is set to 0 (pixel scale)."""
    b, c, h, w = x.shape
    chosen = torch.rand(b, generator=generator) < p
    a = (area[0] + (area[1] - area[0]) * torch.rand(b, generator=generator)) * h * w
    r = torch.exp(math.log(ratio[0]) + (math.log(ratio[1]) - math.log(ratio[0])) * torch.rand(b, generator=generator))
    eh = (a / r).sqrt().round().clamp(1, h).long()
    ew = (a * r).sqrt().round().clamp(1, w).long()
    top = (torch.rand(b, generator=generator) * (h - eh + 1)).floor().long()
    left = (torch.rand(b, generator=generator) * (w - ew + 1)).floor().long()
    rows = torch.arange(h)[None, :, None]
    cols = torch.arange(w)[None, None, :]
    mask = (rows >= top[:, None, None]) & (rows < (top + eh)[:, None, None]) & (cols >= left[:, None, None]) & (cols < (left + ew)[:, None, None])
    mask &= chosen[:, None, None]
    return x.masked_fill(mask[:, None], 0.0)


class Run:
    """One training run: the data, the network, the optimiser and schedule, and what the epochs measured."""

    def __init__(self, args):
        torch.set_num_threads(2)
        torch.manual_seed(1)
        self.args = args
        self.generator = torch.Generator().manual_seed(1)
        train_x, self.train_y = load(args.data, "train")
        test_x, self.test_y = load(args.data, "test")
        self.train_x = train_x.reshape(-1, 1, 28, 28)
        self.test_x = test_x.reshape(-1, 1, 28, 28)
        self.mean, self.std = self.train_x.mean().item(), self.train_x.std().item()
        self.model = build(args.arch, args.width)
        self.parameters = sum(p.numel() for p in self.model.parameters())
        lr = args.lr if args.lr is not None else (0.1 if args.optimizer == "nesterov" else 1e-3)
        if args.optimizer == "adam":
            self.optimizer = torch.optim.Adam(self.model.parameters(), lr=lr, weight_decay=args.weight_decay)
        elif args.optimizer == "adamw":
            self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=lr, weight_decay=args.weight_decay)
        else:
            self.optimizer = torch.optim.SGD(self.model.parameters(), lr=lr, momentum=0.9, nesterov=True, weight_decay=args.weight_decay)
        self.rows = self.train_x.shape[0]
        steps = math.ceil(self.rows / self.args.batch)
        self.schedule = torch.optim.lr_scheduler.CosineAnnealingLR(self.optimizer, T_max=args.epochs * steps, eta_min=0.0)
        self.bench = f"pytorch-cnn-{args.arch}"
        self.epochs = []
        self.accuracy = float("nan")
        self.rates = []

    def epoch(self):
        """Trains one epoch, scores the test set (eval, no_grad, batch 512), prints and returns the epoch's line."""
        model, optimizer, train_x, train_y = self.model, self.optimizer, self.train_x, self.train_y
        start = time.perf_counter()
        model.train()
        permutation = torch.randperm(self.rows)
        loss_sum, correct = 0.0, 0
        for begin in range(0, self.rows, self.args.batch):
            index = permutation[begin:begin + self.args.batch]
            x, y = train_x.index_select(0, index), train_y.index_select(0, index)
            if self.args.augment or self.args.flip:
                x = augment(x, self.generator, padding=2 if self.args.augment else 0)
            if self.args.erase:
                x = erase(x, self.generator)
            x = (x - self.mean) / self.std
            optimizer.zero_grad()
            output = model(x)
            loss = F.cross_entropy(output, y, label_smoothing=self.args.label_smoothing)
            loss_sum += loss.item() * len(index)
            with torch.no_grad():
                correct += (output.argmax(1) == y).sum().item()
            loss.backward()
            optimizer.step()
            self.schedule.step()
        train_seconds = time.perf_counter() - start
        model.eval()
        test_x, test_y = self.test_x, self.test_y
        with torch.no_grad():
            hits = 0
            for begin in range(0, test_x.shape[0], EVAL_BATCH):
                hits += (model((test_x[begin:begin + EVAL_BATCH] - self.mean) / self.std).argmax(1) == test_y[begin:begin + EVAL_BATCH]).sum().item()
        seconds = time.perf_counter() - start
        self.accuracy = hits / test_x.shape[0]
        self.epochs.append({"seconds": seconds, "trainSeconds": train_seconds, "rss": rss_mb()})
        line = {"bench": self.bench, "epoch": len(self.epochs), "seconds": round(seconds, 3), "trainSeconds": round(train_seconds, 3),
                "trainImagesPerSecond": round(self.rows / seconds, 1), "trainOnlyImagesPerSecond": round(self.rows / train_seconds, 1),
                "trainLoss": round(loss_sum / self.rows, 5), "trainAccuracy": round(correct / self.rows, 5),
                "testAccuracy": round(self.accuracy, 5), "learningRate": optimizer.param_groups[0]["lr"],
                "rssMb": round(self.epochs[-1]["rss"], 1)}
        print(json.dumps(line), flush=True)
        return line

    def infer(self):
        """One pass over the test set at batch 256 in eval mode under no_grad; returns (and prints) images per second."""
        self.model.eval()
        start = time.perf_counter()
        with torch.no_grad():
            for begin in range(0, self.test_x.shape[0], INFERENCE_BATCH):
                self.model((self.test_x[begin:begin + INFERENCE_BATCH] - self.mean) / self.std)
        rate = self.test_x.shape[0] / (time.perf_counter() - start)
        print(json.dumps({"bench": self.bench, "inferenceImagesPerSecond": round(rate, 1)}), flush=True)
        return rate

    def summary(self):
        epochs, rates = self.epochs, self.rates
        steady = epochs[1:] or epochs
        mean_seconds = sum(e["seconds"] for e in steady) / len(steady)
        mean_train = sum(e["trainSeconds"] for e in steady) / len(steady)
        print(json.dumps({"bench": self.bench, "summary": "epochs 2..N", "torch": torch.__version__, "arch": self.args.arch, "width": self.args.width, "batch": self.args.batch, "onednnMaxCpuIsa": os.environ.get("ONEDNN_MAX_CPU_ISA", "default"),
                          "parameters": self.parameters, "epochs": len(epochs), "augment": self.args.augment, "flip": self.args.flip, "erase": self.args.erase, "optimizer": self.args.optimizer, "labelSmoothing": self.args.label_smoothing,
                          "validationInEpochSeconds": True,
                          "meanSecondsPerEpoch": round(mean_seconds, 3), "meanTrainSecondsPerEpoch": round(mean_train, 3),
                          "trainImagesPerSecond": round(self.rows / mean_seconds, 1), "trainOnlyImagesPerSecond": round(self.rows / mean_train, 1),
                          "testAccuracy": round(self.accuracy, 5),
                          "peakEpochRssMb": round(max(e["rss"] for e in epochs), 1),
                          "processPeakRssMb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
                          "rssByEpochMb": [round(e["rss"], 1) for e in epochs],
                          "rssGrowthMb": round(epochs[-1]["rss"] - steady[0]["rss"], 1),
                          "inferenceBatch": INFERENCE_BATCH, "inferenceStatistic": f"median of {len(rates)} after a warm-up pass",
                          "inferenceImagesPerSecond": round(statistics.median(rates), 1) if rates else None,
                          "inferenceBestImagesPerSecond": round(max(rates), 1) if rates else None,
                          "inferenceRepeats": [round(r, 1) for r in rates]}), flush=True)


def profile(args, steps=60, warmup=5):
    """The peer of the C# cnn-profile mode: training-step phases and the eval forward at batch 256, in ms."""
    torch.set_num_threads(2)
    torch.manual_seed(1)
    train_x, train_y = load(args.data, "train")
    images = train_x.reshape(-1, 1, 28, 28)
    mean, std = images.mean().item(), images.std().item()
    model = build(args.arch, args.width)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = images.shape[0]
    permutation = torch.randperm(rows)
    phases = [0.0] * 4
    model.train()
    for step in range(warmup + steps):
        start = time.perf_counter()
        begin = (step * 128) % (rows - 128)
        index = permutation[begin:begin + 128]
        x = (images.index_select(0, index) - mean) / std
        y = train_y.index_select(0, index)
        gather = time.perf_counter()
        loss = F.cross_entropy(model(x), y)
        loss.item()
        forward = time.perf_counter()
        loss.backward()
        backward = time.perf_counter()
        optimizer.zero_grad()
        optimizer.step()
        stepped = time.perf_counter()
        if step >= warmup:
            for i, t in enumerate((gather - start, forward - gather, backward - forward, stepped - backward)):
                phases[i] += t * 1000
    model.eval()
    inference = 0.0
    with torch.no_grad():
        for step in range(warmup + 20):
            start = time.perf_counter()
            begin = (step * 256) % (rows - 256)
            model((images[begin:begin + 256] - mean) / std).sum().item()
            if step >= warmup:
                inference += (time.perf_counter() - start) * 1000
    print(json.dumps({"bench": f"pytorch-profile-{args.arch}", "steps": steps, "gatherMs": round(phases[0] / steps, 2),
                      "forwardLossMs": round(phases[1] / steps, 2), "backwardMs": round(phases[2] / steps, 2),
                      "optimizerMs": round(phases[3] / steps, 2), "stepMs": round(sum(phases) / steps, 2),
                      "inferenceBatch256Ms": round(inference / 20, 2)}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", default="small-cnn")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--width", type=float, default=1.0, help="small-cnn's width multiplier (ConvLayers.Scale of 32, 64 and 128)")
    parser.add_argument("--batch", type=int, default=128, help="training images per step")
    parser.add_argument("--augment", action="store_true")
    parser.add_argument("--flip", action="store_true", help="a horizontal flip per sample with probability 0.5, without the crop")
    parser.add_argument("--erase", action="store_true", help="random erasing per sample (p 0.5, 2-33%% of the area, set to 0), after the other steps")
    parser.add_argument("--optimizer", default="adam", choices=["adam", "adamw", "nesterov"])
    parser.add_argument("--lr", type=float, default=None)
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--label-smoothing", type=float, default=0.0, help="cross-entropy against (1 - e) one-hot + e / classes")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--lockstep", action="store_true",
                        help="print {\"ready\": true} after loading, then obey one command a line on stdin: 'epoch' (train one), "
                             "'warmup' (an untimed inference pass), 'infer' (a timed one), 'summary' (the summary line); "
                             "the C# cnn mode with --peer drives it, so the two alternate epoch by epoch")
    parser.add_argument("--profile", action="store_true", help="time the phases of training steps instead (the C# cnn-profile mode's peer)")
    args = parser.parse_args()
    if args.profile:
        profile(args)
        return
    run = Run(args)
    if args.lockstep:
        print(json.dumps({"ready": True, "parameters": run.parameters}), flush=True)
        for command in sys.stdin:
            command = command.strip()
            if command == "epoch":
                run.epoch()
            elif command == "warmup":
                run.infer()
            elif command == "infer":
                run.rates.append(run.infer())
            elif command == "summary":
                run.summary()
            else:
                raise SystemExit(f"unknown command {command!r}")
        return
    for _ in range(args.epochs):
        run.epoch()
    for repeat in range(INFERENCE_REPEATS + 1):
        rate = run.infer()
        if repeat > 0:
            run.rates.append(rate)
    run.summary()


if __name__ == "__main__":
    main()
