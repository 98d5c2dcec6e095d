#!/usr/bin/env bash
# Tries the attacks and odd requests of docs/edge.md against a running gateway (`make run`) and says, for each,
# what came back and whether that is what the page says. Raw requests go over bash's /dev/tcp, so nothing in a
# client library softens them. Needs the `make run` stack (the demo API key, the /secure routes, order-service).
#
#   scripts/edge-check.sh                 # against 127.0.0.1:8080 (admin :8090)
#   GATEWAY=127.0.0.1:18080 ADMIN=127.0.0.1:18090 scripts/edge-check.sh
#
# Exit status: 0 when every check passed, 1 otherwise.
set -uo pipefail

GATEWAY=${GATEWAY:-127.0.0.1:8080}
ADMIN=${ADMIN:-127.0.0.1:8090}
API_KEY=${API_KEY:-refgateway-demo-key}
HOST=${GATEWAY%:*}
PORT=${GATEWAY#*:}
ADMIN_PORT=${ADMIN#*:}
failures=0

# raw REQUEST [SECONDS]: sends the bytes (printf escapes) and prints everything that comes back until the gateway
# closes the connection or SECONDS pass.
raw() {
  local request=$1 seconds=${2:-5}
  timeout "$seconds" bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "$2" >&3
    cat <&3' "$HOST" "$PORT" "$request" 2>/dev/null | tr -d '\0'
}

status_of() { head -1 | awk '{print $2}'; }
routed() { grep -qi '^x-instance-id: user-service' && echo routed || echo "not routed"; }
answers_in() { grep -c '^HTTP/1\.[01] [0-9][0-9][0-9]' || true; }

check() {
  local name=$1 expected=$2 actual=$3
  if [[ $actual == $expected ]]; then
    printf '  ok    %-62s %s\n' "$name" "$actual"
  else
    printf '  FAIL  %-62s got %s, expected %s\n' "$name" "$actual" "$expected"
    failures=$((failures + 1))
  fi
}

echo "Edge checks against $GATEWAY (docs/edge.md)"

echo "One canonical path"
out=$(raw "GET /secure%%2fusers/observe/metrics HTTP/1.1\r\nHost: gw\r\nX-API-Key: $API_KEY\r\nConnection: close\r\n\r\n")
check "/secure%2fusers/...: one segment, matches no route, never forwarded" "404 not routed" \
      "$(status_of <<<"$out") $(routed <<<"$out")"
out=$(raw "GET /users/a%%2fb HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")
check "encoded slash on a route that does not allow it" "400 invalid-request-target" \
      "$(status_of <<<"$out") $(grep -o 'invalid-request-target' <<<"$out" | head -1)"
out=$(raw "GET /users/x/%%2e%%2e/%%2E%%2E/admin HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")
check "encoded dot segments resolve before routing (/admin: no route)" "404" "$(status_of <<<"$out")"
for target in "/users/1/..;/x" "/users/%%5c1" "/users/%%00" "/users/1%%23x#frag" "/../users"; do
  out=$(raw "GET $target HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")
  check "refused: ${target//%%/%}" "400" "$(status_of <<<"$out")"
done
out=$(raw "GET //%%75sers?limit=1 HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")
check "// merged and %75 decoded: /users is routed to user-service" "200 routed" "$(status_of <<<"$out") $(routed <<<"$out")"
out=$(raw "GET http://api.example.com/users?limit=1 HTTP/1.1\r\nHost: other\r\nConnection: close\r\n\r\n")
check "absolute-form forwarded as a path" "200 routed" "$(status_of <<<"$out") $(routed <<<"$out")"

echo "Request framing"
out=$(raw "POST /users HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2;ext=1\r\n{}\r\n0\r\n\r\n")
check "chunk extension accepted (the body reached user-service: its 400)" "400 routed" \
      "$(status_of <<<"$out") $(routed <<<"$out")"
for body in '0x5\r\nhello\r\n0\r\n\r\n' '10000000000000000\r\nx\r\n0\r\n\r\n' '3\r\nhello\r\n0\r\n\r\n' \
            '5\nhello\r\n0\r\n\r\n'; do
  out=$(raw "POST /users HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n${body}GET /users HTTP/1.1\r\nHost: gw\r\n\r\n")
  check "malformed chunked body: 400, closed, nothing after it read" "400 1" \
        "$(status_of <<<"$out") $(answers_in <<<"$out")"
done
for framing in 'Content-Length: 5\r\nTransfer-Encoding: chunked' 'Transfer-Encoding: chunked\r\nContent-Length: 5' \
               'Transfer-Encoding : chunked' 'Transfer-Encoding: xchunked' 'X: y\r\n Transfer-Encoding: chunked'; do
  out=$(raw "POST /users HTTP/1.1\r\nHost: gw\r\n${framing}\r\n\r\n0\r\n\r\nGET /users HTTP/1.1\r\nHost: gw\r\n\r\n")
  check "smuggling attempt refused, one answer: ${framing//\\r\\n/ + }" "400 1" \
        "$(status_of <<<"$out") $(answers_in <<<"$out")"
done
out=$(raw "GET /users?limit=1 HTTP/1.0\r\n\r\n")
check "HTTP/1.0 served, then closed" "200 close" \
      "$(status_of <<<"$out") $(grep -io '^connection: close' <<<"$out" | awk '{print tolower($2)}' | tr -d '\r')"
out=$(raw "GET /users?limit=1 HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\nGET /users HTTP/1.1\r\nHost: gw\r\n\r\n")
check "Connection: close honoured: one answer, then closed" "1" "$(answers_in <<<"$out")"

echo "Bounded state"
for i in $(seq 1 50); do raw "XMETHOD$i$RANDOM /users HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n" >/dev/null; done
series=$(curl -s "http://$ADMIN/observe/metrics" | grep '^gateway_requests_total' | grep -o 'method="[^"]*"' | sort -u |
         grep -vcE 'method="(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|TRACE|CONNECT|OTHER)"')
check "made-up methods create no metric series" "0" "$series"
if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.2/$ADMIN_PORT" 2>/dev/null; then admin_elsewhere=open; else admin_elsewhere=refused; fi
check "admin socket not on other addresses (127.0.0.2)" "refused" "$admin_elsewhere"
last=
for i in $(seq 1 21); do
  last=$(raw "GET /secure/users/1 HTTP/1.1\r\nHost: gw\r\nX-API-Key: wrong-$i\r\nConnection: close\r\n\r\n" | status_of)
done
check "failed authentication throttled after 20 a minute" "429" "$last"

echo "Idempotency"
key="edge-check-$RANDOM$RANDOM"
user=$(curl -s -X POST "http://$GATEWAY/users" -H 'Content-Type: application/json' \
       -d "{\"name\":\"Edge Check\",\"email\":\"$key@example.com\"}" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
order="{\"userId\":${user:-1},\"items\":[{\"sku\":\"PEN\",\"quantity\":1,\"unitPrice\":1.50}]}"
first=$(curl -s -D - -o /dev/null -X POST "http://$GATEWAY/orders" -H "Idempotency-Key: $key" \
        -H 'Content-Type: application/json' -d "$order" | grep -i '^location' | tr -d '\r')
second=$(curl -s -D - -o /dev/null -X POST "http://$GATEWAY/orders" -H "Idempotency-Key: $key" \
         -H 'Content-Type: application/json' -d "$order" | grep -i '^location' | tr -d '\r')
check "the same key twice: one order" "same" "$([[ -n $first && $first == "$second" ]] && echo same || echo "$first / $second")"

echo
if [ "$failures" -eq 0 ]; then echo "All edge checks passed."; else echo "$failures check(s) failed."; fi
[ "$failures" -eq 0 ]
