# Testcontainers settings for a machine with no registry, like our offline CI machines. SOURCE it (do not run it):
#
#   . deploy/offline/testcontainers-env.sh
#
# scripts/run-e2e.sh (make e2e) sources it only when no registry answers; a laptop or a GitHub runner needs none
# of this, and Testcontainers' defaults (Ryuk on, host detection, start-up checks) are better there.
#
#   TESTCONTAINERS_RYUK_DISABLED=true   Ryuk, Testcontainers' clean-up sidecar, is an image it would pull (and fail
#                                       after minutes). Without it the tests remove their containers themselves, and
#                                       run-e2e.sh removes leftovers by label afterwards.
#   TESTCONTAINERS_HOST_OVERRIDE=localhost  this machine has /.dockerenv, so Testcontainers believes it runs inside a
#                                       container and pulls alpine to find the Docker host's address.
#   TESTCONTAINERS_CHECKS_DISABLE=true  the start-up checks would pull an image too.
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=localhost
export TESTCONTAINERS_CHECKS_DISABLE=true
