# shellcheck shell=bash
# Sourced by the scripts in docker/: common locations and PATH.
# Not meant to be executed directly.

# Repository root (the directory holding go.mod).
SORLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Where setup.sh installs the Go tools pinned in docker/tools/go.mod (gonb,
# goimports, benchstat). Root: /usr/local/bin (on every default PATH, also
# the one Jupyter passes to kernels). Other users: ~/.local/share/sorlab/bin.
if [ -z "${SORLAB_BIN:-}" ]; then
	if [ "$(id -u)" = 0 ]; then
		SORLAB_BIN=/usr/local/bin
	else
		SORLAB_BIN="${HOME}/.local/share/sorlab/bin"
	fi
fi

# The kernel inherits PATH from jupyter; GoNB needs `go` and `goimports`.
for _d in /usr/local/go/bin "${SORLAB_BIN}"; do
	case ":${PATH}:" in
	*":${_d}:"*) ;;
	*) PATH="${_d}:${PATH}" ;;
	esac
done
unset _d
export PATH SORLAB_BIN SORLAB_ROOT

# Debian's jupyter (the one whose python has nbconvert/nbclient), even when
# another python (pyenv, venv) comes first on PATH.
if [ -z "${JUPYTER:-}" ]; then
	if [ -x /usr/bin/jupyter ]; then
		JUPYTER=/usr/bin/jupyter
	else
		JUPYTER="$(command -v jupyter || true)"
	fi
fi
# Same for python3 (used for the stdlib-only checker).
if [ -z "${SORLAB_PYTHON:-}" ]; then
	if [ -x /usr/bin/python3 ]; then
		SORLAB_PYTHON=/usr/bin/python3
	else
		SORLAB_PYTHON="$(command -v python3 || true)"
	fi
fi

# Silence debugpy's "frozen modules" warning that Debian's python 3.11
# prints on every jupyter start.
export PYDEVD_DISABLE_FILE_VALIDATION=1
