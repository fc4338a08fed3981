#!/usr/bin/env bash
# img2rec vs PyTorch on this machine, interleaved, one table at the end.
#   bench/run.sh                 full run (about 20 minutes on 2 cores; wait for an idle machine: uptime < 0.5)
#   ROUNDS=1 bench/run.sh        fewer interleaved rounds
#   SIZE=tiny bench/run.sh       the harness at tiny shapes (minutes; numbers meaningless)
# Results: bench/results/<timestamp>.jsonl (raw) and .md (the table).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
SIZE=${SIZE:-full}
PY=/usr/bin/python3   # Debian's python3 carries python3-torch; a pyenv python on PATH does not

# 1. The peer: Debian's PyTorch.
if ! $PY -c 'import torch, torchvision' 2>/dev/null; then
  echo "installing python3-torch python3-torchvision with apt" >&2
  apt-get install -y python3-torch python3-torchvision >&2
fi

# 2. img2rec: build the runner and its class path (no tests; never mvn clean).
mvn -o -q -pl pipeline-bench -am package -DskipTests >&2
CP="pipeline-bench/target/classes:$(cat pipeline-bench/target/runtime-classpath.txt)"

# OpenBLAS (dense layers, DL4J's own backward): SkylakeX kernels need AVX-512 and crash (SIGILL) without it.
if grep -qw avx512f /proc/cpuinfo; then CORETYPE=SkylakeX; else CORETYPE=Haswell; fi
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-$CORETYPE}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
JAVA=(java -Xmx3g -Dorg.bytedeco.javacpp.maxbytes=6g -Dorg.bytedeco.javacpp.maxphysicalbytes=8g
      -Dlogback.configurationFile=bench/logback-bench.xml -cp "$CP" io.img2rec.bench.BenchMain --size "$SIZE")
PYB=($PY bench/pytorch_bench.py --size "$SIZE" --threads 2)

mkdir -p bench/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/$STAMP.jsonl
echo "load before: $(uptime)" >&2

# 3. Interleaved rounds: forward passes and training steps, img2rec then PyTorch, ROUNDS times.
for r in $(seq 1 "$ROUNDS"); do
  "${JAVA[@]}" --suites forward,train --tag "round$r" --out "$OUT"
  "${PYB[@]}" --suites forward,train --tag "round$r" --out "$OUT"
done
# 4. Numerics, the two-phase training (img2rec's design against a naive loop), six-model serving on both sides.
"${JAVA[@]}" --suites check,serve --tag once --out "$OUT"
"${PYB[@]}" --suites serve --tag once --out "$OUT"
"${JAVA[@]}" --suites recipe --backbones vgg16,resnet50 --tag once --out "$OUT"
# 5. Peak memory of VGG16 training at batch 16, each side in a process of its own.
"${JAVA[@]}" --suites train --backbones vgg16 --rounds 1 --tag memory --out "$OUT"
"${PYB[@]}" --suites train --archs vgg16 --rounds 1 --tag memory --out "$OUT"
echo "load after: $(uptime)" >&2

$PY bench/report.py "$OUT" --date "$(date -u +%F)" | tee "bench/results/$STAMP.md"
