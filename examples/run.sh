#!/usr/bin/env bash
# Runs one example as a deployed application runs: compiled here, then started with plain java on the runtime class
# path Maven resolved for this outside-application pom (no Maven in the example's JVM).
#   examples/run.sh RecommendOneImage <run or checkpoint folder> <image>
# Needs the img2rec artifacts installed first: mvn -B -q install -DskipTests (at the repository root).
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: examples/run.sh <example class, e.g. RecommendOneImage> [arguments...]" >&2
  exit 2
fi
cd "$(dirname "$0")"
# Maven's own output goes to stderr: stdout is the example's.
mvn -B -q compile >&2
main=$1
shift
exec java -cp "target/classes:$(cat target/runtime-classpath.txt)" "io.img2rec.examples.$main" "$@"
