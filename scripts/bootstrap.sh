# Sourced by the other scripts: make sure the virtual environment exists and holds the pinned
# requirements the script needs, then put it first on PATH and cd to the project root.
#
#   source scripts/bootstrap.sh local   # the app + the local host + the client (requirements-local.txt)
#   source scripts/bootstrap.sh dev     # all of that + the development tools (requirements-dev.txt)
#
# Each level leaves a stamp (a hash of its requirement files) in the venv and installs again only
# when those files change. `dev` includes `local` and stamps both, so a venv made by
# ./scripts/check serves at once, and ./scripts/check on a venv made by ./scripts/serve adds only
# the development tools.
# Always give the level (a sourced script without arguments sees its caller's). SCATTERPLOT_VENV
# picks another venv; PYTHON the interpreter that creates it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SCATTERPLOT_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

_requirements_hash() {  # the hash of a level's requirement files, in include order
  case "$1" in
    local) cat "$ROOT/requirements.txt" "$ROOT/requirements-local.txt" ;;
    dev) cat "$ROOT/requirements.txt" "$ROOT/requirements-local.txt" "$ROOT/requirements-dev.txt" ;;
  esac | sha256sum | cut -d' ' -f1
}

_installed() {  # is this level's stamp current?
  [ "$(cat "$VENV/.requirements-$1.sha256" 2>/dev/null)" = "$(_requirements_hash "$1")" ]
}

_bootstrap() {
  local level="$1" started=$SECONDS
  case "$level" in
    local | dev) ;;
    *) echo "bootstrap.sh: unknown level '$level' (local or dev)" >&2; return 2 ;;
  esac
  if [ ! -x "$VENV/bin/python" ]; then
    echo "creating the virtual environment $VENV" >&2
    "$PYTHON" -m venv "$VENV"
  fi
  if _installed "$level"; then
    return 0
  fi
  local what="the app, the local host and the client (requirements-local.txt)"
  if [ "$level" = dev ]; then
    what="the app, the local host, the client and the development tools (requirements-dev.txt)"
  fi
  echo "installing $what into $VENV; the first time takes a minute or more" >&2
  # pip's own progress (one line per package, download bars), on stderr like the rest.
  "$VENV/bin/python" -m pip install --disable-pip-version-check \
    -r "$ROOT/requirements-$level.txt" >&2
  _requirements_hash local > "$VENV/.requirements-local.sha256"
  if [ "$level" = dev ]; then
    _requirements_hash dev > "$VENV/.requirements-dev.sha256"
  fi
  echo "installed in $((SECONDS - started)) s" >&2
}

_bootstrap "${1:-}"
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
