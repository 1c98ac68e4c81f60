#!/bin/sh
# A throw-away Virtuoso (Debian's virtuoso-opensource-7) on loopback, for tests, benchmarks and
# trying `gcm-graph publish --to` / `gcm-graph serve --backend` by hand.
#
#   scripts/virtuoso.sh install        install the package if virtuoso-t is missing (idempotent)
#   scripts/virtuoso.sh start [DIR]    install if needed, create a fresh database in DIR (default:
#                                      a new temporary directory), start on free loopback ports,
#                                      wait until SPARQL answers, print KEY=VALUE lines (below)
#   scripts/virtuoso.sh stop DIR       stop that server and delete DIR
#   scripts/virtuoso.sh run            start, wait for Ctrl-C (or SIGTERM), stop
#
# `start` prints, one per line and shell-sourceable:
#   VIRTUOSO_DIR, VIRTUOSO_PID, VIRTUOSO_SPARQL (public read-only /sparql), VIRTUOSO_SPARQL_AUTH
#   (/sparql-auth: query and update, digest auth), VIRTUOSO_GSP (/sparql-graph-crud-auth: Graph
#   Store Protocol, digest auth), VIRTUOSO_USER, VIRTUOSO_PASSWORD (random, set at start),
#   VIRTUOSO_SQL_PORT (isql-vt).
# Only the Debian package mirror is contacted (by apt-get, when installing). Exit status 3 means
# the package cannot be installed here (no root/sudo or no apt-get): callers may skip on 3.
set -eu

PACKAGE=virtuoso-opensource-7-bin
MARKER=.gcm-virtuoso
READY_TIMEOUT=${VIRTUOSO_READY_TIMEOUT:-90}

die() { echo "virtuoso.sh: $*" >&2; exit "${2:-1}"; }

install() {
    if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "virtuoso-t is missing and there is no apt-get" 3
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        die "virtuoso-t is missing and apt-get needs root (or password-less sudo)" 3
    fi
    export DEBIAN_FRONTEND=noninteractive
    # The -bin package has the server and isql; the full package would also start a system
    # service on the default ports, which a throw-away instance must not collide with.
    if ! $SUDO apt-get install -y -qq --no-install-recommends "$PACKAGE" >/dev/null 2>&1; then
        $SUDO apt-get update -qq >/dev/null
        $SUDO apt-get install -y -qq --no-install-recommends "$PACKAGE" >/dev/null \
            || die "apt-get install $PACKAGE failed" 3
    fi
    echo "virtuoso.sh: installed $(virtuoso-t -? 2>&1 | sed -n 2p)" >&2
}

free_ports() {  # two distinct free TCP ports on 127.0.0.1
    python3 - <<'EOF'
import socket
sockets = [socket.socket() for _ in range(2)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
for s in sockets:
    s.close()
EOF
}

write_ini() {  # DIR SQL_PORT HTTP_PORT
    cat >"$1/virtuoso.ini" <<EOF
[Database]
DatabaseFile = $1/virtuoso.db
ErrorLogFile = $1/virtuoso.log
LockFile = $1/virtuoso.lck
TransactionFile = $1/virtuoso.trx
xa_persistent_file = $1/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = $1/virtuoso-temp.db
TransactionFile = $1/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:$2
DisableUnixSocket = 1
ServerThreads = 48
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., $1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:$3
ServerRoot = $1/www
ServerThreads = 40
MaxClientConnections = 40
MaxKeepAlives = 40
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
; no silent truncation: the front end sets its own deadline and result-size limit
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
EOF
}

http_ready() {  # URL -> 0 when /sparql answers an ASK
    curl -fsS -o /dev/null --max-time 2 "$1?query=ASK%7B%7D" 2>/dev/null
}

start() {
    install
    command -v curl >/dev/null 2>&1 || die "curl is needed to wait for the server"
    if [ $# -ge 1 ]; then
        dir=$1
        mkdir -p "$dir"
        [ -z "$(ls -A "$dir")" ] || die "$dir is not empty (the database must be fresh)"
    else
        dir=$(mktemp -d "${TMPDIR:-/tmp}/gcm-virtuoso.XXXXXX")
    fi
    dir=$(cd "$dir" && pwd)
    touch "$dir/$MARKER"
    mkdir -p "$dir/www"
    for attempt in 1 2 3; do
        set -- $(free_ports)
        sql_port=$1
        http_port=$2
        write_ini "$dir" "$sql_port" "$http_port"
        # +foreground keeps the pid ours; setsid detaches it from the caller's terminal/group.
        (cd "$dir" && setsid virtuoso-t +configfile virtuoso.ini +foreground \
            >"$dir/stdout.log" 2>&1 </dev/null & echo $! >"$dir/virtuoso.pid")
        pid=$(cat "$dir/virtuoso.pid")
        sparql="http://127.0.0.1:$http_port/sparql"
        waited=0
        while ! http_ready "$sparql"; do
            if ! kill -0 "$pid" 2>/dev/null; then
                break
            fi
            if [ "$waited" -ge "$((READY_TIMEOUT * 5))" ]; then
                kill -KILL "$pid" 2>/dev/null || true
                die "not ready after ${READY_TIMEOUT}s; see $dir/virtuoso.log"
            fi
            sleep 0.2
            waited=$((waited + 1))
        done
        if kill -0 "$pid" 2>/dev/null; then
            break
        fi
        # Died (most likely a port taken between choosing and binding): fresh files, retry.
        [ "$attempt" -lt 3 ] || die "virtuoso-t exited; see $dir/virtuoso.log"
        find "$dir" -mindepth 1 ! -name "$MARKER" ! -name www -exec rm -rf {} +
    done
    password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    isql-vt "127.0.0.1:$sql_port" dba dba \
        exec="user_set_password('dba', '$password');" >/dev/null \
        || die "could not set the dba password"
    cat <<EOF
VIRTUOSO_DIR=$dir
VIRTUOSO_PID=$pid
VIRTUOSO_SPARQL=$sparql
VIRTUOSO_SPARQL_AUTH=http://127.0.0.1:$http_port/sparql-auth
VIRTUOSO_GSP=http://127.0.0.1:$http_port/sparql-graph-crud-auth
VIRTUOSO_USER=dba
VIRTUOSO_PASSWORD=$password
VIRTUOSO_SQL_PORT=$sql_port
EOF
}

stop() {
    [ $# -ge 1 ] || die "usage: virtuoso.sh stop DIR"
    dir=$1
    [ -d "$dir" ] || return 0
    [ -f "$dir/$MARKER" ] || die "$dir was not created by virtuoso.sh start; not touching it"
    if [ -f "$dir/virtuoso.pid" ]; then
        pid=$(cat "$dir/virtuoso.pid")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            waited=0
            while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 50 ]; do
                sleep 0.2
                waited=$((waited + 1))
            done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$dir"
}

run() {
    out=$(start "$@")
    echo "$out"
    dir=$(echo "$out" | sed -n 's/^VIRTUOSO_DIR=//p')
    trap 'stop "$dir"; exit 0' INT TERM
    echo "virtuoso.sh: running; Ctrl-C stops it and deletes $dir" >&2
    while :; do sleep 1; done
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
    install) install ;;
    start) start "$@" ;;
    stop) stop "$@" ;;
    run) run "$@" ;;
    *) die "usage: virtuoso.sh install | start [DIR] | stop DIR | run" 2 ;;
esac
