# oss-live-emulator: Alibaba Cloud OSS LiveChannel emulator (OSS REST API + RTMP ingest to HLS objects).
#
#   docker build -t oss-live-emulator .
#   docker run --rm -p 8080:8080 -p 1935:1935 oss-live-emulator
#
# Everything after the image name goes to the CLI: `docker run --rm oss-live-emulator --help`,
# `... sign-url --bucket b --channel c`, `... serve --in-memory`. See README "Docker and docker-compose in CI".

# Build arguments:
#   NODE_VERSION=22   the Node.js major of both stages (22 LTS is the baseline; 20 still works)
#   WITH_FFMPEG=1     Debian's ffmpeg in the image, for LiveChannel snapshots (~460 MB of the image). WITH_FFMPEG=0 makes a
#                     slim image: everything works but snapshots, and a channel asking for them says so in the log.
ARG NODE_VERSION=22

# ---- build: compile TypeScript and the native better-sqlite3 module --------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
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
# tsc, then the web console's browser bundle into dist/console/ and the CLI's bundle into dist/cli.js (both esbuild,
# a devDependency).
RUN npm run build
RUN npm prune --omit=dev --omit=optional --no-audit --no-fund \
 # better-sqlite3 needs only its compiled addon at run time: drop its C sources, object files and build scripts (~25 MB).
 && cd node_modules/better-sqlite3 \
 && rm -rf deps src docs binding.gyp build/Release/obj build/Release/obj.target build/Release/.deps build/Release/sqlite3.a build/deps build/*.mk \
      build/Makefile build/config.gypi build/Release/test_extension.node \
 && find /app/node_modules -name '*.md' -path '*/node_modules/*' -delete

# ---- runtime ------------------------------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG WITH_FFMPEG=1
# ffmpeg renders LiveChannel snapshots (the HLS remux itself is in-process); ffprobe is handy for inspecting output.
RUN if [ "$WITH_FFMPEG" = 1 ]; then \
      apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*; \
    fi
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
# Absolute: `docker run -w /tmp …` (another working directory) still finds the CLI.
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["serve"]
