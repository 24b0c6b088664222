# Cradle: one image for every role. `cradle start` (embedded), `cradle gateway`, `cradle worker`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY mappings ./mappings
COPY workers ./workers
COPY profiles ./profiles
COPY bin ./bin
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=8080 CRADLE_DATA_DIR=/data
# A bounded heap. Left to itself V8 lets a busy worker's heap grow past 500 MB before it
# collects; Cradle's live set is under 96 MB (bench/README.md, "Memory"), so this keeps
# every process under 300 MB with room to spare. bench/ starts its processes with it too.
ENV NODE_OPTIONS="--max-old-space-size=192"
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/cradle.js"]
CMD ["start"]
