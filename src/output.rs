//! Writing output files so that nothing is ever half-written.
//!
//! Every file is first written completely, then given its name in one step.
//! On Linux the data goes into an unnamed file in the target folder
//! (`O_TMPFILE`), which is linked into place only once complete: a process
//! killed mid-write (even by SIGKILL) leaves nothing behind. Elsewhere a
//! hidden temporary file in the target folder is renamed into place.
//!
//! Before a file is named its data is made durable (`fdatasync`), so that
//! not even a system crash right after leaves a named but empty file.
//!
//! [`write_all`] writes a unit's files (its PDF and DOCX) together: all are
//! written and made durable before any is named, so a failure leaves none
//! of them. A batch separates the steps: its workers [`stage`] each unit's
//! files and go on rendering, and one thread makes them durable and names
//! them ([`commit`]), so no worker waits for the disk.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// A complete file not yet given its name.
struct Prepared {
    target: PathBuf,
    file: TempFile,
}

/// Where a file's bytes wait for their name.
enum TempFile {
    /// A file with no name at all (`O_TMPFILE`).
    #[cfg(target_os = "linux")]
    Unnamed(File),
    /// A hidden file in the target folder, renamed into place.
    Hidden(tempfile::NamedTempFile),
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(target_os = "linux")]
fn unnamed_file(dir: &Path) -> std::io::Result<File> {
    use rustix::fs::{CWD, Mode, OFlags, openat};
    let fd = openat(CWD, dir, OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC, Mode::from_raw_mode(0o644))?;
    Ok(File::from(fd))
}

/// Writes `bytes` into a new file in `target`'s folder, not yet named.
fn prepare(target: &Path, bytes: &[u8]) -> Result<Prepared, Error> {
    let dir = folder_of(target);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    #[cfg(target_os = "linux")]
    if let Ok(mut f) = unnamed_file(dir) {
        f.write_all(bytes).map_err(|e| Error::io(target, &e))?;
        return Ok(Prepared { target: target.to_owned(), file: TempFile::Unnamed(f) });
    }
    let mut tmp =
        tempfile::Builder::new().prefix(".jianbao-").suffix(".tmp").tempfile_in(dir).map_err(|e| Error::io(dir, &e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(target, &e))?;
    Ok(Prepared { target: target.to_owned(), file: TempFile::Hidden(tmp) })
}

impl Prepared {
    fn sync(&self) -> Result<(), Error> {
        let file = match &self.file {
            #[cfg(target_os = "linux")]
            TempFile::Unnamed(f) => f,
            TempFile::Hidden(tmp) => tmp.as_file(),
        };
        file.sync_data().map_err(|e| Error::io(&self.target, &e))
    }

    fn name(self) -> Result<(), Error> {
        match self.file {
            #[cfg(target_os = "linux")]
            TempFile::Unnamed(f) => link_into_place(&f, &self.target).map_err(|e| Error::io(&self.target, &e)),
            TempFile::Hidden(tmp) => {
                tmp.persist(&self.target).map(|_| ()).map_err(|e| Error::io(&self.target, &e.error))
            }
        }
    }
}

/// A unit's files, written completely but neither durable nor named yet:
/// dropped, they vanish.
pub struct Staged(Vec<Prepared>);

/// Writes every `(path, bytes)` pair into a file of its own, named by
/// nothing yet (see [`commit`]).
pub fn stage(files: &[(PathBuf, &[u8])]) -> Result<Staged, Error> {
    files.iter().map(|(p, b)| prepare(p, b)).collect::<Result<_, _>>().map(Staged)
}

/// Makes a unit's staged files durable, then gives each its name: if any
/// cannot be made durable, none is named.
pub fn commit(staged: Staged) -> Result<(), Error> {
    for p in &staged.0 {
        p.sync()?;
    }
    for p in staged.0 {
        p.name()?;
    }
    Ok(())
}

/// Gives an unnamed file its name, replacing an existing file atomically.
#[cfg(target_os = "linux")]
fn link_into_place(f: &File, target: &Path) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;

    use rustix::fs::{AtFlags, CWD, linkat, renameat};
    let proc_path = format!("/proc/self/fd/{}", f.as_raw_fd());
    match linkat(CWD, proc_path.as_str(), CWD, target, AtFlags::SYMLINK_FOLLOW) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::EXIST) => {
            // Replace: link under a temporary name, then rename over the old
            // file (rename is atomic; the window between is microseconds).
            let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("out");
            let tmp = folder_of(target).join(format!(".{name}.{}.jianbao.tmp", std::process::id()));
            let _ = std::fs::remove_file(&tmp);
            linkat(CWD, proc_path.as_str(), CWD, &tmp, AtFlags::SYMLINK_FOLLOW)?;
            renameat(CWD, &tmp, CWD, target).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes every `(path, bytes)` pair: all are written completely before any
/// is named, so on error none of them appears.
pub fn write_all(files: &[(PathBuf, &[u8])]) -> Result<(), Error> {
    commit(stage(files)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("sub/a.pdf");
        write_all(&[(a.clone(), b"one")]).unwrap();
        write_all(&[(a.clone(), b"two")]).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"two");
        let names: Vec<_> =
            std::fs::read_dir(dir.path().join("sub")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.pdf")]);
    }
}
