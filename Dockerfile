# syntax=docker/dockerfile:1
# entra-vault appliance image: the CLI, the Ink wizard, the recovery scripts and the docs.
#
#   docker build -t entra-vault .
#   docker run --rm -it --read-only -v vault:/vault -v work:/work entra-vault          (wizard)
#   docker run --rm --read-only -v work:/work entra-vault drill --users 200 --out /work/drill
#
# Nothing is written outside /vault and /work (HOME and TMPDIR point into /work), so the
# container runs with a read-only root filesystem. The image holds no keys: the age
# identity and the signing key are mounted or typed in, never baked in.
#
# age and minisign are not installed: the CLI does all encryption and signing itself
# (src/crypto), and no recovery script calls them. Auditors who want the stock
# `minisign -V` check of archives and evidence run it on their own machine.

FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY src ./src
COPY tui ./tui
RUN npm run build

FROM node:24-slim AS runtime
LABEL org.opencontainers.image.title="entra-vault" \
      org.opencontainers.image.description="Disaster recovery for Microsoft Entra ID tenants: encrypted, signed snapshots and guided recovery" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.source="https://github.com/entra-vault/entra-vault" \
      org.opencontainers.image.licenses="MIT"
# MALLOC_*: glibc hands every block of 128 KiB or more back to the system when it is freed, rather
# than raising that bar as it goes and keeping freed blocks in its arenas: a 100k-user restore's
# native memory 77-99 -> 51-87 MiB, its peak RSS 506 -> 486 MiB (docs/design.md "Session 37").
ENV NODE_ENV=production \
    HOME=/work \
    TMPDIR=/work \
    MALLOC_MMAP_THRESHOLD_=131072 \
    MALLOC_TRIM_THRESHOLD_=131072 \
    NO_UPDATE_NOTIFIER=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY recovery-scripts ./recovery-scripts
COPY docs ./docs
RUN groupadd --system --gid 10001 entravault \
 && useradd --system --uid 10001 --gid entravault --home-dir /work --no-create-home --shell /usr/sbin/nologin entravault \
 && mkdir -p /vault /work \
 && chown entravault:entravault /vault /work \
 && chmod -R a-w /app
VOLUME ["/vault", "/work"]
WORKDIR /work
USER 10001:10001
ENTRYPOINT ["node", "/app/bin/entra-vault.js"]
CMD ["wizard", "--vault", "/vault"]
