#!/usr/bin/env bash
# The one-off experiments recorded in docs/performance.md: which nd4j-native build JavaCPP loads, OpenBLAS core
# type, threads, workspace mode. Each runs VGG16@150 forward (and, where it matters, the training step) in a JVM
# of its own. Output: bench/results/experiments-<timestamp>.jsonl; read it with jq or bench/report.py.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -o -q -pl pipeline-bench -am package -DskipTests >&2
CP="pipeline-bench/target/classes:$(cat pipeline-bench/target/runtime-classpath.txt)"
M2=${M2:-$HOME/.m2/repository}/org/nd4j/nd4j-native/1.0.0-M2.1
OUT=bench/results/experiments-$(date -u +%Y%m%dT%H%M%SZ).jsonl
mkdir -p bench/results
run() { # run TAG ENV... -- JAVA_ARGS... -- BENCH_ARGS...
  local tag=$1; shift
  local envs=(); while [[ $1 != -- ]]; do envs+=("$1"); shift; done; shift
  local jargs=(); while [[ $1 != -- ]]; do jargs+=("$1"); shift; done; shift
  echo "== $tag: ${envs[*]} ${jargs[*]:2} $*" >&2
  env "${envs[@]}" java -Xmx3g -Dorg.bytedeco.javacpp.maxbytes=6g -Dorg.bytedeco.javacpp.maxphysicalbytes=8g \
    -Dlogback.configurationFile=bench/logback-bench.xml "${jargs[@]}" io.img2rec.bench.BenchMain \
    --backbones vgg16 --variants default --rounds 2 --tag "$tag" --out "$OUT" "$@" || echo "!! $tag failed rc=$?" >&2
}
H=OPENBLAS_CORETYPE=Haswell
EXT=-Dorg.bytedeco.javacpp.platform.extension
# nd4j-native builds: the class path normally holds the plain and -onednn jars; add the -avx2 / -onednn-avx2 jars
# (fetched with: mvn dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:linux-x86_64-onednn-avx2)
# img2rec's entry points set -onednn (NativeSetup); -Dimg2rec.bench.nativeSetup=false leaves JavaCPP to choose
# (the default, -onednn set by NativeSetup, is bench/run.sh's main run)
run ext-javacpp-choice $H -- -cp "$CP" -Dimg2rec.bench.nativeSetup=false -- --suites forward
[[ -f $M2/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar ]] && \
  run ext-onednn-avx2 $H -- -cp "$CP:$M2/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar" "$EXT=-onednn-avx2" -- --suites forward
[[ -f $M2/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar ]] && \
  run ext-unset-with-all-jars $H -- -cp "$CP:$M2/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar:$M2/nd4j-native-1.0.0-M2.1-linux-x86_64-avx2.jar" -Dimg2rec.bench.nativeSetup=false -- --suites forward
# OpenBLAS core type: dense layers and DL4J's own backward (training step)
run blas-haswell $H -- -cp "$CP" -- --suites train
run blas-unset -u OPENBLAS_CORETYPE -- -cp "$CP" -- --suites train
# (omp2 = the main run)
# threads
run omp1 $H OMP_NUM_THREADS=1 -- -cp "$CP" -- --suites forward
# workspaces
run ws-none $H -- -cp "$CP" -- --suites forward --workspaces none
echo "$OUT"
