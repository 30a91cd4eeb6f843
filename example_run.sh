#!/usr/bin/env bash
# validate, plan, dry-run, run: the everyday loop, on the small example plan.
set -euo pipefail
cd "$(dirname "$0")"
cli="node bin/orchestrate.js"
plan=examples/hello/phases.yaml
target="$(mktemp -d "${TMPDIR:-/tmp}/orchestrate-example.XXXXXX")"

$cli validate --config "$plan"
$cli plan --config "$plan"
$cli run --all --dry-run --config "$plan" --cwd "$target"
$cli run --all --yes --config "$plan" --cwd "$target"
$cli status --config "$plan" --cwd "$target"
