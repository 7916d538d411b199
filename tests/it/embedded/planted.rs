//! Folders, links and files another local user plants where the embedded cluster (run by
//! root) will look: each is refused or replaced, and nothing is written through it.
//! "Another user" is `nobody`; these need root, as the launcher's fallbacks do.

use std::os::unix::fs::{MetadataExt, PermissionsExt, chown, symlink};
use std::path::Path;

use nix::unistd::Uid;

use super::{Scratch, owner_and_mode, postgres_user, select_one, start};
use swapdesk::embedded;

const NOBODY: u32 = 65534;

fn as_root() -> bool {
    let root = Uid::effective().is_root();
    if !root {
        eprintln!("skipped: planting another user's folder needs root");
    }
    root
}

/// A folder as another user would plant it.
fn plant_dir(path: &Path, uid: u32, mode: u32) {
    std::fs::create_dir_all(path).unwrap();
    chown(path, Some(uid), Some(uid)).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

fn refusal(data: &Path, base: &Path) -> String {
    match start(data, base) {
        Ok(pg) => panic!("started on {}", pg.data_dir().display()),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn a_fallback_folder_planted_by_another_user_is_refused_and_left_empty() {
    if !as_root() {
        return;
    }
    let postgres = postgres_user().uid.as_raw();
    for (uid, mode, problem) in [
        (NOBODY, 0o700, "belongs to"),
        (postgres, 0o755, "mode is 0755"),
        (postgres, 0o1777, "mode is 1777"),
    ] {
        let scratch = Scratch::new();
        let asked = scratch.private_data_dir();
        let base = scratch.base();
        plant_dir(&base, 0, 0o711);
        let planted = embedded::fallback_data_dir(&base, &asked);
        plant_dir(&planted, uid, mode);

        let error = refusal(&asked, &base);
        assert!(error.contains(&planted.display().to_string()), "{error}");
        assert!(error.contains(problem), "{error}");
        assert!(error.contains("--data-dir"), "says what to do: {error}");
        assert!(is_empty(&planted), "nothing written into it");
        assert_eq!(owner_and_mode(&planted), (uid, mode), "left as found");
    }
}

#[test]
fn a_fallback_folder_that_is_a_symlink_is_refused_and_its_target_untouched() {
    if !as_root() {
        return;
    }
    let scratch = Scratch::new();
    let asked = scratch.private_data_dir();
    let base = scratch.base();
    plant_dir(&base, 0, 0o711);
    // Even a target that would pass every check is not followed.
    let target = scratch.path().join("theirs");
    plant_dir(&target, postgres_user().uid.as_raw(), 0o700);
    let planted = embedded::fallback_data_dir(&base, &asked);
    symlink(&target, &planted).unwrap();

    let error = refusal(&asked, &base);
    assert!(error.contains("symbolic link"), "{error}");
    assert!(is_empty(&target), "nothing written through the link");
}

#[test]
fn a_planted_base_folder_is_refused() {
    if !as_root() {
        return;
    }
    let scratch = Scratch::new();
    let asked = scratch.private_data_dir();

    let theirs = scratch.path().join("theirs");
    plant_dir(&theirs, NOBODY, 0o711);
    let error = refusal(&asked, &theirs);
    assert!(error.contains("belongs to"), "{error}");
    assert!(is_empty(&theirs));

    let link = scratch.path().join("link");
    let target = scratch.path().join("target");
    plant_dir(&target, 0, 0o711);
    symlink(&target, &link).unwrap();
    let error = refusal(&asked, &link);
    assert!(error.contains("symbolic link"), "{error}");
    assert!(is_empty(&target));

    // A folder above the base that others may write to: they could swap the base.
    let open = scratch.path().join("open");
    plant_dir(&open, 0, 0o777);
    let error = refusal(&asked, &open.join("base"));
    assert!(error.contains("others may write"), "{error}");
    assert!(is_empty(&open));
}

#[test]
fn an_existing_data_folder_of_another_user_or_a_symlink_is_refused() {
    if !as_root() {
        return;
    }
    let postgres = postgres_user().uid.as_raw();
    for (uid, mode) in [(NOBODY, 0o700), (postgres, 0o777)] {
        let scratch = Scratch::new();
        let asked = scratch.path().join("pg");
        plant_dir(&asked, uid, mode);
        let error = refusal(&asked, &scratch.base());
        assert!(error.contains(&asked.display().to_string()), "{error}");
        assert!(is_empty(&asked), "nothing written into it");
    }

    let scratch = Scratch::new();
    let asked = scratch.path().join("pg");
    let target = scratch.path().join("theirs");
    plant_dir(&target, postgres, 0o700);
    symlink(&target, &asked).unwrap();
    let error = refusal(&asked, &scratch.base());
    assert!(error.contains("symbolic link"), "{error}");
    assert!(is_empty(&target), "nothing written through the link");
}

#[test]
fn a_planted_socket_folder_is_refused() {
    if !as_root() {
        return;
    }
    let postgres = postgres_user().uid.as_raw();
    for plant_link in [false, true] {
        let scratch = Scratch::new();
        let base = scratch.base();
        plant_dir(&base, 0, 0o711);
        // Too long for a socket path, so the socket would go to a folder under the base.
        let asked = scratch
            .path()
            .join("a-data-folder-with-a-rather-long-name-".repeat(2));
        let planted = embedded::fallback_socket_dir(&base, &asked);
        let target = scratch.path().join("theirs");
        if plant_link {
            plant_dir(&target, postgres, 0o700);
            symlink(&target, &planted).unwrap();
        } else {
            plant_dir(&planted, NOBODY, 0o700);
        }

        let error = refusal(&asked, &base);
        assert!(error.contains(&planted.display().to_string()), "{error}");
        if plant_link {
            assert!(is_empty(&target), "nothing written through the link");
        } else {
            assert!(is_empty(&planted), "nothing written into it");
        }
        assert!(
            !asked.join("PG_VERSION").exists(),
            "refused before initdb ran"
        );
    }
}

#[tokio::test]
async fn a_planted_swapdesk_conf_link_is_replaced_not_followed() {
    if !as_root() {
        return;
    }
    let scratch = Scratch::new();
    let data = scratch.path().join("pg");
    let base = scratch.base();
    start(&data, &base).unwrap().stop();

    let conf = data.join("swapdesk.conf");
    let outside = scratch.path().join("passwd");
    std::fs::write(&outside, "root:x:0:0::/root:/bin/sh\n").unwrap();
    let linked = scratch.path().join("hard-linked");
    std::fs::write(&linked, "kept\n").unwrap();
    for what in [
        "a symlink",
        "a hard link",
        "a symlink as the temporary file",
    ] {
        std::fs::remove_file(&conf).unwrap();
        match what {
            "a symlink" => symlink(&outside, &conf).unwrap(),
            "a hard link" => std::fs::hard_link(&linked, &conf).unwrap(),
            _ => {
                symlink(&outside, data.join("swapdesk.conf.new")).unwrap();
                std::fs::write(&conf, "").unwrap();
            }
        }

        let pg = start(&data, &base).unwrap();
        assert_eq!(select_one(&pg).await, 1, "{what}");
        pg.stop();
        let read = |p: &Path| std::fs::read_to_string(p).unwrap();
        assert_eq!(read(&outside), "root:x:0:0::/root:/bin/sh\n", "{what}");
        assert_eq!(read(&linked), "kept\n", "{what}");
        let meta = std::fs::symlink_metadata(&conf).unwrap();
        assert!(meta.is_file() && meta.nlink() == 1, "{what}: replaced");
        assert_eq!(meta.uid(), postgres_user().uid.as_raw(), "{what}");
        assert!(read(&conf).contains("unix_socket_directories"), "{what}");
    }
}

#[tokio::test]
async fn a_postmaster_pid_pointing_at_another_socket_folder_is_ignored() {
    let scratch = Scratch::new();
    let data = scratch.path().join("pg");
    let base = scratch.base();
    let first = start(&data, &base).unwrap();

    // Line 5 of postmaster.pid names the socket folder; point it at someone else's.
    let theirs = scratch.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    let pid_file = data.join("postmaster.pid");
    let mut lines: Vec<String> = std::fs::read_to_string(&pid_file)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines[4] = theirs.display().to_string();
    std::fs::write(&pid_file, lines.join("\n") + "\n").unwrap();

    let second = start(&data, &base).unwrap();
    assert!(!second.created);
    let url = second.url("postgres");
    assert!(!url.contains("theirs"), "{url}");
    assert_eq!(
        select_one(&second).await,
        1,
        "reached through our own socket"
    );
    second.stop();
    first.stop();
}

#[tokio::test]
async fn a_running_cluster_without_our_socket_is_refused() {
    let scratch = Scratch::new();
    let data = scratch.path().join("pg");
    let base = scratch.base();
    let first = start(&data, &base).unwrap();
    let socket = data.join(".s.PGSQL.5432");
    let aside = data.join("socket-moved-aside");
    std::fs::rename(&socket, &aside).unwrap();

    let error = refusal(&data, &base);
    assert!(error.contains("already running"), "{error}");
    assert!(error.contains(&socket.display().to_string()), "{error}");
    std::fs::rename(&aside, &socket).unwrap();
    first.stop();
}
