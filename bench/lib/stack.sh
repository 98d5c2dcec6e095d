# shellcheck shell=bash
# The processes under test and around them: Consul, the two nginx backends, the nginx proxy, HAProxy, the platform
# floor, Spring Cloud Gateway, the gateway. Sourced by bench.sh.

start_consul() {
  spawn consul "$RUN/logs/consul.log" consul agent -dev -bind 127.0.0.1 -client 127.0.0.1 -node bench \
    -http-port $CONSUL_HTTP -dns-port -1 -grpc-port -1 -server-port 18300 -serf-lan-port 18301 \
    -serf-wan-port 18302 -log-level warn
  for _ in $(seq 1 150); do
    # /v1/status/leader answers "" until a leader is elected: wait for an address
    curl -fs "http://127.0.0.1:$CONSUL_HTTP/v1/status/leader" 2>/dev/null | grep -q ':' && return 0
    sleep 0.1
  done
  echo "Consul did not start; see $RUN/logs/consul.log" >&2
  exit 1
}

# fill TEMPLATE OUTPUT KEY=VALUE...: copies a configuration template (nginx, HAProxy), replacing each @KEY@ by VALUE.
fill() {
  local template=$1 output=$2 pair text
  shopt -u patsub_replacement 2>/dev/null || true   # bash 5.2: "&" in a replacement means the match
  shift 2
  text=$(<"$template")
  for pair in "$@"; do
    text=${text//@${pair%%=*}@/${pair#*=}}
  done
  printf '%s\n' "$text" >"$output"
}

# start_backend NAME PORT: an nginx with its own prefix directory under the run directory.
start_backend() {
  local name=$1 port=$2 prefix=$RUN/$1
  mkdir -p "$prefix/tmp" "$prefix/www/bench"
  if [ ! -f "$prefix/www/bench/16k" ]; then
    head -c 16384 /dev/zero | tr '\0' 'a' >"$prefix/www/bench/16k"
    head -c 1048576 /dev/zero | tr '\0' 'b' >"$prefix/www/bench/1m"
    chmod -R a+rX "$prefix/www"  # the workers run as nobody when the master runs as root
  fi
  fill "$BENCH/conf/backend.conf" "$prefix/nginx.conf" PREFIX="$prefix" PORT="$port" NAME="$name" \
    SMALL_BODY="$SMALL_BODY"
  spawn "$name" "$RUN/logs/$name.log" "$NGINX" -p "$prefix" -e "$prefix/error.log" -c "$prefix/nginx.conf" \
    -g 'daemon off;'
  wait_http "http://127.0.0.1:$port/health" "$name"
}

# Registers a backend in Consul with an HTTP check every second, like the sample services do.
register_backend() {
  local name=$1 port=$2
  curl -fsS -X PUT "http://127.0.0.1:$CONSUL_HTTP/v1/agent/service/register" -d @- >/dev/null <<JSON
{"ID": "$SERVICE-$name", "Name": "$SERVICE", "Address": "127.0.0.1", "Port": $port,
 "Check": {"HTTP": "http://127.0.0.1:$port/health", "Interval": "1s", "Timeout": "1s",
           "DeregisterCriticalServiceAfter": "1m"}}
JSON
}

deregister_backend() {
  curl -fsS -X PUT "http://127.0.0.1:$CONSUL_HTTP/v1/agent/service/deregister/$SERVICE-$1" >/dev/null
}

# wait_passing N: until Consul reports N passing instances of the backend service (each has one check "service:…").
wait_passing() {
  local want=$1 have=0
  for _ in $(seq 1 100); do
    have=$(curl -fs "http://127.0.0.1:$CONSUL_HTTP/v1/health/service/$SERVICE?passing" |
      grep -oE '"CheckID": *"service:' | wc -l || true)
    [ "$have" -eq "$want" ] && return 0
    sleep 0.1
  done
  echo "Consul reports $have passing instances of $SERVICE, not $want; see $RUN/logs/" >&2
  exit 1
}

wait_http() {
  local url=$1 name=$2
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.1
  done
  echo "$name does not answer $url; see $RUN/logs/$name.log" >&2
  exit 1
}

start_nginx_proxy() {
  local prefix=$RUN/nginx-proxy
  mkdir -p "$prefix/tmp"
  fill "$BENCH/conf/proxy.conf" "$prefix/nginx.conf" PREFIX="$prefix" BACKEND1_PORT=$BACKEND1_PORT \
    BACKEND2_PORT=$BACKEND2_PORT LOG_PORT=$NGINX_PORT NOLOG_PORT=$NGINX_NOLOG_PORT
  spawn nginx-proxy "$RUN/logs/nginx-proxy.log" "$NGINX" -p "$prefix" -e "$prefix/error.log" \
    -c "$prefix/nginx.conf" -g 'daemon off;'
}

# HAProxy in the foreground (-db: no daemon, one process), the configuration of bench/conf/haproxy.cfg.
start_haproxy() {
  local dir=$RUN/haproxy
  mkdir -p "$dir"
  fill "$BENCH/conf/haproxy.cfg" "$dir/haproxy.cfg" PORT=$HAPROXY_PORT BACKEND1_PORT=$BACKEND1_PORT \
    BACKEND2_PORT=$BACKEND2_PORT
  spawn haproxy "$RUN/logs/haproxy.log" "$HAPROXY" -f "$dir/haproxy.cfg" -db
}

# The platform floor (bench/floor): the backends' addresses are fixed, no Consul. The gateway's JVM options.
start_floor() {
  # shellcheck disable=SC2086
  spawn floor "$RUN/logs/floor.log" "$JAVA" $GATEWAY_JAVA_OPTS ${EXTRA_JAVA_OPTS:-} -jar "$FLOOR_JAR" $FLOOR_PORT \
    "http://127.0.0.1:$BACKEND1_PORT" "http://127.0.0.1:$BACKEND2_PORT"
}

# Spring Cloud Gateway (bench/scg), built on first use and again when its sources change: it is not part of the
# reactor, so `make build` never fetches Spring.
build_scg() {
  if [ -f "$SCG_JAR" ] && [ -z "$(find "$BENCH/scg/pom.xml" "$BENCH/scg/src" -newer "$SCG_JAR" -print -quit)" ]; then
    return 0
  fi
  if ! command -v mvn >/dev/null; then
    echo "Spring Cloud Gateway (bench/scg) is built with Maven: mvn is not on PATH." >&2
    exit 1
  fi
  echo "Building Spring Cloud Gateway for the benchmark (bench/scg; the first build downloads Spring) ..." >&2
  mvn -B -q -f "$BENCH/scg/pom.xml" package
}

# Spring Cloud Gateway with its bench/scg/src/main/resources/application.yaml, run from a directory of its own (Spring
# would read an application.yaml of the working directory too), with the gateway's JVM options.
start_scg() {
  mkdir -p "$RUN/scg"
  # shellcheck disable=SC2086
  spawn scg "$RUN/logs/scg.log" env -C "$RUN/scg" SCG_PORT=$SCG_PORT \
    BACKEND1_URI="http://127.0.0.1:$BACKEND1_PORT" BACKEND2_URI="http://127.0.0.1:$BACKEND2_PORT" \
    "$JAVA" $GATEWAY_JAVA_OPTS ${EXTRA_JAVA_OPTS:-} -jar "$SCG_JAR"
}

# The gateway's configuration: the shipped application.yaml with its routes replaced by one benchmark route, so that
# every other setting is the default users get. Helidon reads ./application.yaml instead of the one in the jar.
write_gateway_config() {
  local dir=$RUN/gateway shipped=$ROOT/gateway/src/main/resources/application.yaml
  mkdir -p "$dir"
  grep -q '^  routes:$' "$shipped" || { echo "No 'routes:' block in $shipped" >&2; exit 1; }
  {
    sed '/^  routes:$/,$d' "$shipped"
    cat <<YAML
  routes:
    - id: bench
      path: /bench/**
      service: $SERVICE
YAML
    # bench/lib/scale.sh's scenarios add routes of their own (a file of route entries, indented like the above)
    [ -z "${EXTRA_ROUTES_FILE:-}" ] || cat "$EXTRA_ROUTES_FILE"
  } >"$dir/application.yaml"
}

# write_routes N FILE: N more routes, /bench/r<i>/** to the bench's service, as entries for EXTRA_ROUTES_FILE (scale
# scenario a; `make bench-profile PROFILE_ROUTES=N`). /bench/small still takes the /bench/** route: the trie's
# node "bench" then has N literal children and a catch-all.
write_routes() {
  awk -v n="$1" -v service="$SERVICE" 'BEGIN { for (i = 0; i < n; i++)
    printf "    - id: r%d\n      path: /bench/r%d/**\n      service: %s\n", i, i, service }' >"$2"
}

# start_gateway NAME [VAR=VALUE...]: the gateway jar with the benchmark configuration and JVM options.
start_gateway() {
  local name=$1
  shift
  write_gateway_config
  # shellcheck disable=SC2086
  (cd "$RUN/gateway" && exec env SERVER_PORT=$GATEWAY_PORT ADMIN_PORT=$GATEWAY_ADMIN_PORT \
    CONSUL_URL="http://127.0.0.1:$CONSUL_HTTP" "$@" \
    taskset -c "${STARTUP_CPUS:-$SERVER_CPU}" "$JAVA" $GATEWAY_JAVA_OPTS ${EXTRA_JAVA_OPTS:-} -jar "$GATEWAY_JAR" \
    >>"$RUN/logs/$name.log" 2>&1) &
  echo $! >"$RUN/pids/$name"
  disown $!
}

# wait_first_proxied PORT [FROM]: polls until a request through the proxy on PORT answers 200; prints the
# milliseconds since FROM (date +%s%N; default: now). Gives up after 60 s.
wait_first_proxied() {
  local port=$1 from=${2:-$(date +%s%N)} code
  for _ in $(seq 1 6000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/bench/small" || true)
    if [ "$code" = 200 ]; then
      echo $(( ($(date +%s%N) - from) / 1000000 ))
      return 0
    fi
    sleep 0.01
  done
  echo "Nothing proxied on :$port within 60 s; see $RUN/logs/" >&2
  exit 1
}
