#!/usr/bin/env bash
# Fetch, format and run a single-node Apache Kafka (KRaft) from Maven Central jars: kafka.sh install|start|stop|status.
# KAFKA_PORT, KAFKA_CONTROLLER_PORT and KAFKA_HOME_DIR let tests run a private broker beside the main one.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
HOME_DIR="${KAFKA_HOME_DIR:-$STATE/kafka}"
LIBS="$STATE/kafka-libs"
POM="$ROOT/deploy/local/kafka/pom.xml"
PID="$HOME_DIR/kafka.pid"
LOG="${KAFKA_LOG:-$LOGS/kafka-$PORT.log}"

install() {
  local stamp="$LIBS/.pom.sha"
  if [[ -f $stamp && "$(cat "$stamp")" == "$(sha1sum "$POM" | cut -d' ' -f1)" ]]; then return 0; fi
  need java "install a Java 17+ runtime (apt-get install openjdk-17-jre-headless)"
  need mvn "install Maven (apt-get install maven)"
  say "fetching the Kafka broker jars from Maven Central"
  rm -rf "$LIBS"
  mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS" \
    || die "could not fetch Kafka from Maven Central (see the Maven output above)"
  sha1sum "$POM" | cut -d' ' -f1 >"$stamp"
}

start() {
  if pid_alive "$PID" && port_open 127.0.0.1 "$PORT"; then say "Kafka already running on 127.0.0.1:$PORT"; return 0; fi
  if port_open 127.0.0.1 "$PORT"; then
    # e.g. the broker of another checkout on this machine (CI runs in a fresh clone): use it rather than fail.
    if is_kafka; then say "a Kafka broker not started from this checkout is running on 127.0.0.1:$PORT; using it"; return 0; fi
    die "port $PORT is taken by another program; stop it or set KAFKA_PORT"
  fi
  install
  mkdir -p "$HOME_DIR/data"
  sed -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@DATA_DIR@#$HOME_DIR/data#g" \
    "$ROOT/deploy/local/kafka/server.properties.in" >"$HOME_DIR/server.properties"
  if [[ ! -f $HOME_DIR/data/meta.properties ]]; then
    say "formatting Kafka storage in $HOME_DIR/data"
    local cluster_id
    cluster_id=$(python3 -c 'import base64,uuid;print(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))')
    java -cp "$LIBS/*" -Dlog4j2.configurationFile="$ROOT/deploy/local/kafka/log4j2.properties" \
      kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" -c "$HOME_DIR/server.properties" >>"$LOG" 2>&1 \
      || { tail -n 20 "$LOG" >&2; die "Kafka storage format failed (log: $LOG)"; }
  fi
  say "starting Kafka on 127.0.0.1:$PORT (log: $LOG)"
  setsid nohup java -Xms256m -Xmx${KAFKA_HEAP:-768m} -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$ROOT/deploy/local/kafka/log4j2.properties" \
    -cp "$LIBS/*" kafka.Kafka "$HOME_DIR/server.properties" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PID"
  wait_port 127.0.0.1 "$PORT" 90 Kafka "$LOG" || die "Kafka failed to start"
  say "Kafka is up on 127.0.0.1:$PORT"
}

stop() {
  if ! pid_alive "$PID" && port_open 127.0.0.1 "$PORT"; then
    say "the Kafka on port $PORT was not started from this checkout; leaving it running"; rm -f "$PID"; return 0
  fi
  stop_pid "$PID" "Kafka on port $PORT"
}

# is_kafka: true when a Kafka broker answers a metadata request on PORT (needs kcat).
is_kafka() { command -v kcat >/dev/null 2>&1 && kcat -b "127.0.0.1:$PORT" -L -m 5 >/dev/null 2>&1; }

status() {
  if pid_alive "$PID" && port_open 127.0.0.1 "$PORT"; then echo "kafka      up    127.0.0.1:$PORT"
  elif port_open 127.0.0.1 "$PORT" && is_kafka; then echo "kafka      up    127.0.0.1:$PORT (not started from this checkout)"
  else echo "kafka      down  127.0.0.1:$PORT"; return 1; fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: kafka.sh install|start|stop|status" ;;
esac
