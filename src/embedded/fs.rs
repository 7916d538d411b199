//! Folders and files of the embedded cluster, made and checked so that no other local user
//! can plant them. As root, a followed link or a folder someone else made would let that
//! user have root overwrite any file, or have the app talk to a server of theirs.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt, fchown};
use std::path::Path;

use anyhow::{Context, bail};
use nix::libc;
use nix::unistd::{Gid, Uid, User};

/// Who must own a folder or file, and the group it is given when made.
pub(super) type Owner = (Uid, Gid);

/// Checks that only root or we can rename or replace `dir` and each folder above it, so
/// a path checked now still names the same thing when used. `dir` must have no links in
/// it (canonicalize it). A sticky folder such as /tmp is fine: there, only an entry's
/// owner (or the folder's) may rename or remove it.
pub(super) fn check_nobody_else_can_swap(dir: &Path) -> anyhow::Result<()> {
    let me = Uid::effective().as_raw();
    for folder in dir.ancestors() {
        let meta = std::fs::symlink_metadata(folder)
            .with_context(|| format!("cannot inspect {}", folder.display()))?;
        let mode = meta.mode();
        let problem = if !meta.file_type().is_dir() {
            "it is not a real folder".to_owned()
        } else if meta.uid() != 0 && meta.uid() != me {
            format!("it belongs to {}", user_name(meta.uid()))
        } else if mode & 0o022 != 0 && mode & 0o1000 == 0 {
            format!("others may write to it (mode {:04o})", mode & 0o7777)
        } else {
            continue;
        };
        bail!(
            "Refusing to keep the embedded PostgreSQL under {}: {problem}, so another user \
             could swap what is inside it. Pass --data-dir with a folder of your own.",
            folder.display()
        );
    }
    Ok(())
}

/// Makes `dir` with the first of `modes`, owned by `owner`, if nothing is at that path.
/// Something already there may have been made by someone else first, so it is used only
/// if it is a real folder with that owner and one of `modes`.
pub(super) fn ensure_dir(dir: &Path, owner: Owner, modes: &[u32]) -> anyhow::Result<()> {
    let wanted = modes.first().copied().unwrap_or(0o700);
    let found = match std::fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return make_dir(dir, owner, wanted),
        Err(e) => return Err(e).with_context(|| format!("cannot inspect {}", dir.display())),
    };
    let name = dir.display();
    let (problem, remedy) = if found.file_type().is_symlink() {
        let target = std::fs::read_link(dir).unwrap_or_default();
        let problem = format!("it is a symbolic link (to {})", target.display());
        (problem, "Remove the link".to_owned())
    } else if !found.file_type().is_dir() {
        ("it is not a folder".to_owned(), "Remove it".to_owned())
    } else {
        // Judge what was opened, not the path, which could change in between.
        let meta = open_dir(dir)?.metadata()?;
        let mode = meta.mode() & 0o7777;
        let problem = if meta.uid() != owner.0.as_raw() {
            format!("it belongs to {}", user_name(meta.uid()))
        } else if !modes.contains(&mode) {
            format!("its mode is {mode:04o}")
        } else {
            return Ok(());
        };
        let who = User::from_uid(owner.0).ok().flatten().map(|u| u.name);
        let who = who.unwrap_or_else(|| owner.0.to_string());
        let remedy = format!(
            "If you made it, `chown {who} {name}` and `chmod {wanted:o} {name}`; if not, \
             remove it"
        );
        (problem, remedy)
    };
    bail!(
        "Refusing to use {name}: {problem}. Swapdesk keeps the embedded PostgreSQL only in a \
         folder of {} with mode {wanted:04o}, so that no other user can plant or change \
         what is in it. {remedy} (Swapdesk then makes it afresh), or pass --data-dir to use \
         another folder.",
        user_name(owner.0.as_raw()),
    )
}

fn make_dir(dir: &Path, (uid, gid): Owner, mode: u32) -> anyhow::Result<()> {
    // Exclusive: if someone makes the path first, this fails instead of adopting theirs.
    std::fs::DirBuilder::new()
        .mode(mode)
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let folder = open_dir(dir)?;
    // The umask may have taken bits away (0711 must stay traversable).
    folder.set_permissions(std::fs::Permissions::from_mode(mode))?;
    fchown(&folder, Some(uid.as_raw()), Some(gid.as_raw()))
        .with_context(|| format!("cannot give {} to its user", dir.display()))?;
    // Its parent may be the user's, and writable by others: now that no one else may
    // write into it, anything inside was put there before we got it.
    if std::fs::read_dir(dir)?.next().is_some() {
        bail!(
            "Refusing to use {}: something was put in it while Swapdesk made it. Remove it, \
             or pass --data-dir with a folder that only you can write to.",
            dir.display()
        );
    }
    Ok(())
}

fn open_dir(dir: &Path) -> anyhow::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
        .open(dir)
        .with_context(|| format!("cannot open the folder {}", dir.display()))
}

/// Replaces `dir/name` with `text`, owned by `owner`. A link or hard link planted at that
/// name is replaced, never written through.
pub(super) fn replace_file(
    dir: &Path,
    name: &str,
    text: &str,
    (uid, gid): Owner,
) -> anyhow::Result<()> {
    let path = dir.join(name);
    let temp = dir.join(format!("{name}.new"));
    match std::fs::remove_file(&temp) {
        Err(e) if e.kind() != ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("cannot remove {}", temp.display()));
        }
        _ => {}
    }
    // create_new is O_EXCL: it makes a new file and never follows a link.
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&temp)
        .with_context(|| format!("cannot create {}", temp.display()))?;
    fchown(&file, Some(uid.as_raw()), Some(gid.as_raw()))?;
    file.write_all(text.as_bytes())?;
    drop(file);
    // rename replaces the directory entry itself, whatever it pointed to.
    std::fs::rename(&temp, &path).with_context(|| format!("cannot write {}", path.display()))
}

/// Appends `text` to a file of `owner`'s that has no other name.
pub(super) fn append_file(path: &Path, text: &str, (uid, _): Owner) -> anyhow::Result<()> {
    let mut file = open_own_file(OpenOptions::new().append(true), path, uid)?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Reads a file of `owner`'s that has no other name.
pub(super) fn read_file(path: &Path, (uid, _): Owner) -> anyhow::Result<String> {
    let mut file = open_own_file(OpenOptions::new().read(true), path, uid)?;
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    Ok(text)
}

fn open_own_file(options: &mut OpenOptions, path: &Path, uid: Uid) -> anyhow::Result<File> {
    // O_NONBLOCK: a FIFO planted in its place must not hang the start.
    let file = options
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.nlink() != 1 || meta.uid() != uid.as_raw() {
        bail!(
            "Refusing to use {}: it is not a plain file of {} with one name.",
            path.display(),
            user_name(uid.as_raw())
        );
    }
    Ok(file)
}

fn user_name(uid: u32) -> String {
    match User::from_uid(Uid::from_raw(uid)) {
        Ok(Some(user)) => format!("{} (uid {uid})", user.name),
        _ => format!("uid {uid}"),
    }
}
