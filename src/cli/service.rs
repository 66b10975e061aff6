//! `chintuck service install|uninstall`: start the monitor with the session.
//!
//! With a systemd user session: a user unit, enabled and started. Without
//! one: an XDG autostart entry, which desktop sessions run at login.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};

use chintuck::store::write_atomically;

const UNIT_NAME: &str = "chintuck.service";

/// Where the .deb puts its user unit (packaging/chintuck.service), for `/usr/bin/chintuck`.
const PACKAGED_UNIT: &str = "/usr/lib/systemd/user/chintuck.service";

fn config_home() -> PathBuf {
    chintuck::config::default_path()
        .parent()
        .and_then(Path::parent)
        .map(Path::to_owned)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn unit_path() -> PathBuf {
    config_home().join("systemd/user").join(UNIT_NAME)
}

fn autostart_path() -> PathBuf {
    config_home().join("autostart/chintuck.desktop")
}

/// Whether `systemctl --user` talks to a running user manager.
fn systemd_user_session() -> bool {
    systemctl(&["show-environment"]).is_ok()
}

fn systemctl(args: &[&str]) -> Result<()> {
    let status = Command::new("systemctl")
        .arg("--user")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("cannot run systemctl")?;
    if !status.success() {
        bail!("`systemctl --user {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

pub fn unit_text(executable: &Path) -> String {
    format!(
        "[Unit]\n\
         Description=chintuck posture monitor (warns when forward head posture lasts)\n\
         PartOf=graphical-session.target\n\
         After=graphical-session.target\n\n\
         [Service]\n\
         ExecStart=\"{}\" run\n\
         Restart=on-failure\n\
         RestartSec=30\n\
         # SIGTERM makes chintuck close the camera and keep what it measured.\n\
         KillSignal=SIGTERM\n\n\
         [Install]\n\
         WantedBy=graphical-session.target\n",
        executable.display()
    )
}

/// Whether the packaged unit (its text, if there is one) starts this very binary, so that
/// enabling it is enough and no unit of the user's own is written.
fn packaged_unit_runs(executable: &Path, packaged_text: Option<String>) -> bool {
    packaged_text.is_some_and(|text| text == unit_text(executable))
}

pub fn autostart_text(executable: &Path) -> String {
    format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=chintuck\n\
         Comment=Posture monitor: warns when forward head posture lasts\n\
         Exec=\"{}\" run\n\
         Terminal=false\n\
         X-GNOME-Autostart-enabled=true\n",
        executable.display()
    )
}

pub fn install(force_autostart: bool) -> Result<()> {
    let executable =
        std::env::current_exe().context("cannot find the chintuck binary's own path")?;
    if !force_autostart && systemd_user_session() {
        if packaged_unit_runs(&executable, std::fs::read_to_string(PACKAGED_UNIT).ok()) {
            systemctl(&["enable", "--now", UNIT_NAME])?;
            println!(
                "enabled and started the packaged systemd user service {UNIT_NAME} ({PACKAGED_UNIT})\nlogs: journalctl --user -u chintuck; stop: systemctl --user stop chintuck"
            );
            return Ok(());
        }
        let path = unit_path();
        write_atomically(&path, unit_text(&executable).as_bytes())?;
        systemctl(&["daemon-reload"])?;
        systemctl(&["enable", "--now", UNIT_NAME])?;
        println!(
            "installed and started the systemd user service {} ({})\nlogs: journalctl --user -u chintuck; stop: systemctl --user stop chintuck",
            UNIT_NAME,
            path.display()
        );
    } else {
        let path = autostart_path();
        write_atomically(&path, autostart_text(&executable).as_bytes())?;
        println!(
            "no systemd user session: wrote the autostart entry {}; chintuck starts at your next login (or run `chintuck run` now)",
            path.display()
        );
    }
    Ok(())
}

pub fn uninstall() -> Result<()> {
    let mut removed = Vec::new();
    let unit = unit_path();
    if unit.exists() {
        // Best effort: a manager that is not running has nothing to stop.
        let _ = systemctl(&["disable", "--now", UNIT_NAME]);
        std::fs::remove_file(&unit).with_context(|| format!("cannot remove {}", unit.display()))?;
        let _ = systemctl(&["daemon-reload"]);
        removed.push(unit.clone());
    }
    let autostart = autostart_path();
    if autostart.exists() {
        std::fs::remove_file(&autostart)
            .with_context(|| format!("cannot remove {}", autostart.display()))?;
        removed.push(autostart.clone());
    }
    if removed.is_empty() {
        println!(
            "chintuck was not installed as a service (no {} nor {})",
            unit.display(),
            autostart.display()
        );
    } else {
        for path in removed {
            println!("removed {}", path.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The .deb ships these files; they must be what `service install` writes for the
    /// packaged binary, so both ways of starting chintuck behave the same.
    #[test]
    fn the_packaged_unit_and_autostart_entry_are_what_install_writes() {
        let packaged = Path::new("/usr/bin/chintuck");
        assert_eq!(
            include_str!("../../packaging/chintuck.service"),
            unit_text(packaged),
            "packaging/chintuck.service is stale: write unit_text(\"/usr/bin/chintuck\") there"
        );
        assert_eq!(
            include_str!("../../packaging/chintuck.desktop"),
            autostart_text(packaged),
            "packaging/chintuck.desktop is stale: write autostart_text(\"/usr/bin/chintuck\") there"
        );
    }

    #[test]
    fn the_packaged_unit_is_used_only_for_the_binary_it_starts() {
        let packaged = Path::new("/usr/bin/chintuck");
        let text = unit_text(packaged);
        assert!(packaged_unit_runs(packaged, Some(text.clone())));
        assert!(!packaged_unit_runs(
            Path::new("/home/me/.cargo/bin/chintuck"),
            Some(text)
        ));
        assert!(!packaged_unit_runs(packaged, None));
    }
}
