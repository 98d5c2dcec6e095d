# gateway image. Build context: the module's Maven output, gateway/target/ (the jar and libs/, nothing else):
#   docker build -f deploy/images/gateway.Dockerfile -t refgateway/gateway:dev gateway/target
# (deploy/images/build.sh does this for all three images; `make images` runs the Maven build first).
ARG JAVA_BASE=eclipse-temurin:25-jre
FROM ${JAVA_BASE}

WORKDIR /app
# Dependencies first: they change less often than the gateway's own jar, so their layer stays cached.
COPY libs/ /app/libs/
COPY gateway.jar /app/gateway.jar
# The gateway's JVM options, the same file as compose, Kubernetes, `make run` and the bench use (gateway/jvm.options).
COPY jvm.options /app/jvm.options

# Read by the java launcher itself, so the entrypoint needs no shell. A deployment adds options after the file (the
# last of a repeated option wins): JDK_JAVA_OPTIONS="@/app/jvm.options -Xmx256m".
# ADMIN_HOST: the admin socket listens on the loopback address by default; in a container, probes and Prometheus
# come from outside it, so the image listens on every address (publish or expose 8090 inside the cluster only).
ENV JDK_JAVA_OPTIONS="@/app/jvm.options" \
    SERVER_PORT=8080 \
    ADMIN_PORT=8090 \
    ADMIN_HOST=0.0.0.0

# JDK 25's AOT cache (scripts/train-aot.sh does the same for `make build`): one training run of the gateway with a
# test backend and ordinary requests, with the options above; the JVM writes the classes it loaded and linked and
# its method profiles to gateway.aot on exit, and the entrypoint starts from them (about half the start-up). With
# other options or a JDK without AOT caches, the JVM says so once and starts without it.
RUN java -XX:AOTCacheOutput=/app/gateway.aot -cp /app/gateway.jar dev.refgateway.gateway.AotTraining \
      >/tmp/aot-training.log 2>&1 && test -s /app/gateway.aot || { tail -n 30 /tmp/aot-training.log; exit 1; }; \
    rm -f /tmp/aot-training.log

# Files stay root-owned and read-only for the process; a numeric user lets Kubernetes verify runAsNonRoot.
USER 10001:10001
# 8080: client traffic; 8090: admin API, health and metrics (never publish it to the internet).
EXPOSE 8080 8090

# Readiness on the admin port over plain bash and /dev/tcp: no curl in a JRE image.
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ADMIN_PORT} && printf 'GET /observe/health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r -t 2 _ status _ <&3 && [[ $status == 2?? ]]"]

# Exec form: java is PID 1 and gets SIGTERM itself: it stops accepting, drains requests in flight, then exits.
ENTRYPOINT ["java", "-XX:AOTCache=/app/gateway.aot", "-jar", "/app/gateway.jar"]
