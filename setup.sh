#!/usr/bin/env bash
# Installs, builds, and shows orchestrate at work. Safe to run twice; never prompts.
set -euo pipefail
cd "$(dirname "$0")"

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

echo "==> Installing dependencies (npm ci)"
npm ci --no-audit --no-fund --loglevel=error
echo "==> Building"
npm run --silent build

cli="node bin/orchestrate.js"
echo
echo "==> orchestrate validate   (the roadmap in config/phases.yaml)"
$cli validate
echo
echo "==> orchestrate plan --phase 1"
$cli plan --phase 1

scratch="$(mktemp -d "${TMPDIR:-/tmp}/orchestrate-demo.XXXXXX")"
echo
echo "==> orchestrate run --all --dry-run   (examples/hello on $scratch)"
$cli run --all --dry-run --config examples/hello/phases.yaml --cwd "$scratch"
echo
echo "==> orchestrate run --all --yes"
$cli run --all --yes --config examples/hello/phases.yaml --cwd "$scratch"
echo
echo "==> orchestrate status"
$cli status --config examples/hello/phases.yaml --cwd "$scratch"
echo
echo "Done. The demo ran in $scratch. Next: npm test, or read QUICKSTART.md."
