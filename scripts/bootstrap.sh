# Sourced by the other scripts: make sure .venv exists and holds the pinned requirements.
# Reinstalls only when a requirements file changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SCATTERPLOT_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "creating virtual environment in $VENV" >&2
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.requirements.sha256"
wanted="$(cat "$ROOT"/requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "installing pinned requirements into $VENV" >&2
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$ROOT/requirements-dev.txt"
  echo "$wanted" > "$stamp"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
