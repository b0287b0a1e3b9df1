#!/usr/bin/env bash
# Checks the mock studio against the project's description of the API, api/openapi.yaml,
# with schemathesis (from PyPI, in a virtualenv under target/): generated requests, valid
# and invalid, to every operation it can address; it fails on any 5xx, any status or body
# the description does not document. First, a quick check of the file itself: valid YAML,
# valid OpenAPI 3.0, every $ref resolves, and every operation the mock's index lists is in
# it. CONTRACT_SPEC=other.yaml checks the mock against another description instead.
# The two availability paths carry a slash inside a path parameter, which OpenAPI tools
# cannot address: the native HTTP tests cover them. Two checks are left out because the
# description itself says otherwise: "positive_data_acceptance" expects every schema-valid
# booking to be accepted, but the API answers 422 to one with, say, an empty name; and
# "negative_data_rejection" expects a 4xx for per_page=101 on the session type list, whose
# documented answers are only 200, 429 and 500 (the mock clamps paging instead). The native
# HTTP tests check the 400s and 422s that are documented. Needs a release build of mock-studio.
set -euo pipefail
cd "$(dirname "$0")/.."
SPEC=${CONTRACT_SPEC:-api/openapi.yaml}
SCHEMATHESIS_VERSION=4.32.5
VENV=target/schemathesis-venv
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null || true)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  echo "[contract] installing schemathesis $SCHEMATHESIS_VERSION"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

log=$(mktemp)
target/release/mock-studio --addr 127.0.0.1:0 --no-seed >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
base=$(sed -nE 's/.*listening on (http[^ ]+).*/\1/p' "$log")
[ -n "$base" ] || { echo "[contract] mock-studio did not start"; cat "$log"; exit 1; }

# The description itself (PyYAML and the OpenAPI 3.0 meta-schema come with schemathesis).
"$VENV/bin/python" - "$SPEC" "$base" <<'PY'
import json, re, sys, urllib.request
import yaml
from schemathesis.specs.openapi.definitions import OPENAPI_30_VALIDATOR
path, base = sys.argv[1], sys.argv[2]
try:
    with open(path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
except (OSError, yaml.YAMLError) as e:
    sys.exit(f"[contract] {path} cannot be read as YAML: {e}")
problems = [f"not OpenAPI 3.0: {e}" for e in OPENAPI_30_VALIDATOR.iter_errors(spec)]
def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from ([v] if k == "$ref" and isinstance(v, str) else refs(v))
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)
for ref in sorted(set(refs(spec))):
    target = spec
    for part in ref.removeprefix("#/").split("/"):
        target = target.get(part) if isinstance(target, dict) else None
    if not ref.startswith("#/") or target is None:
        problems.append(f"$ref {ref} leads nowhere")
# "GET /api/v1/session_types/{id}/check-day-avail/{year}-{month}-{day}-{Zone/Name}" -> ("GET", "/session_types/{}/check-day-avail/{}")
shape = lambda p: re.sub(r"\{\}(-\{\})+", "{}", re.sub(r"\{[^}]*\}", "{}", p))
documented = {(m.upper(), shape(p)) for p, ops in (spec.get("paths") or {}).items() for m in ops if m != "parameters"}
index = json.load(urllib.request.urlopen(base, timeout=10))["data"]["endpoints"]
for line in index:
    method, p = line.split()[:2]
    op = (method, shape(p.removeprefix("/api/v1").split("?")[0]))
    if op not in documented:
        problems.append(f"the mock serves {line!r}, which {path} does not describe")
for p in problems:
    print(f"[contract] {p}")
if problems:
    sys.exit(1)
print(f"[contract] {path}: valid OpenAPI 3.0, describes all {len(index)} operations the mock serves")
PY

"$VENV/bin/schemathesis" run "$SPEC" --url "$base" \
  --checks all --exclude-checks positive_data_acceptance,negative_data_rejection \
  --max-examples "${CONTRACT_EXAMPLES:-60}" --seed 20261122 \
  --exclude-path-regex 'check-(month|day)-avail' --exclude-tag gateway \
  --no-color 2>&1 | tail -n "${CONTRACT_TAIL:-25}"
