#!/usr/bin/env bash
# The services the tests talk to (docs/SPEC.md R40-R44 need both; tests/db needs PostgreSQL):
# PostgreSQL at 127.0.0.1:5432 (trust auth, database `test`) and Redis at 127.0.0.1:6379. Each one
# that is not answering is started (Debian's packages, as this machine kind installs them); one
# that cannot be started stops the run with a sentence saying which and how to start it.
set -uo pipefail

wait_for() {
  local what="$1" check="$2"
  for _ in $(seq 1 50); do
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "✗ $what is not answering" >&2
  return 1
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

if ! pg_up; then
  echo "PostgreSQL is not answering at 127.0.0.1:5432: starting it"
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  if ! wait_for PostgreSQL pg_up; then
    echo "PostgreSQL is needed at 127.0.0.1:5432 (trust auth, database test): install Debian's postgresql and start it with pg_ctlcluster" >&2
    exit 1
  fi
fi
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1" test >/dev/null 2>&1; then
  createdb -h 127.0.0.1 -U postgres test 2>/dev/null || true
fi

if ! redis_up; then
  echo "Redis is not answering at 127.0.0.1:6379: starting it"
  if command -v redis-server >/dev/null; then
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  if ! wait_for Redis redis_up; then
    echo "Redis is needed at 127.0.0.1:6379: install Debian's redis-server and start it" >&2
    exit 1
  fi
fi
echo "services: PostgreSQL and Redis answer"
