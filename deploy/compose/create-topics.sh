#!/bin/sh
# Creates wgcp's topics (once; safe to run again): event topics are the audit log, kept forever;
# state topics are compacted (the latest record per key is the state); every topic has a dead-letter
# topic. The list mirrors schemas/src/main/java/dev/wgcp/schemas/Topics.java (a test compares them).
set -eu
BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
PARTITIONS="${WGCP_PARTITIONS:-3}"
KT=/opt/kafka/bin/kafka-topics.sh
event() {
  $KT --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1" --partitions "$PARTITIONS" \
    --config retention.ms=-1 --config cleanup.policy=delete
  $KT --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1.dlq" --partitions 1 \
    --config retention.ms=-1 --config cleanup.policy=delete
}
state() {
  $KT --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1" --partitions "$PARTITIONS" \
    --config cleanup.policy=compact
  $KT --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1.dlq" --partitions 1 \
    --config retention.ms=-1 --config cleanup.policy=delete
}
event wgcp.peers.v1
event wgcp.addresses.v1
event wgcp.endpoints.v1
event wgcp.observations.v1
state wgcp.rulesets.v1
event wgcp.applied.v1
state wgcp.ruleset-acks.v1
event wgcp.config.v1
echo "wgcp topics ready"
