# LRNN Serve container image: docs/deployment.md explains building and running it.
#
#   docker build -t lrnn-serve:0.1.0 .
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp -v lrnn-data:/data lrnn-serve:0.1.0
#
# Three stages, after Spring Boot's layered-jar Dockerfile: build the jar with the Maven wrapper,
# extract its layers, and copy them into a JRE image from the least to the most often changed,
# so a code change rebuilds only the last layer. Plain Dockerfile syntax (no BuildKit-only
# features), so both BuildKit and the classic builder (Testcontainers) build it.

# ---- build: the executable jar ------------------------------------------------------------------
FROM eclipse-temurin:21-jdk AS build
WORKDIR /build
# The wrapper, its settings and the POM first: the dependency download below is cached as a layer
# until one of them changes. go-offline only warms that cache; the package step resolves the rest.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN ./mvnw -B -q dependency:go-offline || true
COPY src/ src/
RUN ./mvnw -B -DskipTests package \
    && cp target/lrnn-serve-*.jar /build/application.jar

# ---- extract: the jar's layers (dependencies, spring-boot-loader, snapshot-dependencies, application)
FROM eclipse-temurin:21-jdk AS extract
WORKDIR /extract
COPY --from=build /build/application.jar application.jar
RUN java -Djarmode=tools -jar application.jar extract --layers --launcher --destination layers

# ---- runtime --------------------------------------------------------------------------------------
FROM eclipse-temurin:21-jre

LABEL org.opencontainers.image.title="LRNN Serve" \
      org.opencontainers.image.description="Trains and serves deep low-rank separated neural networks (LRNNs)"

# A fixed, numeric non-root user, so Kubernetes can check runAsNonRoot and volumes can be chowned.
# /data holds the embedded H2 database; it and /tmp are the only places the service writes, so the
# root filesystem can be mounted read-only (mount a tmpfs or emptyDir on /tmp).
RUN groupadd --system --gid 10001 lrnn \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
               --shell /usr/sbin/nologin lrnn \
    && mkdir -p /data \
    && chown 10001:10001 /data \
    && chmod 0700 /data

WORKDIR /app
# Layers in Spring Boot's order; the files stay owned by root and read-only for the service.
COPY --from=extract /extract/layers/dependencies/ ./
COPY --from=extract /extract/layers/spring-boot-loader/ ./
COPY --from=extract /extract/layers/snapshot-dependencies/ ./
COPY --from=extract /extract/layers/application/ ./
# The example model, loaded read-only at start-up, so the first run serves something.
COPY models/ /app/models/

# Container defaults; every one can be overridden with -e / the Helm chart / compose:
# - the H2 database under /data, with the options application.yaml uses for ./data;
# - JVM: heap sized from the container's memory limit (container support is on by default; the
#   flag says so), exit on OutOfMemoryError so the orchestrator restarts a clean JVM, /tmp for
#   temporary files (Tomcat, multipart uploads);
# - virtual threads for request handling (JRE 21+).
ENV LRNN_MODELS_DIRECTORY=/app/models \
    LRNN_DATABASE_URL="jdbc:h2:file:/data/lrnn;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE" \
    SPRING_THREADS_VIRTUAL_ENABLED=true \
    JAVA_TOOL_OPTIONS="-XX:+UseContainerSupport -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"

VOLUME ["/data"]
USER 10001:10001
# 8080: HTTP (REST, health, metrics); 8081: the Open Inference Protocol over gRPC (lrnn.grpc.port).
EXPOSE 8080 8081

# No HEALTHCHECK: the JRE image does not promise curl or wget, and Kubernetes ignores HEALTHCHECK
# anyway. Orchestrators probe GET /livez (liveness) and GET /readyz (readiness) on port 8080, as
# the Helm chart does.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
