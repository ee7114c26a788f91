#!/usr/bin/env bash
# Telemetry ingest benchmark: a controller on PostgreSQL reading from a Mosquitto of its own, loaded by
# simulated devices; then the same Mosquitto's throughput to one counting subscriber. See docs/benchmarks.md.
#
#   benchmarks/telemetry-load.sh [TelemetryLoad options...]   e.g. --devices 1000 --publishers 20 --seconds 30
#
# Needs: PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth), /usr/sbin/mosquitto, and the jars
# (mvn -B -DskipTests -pl cloud-controller,benchmarks -am package). Uses database continuum_bench.
set -euo pipefail
cd "$(dirname "$0")/.."

MQTT_PORT=${MQTT_PORT:-18830}
HTTP_PORT=${HTTP_PORT:-18080}
WORK=$(mktemp -d /tmp/continuum-telemetry-bench.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='continuum_bench'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE continuum_bench"

# the queue limits of the generated mosquitto.conf (continuum mqtt-config); anonymous, as the simulated
# devices have no credentials
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
max_inflight_messages 1000
max_queued_messages 100000
user $(id -un)
CONF
/usr/sbin/mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
PIDS+=($!)

CONTINUUM_DATASTORE=postgresql \
CONTINUUM_DB_URL=jdbc:postgresql://127.0.0.1:5432/continuum_bench \
CONTINUUM_DB_USER=postgres \
CONTINUUM_DATA_DIR="$WORK/data" \
CONTINUUM_ADMIN_TOKEN=benchmark-admin-token-0123456789 \
CONTINUUM_MQTT_MODE=external \
CONTINUUM_MQTT_BROKER_URI=tcp://127.0.0.1:$MQTT_PORT \
CONTINUUM_MQTT_CLIENT_ID=continuum-bench-controller \
CONTINUUM_MQTT_CLEAN_SESSION=true \
QUARKUS_HTTP_PORT=$HTTP_PORT \
java --add-modules jdk.incubator.vector -Xmx1g -jar cloud-controller/target/quarkus-app/quarkus-run.jar \
    > "$WORK/controller.log" 2>&1 &
PIDS+=($!)

for _ in $(seq 1 120); do
    grep -q "subscribed to" "$WORK/controller.log" 2>/dev/null && break
    sleep 1
done
grep -q "subscribed to" "$WORK/controller.log" || { echo "controller did not start:"; tail -50 "$WORK/controller.log"; exit 1; }

LOAD="java -cp benchmarks/target/benchmarks.jar dev.continuum.benchmarks.telemetry.TelemetryLoad"
$LOAD --mode controller --broker tcp://127.0.0.1:$MQTT_PORT --metrics http://127.0.0.1:$HTTP_PORT/q/metrics "$@"
$LOAD --mode broker --broker tcp://127.0.0.1:$MQTT_PORT "$@"
