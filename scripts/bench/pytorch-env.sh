# Sourced by the vs-pytorch benchmarks: the repository root as working directory, the datasets in
# place (scripts/fetch-data.sh), and PyTorch as the comparison runs it. Debian's python3-torch
# (1.13.1, for Debian's /usr/bin/python3, not a pyenv python3 on the PATH) and OpenBLAS
# (libopenblas0-openmp), installed when missing, for these benchmarks only (never a dependency of
# nas4j); Debian's torch links the reference BLAS, 3.5x slower on the linear layers, so OpenBLAS
# goes first on the library path; 2 threads, as nas4j's side.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
scripts/fetch-data.sh >/dev/null
if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null || [ ! -d /usr/lib/x86_64-linux-gnu/openblas-openmp ]; then
  echo "installing python3-torch and libopenblas0-openmp (benchmark only)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch python3-numpy libopenblas0-openmp >&2
fi
export LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export OMP_NUM_THREADS=2
torch_python=/usr/bin/python3
