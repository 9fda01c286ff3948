# syntax=docker/dockerfile:1
# One image, three roles: web, worker, scheduler (CASEBOARD_ROLES or the first argument).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm install, not npm ci: the lock omits other platforms' optional binaries (see README).
RUN npm install --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY test/simulators ./test/simulators
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    CASEBOARD_ROLES=web,worker,scheduler \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root views ./views
COPY --chown=root:root public ./public
USER node
# 3000: web (PORT); 9464: /metrics and health of a process without the web role (METRICS_PORT)
EXPOSE 3000 9464
# No --start-period: dockerfilelint 1.8 rejects it (its option regex stops at the dash); five
# retries 15 s apart leave a booting process over a minute.
HEALTHCHECK --interval=15s --timeout=5s --retries=5 \
  CMD ["node", "bin/healthcheck"]
ENTRYPOINT ["node", "dist/main.js"]
