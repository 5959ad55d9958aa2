#!/usr/bin/env bash
# The whole chain on a small synthetic world, then `rec serve` on it: each step a file-to-file command.
# Usage: bin/quickstart.sh [WORKDIR] [PORT]   (default: ./quickstart, 8080)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rec() { node "$here/run.js" "$@"; }
work="${1:-quickstart}"
port="${2:-8080}"
mkdir -p "$work"
cd "$work"

rec gen-data --out world --seed 7 --force
rec train retrieval --dataset world --config "$here/../config/synthetic-small.yaml" --out retrieval --force
rec train ranking --dataset world --config "$here/../config/ranking-synthetic.yaml" --out ranking --force
rec index build --ckpt retrieval --out index --force
rec eval --dataset world --compare model:popular retrieval --out report --force
rec promote register retrieval --registry registry
rec promote best --kind retrieval --metric val.ndcg@10 --alias production --registry registry

echo "report: $work/report/report.html"
echo "serving on http://127.0.0.1:$port  (try: curl 'http://127.0.0.1:$port/v1/recommendations?user_id=1&k=10&explain=true')"
rec serve --retrieval retrieval --ranking ranking --index index --dataset world --state state --port "$port"
