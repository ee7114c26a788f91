#!/usr/bin/env bash
# Fleet rollout benchmark: one controller (PostgreSQL, external Mosquitto) and N simulated devices in one
# simulator JVM; a rollout of LeNet to all of them in waves, then a bad version (errors at BAD_RATE) that
# must be rolled back in its first wave. Prints how long each took and what the processes cost.
# See docs/benchmarks.md.
#
#   benchmarks/fleet-rollout.sh [DEVICES]          default 1000
#
# Environment: RAMP (devices started per second, 50), RATE (requests/s per device, 2), BAKE (seconds, 30),
# WAVES (1%,10%,50%,100%), MAX_IN_FLIGHT (200), BAD_RATE (0.3), HTTP_PORT (18080), MQTT_PORT (18830).
# Needs: PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth; uses database continuum_fleet, recreated),
# /usr/sbin/mosquitto, and the jars (mvn -B -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."

DEVICES=${1:-1000}
RAMP=${RAMP:-50}
RATE=${RATE:-2}
BAKE=${BAKE:-30}
WAVES=${WAVES:-1%,10%,50%,100%}
MAX_IN_FLIGHT=${MAX_IN_FLIGHT:-200}
BAD_RATE=${BAD_RATE:-0.3}
HTTP_PORT=${HTTP_PORT:-18080}
MQTT_PORT=${MQTT_PORT:-18830}
WORK=$(mktemp -d /tmp/continuum-fleet-bench.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    echo "logs kept in $WORK"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true

export CONTINUUM_URL=http://127.0.0.1:$HTTP_PORT
export CONTINUUM_TOKEN=ctn_fleet_benchmark_admin_0123456789
export CONTINUUM_CONFIG=$WORK/cli.json
CLI=./bin/continuum
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
rss() { awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$1/status"; }
threads() { awk '/Threads/ { print $2 }' "/proc/$1/status"; }
cpu_seconds() { awk '{ printf "%.0f", ($14 + $15) / 100 }' "/proc/$1/stat"; }

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS continuum_fleet" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE continuum_fleet" >/dev/null

# anonymous, loopback only: simulated devices connect with their credentials, which this broker ignores
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
max_inflight_messages 1000
max_queued_messages 100000
user $(id -un)
CONF
/usr/sbin/mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
MOSQUITTO=$!
PIDS+=("$MOSQUITTO")

CONTINUUM_DATASTORE=postgresql \
CONTINUUM_DB_URL=jdbc:postgresql://127.0.0.1:5432/continuum_fleet \
CONTINUUM_DB_USER=postgres \
CONTINUUM_DATA_DIR="$WORK/controller" \
CONTINUUM_ADMIN_TOKEN=$CONTINUUM_TOKEN \
CONTINUUM_MQTT_MODE=external \
CONTINUUM_MQTT_BROKER_URI=tcp://127.0.0.1:$MQTT_PORT \
QUARKUS_HTTP_PORT=$HTTP_PORT \
java --add-modules jdk.incubator.vector -Xmx1g -jar cloud-controller/target/quarkus-app/quarkus-run.jar \
    > "$WORK/controller.log" 2>&1 &
CONTROLLER=$!
PIDS+=("$CONTROLLER")
for _ in $(seq 1 120); do
    grep -q "subscribed to" "$WORK/controller.log" 2>/dev/null && break
    sleep 1
done
grep -q "subscribed to" "$WORK/controller.log" || { echo "controller did not start:"; tail -50 "$WORK/controller.log"; exit 1; }

LENET=tensor-engine/src/test/resources/models/lenet/model.onnx
$CLI models push lenet 1 "$LENET" > /dev/null
$CLI models push lenet 2 "$LENET" > /dev/null
TOKEN=$($CLI bootstrap-tokens create --name fleet --max-uses "$DEVICES" --label sim=true | grep -o 'ctb_[A-Za-z0-9_-]*' | head -1)

echo "== $DEVICES simulated devices, $RAMP started per second, $RATE requests/s each"
T0=$(now)
CONTINUUM_JAVA_OPTS="-Xmx1500m" $CLI simulate --controller "$CONTINUUM_URL" --bootstrap-token "$TOKEN" \
    --devices "$DEVICES" --labels sim=true --rate "$RATE" --slowdown-spread 1..20 --rtt-millis 5..50 \
    --bad-version "lenet:2=$BAD_RATE" --ramp "$RAMP" --status-interval 5s --data-dir "$WORK/sim" \
    > "$WORK/simulator.log" 2>&1 &
SIMULATOR=$!
PIDS+=("$SIMULATOR")
until grep -q "$DEVICES connected, $DEVICES on MQTT" "$WORK/simulator.log" 2>/dev/null; do
    kill -0 "$SIMULATOR" 2>/dev/null || { echo "simulator stopped:"; tail -20 "$WORK/simulator.log"; exit 1; }
    if [ "$(since "$T0" | cut -d. -f1)" -gt 900 ]; then
        echo "not all devices connected within 900 s:"; tail -3 "$WORK/simulator.log"; break
    fi
    sleep 1
done
echo "all enrolled, on their sync stream and on MQTT after $(since "$T0") s: $(tail -1 "$WORK/simulator.log")"

sleep 30
S0=$(cpu_seconds "$CONTROLLER"); sleep 30; S1=$(cpu_seconds "$CONTROLLER")
echo "controller idle with $DEVICES devices: RSS $(rss "$CONTROLLER"), $(threads "$CONTROLLER") threads," \
    "$((S1 - S0)) CPU-s in 30 s; simulator RSS $(rss "$SIMULATOR"), $(threads "$SIMULATOR") threads;" \
    "mosquitto RSS $(rss "$MOSQUITTO")"

# rollout VERSION: rolls lenet VERSION out to every device and waits for the verdict; prints how long it took
rollout() {
    local t0 code
    t0=$(now)
    set +e
    $CLI rollouts create --model lenet --version "$1" --selector sim=true --budget-millis 50 --waves "$WAVES" \
        --bake-seconds "$BAKE" --max-in-flight "$MAX_IN_FLIGHT" --progress-deadline-seconds 1800 --wait --timeout 3600 \
        | tee "$WORK/rollout-$1.log"
    code=${PIPESTATUS[0]}
    set -e
    echo "rollout of lenet $1 ended with exit code $code after $(since "$t0") s"
}

echo "== rollout of lenet 1 to all: waves $WAVES, bake $BAKE s, $MAX_IN_FLIGHT in flight"
rollout 1
echo "controller RSS $(rss "$CONTROLLER"), $(threads "$CONTROLLER") threads; $(tail -1 "$WORK/simulator.log")"

echo "== rollout of lenet 2 (errors at $BAD_RATE): must roll back in its first wave"
rollout 2
sleep 20
echo "after the rollback: $(tail -1 "$WORK/simulator.log")"
