#!/usr/bin/env bash
# The Mozilla HTTP Observatory's grade for the site as production serves it, offline: gunicorn
# with production settings on https://localhost (a throwaway CA and certificate) and on
# http://localhost, which redirects. Fails unless the grade is A+.
# Needs node and npm, openssl, and ports 80 and 443 on 127.0.0.1 (run as root, as CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=.observatory
SCANNER=$CACHE/node_modules/@mdn/mdn-http-observatory
PYTHON=.venv/bin/python
WORK=$(mktemp -d)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== the scanner, @mdn/mdn-http-observatory as pinned in scripts/observatory/package-lock.json"
mkdir -p "$CACHE"
if ! cmp -s scripts/observatory/package-lock.json "$CACHE/package-lock.json" \
  || [ ! -d "$SCANNER" ]; then
  cp scripts/observatory/package.json scripts/observatory/package-lock.json "$CACHE/"
  # Its install scripts download the HSTS preload list and a TLD list; offline, we do without.
  (cd "$CACHE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
# Empty lists: localhost is on no preload list, and needs no public suffix.
[ -f "$SCANNER/conf/hsts-preload.json" ] || echo '{}' >"$SCANNER/conf/hsts-preload.json"
[ -f "$SCANNER/conf/tld-list.json" ] || echo '[]' >"$SCANNER/conf/tld-list.json"

echo "== a throwaway certificate authority and a certificate for localhost"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=Observatory throwaway CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$WORK/localhost.key" -out "$WORK/localhost.csr" 2>/dev/null
printf "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n" >"$WORK/san.ext"
openssl x509 -req -in "$WORK/localhost.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" \
  -CAcreateserial -days 1 -extfile "$WORK/san.ext" -out "$WORK/localhost.pem" 2>/dev/null

echo "== the site with production settings: migrated, seeded, static files collected"
export DEBUG=false ALLOWED_HOSTS=localhost DATABASE_URL="sqlite:///$WORK/db.sqlite3"
SECRET_KEY=$("$PYTHON" -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY
unset SECURE_SSL_REDIRECT SECURE_PROXY_SSL_HEADER SECURE_HSTS_SECONDS SECURE_HSTS_PRELOAD
"$PYTHON" manage.py migrate --no-input --verbosity 0
"$PYTHON" manage.py load_seed >/dev/null
"$PYTHON" manage.py collectstatic --no-input --verbosity 0

GUNICORN=(.venv/bin/gunicorn probono.wsgi --workers 2)
"${GUNICORN[@]}" --bind 127.0.0.1:443 --certfile "$WORK/localhost.pem" \
  --keyfile "$WORK/localhost.key" >"$WORK/https.log" 2>&1 &
PIDS+=($!)
"${GUNICORN[@]}" --bind 127.0.0.1:80 >"$WORK/http.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  if curl -sf --cacert "$WORK/ca.pem" -o /dev/null https://localhost/robots.txt \
    && curl -s -o /dev/null http://localhost/robots.txt; then
    break
  fi
  sleep 0.2
done
if ! curl -sf --cacert "$WORK/ca.pem" -o /dev/null https://localhost/; then
  echo "gunicorn did not answer on https://localhost/ (are ports 80 and 443 free?)" >&2
  cat "$WORK/https.log" "$WORK/http.log" >&2
  exit 1
fi

echo "== the scan"
# scan.js directly: the package's command overwrites NODE_EXTRA_CA_CERTS with its own bundle.
NODE_EXTRA_CA_CERTS="$WORK/ca.pem" node "$SCANNER/src/scan.js" localhost >"$WORK/scan.json"
"$PYTHON" - "$WORK/scan.json" <<'EOF'
import json
import sys

result = json.load(open(sys.argv[1]))
if "error" in result:
    sys.exit(f"The scan failed: {result['error']}")
scan = result["scan"]
for name, test in sorted(result["tests"].items()):
    outcome = "pass" if test["pass"] else "FAIL"
    print(f"{outcome}  {test['scoreModifier']:+4d}  {name}: {test['result']}")
print(f"Grade {scan['grade']}, score {scan['score']}, {scan['testsFailed']} of "
      f"{scan['testsQuantity']} tests failed")
sys.exit(0 if scan["grade"] == "A+" else f"The grade must be A+, not {scan['grade']}.")
EOF
