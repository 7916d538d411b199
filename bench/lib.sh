# Shared by the bench scripts: build the binaries, seed a space of signed-up members.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/bench/out"
# Cargo puts both builds under CARGO_TARGET_DIR when it is set (give it as an absolute path).
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/swapdesk"
LOADGEN="${CARGO_TARGET_DIR:-$ROOT/bench/loadgen/target}/release/swapdesk-loadgen"
BENCH_PASSWORD="bench-password-for-load"
mkdir -p "$OUT"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Debian keeps pgbench, pg_ctl and initdb out of PATH.
pg_bin() {
  local found
  found=$(command -v "$1" 2>/dev/null || true)
  if [ -z "$found" ]; then
    found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -n "$found" ] || { echo "cannot find $1: install PostgreSQL (apt-get install postgresql)" >&2; exit 1; }
  echo "$found"
}

build_all() {
  log "building swapdesk (release) and the load generator"
  (cd "$ROOT" && cargo build --release --locked --bin swapdesk >&2)
  (cd "$ROOT/bench/loadgen" && cargo build --release >&2)
}

# seed_space URL SLUG MEMBERS [LIMIT]: a space with MEMBERS active members who share one
# password. LIMIT is each member's credit limit in hundredths; by default so large that no
# benchmark transfer is refused.
seed_space() {
  local url=$1 slug=$2 members=$3 limit=${4:-10000000000}
  printf '%s\n' "$BENCH_PASSWORD" | DATABASE_URL="$url" "$BIN" admin create \
    --space "$slug" --email "admin@$slug.bench" --name "Bench Admin" >&2
  psql "$url" -v ON_ERROR_STOP=1 -q <<SQL
insert into people (email, display_name, password_hash, email_verified_at)
select 'member' || i || '@$slug.bench', 'Member ' || lpad(i::text, 4, '0'),
       (select password_hash from people where email = 'admin@$slug.bench'), now()
from generate_series(1, $members) i
on conflict do nothing;
insert into memberships (space_id, person_id, role, status)
select s.id, p.id, 'member', 'active' from people p, spaces s
where s.slug = '$slug' and p.email like 'member%@$slug.bench'
on conflict do nothing;
update ledger_accounts set credit_limit = $limit
where space_id = (select id from spaces where slug = '$slug') and kind = 'member';
SQL
  psql "$url" -Atc "select email from people where email like 'member%@$slug.bench' order by email" > "$OUT/$slug-emails.txt"
  # Whom the load generator pays: each member's email and membership id (the send form lists
  # only the members a search finds, so it cannot be read from there).
  psql "$url" -Atc "select p.email || ' ' || m.id from people p join memberships m on m.person_id = p.id
                     where p.email like 'member%@$slug.bench' order by p.email" > "$OUT/$slug-members.txt"
}

# wait_ready URL: until /readyz answers.
wait_ready() {
  for _ in $(seq 1 100); do
    curl -fs "$1/readyz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the app at $1 did not become ready" >&2
  return 1
}

# CPU accounting for the profile figures, in seconds. The machine's busy time (every CPU,
# all processes: user, nice, system, irq, softirq, steal) from /proc/stat ...
busy_seconds() { awk '/^cpu /{printf "%.2f\n", ($2+$3+$4+$7+$8+$9)/100}' /proc/stat; }
# ... one live process's own (user + system) ...
proc_seconds() { awk '{printf "%.2f\n", ($14+$15)/100}' "/proc/$1/stat"; }
# ... and a command's, with its children's: run_timed FILE CMD... runs CMD (a function
# too) in this shell and writes the CPU seconds that it and its children used to FILE.
run_timed() {
  local file=$1; shift
  times > "$file.before"
  "$@"
  times > "$file.after"
  python3 - "$file.before" "$file.after" > "$file" <<'PY'
import re, sys
def children(path):
    line = open(path).read().splitlines()[1]
    return sum(int(m) * 60 + float(s) for m, s in re.findall(r"(\d+)m([\d.]+)s", line))
print(round(children(sys.argv[2]) - children(sys.argv[1]), 2))
PY
}
# Transactions committed in a database so far.
xacts() { psql "$1" -Atc "select xact_commit from pg_stat_database where datname = current_database()"; }
# The app's peak resident memory in MB (VmHWM).
peak_rss_mb() { awk '/^VmHWM:/{printf "%d\n", $2/1024}' "/proc/$1/status"; }
# calc EXPR: python arithmetic, rounded to 3 places.
calc() { python3 -c "print(round($1, 3))"; }
