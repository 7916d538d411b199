//! Where the cluster and its socket live, and the checks that make those folders ours.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use nix::unistd::{Gid, Uid};
use sha2::{Digest, Sha256};

use super::fs::{self, Owner};

/// Unix socket paths must fit in sockaddr_un (108 bytes with the terminating NUL).
const MAX_SOCKET_PATH: usize = 107;
/// The socket's file name in its folder, for the default port.
pub(super) const SOCKET_FILE: &str = ".s.PGSQL.5432";

/// Where clusters and socket folders go when they cannot live where asked. As root, the
/// root-owned /var/lib/swapdesk: /var/lib is root's alone, so no one else can make that
/// name first, and mode 0711 lets the `postgres` user pass through to its own 0700 folders
/// inside without listing them. Otherwise, a folder of our own in the temporary folder.
pub fn default_base() -> PathBuf {
    let me = Uid::effective();
    if me.is_root() {
        PathBuf::from("/var/lib/swapdesk")
    } else {
        std::env::temp_dir().join(format!("swapdesk-{me}"))
    }
}

/// Where the cluster lives when, as root, `postgres` could not reach the folder asked for.
pub fn fallback_data_dir(base: &Path, requested: &Path) -> PathBuf {
    base.join(format!("pg-{}", short_hash(requested)))
}

/// Where the socket lives when its path in the data folder would be too long.
pub fn fallback_socket_dir(base: &Path, data_dir: &Path) -> PathBuf {
    base.join(format!("sock-{}", short_hash(data_dir)))
}

fn short_hash(path: &Path) -> String {
    let digest = Sha256::digest(path.as_os_str().as_encoded_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// The data folder, made or checked: the one asked for, or, as root when `postgres` could
/// not reach that one, one under `base`.
pub(super) fn data_dir_for(
    asked: PathBuf,
    base: &Path,
    run_as: Option<Owner>,
    owner: Owner,
) -> anyhow::Result<PathBuf> {
    if let Some(private) = run_as.and_then(|_| private_ancestor(&asked)) {
        return moved_data_dir(asked, &private, base, owner);
    }
    if let Some(parent) = asked.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    // PostgreSQL itself accepts 0750 (initdb -g): others still cannot write.
    fs::ensure_dir(&asked, owner, &[0o700, 0o750])?;
    Ok(asked)
}

/// The first folder above `dir` that others may not enter, if any: the `postgres` user
/// could not reach a cluster below it.
fn private_ancestor(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().skip(1).find_map(|a| {
        let mode = std::fs::metadata(a).ok()?.permissions().mode();
        (mode & 0o001 == 0).then(|| a.to_path_buf())
    })
}

/// As root, the server runs as `postgres`, which must be able to enter every folder above
/// the cluster. A checkout under a private folder (/root, or a `mktemp -d`) would stop it,
/// so the cluster then lives under `base`, named after the folder asked for, and is found
/// there again next time. Nothing's permissions change.
fn moved_data_dir(
    asked: PathBuf,
    private: &Path,
    base: &Path,
    owner: Owner,
) -> anyhow::Result<PathBuf> {
    let moved = fallback_data_dir(&prepare_base(base)?, &asked);
    tracing::warn!(
        requested = %asked.display(),
        private = %private.display(),
        data_dir = %moved.display(),
        "the postgres user cannot enter a folder above the data folder; the cluster lives \
         in the data_dir shown instead (pass --data-dir to choose another)"
    );
    fs::ensure_dir(&moved, owner, &[0o700])?;
    Ok(moved)
}

/// The socket folder: the data folder, unless that path is too long for a Unix socket.
/// Always worked out from the data folder, never read back from postmaster.pid, which
/// whoever wrote it controls.
pub(super) fn socket_dir_for(
    data_dir: &Path,
    base: &Path,
    owner: Owner,
) -> anyhow::Result<PathBuf> {
    if data_dir.join(SOCKET_FILE).as_os_str().len() <= MAX_SOCKET_PATH {
        return Ok(data_dir.to_path_buf());
    }
    let dir = fallback_socket_dir(&prepare_base(base)?, data_dir);
    if dir.join(SOCKET_FILE).as_os_str().len() > MAX_SOCKET_PATH {
        bail!(
            "{} is too long a path for PostgreSQL's socket; pass a shorter --data-dir",
            dir.display()
        );
    }
    fs::ensure_dir(&dir, owner, &[0o700])?;
    Ok(dir)
}

/// Makes `base` (root's or ours, mode 0711) unless it is there, after checking that no one
/// else can swap a folder on the way to it, and returns it without links.
fn prepare_base(base: &Path) -> anyhow::Result<PathBuf> {
    let (Some(parent), Some(name)) = (base.parent(), base.file_name()) else {
        bail!("{} cannot hold the embedded PostgreSQL", base.display());
    };
    let parent = std::fs::canonicalize(parent)
        .with_context(|| format!("cannot resolve {}", parent.display()))?;
    fs::check_nobody_else_can_swap(&parent)?;
    let base = parent.join(name);
    fs::ensure_dir(&base, (Uid::effective(), Gid::effective()), &[0o711])?;
    Ok(base)
}
