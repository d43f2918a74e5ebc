#!/usr/bin/env bash
# Entrypoint of every container of the image (web, worker, beat, migrate).
#
# 1. Waits for the database (pg_isready) up to DB_WAIT_TIMEOUT seconds, so a container started together with
#    PostgreSQL does not crash-loop while it boots.
# 2. Runs `manage.py migrate` only when RUN_MIGRATIONS=1 (the one-shot `migrate` service of docker-compose.yml):
#    web, worker and beat never race each other to migrate.
# 3. execs the command, so it runs as PID 1's child-free replacement and receives SIGTERM directly.
set -euo pipefail

log() {
  printf '{"level": "%s", "logger": "entrypoint", "msg": "%s"}\n' "$1" "$2" >&2
}

if [[ -z "${DATABASE_URL:-}" ]]; then
  log ERROR "DATABASE_URL is not set (see docs/deploy.md)"
  exit 64
fi

timeout="${DB_WAIT_TIMEOUT:-60}"
interval="${DB_WAIT_INTERVAL:-1}"
start=$(date +%s)
until pg_isready -d "$DATABASE_URL" -t 2 >/dev/null 2>&1; do
  if (( $(date +%s) - start >= timeout )); then
    log ERROR "database not reachable after ${timeout}s"
    exit 69
  fi
  sleep "$interval"
done
log INFO "database reachable"

if [[ "${RUN_MIGRATIONS:-0}" == "1" ]]; then
  log INFO "applying migrations"
  python manage.py migrate --noinput
fi

if [[ $# -eq 0 ]]; then
  log ERROR "no command given"
  exit 64
fi
exec "$@"
