//! The embedded default (SPEC §9.2): a private PostgreSQL cluster in a local folder, made
//! with the machine's own server binaries, reachable only through a Unix socket.

use std::fmt::Write as _;
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use anyhow::{Context, bail};
use nix::unistd::{Gid, Uid, User};
use sha2::{Digest, Sha256};

/// The database the app uses inside the cluster.
pub const DATABASE: &str = "swapdesk";
/// The cluster's superuser, made by initdb.
const SUPERUSER: &str = "postgres";
/// Unix socket paths must fit in sockaddr_un (108 bytes with the terminating NUL).
const MAX_SOCKET_PATH: usize = 107;

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
        let began = Instant::now();
        let bin_dir = find_bin_dir()?;
        let data_dir = std::path::absolute(data_dir)
            .with_context(|| format!("cannot resolve {}", data_dir.display()))?;
        let run_as = unprivileged_user()?;
        let data_dir = match run_as {
            Some(_) => reachable_data_dir(data_dir),
            None => data_dir,
        };

        let created = !data_dir.join("PG_VERSION").exists();
        if created {
            prepare_dir(&data_dir, run_as)?;
            let out = run(
                Command::new(bin_dir.join("initdb"))
                    .arg("-D")
                    .arg(&data_dir)
                    .args(["-U", SUPERUSER, "--auth=trust", "--encoding=UTF8"])
                    .args(["--locale=C.UTF-8", "--no-instructions"]),
                run_as,
                &data_dir,
            )?;
            if !out.status.success() {
                bail!("initdb failed:\n{}", String::from_utf8_lossy(&out.stderr));
            }
            let conf = data_dir.join("postgresql.conf");
            let mut text = std::fs::read_to_string(&conf)?;
            text.push_str("\n# Written by swapdesk: settings it rewrites at each start.\n");
            text.push_str("include_if_exists = 'swapdesk.conf'\n");
            std::fs::write(&conf, text)?;
        }

        let socket_dir = socket_dir_for(&data_dir, run_as)?;
        let mut settings = String::from("# Rewritten by swapdesk at each start.\n");
        settings.push_str("listen_addresses = ''\n");
        let _ = writeln!(
            settings,
            "unix_socket_directories = '{}'",
            socket_dir.display().to_string().replace('\'', "''")
        );
        settings.push_str("unix_socket_permissions = 0700\nmax_connections = 200\n");
        let conf = data_dir.join("swapdesk.conf");
        std::fs::write(&conf, settings)?;
        if let Some((uid, gid)) = run_as {
            chown(&conf, Some(uid.as_raw()), Some(gid.as_raw()))?;
        }

        let mut pg = Self {
            data_dir,
            socket_dir,
            bin_dir,
            run_as,
            started_here: false,
            created,
        };
        if !pg.is_running()? {
            let log = pg.data_dir.join("server.log");
            let out = run(
                Command::new(pg.bin_dir.join("pg_ctl"))
                    .arg("start")
                    .arg("-w")
                    .arg("-D")
                    .arg(&pg.data_dir)
                    .arg("-l")
                    .arg(&log),
                pg.run_as,
                &pg.data_dir,
            )?;
            if !out.status.success() {
                let tail = std::fs::read_to_string(&log).unwrap_or_default();
                let tail: Vec<&str> = tail.lines().rev().take(15).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                bail!(
                    "pg_ctl start failed: {}\n{}",
                    String::from_utf8_lossy(&out.stderr).trim(),
                    tail.join("\n")
                );
            }
            pg.started_here = true;
        } else {
            // A cluster left running (say, by a killed instance) is reused where it listens.
            if let Some(dir) = running_socket_dir(&pg.data_dir) {
                pg.socket_dir = dir;
            }
        }
        tracing::info!(
            data_dir = %pg.data_dir.display(),
            created,
            started = pg.started_here,
            elapsed_ms = began.elapsed().as_millis() as u64,
            "embedded PostgreSQL ready"
        );
        Ok(pg)
    }

    /// A URL for `database` over the cluster's Unix socket.
    pub fn url(&self, database: &str) -> String {
        let host: String = percent_encoding::utf8_percent_encode(
            &self.socket_dir.display().to_string(),
            percent_encoding::NON_ALPHANUMERIC,
        )
        .collect();
        format!("postgres://{SUPERUSER}@localhost/{database}?host={host}")
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

/// Creates the cluster's database if it is missing.
pub async fn ensure_database(pg: &EmbeddedPostgres) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&pg.url("postgres"))
        .await
        .context("cannot connect to the embedded PostgreSQL")?;
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(DATABASE)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        // Identifiers cannot be bound; DATABASE is a constant.
        sqlx::query(&format!("create database {DATABASE}"))
            .execute(&mut conn)
            .await?;
    }
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

fn prepare_dir(dir: &Path, run_as: Option<(Uid, Gid)>) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    if let Some((uid, gid)) = run_as {
        chown(dir, Some(uid.as_raw()), Some(gid.as_raw()))?;
    }
    Ok(())
}

/// The first folder above `dir` that others may not enter, if any: the `postgres` user
/// could not reach a cluster below it.
fn private_ancestor(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().skip(1).find_map(|a| {
        let mode = std::fs::metadata(a).ok()?.permissions().mode();
        (mode & 0o001 == 0).then(|| a.to_path_buf())
    })
}

/// When we run as root, the server runs as `postgres`, which must be able to enter every
/// folder above the cluster. A checkout under a private folder (/root, or a `mktemp -d`)
/// would stop it, so the cluster then lives in /var/tmp, under a name derived from the
/// folder asked for, and is found there again next time. Nothing's permissions change.
fn reachable_data_dir(dir: PathBuf) -> PathBuf {
    let Some(private) = private_ancestor(&dir) else {
        return dir;
    };
    let digest = Sha256::digest(dir.as_os_str().as_encoded_bytes());
    let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    let base = Path::new("/var/tmp");
    let base = if base.is_dir() {
        base.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let moved = base.join(format!("swapdesk-pg-{short}"));
    tracing::warn!(
        requested = %dir.display(),
        private = %private.display(),
        data_dir = %moved.display(),
        "the postgres user cannot enter a folder above the data folder; the cluster lives \
         in the data_dir shown instead (pass --data-dir to choose another)"
    );
    moved
}

/// The socket lives in the data folder unless that path is too long for a Unix socket.
fn socket_dir_for(data_dir: &Path, run_as: Option<(Uid, Gid)>) -> anyhow::Result<PathBuf> {
    let in_data = data_dir.join(".s.PGSQL.5432");
    if in_data.as_os_str().len() <= MAX_SOCKET_PATH {
        return Ok(data_dir.to_path_buf());
    }
    let digest = Sha256::digest(data_dir.as_os_str().as_encoded_bytes());
    let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    let dir = std::env::temp_dir().join(format!("swapdesk-pg-{short}"));
    std::fs::create_dir_all(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    if let Some((uid, gid)) = run_as {
        chown(&dir, Some(uid.as_raw()), Some(gid.as_raw()))?;
    }
    Ok(dir)
}

/// The socket folder of a running cluster: line 5 of postmaster.pid.
fn running_socket_dir(data_dir: &Path) -> Option<PathBuf> {
    let pid_file = std::fs::read_to_string(data_dir.join("postmaster.pid")).ok()?;
    let line = pid_file.lines().nth(4)?.trim();
    (!line.is_empty()).then(|| PathBuf::from(line))
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
