# sorlab notebooks: Go + Jupyter (Debian packages) + the GoNB kernel.
# A thin shell around docker/ scripts, which CI also runs directly on Debian
# bookworm. See docker/README.md; docker/image-test.sh builds and checks it.
#
#   docker build -t sorlab .
#   docker run --rm -v "$PWD/out:/out" sorlab            # run all notebooks into ./out
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/out:/out" sorlab   # files owned by you
#   docker run --rm -v "$PWD/out:/out" sorlab notebooks/03-backtest.ipynb
#   docker run --rm -p 8888:8888 -v "$PWD:/sorlab" sorlab serve   # Jupyter on :8888
#
# Runs as any uid (--user), and offline (--network none): the kernel is
# registered system-wide, the tools are in /usr/local/bin, the Go modules the
# notebooks need are in the module cache and GOPROXY looks there first, and
# the build cache is warm and writable by every uid.

# Stage 1: the Go tools pinned in docker/tools/go.mod. Only the binaries
# are kept; their module and build caches (about 300 MB) stay behind.
FROM golang:1.26-bookworm AS tools
WORKDIR /src
# The tools' go.mod as this stage's main module: -modfile needs a go.mod of
# the repository's root to start from, which this stage does not copy.
COPY docker/tools/go.mod docker/tools/go.sum ./
RUN GOBIN=/tools go install tool

FROM golang:1.26-bookworm
WORKDIR /sorlab
ENV GOCACHE=/var/cache/sorlab/go-build \
	SORLAB_OUT=/out

# Jupyter from Debian and the kernel, before the sources, so that edits to
# notebooks or sor/ do not redo this layer. setup.sh finds the tools current
# and does not rebuild them.
COPY --from=tools /tools/ /usr/local/bin/
COPY go.mod go.sum ./
COPY docker/tools/go.mod docker/tools/go.sum docker/tools/
COPY docker/env.sh docker/setup.sh docker/
RUN docker/setup.sh --server \
	&& rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /root/.cache

COPY . .
# Downloads exactly the modules the notebooks use and warms the build cache,
# then opens both to every uid. After this, nothing needs the network.
RUN docker/warm-image.sh
# GOSUMDB=off: the cache was verified against go.sum and the checksum
# database while building; offline there is no database to ask, and GoNB's
# `go get` would ask it for every module a cell imports directly (e.g. gota).
ENV GOPROXY=file:///go/pkg/mod/cache/download,https://proxy.golang.org,direct \
	GOSUMDB=off

VOLUME ["/out"]
EXPOSE 8888
ENTRYPOINT ["docker/entrypoint.sh"]
