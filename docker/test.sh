#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what the tests need
# with docker/setup.sh (about a second when everything is there), then checks
# formatting, vets, and runs every Go test. SORLAB_REQUIRE_NOTEBOOKS=1 makes
# the notebook tests fail, rather than skip, if Jupyter or GoNB is missing.
# As root, last, docker/user-test.sh checks that a plain user with an
# ordinary PATH can run a notebook after setup.sh (SORLAB_USER_TEST=0 skips).
# The Docker image has its own, longer check: docker/image-test.sh (CI runs
# both, see .ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash docker/setup.sh
# shellcheck source=env.sh
. docker/env.sh
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "test: not gofmt-formatted: $unformatted" >&2
	exit 1
fi
go vet ./...
export SORLAB_REQUIRE_NOTEBOOKS=1
go test -count=1 -timeout 45m ./...
bash docker/user-test.sh
