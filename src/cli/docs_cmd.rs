//! `chintuck completions SHELL` and `chintuck manpages DIR`: generated from the command-line
//! definition itself, so they never drift from it. The .deb ships their output (packaging/).

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, Result};
use clap::Command;
use clap_complete::Shell;

/// Writes the completion script for `shell` to stdout.
pub fn completions(mut command: Command, shell: Shell) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "chintuck", &mut script);
    write_stdout(&script)
}

/// Writes `chintuck.1` and a page per subcommand (`chintuck-run.1`, …) into `dir`.
pub fn manpages(command: Command, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    clap_mangen::generate_to(command, dir)
        .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
    println!(
        "wrote the man pages into {}; read one with: man -l {}",
        dir.display(),
        dir.join("chintuck-run.1").display()
    );
    Ok(())
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(())
}
