# syntax=docker/dockerfile:1
# Tongxing's image (docs/deployment.md). Two stages: the first installs the exact dependencies of
# package-lock.json and drops the development ones; the second is the slim Node 24 runtime with
# the source, run as an unprivileged user. Node 24 runs the TypeScript directly (type stripping),
# so there is no build step. Debian (glibc), not Alpine: argon2 and canvas ship glibc binaries.
# (The npm package "node", a dependency pinning the project's Node for `npm start`, stays in
# node_modules; the image runs the base image's Node 24, which bin/tongxing.js checks.)

FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci installs exactly the lockfile; prune then removes the development dependencies (the
# test runner's browsers, type checkers, linters) so they never reach the runtime image.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
# The image's own "node" user (uid 1000): the service never runs as root. It owns only /data.
COPY --from=dependencies --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root src ./src
COPY --chown=root:root public ./public
COPY --chown=root:root help ./help
# Compile the JSX views once, into the loader's cache (read-only at run time): a start then never
# loads esbuild. Only importing: nothing connects or listens.
RUN node --import ./src/loader/register.js --input-type=module -e "await import('/app/src/app.ts'); await import('/app/src/cli/index.ts')" \
 && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers while the process does (liveness); the balancer checks /readyz (database and
# migrations). The slim image has no curl: Node's fetch does the probe.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `npm start`'s command, without npm in between, so SIGTERM reaches the service itself.
CMD ["node", "--max-semi-space-size=16", "bin/tongxing.js", "serve"]
