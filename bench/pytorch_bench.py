#!/usr/bin/env python3
"""The PyTorch peer of img2rec's BenchMain: the same work with the same shapes, threads and batch sizes.

Writes one JSON object per line (same fields as the Java side, side="pytorch"):
  forward    VGG16@150 (torchvision vgg16 features + Flatten-256-Dropout(0.5)-1 sigmoid) and ResNet50@224 (torchvision
             resnet50 without fc + GAP-512-Dropout(0.25)-1 sigmoid), batch 1 and 16, NCHW and channels-last
  train_step one SGD-momentum step, batch 16, last block + top trainable (VGG16: block5 + top; ResNet50: the last
             5 Keras layers = layer4[2].conv3, bn3, add, relu + top), frozen layers (BN in eval mode):
             whole network, and the head alone on cached boundary activations (img2rec's design, for reference)
  serve      six independent forward passes per batch of faces (3 x VGG16 + 3 x ResNet50)
  memory     peak resident set (ru_maxrss)
Usage: pytorch_bench.py [--size full|tiny] [--suites forward,train,serve] [--rounds N] [--warmup N] [--out FILE]
"""
import argparse
import json
import platform
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torchvision

SIZES = {
    # name: vgg side, resnet side, batch, faces, warmup, rounds
    "full": dict(vgg=150, resnet=224, batch=16, faces=8, warmup=1, rounds=3),
    "tiny": dict(vgg=32, resnet=32, batch=2, faces=2, warmup=0, rounds=1),
}


class Top(nn.Module):
    """img2rec's default tops: VGG16 Flatten-256-Dropout(0.5)-1, ResNet50 GAP-512-Dropout(0.25)-1, sigmoid."""

    def __init__(self, features, hidden, drop, pool):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1) if pool else nn.Identity()
        self.dense = nn.Linear(features, hidden)
        self.drop = nn.Dropout(drop)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        x = torch.flatten(self.pool(x), 1)
        return torch.sigmoid(self.out(self.drop(torch.relu(self.dense(x)))))


def vgg16(side):
    features = torchvision.models.vgg16(weights=None).features
    spatial = side
    for _ in range(5):
        spatial //= 2
    return nn.Sequential(features, Top(512 * spatial * spatial, 256, 0.5, pool=False))


def resnet50():
    r = torchvision.models.resnet50(weights=None)
    base = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool, r.layer1, r.layer2, r.layer3, r.layer4)
    return nn.Sequential(base, Top(2048, 512, 0.25, pool=True))


def build(arch, side):
    torch.manual_seed(42)
    return vgg16(side) if arch == "vgg16" else resnet50()


def timed(warmup, rounds, fn):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


TAG = [""]


def record(suite, name, variant, images, seconds, **extra):
    if TAG[0]:
        extra["tag"] = TAG[0]
    med = statistics.median(seconds) if seconds else None
    return dict(side="pytorch", suite=suite, name=name, variant=variant, images=images, seconds=seconds,
                median_s=med, img_per_s=(images / med if med and images else None), extra=extra)


def emit(out, rec):
    out.write(json.dumps(rec) + "\n")
    out.flush()
    print("[pytorch] %-10s %-32s %-16s median %s  %s img/s" % (rec["suite"], rec["name"], rec["variant"],
          rec["median_s"], rec["img_per_s"]), file=sys.stderr)


def layout(model, x, channels_last):
    if channels_last:
        return model.to(memory_format=torch.channels_last), x.contiguous(memory_format=torch.channels_last)
    return model, x


ARCHS = ["vgg16", "resnet50"]


def forward_suite(size, out):
    for arch in ARCHS:
        side = size["vgg" if arch == "vgg16" else "resnet"]
        for channels_last in (False, True):
            model = build(arch, side).eval()
            variant = "channels-last" if channels_last else "NCHW"
            for batch in (1, size["batch"]):
                torch.manual_seed(7)
                model, x = layout(model, torch.rand(batch, 3, side, side), channels_last)
                shape = []

                def run():
                    with torch.inference_mode():
                        y = model(x)
                    shape[:] = list(y.shape)

                reps = max(size["rounds"], 5) if batch == 1 else size["rounds"]
                secs = timed(max(size["warmup"], 2 if batch == 1 else 0), reps, run)
                emit(out, record("forward", "forward/%s@%d/b%d" % (arch, side, batch), variant, batch, secs,
                                 output_shape=str(shape)))


def split_vgg(model):
    """Trunk = block1..block4 (features[:24]); head = block5 (conv1..3, pool) + top."""
    features, top = model[0], model[1]
    trunk = features[:24]
    head_layers = nn.Sequential(features[24:], top)
    return trunk, head_layers, list(head_layers.parameters())


class ResNetHead(nn.Module):
    """The last 5 Keras layers of ResNet50: res5c_branch2c (conv3), bn5c_branch2c (bn3), add, relu; + top."""

    def __init__(self, block, top):
        super().__init__()
        self.conv3, self.bn3, self.top = block.conv3, block.bn3, top

    def forward(self, branch, identity):
        return self.top(torch.relu(self.bn3(self.conv3(branch)) + identity))


def resnet_trunk(model, x):
    base = model[0]
    y = x
    for m in list(base)[:7]:
        y = m(y)
    y = base[7][0](y)
    y = base[7][1](y)
    block = base[7][2]
    branch = block.relu(block.bn2(block.conv2(block.relu(block.bn1(block.conv1(y))))))
    return branch, y


def freeze_all_but(model, trainable_params):
    keep = {id(p) for p in trainable_params}
    for p in model.parameters():
        p.requires_grad = id(p) in keep
    model.train()
    for m in model.modules():  # frozen batch norm uses its running statistics, as in img2rec
        if isinstance(m, nn.BatchNorm2d) and not m.weight.requires_grad:
            m.eval()


def train_suite(size, out):
    batch = size["batch"]
    loss_fn = nn.BCELoss()
    for arch in ARCHS:
        side = size["vgg" if arch == "vgg16" else "resnet"]
        for channels_last in (False, True):
            variant = "channels-last" if channels_last else "NCHW"
            model = build(arch, side)
            torch.manual_seed(3)
            model, x = layout(model, torch.rand(batch, 3, side, side), channels_last)
            y = (torch.arange(batch) % 2).float().reshape(batch, 1)
            if arch == "vgg16":
                trunk, head, params = split_vgg(model)
            else:
                block = model[0][7][2]
                head = ResNetHead(block, model[1])
                params = list(head.parameters())
            freeze_all_but(model, params)
            opt = torch.optim.SGD(params, lr=1e-4, momentum=0.9)

            def whole_step():
                opt.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                opt.step()

            secs = timed(size["warmup"] + 1, size["rounds"], whole_step)
            emit(out, record("train_step", "train_step/%s@%d/b%d/whole_frozen" % (arch, side, batch), variant,
                             batch, secs))
            with torch.no_grad():
                cached = (trunk(x),) if arch == "vgg16" else resnet_trunk(model, x)

            def head_step():
                opt.zero_grad()
                loss = loss_fn(head(*cached), y)
                loss.backward()
                opt.step()

            secs = timed(size["warmup"] + 1, size["rounds"], head_step)
            emit(out, record("train_step", "train_step/%s@%d/b%d/cached_head" % (arch, side, batch), variant,
                             batch, secs))


def serve_suite(size, out):
    faces = size["faces"]
    for channels_last in (False, True):
        variant = "channels-last" if channels_last else "NCHW"
        models = []
        for arch, side in (("vgg16", size["vgg"]),) * 3 + (("resnet50", size["resnet"]),) * 3:
            m, x = layout(build(arch, side).eval(), torch.rand(faces, 3, side, side), channels_last)
            models.append((m, x))

        def run():
            with torch.inference_mode():
                for m, x in models:
                    m(x)

        secs = timed(size["warmup"], size["rounds"], run)
        emit(out, record("serve", "serve/6models/%dfaces/separate" % faces, variant, faces, secs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="full", choices=SIZES)
    ap.add_argument("--suites", default="forward,train,serve")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--warmup", type=int)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--archs", default="vgg16,resnet50", help="forward/train architectures")
    ap.add_argument("--out", default="bench-results.jsonl")
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    size = dict(SIZES[args.size])
    if args.rounds is not None:
        size["rounds"] = args.rounds
    if args.warmup is not None:
        size["warmup"] = args.warmup
    torch.set_num_threads(args.threads)
    ARCHS[:] = args.archs.split(",")
    TAG[0] = args.tag
    with open(args.out, "a") as out:
        out.write(json.dumps(dict(side="pytorch", suite="env", size=args.size, torch=torch.__version__,
                                  torchvision=torchvision.__version__, threads=torch.get_num_threads(),
                                  mkldnn=torch.backends.mkldnn.is_available(),
                                  python=platform.python_version(), tag=args.tag)) + "\n")
        for suite in args.suites.split(","):
            {"forward": forward_suite, "train": train_suite, "serve": serve_suite}[suite](size, out)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        emit(out, record("memory", "peak/" + args.suites.replace(",", "+"), "this process", 0, [],
                         vm_hwm_bytes=rss))


if __name__ == "__main__":
    main()
