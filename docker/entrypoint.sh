#!/usr/bin/env bash
# Entrypoint of the Docker image (see Dockerfile and docker/README.md).
#
#   (no arguments) | run [NOTEBOOK...]
#       Execute the notebooks (default: notebooks/*.ipynb) headlessly into
#       $SORLAB_OUT (default /out; mount a host folder there).
#   serve | jupyter [JUPYTER-NOTEBOOK-ARGS...]
#       Start Jupyter Notebook on 0.0.0.0:8888 (no browser) in notebooks/;
#       $SORLAB_JUPYTER_IP / $SORLAB_JUPYTER_PORT change address and port.
#       The login URL with its token is printed in the log.
#   setup | test
#       docker/setup.sh, docker/test.sh.
#   anything else
#       Executed as a command (e.g. bash).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export SORLAB_OUT="${SORLAB_OUT:-/out}"
# `docker run --user UID:GID` with a uid the image does not know leaves HOME
# at / (docker) or the working directory (podman): not writable, or the
# mounted working tree, which should not get Jupyter's ~/.local. Jupyter (its
# runtime files) and Go need a writable HOME of their own. The build cache
# ($GOCACHE) and /out are open to every uid already.
case "${HOME:-/}" in
/ | "$PWD") HOME="" ;;
esac
if [ -z "$HOME" ] || [ ! -w "$HOME" ]; then
	HOME="$(mktemp -d /tmp/home.XXXXXX)"
	export HOME
fi

cmd="${1:-run}"
[ "$#" -gt 0 ] && shift
case "$cmd" in
run)
	exec docker/run-notebooks.sh -o "$SORLAB_OUT" "$@"
	;;
*.ipynb)
	exec docker/run-notebooks.sh -o "$SORLAB_OUT" "$cmd" "$@"
	;;
serve | jupyter)
	# shellcheck source=env.sh
	. docker/env.sh
	exec "$JUPYTER" notebook --ip="${SORLAB_JUPYTER_IP:-0.0.0.0}" \
		--port="${SORLAB_JUPYTER_PORT:-8888}" --no-browser --allow-root \
		--notebook-dir="$SORLAB_ROOT/notebooks" "$@"
	;;
setup)
	exec docker/setup.sh "$@"
	;;
test)
	exec docker/test.sh "$@"
	;;
*)
	exec "$cmd" "$@"
	;;
esac
