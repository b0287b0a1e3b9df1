# A PostgreSQL of its own for the waitlist's tests, to be SOURCED (scripts/test.sh does):
#   source scripts/postgres.sh
# Starts Debian's PostgreSQL (the newest under /usr/lib/postgresql; scripts/setup.sh installs it) on a free
# port of 127.0.0.1, with its data and socket in a fresh temporary directory, creates a database and exports
# STUDIO_GATEWAY_TEST_POSTGRES_URL for gateway/tests/waitlist_store.rs. When the sourcing shell exits, the
# server is stopped and the directory removed (an EXIT trap).
# PostgreSQL refuses to run as root: as root, it runs as the `postgres` system user (or `nobody`).

studio_pg_bin=$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1 || true)
if [ -z "$studio_pg_bin" ] || [ ! -x "$studio_pg_bin/initdb" ]; then
  echo "[postgres] no PostgreSQL under /usr/lib/postgresql (scripts/setup.sh installs Debian's postgresql)" >&2
  return 1 2>/dev/null || exit 1
fi

studio_pg_dir=$(mktemp -d)
studio_pg_as=()
if [ "$(id -u)" -eq 0 ]; then
  studio_pg_user=postgres
  id -u postgres >/dev/null 2>&1 || studio_pg_user=nobody
  chown "$studio_pg_user" "$studio_pg_dir"
  studio_pg_as=(runuser -u "$studio_pg_user" --)
fi

# Stops the server (fast: the tests' data is thrown away) and removes its directory.
studio_pg_stop() {
  if [ -f "$studio_pg_dir/data/postmaster.pid" ]; then
    "${studio_pg_as[@]}" "$studio_pg_bin/pg_ctl" -D "$studio_pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$studio_pg_dir"
}
trap studio_pg_stop EXIT

# The tests' data need not survive a crash: no fsync, and trust on the loopback address only.
"${studio_pg_as[@]}" "$studio_pg_bin/initdb" -D "$studio_pg_dir/data" -U gateway --auth=trust -E UTF8 --no-sync >"$studio_pg_dir/initdb.log" 2>&1 \
  || { cat "$studio_pg_dir/initdb.log" >&2; return 1 2>/dev/null || exit 1; }

# A port nothing listens on; should another process take it first, the next try picks another.
studio_pg_started=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
  studio_pg_port=$(( 20000 + RANDOM % 40000 ))
  (exec 3<>"/dev/tcp/127.0.0.1/$studio_pg_port") 2>/dev/null && continue
  if "${studio_pg_as[@]}" "$studio_pg_bin/pg_ctl" -D "$studio_pg_dir/data" -l "$studio_pg_dir/server.log" -w -t 30 \
      -o "-p $studio_pg_port -k $studio_pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
    studio_pg_started=yes
    break
  fi
done
if [ -z "$studio_pg_started" ]; then
  echo "[postgres] the server did not start:" >&2
  tail -n 20 "$studio_pg_dir/server.log" >&2 || true
  return 1 2>/dev/null || exit 1
fi

"${studio_pg_as[@]}" "$studio_pg_bin/createdb" -h 127.0.0.1 -p "$studio_pg_port" -U gateway waitlist_test
export STUDIO_GATEWAY_TEST_POSTGRES_URL="postgres://gateway@127.0.0.1:$studio_pg_port/waitlist_test"
echo "[postgres] PostgreSQL $("$studio_pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$studio_pg_port (STUDIO_GATEWAY_TEST_POSTGRES_URL)"
