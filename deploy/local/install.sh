#!/usr/bin/env bash
# Install what the local stack and the tests need, doing work only for what is missing (quick when all is present):
# uv (pinned), PostgreSQL, kcat, Maven, a Java 17+ runtime, the Python workspace (uv sync) and the Kafka jars.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

UV_VERSION=0.13.8
export UV_PYTHON_DOWNLOADS=never # use the machine's Python 3.11; never fetch interpreters from outside
# The interpreter the workspace runs on: Debian's python3.11, built with PGO and LTO as the official python images
# are. A default pyenv build has neither and runs this code a fifth slower (bench/import_bench.py shows it).
OPTIMISED_PYTHON=/usr/bin/python3.11

# Debian packages: "check-command package" pairs. A check starting with / is a path glob, else a command name.
PACKAGES=(
  "/usr/lib/postgresql/*/bin/postgres postgresql"
  "kcat kcat"
  "mvn maven"
  "java openjdk-17-jre-headless"
  "curl curl"
  "/usr/lib/python3.11/asyncio/__init__.py python3.11"
)

have() {
  if [[ $1 == /* ]]; then compgen -G "$1" >/dev/null; else command -v "$1" >/dev/null 2>&1; fi
}

java_major() { # prints the major version of `java` on PATH (8 for 1.8), or 0
  local major minor
  read -r major minor < <(java -version 2>&1 | sed -nE 's/.*version "([0-9]+)(\.([0-9]+))?.*/\1 \3/p' | head -n 1) || true
  if [[ $major == 1 ]]; then echo "${minor:-0}"; else echo "${major:-0}"; fi
}

APT_UPDATED=
apt_install() {
  local sudo=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "missing: $* (not root and no sudo; install them with: apt-get install $*)"
    sudo=(sudo -n)
  fi
  command -v apt-get >/dev/null 2>&1 || die "missing: $* (no apt-get on this machine; install these packages by hand)"
  if [[ -z $APT_UPDATED ]]; then
    say "apt-get update"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$LOGS/apt.log" 2>&1 \
      || { tail -n 20 "$LOGS/apt.log" >&2; die "apt-get update failed (log: $LOGS/apt.log); needed for: $*"; }
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$LOGS/apt.log" 2>&1 \
    || { tail -n 20 "$LOGS/apt.log" >&2; die "could not install Debian package(s): $* (log: $LOGS/apt.log)"; }
}

ensure_packages() {
  local entry check pkg missing=()
  for entry in "${PACKAGES[@]}"; do
    read -r check pkg <<<"$entry"
    if [[ $check == java ]]; then
      have java && (($(java_major) >= 17)) && continue
    elif have "$check"; then
      continue
    fi
    missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  apt_install "${missing[@]}"
  hash -r
  for entry in "${PACKAGES[@]}"; do
    read -r check pkg <<<"$entry"
    have "$check" || die "$pkg was installed but '$check' is still missing"
  done
  (($(java_major) >= 17)) || die "Java 17+ is required but 'java' on PATH is version $(java_major); put a JDK/JRE 17+ first on PATH"
}

uv_ok() { command -v uv >/dev/null 2>&1 && [[ "$(uv --version 2>/dev/null)" == "uv $UV_VERSION"* ]]; }

ensure_uv() {
  uv_ok && return 0
  need python3 "install Python 3.11 (the workspace needs it; uv is installed with its pip)"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    apt_install python3-pip
  fi
  say "installing uv $UV_VERSION with pip"
  python3 -m pip install -q --disable-pip-version-check "uv==$UV_VERSION" >"$LOGS/pip-uv.log" 2>&1 \
    || python3 -m pip install -q --disable-pip-version-check --break-system-packages "uv==$UV_VERSION" >>"$LOGS/pip-uv.log" 2>&1 \
    || { tail -n 20 "$LOGS/pip-uv.log" >&2; die "could not install uv==$UV_VERSION with pip (log: $LOGS/pip-uv.log)"; }
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash 2>/dev/null || true; fi
  hash -r
  if ! uv_ok; then
    local dir
    dir=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
    die "uv $UV_VERSION was installed into $dir, but 'uv' on PATH is $(command -v uv || echo 'missing') ($(uv --version 2>/dev/null || true)); put $dir first on PATH"
  fi
}

ensure_python_env() {
  # An existing .venv on another interpreter is rebuilt on this one (uv sync does that when they differ).
  [[ -x $OPTIMISED_PYTHON ]] && export UV_PYTHON=$OPTIMISED_PYTHON
  # `uv sync --locked` is itself quick when the environment already matches uv.lock.
  (cd "$ROOT" && uv sync --all-packages --locked --quiet) \
    || die "uv sync failed: the Python workspace needs Python 3.11 ($OPTIMISED_PYTHON, else python3.11 on PATH) and a uv.lock matching pyproject.toml"
  # Bytecode compiled once, as pip would on install: with PYTHONDONTWRITEBYTECODE set (as on some machines) every
  # process (each service, each `sightline import`) would otherwise compile its imports anew, about a second each.
  # compileall skips what is up to date, so this is quick after the first run.
  (cd "$ROOT" && uv run --no-sync python -m compileall -q -j 0 .venv/lib contracts/src libs/*/src services/*/src >/dev/null) \
    || die "compiling the Python workspace's bytecode failed"
}

ensure_packages
ensure_uv
ensure_python_env
"$ROOT/deploy/local/kafka.sh" install
say "installed: uv $UV_VERSION, PostgreSQL, kcat, Maven, Java 17+, the Python workspace (.venv) and the Kafka jars"
