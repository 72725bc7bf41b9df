# mmm-studio CLI for cluster array jobs (docs/cluster.md): the README's install steps in a
# container. Build from a clean clone: docker build -t mmm-studio .
FROM node:20-bookworm

# The system tools `npm run build` needs (README, "The two commands", step 1).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends emscripten libeigen3-dev cmake \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/mmm-studio
# npm packages first, from the lock file, so code changes do not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# Builds the wasm core, the app and the CLI (build/cli/mmm-studio.mjs).
RUN npm run build

ENTRYPOINT ["node", "/opt/mmm-studio/web/cli/bin.mjs"]
CMD ["--help"]
