//! `chintuck config init|path|show|check`.

use std::path::Path;

use anyhow::{Context, Result, bail};

use chintuck::config::Config;
use chintuck::store::write_atomically;

use crate::ConfigAction;

pub fn config(path: &Path, action: ConfigAction) -> Result<()> {
    match action {
        ConfigAction::Path => println!("{}", path.display()),
        ConfigAction::Init { force } => {
            if path.exists() && !force {
                bail!(
                    "{} already exists; pass --force to overwrite it with the defaults",
                    path.display()
                );
            }
            write_atomically(path, Config::default().to_documented_toml().as_bytes())
                .context("cannot write the config file")?;
            println!("wrote {}", path.display());
        }
        ConfigAction::Show => {
            let config = Config::load(path)?;
            if !path.exists() {
                println!(
                    "# {} does not exist: these are the defaults",
                    path.display()
                );
            }
            print!("{}", config.to_documented_toml());
        }
        ConfigAction::Check => {
            if !path.exists() {
                println!(
                    "{} does not exist: the defaults apply (`chintuck config init` writes them)",
                    path.display()
                );
                return Ok(());
            }
            Config::load(path)?;
            println!("{}: OK", path.display());
        }
    }
    Ok(())
}
