# ratewatch: one image for every role (ROLES=web,worker,scheduler by default).
# Built and started by docker-compose.yml; also runs on its own:
#   docker build -t ratewatch . && docker run -e MYSQL_URL=… -e REDIS_URL=… -p 3000:3000 ratewatch
# Commands in the container: docker run … ratewatch node dist/src/cli/index.js sources add card-eu

# ---- build: the dev dependencies compile the TypeScript to dist/, then only the runtime ones are kept.
FROM node:22-slim AS build
WORKDIR /app
# Dependencies first, so that a change in the code does not reinstall them. The lock is made where the
# registry has only Linux builds, so it lacks other platforms' optional binaries and npm ci may refuse it
# ("Missing … from lock file"); npm install then keeps every locked version and adds those.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY types ./types
COPY src ./src
COPY jobs ./jobs
COPY commands ./commands
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && npm cache clean --force

# ---- run: plain node on the compiled JavaScript; no TypeScript, no tsx, no build tools.
FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
# Owned by root: the node user that runs it can read the code, not change it.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The chart's font (a slim image has none, and without one resvg draws no text): dist/src/charts reads ../../../assets.
COPY assets ./assets
# The one folder the node user may write: `simulate` writes there unless given --out.
RUN mkdir .tmp && chown node:node .tmp
USER node
EXPOSE 3000
# Live and ready: /readyz answers 200 only when MySQL and Redis answer.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (exec form, no shell, no npm in between): `docker stop`'s SIGTERM reaches ratewatch,
# which finishes in-flight work and closes its connections before exiting.
CMD ["node", "dist/src/main.js"]
