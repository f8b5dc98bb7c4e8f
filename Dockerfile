# syntax=docker/dockerfile:1
# The Undercurrent server image: one jar, every role (choose one with `run --role ...`).
#
#   docker build -t undercurrent .
#   docker run --rm undercurrent config            # the configuration reference
#
# Settings come from UNDERCURRENT_* environment variables (server/CONFIG.md); docker-compose.yml
# runs a whole deployment with it.

# Build: the server and the modules it needs, with the project's own Maven build.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -DskipTests -pl server -am package \
    && cp server/target/undercurrent.jar /undercurrent.jar

# Run: a JRE only, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 undercurrent \
    && useradd --system --uid 10001 --gid undercurrent --home-dir /opt/undercurrent --shell /usr/sbin/nologin undercurrent \
    && mkdir -p /opt/undercurrent/rules \
    && chown -R undercurrent:undercurrent /opt/undercurrent
WORKDIR /opt/undercurrent
COPY --from=build --chown=undercurrent:undercurrent /undercurrent.jar /opt/undercurrent/undercurrent.jar
# The project's example rules, so the image starts on its own; mount your own folder over it.
COPY --chown=undercurrent:undercurrent rules/ /opt/undercurrent/rules/
USER undercurrent
ENV UNDERCURRENT_RULES_DIR=/opt/undercurrent/rules
# The HTTP port (http.port's default): WebSockets at /v1/live, /health/*, /metrics.
EXPOSE 8080
# Liveness only (see server/README.md, Operations): a node that lost a dependency recovers by
# itself, and restarting it would only add a cold start. bash's /dev/tcp needs no curl in the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${UNDERCURRENT_HTTP_PORT:-8080} && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/undercurrent/undercurrent.jar"]
CMD ["run"]
