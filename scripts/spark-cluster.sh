#!/usr/bin/env bash
# A standalone Apache Spark cluster on this machine (127.0.0.1) for `nas search --cluster`: a master
# and N workers run from the spark-core jars on Maven Central (no Spark download), fetched into the
# state directory on first use (idempotent). Their PIDs and logs live there too; stop ends exactly
# those processes.
#   scripts/spark-cluster.sh start [--workers N] [--cores C] [--memory M] [--port P]
#   scripts/spark-cluster.sh stop | status
#   scripts/spark-cluster.sh runner   (builds nas4j's Spark runner; start and scripts/nas --cluster do it when needed)
# The state directory is $NAS4J_SPARK_DIR (default: .spark in the repository). On a real cluster,
# run the same classes on each host: org.apache.spark.deploy.master.Master on one, and
# org.apache.spark.deploy.worker.Worker spark://MASTER:7077 on the others (docs/cluster.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${NAS4J_SPARK_DIR:-$root/.spark}"
jars="$state/jars"
usage() { sed -n '5,7p' "$0" | sed 's/^# *//' >&2; exit 2; }
say() { echo "spark-cluster: $*"; }

fetch() {
  if [ -f "$jars/.complete" ]; then return; fi
  say "fetching the Spark jars into $jars (once; about 218 MB)"
  rm -rf "$jars"
  mvn -q -B -ntp -f "$root/spark/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$jars" >&2
  touch "$jars/.complete"
}

# nas4j's Spark runner (spark/src: the trials as Spark tasks), compiled against nas4j's build and the Spark jars
# into $state/nas4j-spark.jar when missing or older than its sources or nas4j's jar.
runner() {
  fetch
  "$root/scripts/nas" --version >/dev/null
  local jar="$state/nas4j-spark.jar"
  if [ -f "$jar" ] && [ -z "$(find "$root/spark/src" "$root/target/nas4j.jar" -newer "$jar" -print -quit)" ]; then return; fi
  local classes
  classes="$(mktemp -d)"
  javac -nowarn -d "$classes" -cp "$root/target/classes:$root/target/lib/*:$jars/*" $(find "$root/spark/src/main/java" -name '*.java')
  cp -r "$root/spark/src/main/resources/." "$classes/"
  jar --create --file "$jar" -C "$classes" .
  rm -rf "$classes"
}

# Whether PID is alive and one of this cluster's Spark daemons (a PID file left by a crash may now name another process).
ours() {
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "org.apache.spark.deploy"
}

daemon() { # NAME CLASS ARGS...: starts one daemon in the background
  local name="$1"; shift
  # Spark's workers find their executors' classpath under SPARK_HOME/jars; SPARK_SCALA_VERSION spares them a build-directory search.
  SPARK_HOME="$state" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_NO_DAEMONIZE=1 \
    nohup java -Xmx512m -cp "$jars/*" "$@" > "$state/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$state/$name.pid"
}

wait_for() { # SECONDS DESCRIPTION COMMAND...
  local limit="$1" what="$2"; shift 2
  for _ in $(seq "$((limit * 2))"); do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  say "gave up waiting for $what after ${limit} s (logs in $state/logs)" >&2
  return 1
}

start() {
  local workers=1 cores=1 memory=2g port=7077
  while [ $# -gt 0 ]; do
    case "$1" in
      --workers) workers="${2:?}"; shift 2 ;;
      --cores) cores="${2:?}"; shift 2 ;;
      --memory) memory="${2:?}"; shift 2 ;;
      --port) port="${2:?}"; shift 2 ;;
      *) usage ;;
    esac
  done
  [[ "$workers" =~ ^[1-9][0-9]*$ && "$cores" =~ ^[1-9][0-9]*$ && "$port" =~ ^[1-9][0-9]*$ ]] || { say "--workers, --cores and --port take whole numbers" >&2; exit 2; }
  if ours "$(cat "$state/master.pid" 2>/dev/null || true)"; then
    say "already running (master spark://127.0.0.1:$(cat "$state/port")); stop it first" >&2
    exit 1
  fi
  mkdir -p "$state/logs"
  runner
  rm -f "$state"/*.pid
  echo "$port" > "$state/port"
  daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0
  wait_for 60 "the master" grep -q "I have been elected leader" "$state/logs/master.log" || { stop >/dev/null; exit 1; }
  for i in $(seq "$workers"); do
    daemon "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" --memory "$memory" --webui-port 0 \
      --work-dir "$state/work" "spark://127.0.0.1:$port"
  done
  registered() { [ "$(grep -c "Registering worker" "$state/logs/master.log")" -ge "$workers" ]; }
  wait_for 60 "$workers worker(s) to register" registered || { stop >/dev/null; exit 1; }
  say "master spark://127.0.0.1:$port, $workers worker(s) of $cores core(s) and $memory; logs in $state/logs"
}

stop() {
  local any=0
  for f in "$state"/*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f")"
    if ours "$pid"; then
      kill "$pid" 2>/dev/null || true
      any=1
    fi
  done
  for f in "$state"/*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f")"
    for _ in $(seq 20); do ours "$pid" || break; sleep 0.5; done
    if ours "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -f "$f"
  done
  [ "$any" = 1 ] && say "stopped" || say "not running"
}

status() {
  local up=0
  for f in "$state"/*.pid; do
    [ -e "$f" ] || continue
    name="$(basename "$f" .pid)"
    if ours "$(cat "$f")"; then
      echo "$name: running (pid $(cat "$f"))"
      up=1
    else
      echo "$name: not running (stale pid file)"
    fi
  done
  if [ "$up" = 1 ]; then echo "master: spark://127.0.0.1:$(cat "$state/port")"; else echo "not running"; return 3; fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  runner) mkdir -p "$state"; runner ;;
  *) usage ;;
esac
