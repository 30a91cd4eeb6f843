#!/usr/bin/env bash
# Installs, builds, and shows orchestrate at work. Safe to run twice; never prompts.
#
# The demonstration runs on a scratch directory, never on this checkout:
#   roadmap (default)  phase 1 of the roadmap (config/phases.yaml) on a copy of
#                      examples/demo-monorepo: plan, dry run, run, status.
#   hello              the small plan in examples/hello, which needs nothing
#                      installed: ORCHESTRATE_DEMO=hello ./setup.sh
set -euo pipefail
cd "$(dirname "$0")"
demo="${ORCHESTRATE_DEMO:-roadmap}"

required="20.19.0"
if ! command -v node >/dev/null 2>&1; then
  echo "setup: Node.js is not installed; install Node.js $required or newer (https://nodejs.org)" >&2
  exit 1
fi
current="$(node -p 'process.versions.node')"
if ! node -e '
  const [a, b] = process.argv[1].split(".").map(Number), [c, d] = process.argv[2].split(".").map(Number);
  process.exit(a > c || (a === c && b >= d) ? 0 : 1)' "$current" "$required"; then
  echo "setup: Node.js $current is too old; orchestrate needs $required or newer" >&2
  exit 1
fi
case "$demo" in
  hello|roadmap) ;;
  *) echo "setup: ORCHESTRATE_DEMO is \"$demo\"; use hello or roadmap" >&2; exit 2 ;;
esac

echo "==> Installing dependencies (npm ci)"
npm ci --no-audit --no-fund --loglevel=error

# The tests run generated Python tests with pytest and measure them with
# coverage.py (pytest-cov for the demo's service). When no python3 here has all
# three, they go into a virtualenv in .venv, which npm test puts first on PATH.
python_ready() { "$1" -c 'import pytest, pytest_cov, coverage' >/dev/null 2>&1; }
if [ -x .venv/bin/python3 ] && python_ready .venv/bin/python3; then
  echo "==> Python test tools: .venv (pytest, pytest-cov, coverage.py)"
elif python_ready python3; then
  echo "==> Python test tools: $(command -v python3) has pytest, pytest-cov and coverage.py"
elif ! command -v python3 >/dev/null 2>&1; then
  echo "setup: python3 is not installed; the Python tests need Python 3.8 or newer with pytest, pytest-cov and coverage.py" >&2
  exit 1
else
  echo "==> Installing pytest, pytest-cov and coverage.py into .venv"
  if ! python3 -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    echo "setup: python3 cannot create a virtualenv; install the venv module (Debian/Ubuntu: apt-get install python3-venv), or install python3-pytest python3-pytest-cov python3-coverage, then run ./setup.sh again" >&2
    exit 1
  fi
  .venv/bin/python3 -m pip install --quiet --disable-pip-version-check pytest pytest-cov coverage
  python_ready .venv/bin/python3 || { echo "setup: .venv still lacks pytest, pytest-cov or coverage.py" >&2; exit 1; }
fi
echo "==> Building"
npm run --silent build

cli="node bin/orchestrate.js"
echo
echo "==> orchestrate validate   (the roadmap in config/phases.yaml)"
$cli validate

# A copy of examples/demo-monorepo in a fresh temp dir, installed, as a git repository.
demo_copy() {
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/orchestrate-demo.XXXXXX")"
  tar -C examples/demo-monorepo --exclude=node_modules --exclude=coverage --exclude=dist -cf - . | tar -C "$dir" -xf -
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  git -C "$dir" init -q
  git -C "$dir" add -A
  git -C "$dir" -c user.name=orchestrate-demo -c user.email=demo@example.invalid commit -qm "demo-monorepo before the rollout"
  echo "$dir"
}

roadmap_demo() {
  echo
  echo "==> orchestrate plan --phase 1"
  $cli plan --phase 1
  echo
  echo "==> Copying examples/demo-monorepo and installing its dependencies"
  local target
  target="$(demo_copy)"
  echo "    $target"
  echo
  echo "==> orchestrate run --phase 1 --dry-run   (on $target)"
  $cli run --phase 1 --dry-run --cwd "$target"
  echo
  echo "==> orchestrate run --phase 1"
  $cli run --phase 1 --yes --cwd "$target"
  echo
  echo "==> orchestrate status"
  $cli status --cwd "$target"
  echo
  echo "Done. Phase 1 ran in $target. Next: read QUICKSTART.md; examples/demo-monorepo/README.md says how to run the rest of the roadmap (phase 5 needs a Python with pytest and coverage.py first on PATH)."
}

hello_demo() {
  echo
  echo "==> orchestrate plan --phase 1"
  $cli plan --phase 1
  local target
  target="$(mktemp -d "${TMPDIR:-/tmp}/orchestrate-demo.XXXXXX")"
  echo
  echo "==> orchestrate run --all --dry-run   (examples/hello on $target)"
  $cli run --all --dry-run --config examples/hello/phases.yaml --cwd "$target"
  echo
  echo "==> orchestrate run --all --yes"
  $cli run --all --yes --config examples/hello/phases.yaml --cwd "$target"
  echo
  echo "==> orchestrate status"
  $cli status --config examples/hello/phases.yaml --cwd "$target"
  echo
  echo "Done. The demo ran in $target. Next: npm test, or read QUICKSTART.md."
}

"${demo}_demo"
