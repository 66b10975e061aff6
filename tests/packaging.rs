//! What people install: the man page and completions shipped are the command line's own, and
//! `cargo deb` makes a package whose `chintuck` runs with nothing else beside it.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{chintuck_bin, fixture_image, installed, isolated, repo_root};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn chintuck(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    isolated(Path::new(chintuck_bin()), home.path())
        .args(args)
        .output()
        .unwrap()
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_shipped_man_pages_and_completions_are_current() {
    let pages = tempfile::tempdir().unwrap();
    let output = chintuck(&["manpages", pages.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let shipped_pages = repo_root().join("packaging/man");
    let names = file_names(pages.path());
    assert_eq!(
        names,
        file_names(&shipped_pages),
        "packaging/man is stale: run tools/gen-packaging.sh and commit it"
    );
    for name in &names {
        assert!(
            std::fs::read(pages.path().join(name)).unwrap()
                == std::fs::read(shipped_pages.join(name)).unwrap(),
            "packaging/man/{name} is stale: run tools/gen-packaging.sh and commit it"
        );
    }
    for page in ["chintuck.1", "chintuck-run.1", "chintuck-service-install.1"] {
        assert!(
            names.iter().any(|name| name == page),
            "no {page}: {names:?}"
        );
    }
    let run_page = std::fs::read_to_string(pages.path().join("chintuck-run.1")).unwrap();
    assert!(run_page.contains(".TH chintuck-run 1"), "{run_page}");
    assert!(run_page.contains("\\-\\-source"), "{run_page}");

    for (args, file) in [
        (
            &["completions", "bash"][..],
            "packaging/completions/chintuck.bash",
        ),
        (
            &["completions", "zsh"][..],
            "packaging/completions/_chintuck",
        ),
        (
            &["completions", "fish"][..],
            "packaging/completions/chintuck.fish",
        ),
    ] {
        let output = chintuck(args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let shipped = std::fs::read_to_string(repo_root().join(file)).unwrap();
        assert!(
            stdout(&output) == shipped,
            "{file} is stale: run tools/gen-packaging.sh and commit it"
        );
    }
    let bash = stdout(&chintuck(&["completions", "bash"]));
    assert!(bash.contains("complete -F _chintuck"), "{bash}");
    let bad = chintuck(&["completions", "tcsh"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("possible values"), "{}", stderr(&bad));
}

/// `cargo deb` over the binary these tests built: the package holds the binary, the user
/// unit, the autostart entry, the man page, completions and licences; unpacked on its own,
/// its `chintuck` analyses a photo with the models it carries.
#[test]
fn the_deb_package_holds_everything_and_its_chintuck_runs() {
    for tool in ["cargo-deb", "dpkg-deb", "strip"] {
        if !installed(tool) {
            common::skip(&format!(
                "{tool} is not installed (cargo install cargo-deb --locked; apt-get install dpkg binutils)"
            ));
            return;
        }
    }
    // cargo deb --no-build takes target/release/chintuck from the target folder: point it at
    // one that holds this test's build, rather than building a release binary again.
    let target = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(target.path().join("release")).unwrap();
    std::fs::copy(chintuck_bin(), target.path().join("release/chintuck")).unwrap();
    let deb = target.path().join("chintuck.deb");
    let built = Command::new("cargo")
        .args(["deb", "--no-build", "--offline", "--output"])
        .arg(&deb)
        .current_dir(repo_root())
        .env("CARGO_TARGET_DIR", target.path())
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "cargo deb failed: {}{}",
        stdout(&built),
        stderr(&built)
    );

    let field = |name: &str| {
        let output = Command::new("dpkg-deb")
            .arg("--field")
            .arg(&deb)
            .arg(name)
            .output()
            .unwrap();
        stdout(&output).trim().to_owned()
    };
    assert_eq!(field("Package"), "chintuck");
    assert_eq!(field("Version"), format!("{}-1", env!("CARGO_PKG_VERSION")));
    assert!(field("Depends").contains("libc6"), "{}", field("Depends"));

    let listing = stdout(
        &Command::new("dpkg-deb")
            .arg("--contents")
            .arg(&deb)
            .output()
            .unwrap(),
    );
    for path in [
        "./usr/bin/chintuck",
        "./usr/lib/systemd/user/chintuck.service",
        "./usr/share/chintuck/autostart/chintuck.desktop",
        "./usr/share/man/man1/chintuck.1.gz",
        "./usr/share/man/man1/chintuck-run.1.gz",
        "./usr/share/bash-completion/completions/chintuck",
        "./usr/share/zsh/vendor-completions/_chintuck",
        "./usr/share/fish/vendor_completions.d/chintuck.fish",
        "./usr/share/doc/chintuck/copyright",
        "./usr/share/doc/chintuck/NOTICE",
        "./usr/share/doc/chintuck/LICENSE-APACHE-2.0",
    ] {
        assert!(
            listing.lines().any(|line| line.ends_with(path)),
            "{path} is not in the package:\n{listing}"
        );
    }
    // Nothing enables itself for every user: no /etc/xdg/autostart, no maintainer scripts.
    assert!(!listing.contains("./etc/"), "{listing}");

    let root = target.path().join("root");
    let unpacked = Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(&root)
        .status()
        .unwrap();
    assert!(unpacked.success());
    let packaged = root.join("usr/bin/chintuck");
    let home = tempfile::tempdir().unwrap();
    let version = isolated(&packaged, home.path())
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        stdout(&version).trim(),
        format!("chintuck {}", env!("CARGO_PKG_VERSION"))
    );
    let analyzed = isolated(&packaged, home.path())
        .current_dir(target.path())
        .args(["analyze", "--json"])
        .arg(fixture_image("astronaut.png"))
        .output()
        .unwrap();
    assert!(analyzed.status.success(), "{}", stderr(&analyzed));
    assert!(
        stdout(&analyzed).contains("\"person\":true"),
        "{}",
        stdout(&analyzed)
    );
    let unit = std::fs::read_to_string(root.join("usr/lib/systemd/user/chintuck.service")).unwrap();
    assert!(
        unit.contains("ExecStart=\"/usr/bin/chintuck\" run"),
        "{unit}"
    );
}
