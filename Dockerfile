# Lanyard as a small container: built JavaScript on Node 24 (slim), run as the unprivileged `node`
# user, the SQLite database in the /data volume, a health check on /health.
#
#   docker build -t lanyard .
#   docker run -p 9229:9229 -v lanyard-data:/data \
#     -e LANYARD_ACCESS_KEY_ID=... -e LANYARD_SECRET_ACCESS_KEY=... lanyard
#
# Off loopback Lanyard refuses to start without access keys: give them (as above) or pass
# `--insecure` after the image name for a throwaway local container.

FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the build needs esbuild's JavaScript API only, and the image's own Node.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY scripts/build.ts ./scripts/build.ts
RUN node scripts/build.ts

FROM node:24-slim
ENV NODE_ENV=production \
    LANYARD_HOST=0.0.0.0 \
    LANYARD_PORT=9229 \
    LANYARD_DATA=/data \
    NODE_COMPILE_CACHE=/tmp/lanyard-compile-cache
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9229
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.LANYARD_PORT || 9229) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) drains the requests in flight before Lanyard exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/lanyard.js"]
