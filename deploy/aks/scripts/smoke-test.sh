#!/usr/bin/env bash
# One real generation through the public endpoint: submit, poll until it finishes, download image 0
# and check it is a PNG. Exercises the gateway (TLS, WAF), the API, Temporal, the cpu-worker, an
# interactive GPU worker and storage. Uses the bundled tiny-shapes model, so it needs no uploads.
#
#   deploy/aks/scripts/smoke-test.sh https://api.dev.example.com "$SMOKE_API_KEY" [timeout-seconds]
set -euo pipefail

base_url=${1:?base URL, e.g. https://api.dev.example.com}
api_key=${2:?API key of the smoke tenant}
timeout=${3:-600}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

auth=(-H "Authorization: Bearer ${api_key}")
idempotency_key="smoke-$(date +%s)-${RANDOM}"

echo "submitting a generation to ${base_url}"
curl -sS --fail-with-body --max-time 30 -X POST "${base_url}/v1/generations" "${auth[@]}" \
  -H 'content-type: application/json' -H "Idempotency-Key: ${idempotency_key}" \
  -d '{"prompt": "a red circle on a blue background", "model": "tiny-shapes", "seed": 42, "num_images": 1, "priority": "interactive"}' \
  -o "$out/created.json"
id=$(jq -r '.id' "$out/created.json")
[[ -n "$id" && "$id" != null ]] || { echo "no generation id in: $(cat "$out/created.json")" >&2; exit 1; }
echo "generation ${id}"

deadline=$((SECONDS + timeout))
status=""
while (( SECONDS < deadline )); do
  curl -sS --fail-with-body --max-time 30 "${base_url}/v1/generations/${id}" "${auth[@]}" -o "$out/status.json"
  status=$(jq -r '.status' "$out/status.json")
  case "$status" in
    succeeded) break ;;
    failed|canceled) echo "generation ${id} ${status}: $(jq -c '.error' "$out/status.json")" >&2; exit 1 ;;
    *) echo "  ${status} $(jq -r '.progress.percent // empty' "$out/status.json")"; sleep 5 ;;
  esac
done
[[ "$status" == succeeded ]] || { echo "generation ${id} not finished after ${timeout}s (last: ${status})" >&2; exit 1; }

curl -sS --fail-with-body --max-time 60 "${base_url}/v1/generations/${id}/images/0" "${auth[@]}" -o "$out/image.png"
if [[ "$(head -c 8 "$out/image.png" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]]; then
  echo "image 0 of ${id} is not a PNG" >&2; exit 1
fi
echo "smoke test passed: ${id} ($(jq -c '.timings_ms' "$out/status.json"))"
