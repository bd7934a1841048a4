# syntax=docker/dockerfile:1
# Build and runtime share Debian bookworm so the native SQLite addon (better-sqlite3) built here
# links against the same glibc it runs with.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json feeds.config.schema.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DUOFEED_CONFIG=/config/feeds.config.json \
    DATA_DIR=/data \
    PORT=8080 \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json feeds.config.schema.json ./
COPY feeds.config.json feeds.config.schema.json /config/
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "dist/cli.js", "healthcheck"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["run"]
