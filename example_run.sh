#!/usr/bin/env bash
# validate, plan, dry-run, run, status: the everyday loop, on a scratch target.
#   roadmap (default)        phase 1 of config/phases.yaml on a copy of
#                            examples/demo-monorepo (installed with npm ci).
#   ORCHESTRATE_DEMO=hello   examples/hello/phases.yaml on an empty directory.
set -euo pipefail
cd "$(dirname "$0")"
cli="node bin/orchestrate.js"
demo="${ORCHESTRATE_DEMO:-roadmap}"
target="$(mktemp -d "${TMPDIR:-/tmp}/orchestrate-example.XXXXXX")"

case "$demo" in
  roadmap)
    plan=config/phases.yaml
    plan_select=(--phase 1)
    select=(--phase 1)
    tar -C examples/demo-monorepo --exclude=node_modules --exclude=coverage --exclude=dist -cf - . | tar -C "$target" -xf -
    (cd "$target" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    git -C "$target" init -q
    git -C "$target" add -A
    git -C "$target" -c user.name=orchestrate-demo -c user.email=demo@example.invalid commit -qm "demo-monorepo before the rollout"
    ;;
  hello)
    plan=examples/hello/phases.yaml
    plan_select=()
    select=(--all)
    ;;
  *)
    echo "example_run: ORCHESTRATE_DEMO is \"$demo\"; use hello or roadmap" >&2
    exit 2
    ;;
esac

$cli validate --config "$plan"
$cli plan --config "$plan" ${plan_select[@]+"${plan_select[@]}"}
$cli run "${select[@]}" --dry-run --config "$plan" --cwd "$target"
$cli run "${select[@]}" --yes --config "$plan" --cwd "$target"
$cli status --config "$plan" --cwd "$target"
