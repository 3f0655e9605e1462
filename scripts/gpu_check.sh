#!/usr/bin/env bash
# The checks that need a CUDA GPU, in one go, on a machine with one and the course installed
# (CI has none, so they are skipped there; run this on a GPU machine before a semester):
#   1. the `cuda`-marked tests: hidden-test helpers on the GPU, a graded class whose hidden tests
#      really ran on it (sandboxed and not), a CUDA error that must not poison the next
#      submission, each kernel's share of GPU memory;
#   2. the zygote, kernel, Dask and GPU-choice tests with a real GPU present (CUDA must not
#      start in the zygote; workers sharing a GPU get a share each; GPU errors are reported);
#   3. every lesson's right and wrong answers through their hidden tests, on CPU and CUDA;
#   4. the demo class graded here: its score tables (demo.log) must equal a CPU machine's;
#   5. (bench) how fast a run of every assignment grades here, with the GPU: seconds in turn
#      and sent ahead, scores identical (benchmarks/grading.py --run, BENCH_N per assignment).
# Logs go to $OUT (default ./gpu-check); STEPS picks some steps, in the order given (default:
# "cuda-tests grading-tests lesson-tests demo bench").  Exit status: 0 only if every step passed.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
OUT=${OUT:-gpu-check}
mkdir -p "$OUT"
status=0
STEPS=${STEPS:-cuda-tests grading-tests lesson-tests demo bench}
step() { local name=$1; shift; echo "== $name: $*"; local t0=$SECONDS
  "$@" 2>&1 | tee "$OUT/$name.log"; local rc=${PIPESTATUS[0]}
  echo "== $name: exit $rc in $((SECONDS - t0)) s" | tee -a "$OUT/summary.txt"
  [ "$rc" -eq 0 ] || status=1; }

{ nvidia-smi -L; ls -l /dev/nvidia* 2>&1 | head -12
  "$PY" -c 'import torch; print("torch", torch.__version__, "CUDA", torch.version.cuda,
  torch.cuda.is_available() and torch.cuda.get_device_name(0))'
  "$PY" -c 'from course.grading import sandbox; print("sandbox", sandbox.available(),
  [str(p) for p in sandbox.gpu_devices()])'; } 2>&1 | tee "$OUT/device.txt"
"$PY" -c 'import torch, sys; sys.exit(not torch.cuda.is_available())' \
  || { echo "no CUDA GPU here: nothing to check" | tee -a "$OUT/summary.txt"; exit 1; }

PARALLEL=()
"$PY" -c 'import xdist' 2>/dev/null && PARALLEL=(-n "${JOBS:-8}")
for name in $STEPS; do
  case $name in
    cuda-tests) step cuda-tests "$PY" -m pytest -p no:cacheprovider -q -rs -m cuda tests ;;
    grading-tests) step grading-tests "$PY" -m pytest -p no:cacheprovider -q -rs \
      tests/grading/test_preload.py tests/grading/test_kernels.py tests/grading/test_cluster.py \
      tests/grading/test_sandbox.py tests/grading/test_gpus.py tests/grading/test_gpu_errors.py \
      ${DESELECT:+-k "$DESELECT"} ;;
    lesson-tests) step lesson-tests "$PY" -m pytest -p no:cacheprovider -q -rs \
      "${PARALLEL[@]}" tests/lessons tests/checks ;;
    demo) step demo course demo
      cp demo/grades.csv "$OUT/demo-grades.csv" 2>/dev/null || status=1 ;;
    bench) step bench "$PY" benchmarks/grading.py --run --n "${BENCH_N:-6}" \
      --jobs "${JOBS:-8}" ;;
    *) echo "unknown step $name"; status=1 ;;
  esac
done
echo "== all steps: $([ $status -eq 0 ] && echo passed || echo FAILED)" | tee -a "$OUT/summary.txt"
exit $status
