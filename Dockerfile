# oss-live-emulator: Alibaba Cloud OSS LiveChannel emulator (OSS REST API + RTMP ingest to HLS objects).
#
#   docker build -t oss-live-emulator .
#   docker run --rm -p 8080:8080 -p 1935:1935 oss-live-emulator
#
# Everything after the image name goes to the CLI: `docker run --rm oss-live-emulator --help`,
# `... sign-url --bucket b --channel c`, `... serve --in-memory`. See README "Docker and docker-compose in CI".

# ---- build: compile TypeScript and the native better-sqlite3 module --------------------------------------------
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary can be downloaded for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional: ffmpeg-static (optional) downloads a binary at install time, which fails offline and is useless
# here; the runtime stage installs Debian's ffmpeg instead.
RUN npm ci --omit=optional --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
RUN npm prune --omit=dev --omit=optional --no-audit --no-fund

# ---- runtime ------------------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
# ffmpeg renders LiveChannel snapshots (the HLS remux itself is in-process); ffprobe is handy for inspecting output.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# package.json carries "type": "module", without which node would read dist/*.js as CommonJS.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The push subcommand's default file (fixtures/640x360-25fps-h264-aac.flv).
COPY fixtures ./fixtures
COPY docker/healthcheck.mjs ./docker/healthcheck.mjs
# Listen on every interface (the CLI default 127.0.0.1 is unreachable through a published port); keep state in /data;
# use Debian's ffmpeg (ffmpeg-static was left out by --omit=optional).
ENV OSS_EMULATOR_HOST=0.0.0.0 \
    OSS_EMULATOR_DATA_DIR=/data \
    FFMPEG_PATH=/usr/bin/ffmpeg
# The image's own non-root user (uid 1000) owns the data directory; a fresh named volume inherits that ownership.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# 8080: OSS REST API, admin API under /-/, and RTMP too (SDK-signed RTMP URLs carry the HTTP port). 1935: RTMP.
EXPOSE 8080 1935
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 CMD ["node", "/app/docker/healthcheck.mjs"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
