//! The embedded default (SPEC §9.2): a private PostgreSQL cluster in a local folder, made
//! with the machine's own server binaries, reachable only through a Unix socket.

use std::fmt::Write as _;
use std::os::unix::fs::FileTypeExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use anyhow::{Context, bail};
use nix::unistd::{Gid, Uid, User};

mod fs;
mod place;

pub use place::{default_base, fallback_data_dir, fallback_socket_dir};

/// The database the app uses inside the cluster.
pub const DATABASE: &str = "swapdesk";
/// Owns the database and its schema; the migrations run as it.
pub const OWNER: &str = "swapdesk_owner";
/// The app's own connections: owns nothing, holds only the grants it needs.
pub const APP: &str = crate::db::APP_ROLE;
/// The cluster's superuser, made by initdb.
const SUPERUSER: &str = "postgres";

/// A running embedded cluster. `stop` shuts it down if this process started it.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    data_dir: PathBuf,
    socket_dir: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<(Uid, Gid)>,
    started_here: bool,
    /// True when this start ran initdb.
    pub created: bool,
}

impl EmbeddedPostgres {
    /// Creates the cluster on first use, or reuses it, and starts it unless it is running.
    pub fn start(data_dir: &Path) -> anyhow::Result<Self> {
        Self::start_with(data_dir, &default_base())
    }

    /// `start`, with `base` in place of [`default_base`], for what cannot live where asked.
    pub fn start_with(data_dir: &Path, base: &Path) -> anyhow::Result<Self> {
        let began = Instant::now();
        let bin_dir = find_bin_dir()?;
        let data_dir = std::path::absolute(data_dir)
            .with_context(|| format!("cannot resolve {}", data_dir.display()))?;
        let run_as = unprivileged_user()?;
        let owner = run_as.unwrap_or_else(|| (Uid::effective(), Gid::effective()));
        // Every folder is made or checked before anything is written or run in it.
        let data_dir = place::data_dir_for(data_dir, base, run_as, owner)?;
        let socket_dir = place::socket_dir_for(&data_dir, base, owner)?;
        let mut pg = Self {
            created: !data_dir.join("PG_VERSION").exists(),
            data_dir,
            socket_dir,
            bin_dir,
            run_as,
            started_here: false,
        };
        if pg.created {
            pg.initdb(owner)?;
        }
        pg.write_settings(owner)?;
        if pg.is_running()? {
            pg.check_socket()?;
        } else {
            pg.pg_start(owner)?;
            pg.started_here = true;
        }
        tracing::info!(
            data_dir = %pg.data_dir.display(),
            created = pg.created,
            started = pg.started_here,
            elapsed_ms = began.elapsed().as_millis() as u64,
            "embedded PostgreSQL ready"
        );
        Ok(pg)
    }

    fn initdb(&self, owner: fs::Owner) -> anyhow::Result<()> {
        let out = run(
            Command::new(self.bin_dir.join("initdb"))
                .arg("-D")
                .arg(&self.data_dir)
                .args(["-U", SUPERUSER, "--auth=trust", "--encoding=UTF8"])
                .args(["--locale=C.UTF-8", "--no-instructions"]),
            self.run_as,
            &self.data_dir,
        )?;
        if !out.status.success() {
            bail!("initdb failed:\n{}", String::from_utf8_lossy(&out.stderr));
        }
        fs::append_file(
            &self.data_dir.join("postgresql.conf"),
            "\n# Written by swapdesk: settings it rewrites at each start.\n\
             include_if_exists = 'swapdesk.conf'\n",
            owner,
        )
    }

    fn write_settings(&self, owner: fs::Owner) -> anyhow::Result<()> {
        let mut settings = String::from("# Rewritten by swapdesk at each start.\n");
        settings.push_str("listen_addresses = ''\n");
        let _ = writeln!(
            settings,
            "unix_socket_directories = '{}'",
            self.socket_dir.display().to_string().replace('\'', "''")
        );
        settings.push_str("unix_socket_permissions = 0700\nmax_connections = 200\n");
        fs::replace_file(&self.data_dir, "swapdesk.conf", &settings, owner)
    }

    fn pg_start(&self, owner: fs::Owner) -> anyhow::Result<()> {
        let log = self.data_dir.join("server.log");
        let out = run(
            Command::new(self.bin_dir.join("pg_ctl"))
                .arg("start")
                .arg("-w")
                .arg("-D")
                .arg(&self.data_dir)
                .arg("-l")
                .arg(&log),
            self.run_as,
            &self.data_dir,
        )?;
        if !out.status.success() {
            let tail = fs::read_file(&log, owner).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(15).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            bail!(
                "pg_ctl start failed: {}\n{}",
                String::from_utf8_lossy(&out.stderr).trim(),
                tail.join("\n")
            );
        }
        Ok(())
    }

    /// A cluster left running (say, by a killed instance) is reused, but only through the
    /// socket where we put it.
    fn check_socket(&self) -> anyhow::Result<()> {
        let socket = self.socket_dir.join(place::SOCKET_FILE);
        let listening =
            std::fs::symlink_metadata(&socket).is_ok_and(|meta| meta.file_type().is_socket());
        if !listening {
            bail!(
                "A PostgreSQL server is already running on {}, but without its socket at {}, \
                 where Swapdesk puts it. Stop that server (pg_ctl stop -D {}) and start \
                 Swapdesk again.",
                self.data_dir.display(),
                socket.display(),
                self.data_dir.display()
            );
        }
        Ok(())
    }

    /// A URL for `database` over the cluster's Unix socket.
    pub fn url(&self, database: &str) -> String {
        self.url_as(SUPERUSER, database)
    }

    /// A URL for `database` as `role` over the cluster's Unix socket.
    pub fn url_as(&self, role: &str, database: &str) -> String {
        let host: String = percent_encoding::utf8_percent_encode(
            &self.socket_dir.display().to_string(),
            percent_encoding::NON_ALPHANUMERIC,
        )
        .collect();
        format!("postgres://{role}@localhost/{database}?host={host}")
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn is_running(&self) -> anyhow::Result<bool> {
        let out = run(
            Command::new(self.bin_dir.join("pg_ctl"))
                .arg("status")
                .arg("-D")
                .arg(&self.data_dir),
            self.run_as,
            &self.data_dir,
        )?;
        // pg_ctl status: 0 running, 3 not running, 4 no usable data directory.
        Ok(out.status.success())
    }

    /// Restarts the cluster the hard way (`-m immediate`, as a crash would), waiting until
    /// it accepts connections again. Every open connection dies with it.
    pub fn restart_abruptly(&self) -> anyhow::Result<()> {
        let log = self.data_dir.join("server.log");
        let out = run(
            Command::new(self.bin_dir.join("pg_ctl"))
                .arg("restart")
                .args(["-m", "immediate", "-w", "-D"])
                .arg(&self.data_dir)
                .arg("-l")
                .arg(&log),
            self.run_as,
            &self.data_dir,
        )?;
        if !out.status.success() {
            bail!(
                "pg_ctl restart failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(())
    }

    /// Stops the cluster if this process started it: fast shutdown, waiting for it.
    pub fn stop(self) -> anyhow::Result<()> {
        if !self.started_here {
            return Ok(());
        }
        let out = run(
            Command::new(self.bin_dir.join("pg_ctl"))
                .arg("stop")
                .args(["-m", "fast", "-w", "-D"])
                .arg(&self.data_dir),
            self.run_as,
            &self.data_dir,
        )?;
        if !out.status.success() {
            bail!(
                "pg_ctl stop failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        tracing::info!(data_dir = %self.data_dir.display(), "embedded PostgreSQL stopped");
        Ok(())
    }
}

/// Creates the cluster's roles and database if they are missing, and hands the database to
/// its owner role.
pub async fn ensure_database(pg: &EmbeddedPostgres) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&pg.url("postgres"))
        .await
        .context("cannot connect to the embedded PostgreSQL")?;
    // Identifiers cannot be bound; the names are constants.
    sqlx::query(&format!(
        "do $$ begin
             if not exists (select 1 from pg_roles where rolname = '{OWNER}') then
                 create role {OWNER} login;
             end if;
             if not exists (select 1 from pg_roles where rolname = '{APP}') then
                 create role {APP} login;
             end if;
             alter role {APP} login;
         end $$"
    ))
    .execute(&mut conn)
    .await?;
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(DATABASE)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        sqlx::query(&format!("create database {DATABASE} owner {OWNER}"))
            .execute(&mut conn)
            .await?;
    }
    conn.close().await?;
    hand_over_to_owner(pg).await
}

/// A cluster made before the owner role existed has everything owned by the superuser:
/// hand the database and its objects to the owner, so the migrations run without it. The
/// `public` schema too, where PostgreSQL 14 and older give it to the superuser and let
/// everyone create in it (15 and later give it to the database's owner, and only to it).
async fn hand_over_to_owner(pg: &EmbeddedPostgres) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&pg.url(DATABASE))
        .await
        .context("cannot connect to the embedded PostgreSQL")?;
    sqlx::query(&format!(
        "do $$
         declare r record;
         begin
             if (select pg_get_userbyid(datdba) from pg_database
                 where datname = current_database()) <> '{OWNER}' then
                 execute 'alter database {DATABASE} owner to {OWNER}';
             end if;
             if (select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'public')
                not in ('{OWNER}', 'pg_database_owner') then
                 execute 'alter schema public owner to {OWNER}';
                 execute 'revoke create on schema public from public';
             end if;
             -- Tables (with their identity sequences) and functions, but not what belongs
             -- to an extension.
             for r in select c.oid::regclass as name from pg_class c
                      join pg_namespace n on n.oid = c.relnamespace
                      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
                        and pg_get_userbyid(c.relowner) <> '{OWNER}'
                        and not exists (select 1 from pg_depend d
                                        where d.objid = c.oid and d.deptype = 'e')
             loop
                 execute format('alter table %s owner to {OWNER}', r.name);
             end loop;
             for r in select p.oid::regprocedure as name from pg_proc p
                      join pg_namespace n on n.oid = p.pronamespace
                      where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> '{OWNER}'
                        and not exists (select 1 from pg_depend d
                                        where d.objid = p.oid and d.deptype = 'e')
             loop
                 execute format('alter function %s owner to {OWNER}', r.name);
             end loop;
         end $$"
    ))
    .execute(&mut conn)
    .await
    .context("cannot hand the database to its owner role")?;
    conn.close().await?;
    Ok(())
}

fn run(cmd: &mut Command, run_as: Option<(Uid, Gid)>, cwd: &Path) -> anyhow::Result<Output> {
    // The server processes must be able to read their working folder.
    cmd.current_dir(cwd);
    if let Some((uid, gid)) = run_as {
        cmd.uid(uid.as_raw()).gid(gid.as_raw());
        cmd.env("HOME", cwd).env("USER", "postgres");
    }
    let program = cmd.get_program().to_owned();
    cmd.output()
        .with_context(|| format!("cannot run {}", Path::new(&program).display()))
}

/// PostgreSQL refuses to run as root. When we are root, the server runs as the
/// unprivileged `postgres` system user instead.
fn unprivileged_user() -> anyhow::Result<Option<(Uid, Gid)>> {
    if !Uid::effective().is_root() {
        return Ok(None);
    }
    match User::from_name("postgres").context("cannot read the user database")? {
        Some(user) => Ok(Some((user.uid, user.gid))),
        None => bail!(
            "Swapdesk is running as root, and PostgreSQL refuses to run as root, so the \
             embedded cluster runs as the `postgres` user, which does not exist here. Create \
             it (`useradd --system postgres`), run Swapdesk as an ordinary user, or set \
             DATABASE_URL to use an existing server."
        ),
    }
}

/// Finds initdb, pg_ctl and postgres together: on PATH, then in Debian's
/// /usr/lib/postgresql/<version>/bin, newest first.
fn find_bin_dir() -> anyhow::Result<PathBuf> {
    let has_all = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| dir.join(b).is_file())
    };
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            // Debian links pg_ctl into /usr/local/bin or /usr/bin; follow the link home.
            if let Ok(real) = std::fs::canonicalize(dir.join("pg_ctl"))
                && let Some(parent) = real.parent()
            {
                candidates.push(parent.to_path_buf());
            }
            candidates.push(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let version = name.to_str()?.split('.').next()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versions.sort_by_key(|v| std::cmp::Reverse(v.0));
    candidates.extend(versions.into_iter().map(|(_, dir)| dir));

    candidates.into_iter().find(|d| has_all(d)).ok_or_else(|| {
        anyhow::anyhow!(
            "DATABASE_URL is not set, so Swapdesk would run its own PostgreSQL, but the server \
             programs (initdb, pg_ctl, postgres) are neither on PATH nor in \
             /usr/lib/postgresql/*/bin.\n\
             Install them: `apt-get install postgresql` (Debian, Ubuntu), \
             `dnf install postgresql-server` (Fedora), `brew install postgresql@16` (macOS).\n\
             Or point Swapdesk at a server you have: DATABASE_URL=postgres://user@host/db"
        )
    })
}
