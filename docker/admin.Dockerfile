# syntax=docker/dockerfile:1
# SynapseHub console image. Build from the repository root:
#   docker build -f docker/admin.Dockerfile -t synapsehub-admin .
# It listens on port 3000 and expects the gateway at http://gateway:3088 (docker/admin.nginx.conf).

# --- build: the Angular production bundle -------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /workspace
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true

# The workspace lock is written by npm 11.
RUN npm install -g npm@11.19.1 --no-audit --no-fund

COPY package.json package-lock.json ./
# The console needs no native addon: skip install scripts (better-sqlite3 and argon2 are gateway-only
# and would need a compiler toolchain in this stage).
RUN npm ci --ignore-scripts --no-audit --no-fund

# Only what the console build reads, so gateway changes do not invalidate this layer.
COPY nx.json tsconfig.base.json jest.preset.js jest.config.ts ./
# The console imports the shared CASL rules (@synapse/rbac) from libs/shared.
COPY libs/shared libs/shared
COPY apps/admin apps/admin
RUN npx nx run admin:build --configuration=production

# --- runtime: nginx serving the SPA and proxying the gateway -------------------------------------
# Alpine's variant: its busybox wget serves the health check; same templates entrypoint.
FROM nginx:stable-alpine AS runtime
# Where the API is: host:port of the gateway, filled into the template at start.
ENV SYNAPSE_GATEWAY=gateway:3088
COPY docker/admin.nginx.conf /etc/nginx/templates/default.conf.template
COPY --from=build /workspace/dist/apps/admin/browser /usr/share/nginx/html
# Not root: nginx's user owns what the entrypoint and nginx write (the filled template, cache, pid).
RUN chown -R nginx:nginx /etc/nginx/conf.d /var/cache/nginx \
    && touch /var/run/nginx.pid && chown nginx:nginx /var/run/nginx.pid
USER nginx
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD wget -q -O /dev/null http://127.0.0.1:3000/ || exit 1
