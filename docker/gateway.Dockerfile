# syntax=docker/dockerfile:1
# SynapseHub gateway image. Build from the repository root:
#   docker build -f docker/gateway.Dockerfile -t synapsehub-gateway .

# --- build ---------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /workspace
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
RUN npm install -g npm@11.19.1 --no-audit --no-fund
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nx.json tsconfig.base.json jest.preset.js jest.config.ts ./
COPY tools tools
COPY libs libs
COPY apps/gateway apps/gateway
RUN npx nx run gateway:build:production && npm prune --omit=dev --no-audit --no-fund

# --- runtime -------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production PORT=3088 DATA_DIR=/data
COPY --from=build /workspace/node_modules node_modules
COPY --from=build /workspace/dist/apps/gateway dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3088
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3088/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# V8 flags: libs/testing/src/lib/gateway-node-flags.ts says why (a test keeps them the same).
CMD ["node", "--max-semi-space-size=32", "dist/main.js"]
