#!/usr/bin/env bash
# Measures the BoxCalibration that maps our Haar face boxes to dlib-HOG boxes as face_recognition reports them.
#
#   tools/calibrate-faces.sh [WORK_DIR]        (default WORK_DIR: /tmp/img2rec-calibration)
#
# 1. builds tools/dlib-boxes (needs Debian's libdlib-dev and g++; installs nothing itself);
# 2. writes the calibration variants of the committed photographs as PNG (CalibrationPhotos: 2 photographs x 7
#    scales x mirrored or not x 2 paddings = 56 images);
# 3. runs dlib's HOG detector on them -> WORK_DIR/dlib-boxes.tsv (compare with the committed copy in
#    pipeline-serve/src/test/resources/io/img2rec/serve/face/calibration/dlib-boxes.tsv);
# 4. runs HaarFaceDetector on the same variants, pairs boxes by IoU, prints every pair and the fitted
#    scale / offsetX / offsetY with their residual, next to BoxCalibration.DLIB_HOG's.
# Run from the repository root after the modules are compiled (mvn -B -o -q -pl pipeline-serve -am test-compile).
set -euo pipefail
work="${1:-/tmp/img2rec-calibration}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p "$work/variants"

if ! pkg-config --exists dlib-1; then
    echo "dlib is missing: apt-get install -y libdlib-dev (Debian ships dlib with PNG/JPEG loading)" >&2
    exit 2
fi
g++ -O2 -std=c++17 -o "$work/dlib-boxes" tools/dlib-boxes/dlib_boxes.cpp $(pkg-config --cflags --libs dlib-1)

tool() {
    mvn -B -o -q -pl pipeline-serve exec:java -Dexec.classpathScope=test \
        -Dserve.mainClass=io.img2rec.serve.testing.CalibrateFaces -Dexec.args="$*"
}
tool variants "$work/variants"
(cd "$work/variants" && "$work/dlib-boxes" *.png) > "$work/dlib-boxes.tsv"
echo "dlib boxes: $work/dlib-boxes.tsv ($(grep -vc none "$work/dlib-boxes.tsv") boxes)"
tool fit "$work/dlib-boxes.tsv"
