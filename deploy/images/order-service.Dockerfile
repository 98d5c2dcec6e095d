# order-service image. Build context: the module's Maven output, order-service/target/ (the jar and libs/, nothing else):
#   docker build -f deploy/images/order-service.Dockerfile -t refgateway/order-service:dev order-service/target
# (deploy/images/build.sh does this for all three images; `make images` runs the Maven build first).
ARG JAVA_BASE=eclipse-temurin:25-jre
FROM ${JAVA_BASE}

WORKDIR /app
# Dependencies first: they change less often than the service's own jar, so their layer stays cached.
COPY libs/ /app/libs/
COPY order-service.jar /app/order-service.jar

# Read by the java launcher itself, so the entrypoint needs no shell. Override per deployment (heap, GC, ...).
ENV JDK_JAVA_OPTIONS="-Xms32m -Xmx128m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError" \
    SERVER_PORT=8083

# Files stay root-owned and read-only for the process; a numeric user lets Kubernetes verify runAsNonRoot.
USER 10001:10001
EXPOSE 8083 9083

# Readiness (database reachable, not draining) over plain bash and /dev/tcp: no curl in a JRE image.
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT} && printf 'GET /observe/health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r -t 2 _ status _ <&3 && [[ $status == 2?? ]]"]

# Exec form: java is PID 1 and gets SIGTERM itself: it deregisters from Consul, drains, then exits.
ENTRYPOINT ["java", "-jar", "/app/order-service.jar"]
