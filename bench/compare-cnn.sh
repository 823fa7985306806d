#!/usr/bin/env bash
# The CNN benchmark protocol, run as separate processes so each peak RSS is its own: our pipeline
# (bench mode cnn: training, then inference through TorchSharp and ONNX Runtime) and PyTorch
# (bench/pytorch/cnn.py, python3-torch), alternately, REPS times; then one table row per repetition.
# Usage: bash bench/compare-cnn.sh [ARCH=small-cnn] [EPOCHS=15] [REPS=3] [extra options for both, e.g. --augment --optimizer nesterov]
# LOCKSTEP=1 runs PyTorch as our child in lockstep instead (cnn --peer: one of its epochs after each of ours, PEER_EPOCHS=K for the first K only,
# its inference passes between ours), so each ratio is measured within minutes. SKIP_BUILD=1 skips the build. Logs (every epoch line of both) go to $OUT (default: a new temporary directory, printed at the end).
# ONEDNN_MAX_CPU_ISA applies to ours only; PyTorch runs with its default kernels unless PEER_ONEDNN_MAX_CPU_ISA is set.
# Each run also records the 1-minute load average before and after it: the machine is shared, so
# compare the ratios of one repetition, and distrust a repetition whose load moved a lot.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-small-cnn}
epochs=${2:-15}
reps=${3:-3}
shift $(( $# < 3 ? $# : 3 ))
extra=("$@")
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
# Debian's python3-torch installs for the system interpreter, not a pyenv one first on PATH (see compare-mlp.sh
# for why OpenBLAS gets 2 threads and OpenMP a passive wait policy).
python=${PYTHON:-/usr/bin/python3}
if [ "${SKIP_BUILD:-0}" != 1 ] && [ "${TABLE_ONLY:-0}" != 1 ]; then
  dotnet build -c Release bench/DeepLearning.Bench >/dev/null
fi
bench="dotnet ${BENCH_DLL:-bench/DeepLearning.Bench/bin/Release/net10.0/DeepLearning.Bench.dll}"
load() { cut -d' ' -f1 /proc/loadavg; }
# libtorch's bundled OpenMP (libgomp) spins by default. On this shared, loaded machine that made our
# training 4x slower (11.45 vs 2.77 s/epoch, same load, lockstep with PyTorch), so ours gets the passive
# wait policy PyTorch gets; OURS_OMP_WAIT_POLICY=ACTIVE measures the default.
ours_wait=${OURS_OMP_WAIT_POLICY:-PASSIVE}
# TABLE_ONLY=1 OUT=DIR prints the table of the runs already in DIR.
for rep in $( [ "${TABLE_ONLY:-0}" = 1 ] || seq 1 "$reps"); do
  before=$(load)
  OMP_WAIT_POLICY=$ours_wait $bench cnn --arch "$arch" --epochs "$epochs" ${LOCKSTEP:+--peer} ${LOCKSTEP:+${PEER_EPOCHS:+--peer-epochs $PEER_EPOCHS}} "${extra[@]}" > "$out/ours-$rep.jsonl" 2> "$out/ours-$rep.err"
  after=$(load)
  grep '"summary"' "$out/ours-$rep.jsonl" | sed "s/^{/{\"rep\":$rep,\"loadBefore\":$before,\"loadAfter\":$after,/" >> "$out/ours.jsonl"
  if [ -n "${LOCKSTEP:-}" ]; then
    continue
  fi
  before=$(load)
  env -u ONEDNN_MAX_CPU_ISA ${PEER_ONEDNN_MAX_CPU_ISA:+ONEDNN_MAX_CPU_ISA=$PEER_ONEDNN_MAX_CPU_ISA} OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=2 "$python" bench/pytorch/cnn.py --arch "$arch" --epochs "$epochs" "${extra[@]}" \
    > "$out/pytorch-$rep.jsonl" 2> "$out/pytorch-$rep.err"
  after=$(load)
  grep '"summary"' "$out/pytorch-$rep.jsonl" | sed "s/^{/{\"rep\":$rep,\"loadBefore\":$before,\"loadAfter\":$after,/" >> "$out/pytorch.jsonl"
done
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
ours = [json.loads(l) for l in open(os.path.join(out, "ours.jsonl"))]
path = os.path.join(out, "pytorch.jsonl")
torch = [json.loads(l) for l in open(path)] if os.path.exists(path) else [dict(o["peer"], loadBefore=o["loadBefore"], loadAfter=o["loadAfter"]) for o in ours]
print(f"logs: {out}")
for o, t in zip(ours, torch):
    print(f"\nrep {o['rep']} (our OMP_WAIT_POLICY {os.environ.get('OURS_OMP_WAIT_POLICY', 'PASSIVE')}): {o['arch']} width {o.get('width', 1)}, {o['epochs']} epochs (pytorch trained {t['epochs']}), augment {o['augment']}, optimizer {o['optimizer']}; "
          f"parameters ours {o['parameters']} / pytorch {t['parameters']} ({'equal' if o['parameters'] == t['parameters'] else 'DIFFERENT'}); "
          f"load ours {o['loadBefore']}->{o['loadAfter']}, pytorch {t['loadBefore']}->{t['loadAfter']}; "
          f"batch {o.get('batch', 128)}, oneDNN ISA ours {o.get('onednnMaxCpuIsa', 'default')} / pytorch {t.get('onednnMaxCpuIsa', 'default')}")
    rows = [
        ("s/epoch (epochs 2..N, incl. test pass)", o["meanSecondsPerEpoch"], t["meanSecondsPerEpoch"], t["meanSecondsPerEpoch"] / o["meanSecondsPerEpoch"]),
        ("train img/s (incl. test pass)", o["trainImagesPerSecond"], t["trainImagesPerSecond"], o["trainImagesPerSecond"] / t["trainImagesPerSecond"]),
        ("train-only img/s (ours: estimate)", o["trainOnlyImagesPerSecondEstimate"], t["trainOnlyImagesPerSecond"], o["trainOnlyImagesPerSecondEstimate"] / t["trainOnlyImagesPerSecond"]),
        ("inference img/s TorchSharp transformer", o["torchSharpImagesPerSecond"], t["inferenceImagesPerSecond"], o["torchSharpImagesPerSecond"] / t["inferenceImagesPerSecond"]),
        ("inference img/s ApplyOnnxModel (ORT)", o["applyOnnxModelImagesPerSecond"], t["inferenceImagesPerSecond"], o["applyOnnxModelImagesPerSecond"] / t["inferenceImagesPerSecond"]),
        ("inference img/s ORT session, batch 256", o["onnxSessionImagesPerSecond"], t["inferenceImagesPerSecond"], o["onnxSessionImagesPerSecond"] / t["inferenceImagesPerSecond"]),
        ("test accuracy", o["testAccuracy"], t["testAccuracy"], o["testAccuracy"] - t["testAccuracy"]),
        ("process peak RSS MB", o["processPeakRssMb"], t["processPeakRssMb"], o["processPeakRssMb"] / t["processPeakRssMb"]),
        ("RSS growth epoch 2 -> last, MB", o["rssGrowthMb"], t["rssGrowthMb"], float("nan")),
    ]
    print(f"  {'measure':<42} {'ours':>10} {'pytorch':>10} {'ours/pytorch':>13}")
    for name, a, b, r in rows:
        label = "ours-pytorch" if name == "test accuracy" else ""
        print(f"  {name:<42} {a:>10.4g} {b:>10.4g} {r:>13.3f} {label}")
    print(f"  inference repeats: TorchSharp {o['torchSharpRepeats']}, ApplyOnnxModel {o['applyOnnxModelRepeats']}, "
          f"ORT session {o['onnxSessionRepeats']}, PyTorch {t['inferenceRepeats']}; ONNX agreement with TorchSharp "
          f"{o['applyOnnxModelAgreement']} / {o['onnxSessionAgreement']}")
    if "lockstepEpochRatios" in o:
        print(f"  lockstep, per epoch, PyTorch s / our s (both incl. the test pass): {o['lockstepEpochRatios']}")
    print(f"  RSS by epoch ours {o['rssByEpochMb']}")
    print(f"  RSS by epoch pytorch {t['rssByEpochMb']}")
PY
