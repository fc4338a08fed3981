#!/usr/bin/env python3
"""Reads the JSON lines of bench/run.sh (both sides) and prints one Markdown table with img/s and ratios.

Timings of the same case from several interleaved rounds are pooled; the median of the pool is reported.
Usage: report.py results.jsonl [--date YYYY-MM-DD]
"""
import json
import statistics
import sys
from collections import defaultdict


def load(path):
    env, pooled, single = {}, defaultdict(list), {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            if r["suite"] == "env":
                env.setdefault(r["side"], r)
                continue
            key = (r["side"], r["name"], r["variant"], r.get("extra", {}).get("tag", ""))
            pooled[key].extend(r.get("seconds") or [])
            single[key] = r
    return env, pooled, single


class Results:
    def __init__(self, path):
        self.env, self.pooled, self.single = load(path)

    def rate(self, side, name, variant, tag=None):
        """Images per second at the median of all matching timings (the memory-only runs left out), or None."""
        pool, images = [], None
        for (s, n, v, t), secs in self.pooled.items():
            if s == side and n == name and v == variant and (t == tag if tag is not None else t != "memory"):
                pool.extend(secs)
                images = self.single[(s, n, v, t)]["images"]
        return images / statistics.median(pool) if pool and images else None

    def extra(self, side, name, key, tag=None):
        for (s, n, v, t), r in self.single.items():
            if s == side and n == name and (tag is None or t == tag) and key in r.get("extra", {}):
                return r["extra"][key]
        return None

    def count(self, side, name, variant):
        return sum(len(secs) for (s, n, v, t), secs in self.pooled.items()
                   if s == side and n == name and v == variant)


def fmt(x, digits=2):
    return "—" if x is None else f"{x:.{digits}f}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def best(*values):
    values = [v for v in values if v is not None]
    return max(values) if values else None


def main():
    path = sys.argv[1]
    date = sys.argv[sys.argv.index("--date") + 1] if "--date" in sys.argv else ""
    res = Results(path)
    j, p = res.env.get("img2rec", {}), res.env.get("pytorch", {})
    print(f"Machine: {j.get('cpu', '?')}, {j.get('cores', '?')} cores; date {date}")
    print(f"img2rec: DL4J {j.get('dl4j', '?')}, {j.get('java', '?')}, native {j.get('native_library', '?').split('/')[-2:]}, "
          f"OPENBLAS_CORETYPE={j.get('openblas_coretype')}, threads={j.get('threads')}")
    print(f"PyTorch: torch {p.get('torch', '?')}, torchvision {p.get('torchvision', '?')} (Debian), threads={p.get('threads')}, "
          f"oneDNN(mkldnn)={p.get('mkldnn')}")
    print()
    print("| case | img2rec img/s | PyTorch NCHW img/s | PyTorch channels-last img/s | img2rec / best PyTorch | target |")
    print("|---|---|---|---|---|---|")
    for arch, side in (("vgg16", 150), ("resnet50", 224)):
        for batch in (1, 16):
            name = f"forward/{arch}@{side}/b{batch}"
            pn, pc = res.rate("pytorch", name, "NCHW"), res.rate("pytorch", name, "channels-last")
            # DL4J's whole graph in NHWC, and serving's path (the base on the host's forward engine + the top)
            for variant, label in (("NHWC helpers", "DL4J graph, NHWC + helpers"), ("served", "served: base on the host's engine + top")):
                j_ = res.rate("img2rec", name, variant)
                if j_ is None:
                    continue
                print(f"| forward {arch}@{side} batch {batch} ({label}) | {fmt(j_)} | {fmt(pn)} | {fmt(pc)} | "
                      f"{fmt(ratio(j_, best(pn, pc)))}× | {'≥ 1×' if batch == 1 else '≥ 2×'} |")
    nchw, nhwc = " (NCHW, oneDNN backward)", " (NHWC, DL4J backward)"
    for arch, side in (("vgg16", 150), ("resnet50", 224)):
        base = f"train_step/{arch}@{side}/b16"
        wn, wc = res.rate("pytorch", base + "/whole_frozen", "NCHW"), res.rate("pytorch", base + "/whole_frozen", "channels-last")
        hn, hc = res.rate("pytorch", base + "/cached_head", "NCHW"), res.rate("pytorch", base + "/cached_head", "channels-last")
        for layout in (nchw, nhwc):
            whole_j = res.rate("img2rec", base + "/whole_frozen", "whole network, frozen layers" + layout)
            print(f"| train step {arch} b16{layout}, whole network with frozen layers (like for like) | {fmt(whole_j)} | "
                  f"{fmt(wn)} | {fmt(wc)} | {fmt(ratio(whole_j, best(wn, wc)))}× | ≥ 1.5× |")
            # phase 2's convolutions (2026-12-04) and batch norms (2026-12-05) on oneDNN called directly, or on DL4J
            for head in ("head on cached activations, convolutions and batch norms on oneDNN directly",
                         "head on cached activations, convolutions on oneDNN directly", "head on cached activations"):
                head_j = res.rate("img2rec", base + "/cached_head", head + layout)
                if head_j is None:
                    continue
                print(f"| train step {arch} b16{layout}, img2rec's step ({head}) vs PyTorch whole step | "
                      f"{fmt(head_j)} | {fmt(wn)} | {fmt(wc)} | {fmt(ratio(head_j, best(wn, wc)))}× | ≥ 1.5× |")
                print(f"| train step {arch} b16{layout}, {head}, both sides | {fmt(head_j)} | {fmt(hn)} | "
                      f"{fmt(hc)} | {fmt(ratio(head_j, best(hn, hc)))}× | ≥ 1.0× |")
    for (s, n, v, t), r in sorted(res.single.items()):
        if s == "img2rec" and n.endswith("/extrapolated"):
            stem = n[: -len("/extrapolated")]
            cached = res.single.get(("img2rec", stem + "/cached", "img2rec cache", t))
            naive = res.single.get(("img2rec", stem + "/naive", "recompute frozen layers", t))
            if cached and naive:
                print(f"| {stem}: two phases, one label, measured: cached {fmt(cached['median_s'], 1)} s vs naive "
                      f"{fmt(naive['median_s'], 1)} s | — | — | — | {fmt(naive['median_s'] / cached['median_s'])}× vs naive | — |")
            e = r["extra"]
            print(f"| {stem}: full recipe 3 labels × (50+50) epochs, K=4, 653 images — **extrapolated**: cached "
                  f"{fmt(e['cached_s'] / 3600, 2)} h vs naive {fmt(e['naive_s'] / 3600, 2)} h | — | — | — | "
                  f"{fmt(e['speedup'])}× vs naive (arithmetic bound {fmt(e.get('arithmetic_bound'), 1)}×) | ≥ 10× |")
    serve = [(n, t) for (s, n, v, t) in res.single if s == "img2rec" and n.endswith("/shared")]
    for n, t in serve:
        stem = n[: -len("/shared")]
        shared = res.rate("img2rec", n, "shared trunk per architecture")
        separate = res.rate("img2rec", stem + "/separate", "6 independent networks")
        pn, pc = res.rate("pytorch", stem + "/separate", "NCHW"), res.rate("pytorch", stem + "/separate", "channels-last")
        print(f"| six models per face ({stem}), faces/s: img2rec shared trunk vs img2rec six independent "
              f"{fmt(separate)} | {fmt(shared)} | {fmt(pn)} (six passes) | {fmt(pc)} (six passes) | "
              f"{fmt(ratio(shared, separate))}× vs independent; {fmt(ratio(shared, best(pn, pc)))}× vs PyTorch | ≥ 2.5× |")
    mem_j = [r for (s, n, v, t), r in res.single.items() if s == "img2rec" and r["suite"] == "memory" and t == "memory"]
    mem_p = [r for (s, n, v, t), r in res.single.items() if s == "pytorch" and r["suite"] == "memory" and t == "memory"]
    if mem_j:
        e = mem_j[0]["extra"]
        pm = mem_p[0]["extra"]["vm_hwm_bytes"] if mem_p else None
        print(f"| peak RSS, VGG16 training steps b16 (GiB; heap peak {fmt(e['heap_peak_bytes'] / 2**30)} GiB, "
              f"-Xmx {fmt(e['heap_max_bytes'] / 2**30, 1)}) | {fmt(e['vm_hwm_bytes'] / 2**30)} GiB | "
              f"{fmt(pm / 2**30 if pm else None)} GiB (whole process) | — | — | < 6 GiB |")
    print()
    print("img2rec forward variants, batch 16 (img/s; GFLOP/s from counted multiply-adds):")
    print()
    print("| model | NHWC helpers | NCHW helpers | NHWC no-helpers | NCHW no-helpers |")
    print("|---|---|---|---|---|")
    for arch, side in (("vgg16", 150), ("resnet50", 224)):
        name = f"forward/{arch}@{side}/b16"
        cells = []
        for v in ("NHWC helpers", "NCHW helpers", "NHWC no-helpers", "NCHW no-helpers"):
            r = res.rate("img2rec", name, v)
            gmac = res.extra("img2rec", name, "gmac_per_image")
            cells.append(f"{fmt(r)} ({fmt(2 * gmac * r if r and gmac else None, 0)} GFLOP/s)")
        print(f"| {arch}@{side} | " + " | ".join(cells) + " |")
    print()
    for (s, n, v, t), r in sorted(res.single.items()):
        if s == "img2rec" and r["suite"] == "check":
            e = r["extra"]
            print(f"- {n}: NHWC out {e['nhwc_output_shape']}, NCHW out {e['nchw_output_shape']}; relative max diff "
                  f"helpers on/off {e['rel_diff_helpers_on_off']:.1e}, NHWC/NCHW {e['rel_diff_nhwc_nchw']:.1e}")


if __name__ == "__main__":
    main()
