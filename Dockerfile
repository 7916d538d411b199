# Multi-stage build: compile with the pinned toolchain, run from a small image as a
# non-root user. The committed .sqlx/ query data means no database is needed to build.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
ENV SQLX_OFFLINE=true
COPY Cargo.toml Cargo.lock rust-toolchain.toml build.rs ./
COPY .cargo .cargo
COPY .sqlx .sqlx
COPY migrations migrations
COPY templates templates
COPY static static
COPY src src
RUN cargo build --release --locked --bin swapdesk \
    && cp target/release/swapdesk /usr/local/bin/swapdesk

FROM debian:bookworm-slim AS runtime
# The base image's current ca-certificates, security updates included, is what we want.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin swapdesk
COPY --from=build /usr/local/bin/swapdesk /usr/local/bin/swapdesk
USER 10001:10001
ENV BIND=0.0.0.0:8080 LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["/usr/local/bin/swapdesk", "health"]
ENTRYPOINT ["/usr/local/bin/swapdesk"]
CMD ["serve"]
