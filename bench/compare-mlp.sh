#!/usr/bin/env bash
# The MLP benchmark protocol, run as separate processes so each peak RSS is its own:
# raw TorchSharp, our ML.NET pipeline and PyTorch (python3-torch), interleaved, REPS times.
# Usage: bash bench/compare-mlp.sh [EPOCHS=10] [REPS=3]   (needs Fashion-MNIST; PyTorch, from apt-get install python3-torch, is optional)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-10}
reps=${2:-3}
out=$(mktemp -d)
# Debian's python3-torch installs for the system interpreter, not a pyenv one first on PATH. It
# calls the system BLAS: install libopenblas0-pthread (the reference BLAS is ~15x slower), and with
# OpenMP's threads spinning OpenBLAS's own threads starve on 2 cores, hence the passive wait policy.
python=${PYTHON:-/usr/bin/python3}
dotnet build -c Release bench/DeepLearning.Bench >/dev/null
bench="dotnet bench/DeepLearning.Bench/bin/Release/net10.0/DeepLearning.Bench.dll"
for rep in $(seq 1 "$reps"); do
  $bench raw --epochs "$epochs" | grep '"summary"' | sed "s/^{/{\"rep\":$rep,/" >> "$out/raw.jsonl"
  $bench pipeline --epochs "$epochs" | grep '"summary"' | sed "s/^{/{\"rep\":$rep,/" >> "$out/pipeline.jsonl"
  if "$python" -c 'import torch' 2>/dev/null; then
    OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=2 "$python" bench/pytorch/mlp.py --epochs "$epochs" | grep '"summary"' | sed "s/^{/{\"rep\":$rep,/" >> "$out/pytorch.jsonl"
  fi
done
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
runs = {}
for name in ("raw", "pipeline", "pytorch"):
    path = os.path.join(out, name + ".jsonl")
    runs[name] = [json.loads(l) for l in open(path)] if os.path.exists(path) else []
print("rep  raw s/ep  pipeline s/ep  pytorch s/ep  pipe/raw  pipe/torch  raw peak MB  pipe peak MB  pipe/raw RSS  pipe acc")
for i, p in enumerate(runs["pipeline"]):
    r = runs["raw"][i]
    t = runs["pytorch"][i] if i < len(runs["pytorch"]) else None
    ts = t["meanSecondsPerEpoch"] if t else float("nan")
    print(f"{i+1:>3}  {r['meanSecondsPerEpoch']:>9.3f}  {p['meanSecondsPerEpoch']:>13.3f}  {ts:>12.3f}  "
          f"{p['meanSecondsPerEpoch']/r['meanSecondsPerEpoch']:>8.3f}  {p['meanSecondsPerEpoch']/ts:>10.3f}  "
          f"{r['processPeakRssMb']:>11.1f}  {p['processPeakRssMb']:>12.1f}  {p['processPeakRssMb']/r['processPeakRssMb']:>12.3f}  {p['testAccuracy']:.4f}")
PY
