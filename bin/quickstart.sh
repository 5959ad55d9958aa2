#!/usr/bin/env bash
# The whole chain on a small synthetic world, then `rec serve` on it: each step a file-to-file command.
# Usage: bin/quickstart.sh [WORKDIR] [PORT]   (default: ./quickstart, 8080; PORT 0 = any free port)
# QUICKSTART_SIZE=tiny: a 200-user world and 2 epochs per model, for tests (default: small, 1,000 users).
# Re-running in the same WORKDIR rebuilds every step and gives the same files (same seeds), so the
# registry keeps version 1. Human text goes to stderr; stdout carries only the server's JSON log lines.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rec() { node "$here/run.js" "$@"; }
work="${1:-quickstart}"
port="${2:-8080}"

case "${QUICKSTART_SIZE:-small}" in
  small) world=(); retrieval=(); ranking=() ;;
  tiny) world=(--users 200 --items 1000 --interactions 10000 --topics 8); retrieval=(--epochs 2 --batch-size 128); ranking=(--epochs 2) ;;
  *) echo "quickstart: error: QUICKSTART_SIZE must be small or tiny, got \"$QUICKSTART_SIZE\"" >&2; exit 2 ;;
esac

mkdir -p "$work"
cd "$work"

# ${a[@]+"${a[@]}"}: an empty array under `set -u` on bash < 4.4
rec gen-data --out world --seed 7 ${world[@]+"${world[@]}"} --force
rec train retrieval --dataset world --config "$here/../config/synthetic-small.yaml" ${retrieval[@]+"${retrieval[@]}"} --out retrieval --force
rec train ranking --dataset world --config "$here/../config/ranking-synthetic.yaml" ${ranking[@]+"${ranking[@]}"} --out ranking --force
rec index build --ckpt retrieval --out index --force
rec eval --dataset world --compare model:popular retrieval --out report --force
rec promote register retrieval --registry registry
rec promote best --kind retrieval --metric val.ndcg@10 --alias production --registry registry

echo "report: $work/report/report.html" >&2
echo "serving on port $port  (try: curl 'http://127.0.0.1:$port/v1/recommendations?user_id=1&k=10&explain=true')" >&2
# exec: a signal to this script (Ctrl-C, SIGTERM) reaches the server, which shuts down cleanly
exec node "$here/run.js" serve --retrieval retrieval --ranking ranking --index index --dataset world --state state --port "$port"
