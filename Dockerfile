# sorlab notebooks: Go + Jupyter (Debian packages) + the GoNB kernel.
# A thin shell around docker/ scripts, which CI also runs directly on Debian
# bookworm. See docker/README.md.
#
#   docker build -t sorlab .
#   docker run --rm -v "$PWD/out:/out" sorlab            # run all notebooks into ./out
#   docker run --rm -v "$PWD/out:/out" sorlab notebooks/03-backtest.ipynb
#   docker run --rm -p 8888:8888 -v "$PWD:/sorlab" sorlab serve   # Jupyter on :8888
FROM golang:1.26-bookworm

WORKDIR /sorlab

# Tools first (Debian Jupyter incl. the notebook server, gonb/goimports/
# benchstat from go.mod, the gonb kernel), so that edits to notebooks or sor/
# do not redo this layer.
COPY go.mod go.sum ./
COPY docker/ docker/
RUN docker/setup.sh --server \
	&& go mod download \
	&& rm -rf /var/lib/apt/lists/*

COPY . .
# Warm the build cache for the module's own packages (the notebooks compile
# against them through go.work).
RUN go build ./...

ENV SORLAB_OUT=/out
VOLUME ["/out"]
EXPOSE 8888
ENTRYPOINT ["docker/entrypoint.sh"]
