#!/bin/sh
# Makes what the compose stack needs and keeps it (run again, it replaces nothing): the Kafka CA, the
# broker's and the administrator's certificates, one password per Kafka principal, the env file of
# Kafka UI (which takes its Kafka login from the environment), the schema registry's writers, one
# signing key per service, and the edge's trust in those keys. Runs in the wgcp CLI image: docker compose run --rm init.
# Secrets never pass through a command line: the CLI writes them to files itself (mode 0600).
set -eu
wgcp() { java -jar /app/service.jar "$@"; }
S=/secrets
umask 077
# The broker runs as uid 1000 in the apache/kafka image: its key is given to that user.
wgcp kafka init --dir "$S/kafka" --broker-host kafka --edge edge-0 --owner broker=1000 \
  --jaas-env kafka-ui=KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG
# The schema registry's writers: the services, by PBKDF2 hashes of their Kafka passwords (no password in the file).
wgcp schema-registry writers --password-dir "$S/kafka/passwords" --out "$S/schema-registry/writers"
mkdir -p "$S/signing"
for service in registry-service ipam-service endpoint-tracker firewall-sync edge-0; do
  [ -f "$S/signing/$service.key" ] || wgcp keys generate --out "$S/signing/$service.key" >/dev/null
done
# Public keys (not secret): what the edge agents trust, and the edge's own, which the registry holds.
{
  echo "WGCP_TRUST_REGISTRY_SERVICE=$(wgcp keys public "$S/signing/registry-service.key")"
  echo "WGCP_TRUST_IPAM_SERVICE=$(wgcp keys public "$S/signing/ipam-service.key")"
  echo "WGCP_TRUST_FIREWALL_SYNC=$(wgcp keys public "$S/signing/firewall-sync.key")"
  echo "EDGE_SIGNING_KEY=$(wgcp keys public "$S/signing/edge-0.key")"
} > "$S/trust.env"
chmod 644 "$S/trust.env"
echo "wgcp compose secrets ready in deploy/compose/secrets (keep them; trust.env holds the public signing keys)"
