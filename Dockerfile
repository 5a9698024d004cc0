# ratewatch: one image for every role (ROLES=web,worker,scheduler by default).
# Built and started by docker-compose.yml; also runs on its own:
#   docker build -t ratewatch . && docker run -e MYSQL_URL=… -e REDIS_URL=… -p 3000:3000 ratewatch
FROM node:20-slim

# tini as PID 1, signalling the whole process group (-g): `npm start` runs sh → tsx → node, and npm passes
# SIGTERM only to sh, which dies without passing it on, so without -g `docker stop` would kill ratewatch
# instead of letting it finish in-flight posts and close its connections.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["/usr/bin/tini", "-g", "--"]

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so that a change in the code does not reinstall them.
# --omit=dev is enough here: `npm start` runs the TypeScript through tsx, which package.json lists under
# "dependencies" (with everything else the code imports at run time); typescript, vitest and biome stay out.
# The lock is made where the registry has only Linux builds, so it lacks other platforms' optional binaries and
# npm ci may refuse it ("Missing … from lock file"); npm install then keeps every locked version and adds those.
COPY package.json package-lock.json ./
RUN (npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund) \
  && npm cache clean --force

# The code (see .dockerignore), owned by root: the node user that runs it can read it, not change it.
COPY . .

USER node
EXPOSE 3000
# Live and ready: /readyz answers 200 only when MySQL and Redis answer.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "start"]
