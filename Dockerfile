# One image per wgcp service, built from this repository:
#   docker build --build-arg SERVICE=registry-service -t wgcp/registry-service .
#   docker build --build-arg SERVICE=edge-agent --build-arg EXTRA_PACKAGES="wireguard-go wireguard-tools nftables iproute2" -t wgcp/edge-agent .
# (docker-compose.yml builds them all.) Not built on the machines this project is developed on: they have no Docker engine.
FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN test -n "$SERVICE" || (echo "set --build-arg SERVICE=<module>, e.g. registry-service" >&2; exit 1)
RUN mvn -B -ntp -q -DskipTests -pl "$SERVICE" -am package

FROM eclipse-temurin:17-jre
ARG SERVICE
ARG EXTRA_PACKAGES=""
RUN if [ -n "$EXTRA_PACKAGES" ]; then apt-get update \
      && apt-get install -y --no-install-recommends $EXTRA_PACKAGES \
      && rm -rf /var/lib/apt/lists/*; fi
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-all.jar /app/service.jar
COPY deploy/docker/entrypoint.sh /app/entrypoint.sh
ENV WGCP_SERVICE=${SERVICE}
EXPOSE 8080
ENTRYPOINT ["/app/entrypoint.sh"]
