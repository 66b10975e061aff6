//! The real capture path against a real V4L2 camera: the kernel's `vivid`
//! virtual camera, in a QEMU guest booting Debian's own kernel (this
//! machine's kernel has no media modules). vivid makes a capture and an output
//! node; inside the guest, chintuck lists the capture node
//! only and checks it (at the default 640×480 and at a `[camera] resolution`
//! of 1280×720), then `run` watches through it (nokhwa → our
//! decoding → the pose model), `pause` must close the device, `resume` open
//! it again, unbinding the device (an unplug) must be said and rebinding it
//! (a replug) recovered from without a restart, and SIGTERM must stop the
//! monitor cleanly.
//!
//! Skipped, with the reason printed, where qemu-system-x86_64 or the guest
//! kernel is missing: `.ci/run` installs QEMU and runs `tools/vivid-guest.sh`,
//! which unpacks the kernel and busybox into target/vivid-guest.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The media modules vivid needs, in load order (paths under drivers/media).
const MODULES: [&str; 12] = [
    "mc/mc",
    "v4l2-core/videodev",
    "common/videobuf2/videobuf2-common",
    "common/videobuf2/videobuf2-v4l2",
    "rc/rc-core",
    "cec/core/cec",
    "v4l2-core/v4l2-dv-timings",
    "common/v4l2-tpg/v4l2-tpg",
    "common/videobuf2/videobuf2-memops",
    "common/videobuf2/videobuf2-dma-contig",
    "common/videobuf2/videobuf2-vmalloc",
    "test-drivers/vivid/vivid",
];

/// The guest's init: load vivid, exercise chintuck, print results between
/// markers, power off.
const INIT: &str = r#"#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
for m in MODULE_NAMES; do insmod /modules/$m.ko || echo "@@insmod-failed $m"; done
insmod /modules/vivid.ko node_types=0x101 || echo "@@insmod-failed vivid"
export XDG_RUNTIME_DIR=/tmp/run XDG_CONFIG_HOME=/tmp/config XDG_DATA_HOME=/tmp/data HOME=/tmp
mkdir -p /tmp/run && chmod 700 /tmp/run
video_fds() { ls -l /proc/$1/fd 2>/dev/null | grep -c /dev/video; }
echo "@@nodes $(ls /dev | grep -c '^video')"
echo "@@cameras-begin"
chintuck cameras --check --json
echo "@@cameras-end $?"
mkdir -p /tmp/config/chintuck
printf '[camera]\nresolution = "1280x720"\n' > /tmp/config/chintuck/config.toml
echo "@@cameras-hd-begin"
chintuck cameras --check --json
echo "@@cameras-hd-end $?"
rm /tmp/config/chintuck/config.toml
chintuck run --json >/tmp/run.out 2>/tmp/run.err &
pid=$!
tries=0
until grep -q '"state_changed"' /tmp/run.out 2>/dev/null || [ $tries -ge 240 ]; do sleep 1; tries=$((tries+1)); done
echo "@@open-watching $(video_fds $pid)"
chintuck pause
# Under emulation a frame takes seconds: the pause applies after it.
tries=0
until [ "$(video_fds $pid)" = 0 ] || [ $tries -ge 90 ]; do sleep 1; tries=$((tries+1)); done
echo "@@open-paused $(video_fds $pid)"
sleep 5
echo "@@open-still-paused $(video_fds $pid)"
chintuck resume
tries=0
until [ "$(video_fds $pid)" != 0 ] || [ $tries -ge 60 ]; do sleep 1; tries=$((tries+1)); done
echo "@@open-resumed $(video_fds $pid)"
# Unplug: unbind the device from its driver, as pulling the cable does.
echo vivid.0 > /sys/bus/platform/drivers/vivid/unbind
echo "@@unplugged-nodes $(ls /dev | grep -c '^video')"
tries=0
until chintuck status | grep -q '^camera:' || [ $tries -ge 120 ]; do sleep 1; tries=$((tries+1)); done
echo "@@status-unplugged $(chintuck status | grep '^camera:')"
# Plug it back in: chintuck reopens it by itself.
echo vivid.0 > /sys/bus/platform/drivers/vivid/bind
tries=0
until [ "$(video_fds $pid)" != 0 ] || [ $tries -ge 120 ]; do sleep 1; tries=$((tries+1)); done
echo "@@open-replugged $(video_fds $pid)"
tries=0
until grep -q '"status":"ok"' /tmp/run.out || [ $tries -ge 120 ]; do sleep 1; tries=$((tries+1)); done
kill -TERM $pid
wait $pid
echo "@@run-exit $?"
echo "@@run-out-begin"
cat /tmp/run.out
echo "@@run-out-end"
echo "@@run-err-begin"
cat /tmp/run.err
echo "@@run-err-end"
echo "@@done"
poweroff -f
"#;

/// A cpio archive in the "newc" format the kernel unpacks as initramfs.
#[derive(Default)]
struct Cpio {
    bytes: Vec<u8>,
    inode: u32,
}

impl Cpio {
    fn entry(&mut self, name: &str, mode: u32, rdev: (u32, u32), data: &[u8]) {
        self.inode += 1;
        let fields = [
            self.inode,
            mode,
            0,
            0,
            1,
            0,
            data.len() as u32,
            0,
            0,
            rdev.0,
            rdev.1,
            name.len() as u32 + 1,
            0,
        ];
        self.bytes.extend_from_slice(b"070701");
        for field in fields {
            self.bytes
                .extend_from_slice(format!("{field:08X}").as_bytes());
        }
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.push(0);
        self.pad();
        self.bytes.extend_from_slice(data);
        self.pad();
    }

    fn pad(&mut self) {
        while !self.bytes.len().is_multiple_of(4) {
            self.bytes.push(0);
        }
    }

    fn dir(&mut self, name: &str) {
        self.entry(name, 0o040755, (0, 0), &[]);
    }

    fn file(&mut self, name: &str, executable: bool, data: &[u8]) {
        let mode = if executable { 0o100755 } else { 0o100644 };
        self.entry(name, mode, (0, 0), data);
    }

    fn copy(&mut self, name: &str, from: &Path) {
        let data = std::fs::read(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
        self.file(name, true, &data);
    }

    fn finish(mut self) -> Vec<u8> {
        self.entry("TRAILER!!!", 0, (0, 0), &[]);
        while !self.bytes.len().is_multiple_of(512) {
            self.bytes.push(0);
        }
        self.bytes
    }
}

/// The shared libraries `ldd` lists for a binary, with their paths.
fn shared_libraries(binary: &str) -> Vec<PathBuf> {
    let output = Command::new("ldd").arg(binary).output().expect("ldd runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            line.split_whitespace()
                .find(|word| word.starts_with('/'))
                .map(PathBuf::from)
        })
        .collect()
}

fn guest_dir() -> PathBuf {
    std::env::var_os("CHINTUCK_VIVID_GUEST")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::repo_root().join("target/vivid-guest"))
}

fn build_initramfs(guest_root: &Path, modules_dir: &Path) -> Vec<u8> {
    let mut cpio = Cpio::default();
    for dir in [
        "bin", "dev", "proc", "sys", "tmp", "lib", "lib64", "modules",
    ] {
        cpio.dir(dir);
    }
    // The console must exist before init runs, or the guest prints nothing.
    cpio.entry("dev/console", 0o020600, (5, 1), &[]);
    cpio.copy("bin/busybox", &guest_root.join("bin/busybox"));
    cpio.copy("bin/chintuck", Path::new(common::chintuck_bin()));
    let mut made_dirs = vec!["lib".to_string(), "lib64".to_string()];
    for library in shared_libraries(common::chintuck_bin()) {
        let name = library
            .to_string_lossy()
            .trim_start_matches('/')
            .to_string();
        let mut parent = String::new();
        for part in Path::new(&name).parent().unwrap().iter() {
            if !parent.is_empty() {
                parent.push('/');
            }
            parent.push_str(&part.to_string_lossy());
            if !made_dirs.contains(&parent) {
                cpio.dir(&parent);
                made_dirs.push(parent.clone());
            }
        }
        cpio.copy(&name, &library);
    }
    for module in MODULES {
        let file = modules_dir.join(format!("{module}.ko"));
        let base = module.rsplit('/').next().unwrap();
        cpio.copy(&format!("modules/{base}.ko"), &file);
    }
    let names: Vec<&str> = MODULES[..MODULES.len() - 1]
        .iter()
        .map(|m| m.rsplit('/').next().unwrap())
        .collect();
    cpio.file(
        "init",
        true,
        INIT.replace("MODULE_NAMES", &names.join(" ")).as_bytes(),
    );
    cpio.finish()
}

fn between<'a>(console: &'a str, begin: &str, end: &str) -> &'a str {
    let start = console
        .find(begin)
        .unwrap_or_else(|| panic!("no {begin} in the guest's output:\n{console}"))
        + begin.len();
    let stop = console[start..]
        .find(end)
        .map(|i| start + i)
        .unwrap_or_else(|| panic!("no {end} in the guest's output:\n{console}"));
    &console[start..stop]
}

fn marker_number(console: &str, marker: &str) -> i64 {
    // A marker may follow the console's escape codes on its line.
    let rest = console
        .lines()
        .find_map(|line| line.split_once(marker).map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("no {marker} in the guest's output:\n{console}"));
    rest.trim().parse().unwrap_or(-1)
}

#[test]
fn chintuck_watches_through_a_real_v4l2_camera_in_a_qemu_guest() {
    if !common::installed("qemu-system-x86_64") {
        common::skip("qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)");
        return;
    }
    let guest = guest_dir().join("root");
    let kernel = std::fs::read_dir(guest.join("boot"))
        .ok()
        .and_then(|entries| {
            entries.flatten().map(|e| e.path()).find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("vmlinuz")
            })
        });
    let modules_dir = std::fs::read_dir(guest.join("lib/modules"))
        .ok()
        .and_then(|mut entries| entries.next())
        .and_then(Result::ok)
        .map(|e| e.path().join("kernel/drivers/media"));
    let (Some(kernel), Some(modules_dir)) = (kernel, modules_dir) else {
        common::skip(&format!(
            "no guest kernel in {} (run tools/vivid-guest.sh to fetch it)",
            guest.display()
        ));
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let initrd = work.path().join("initrd.cpio");
    std::fs::File::create(&initrd)
        .unwrap()
        .write_all(&build_initramfs(&guest, &modules_dir))
        .unwrap();

    let started = Instant::now();
    let mut qemu = Command::new("qemu-system-x86_64")
        .args([
            "-accel",
            "tcg,thread=multi",
            "-cpu",
            "max",
            "-m",
            "2048",
            "-smp",
            "2",
        ])
        .args(["-nographic", "-no-reboot", "-nic", "none"])
        .arg("-kernel")
        .arg(&kernel)
        .arg("-initrd")
        .arg(&initrd)
        .args(["-append", "console=ttyS0 quiet panic=-1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qemu starts");
    let deadline = Duration::from_secs(900);
    while qemu.try_wait().unwrap().is_none() {
        if started.elapsed() > deadline {
            let _ = qemu.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let output = qemu.wait_with_output().unwrap();
    let console = String::from_utf8_lossy(&output.stdout).replace('\r', "");
    println!(
        "guest ran for {:.0} s:\n{console}\n{}",
        started.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(console.contains("@@done"), "the guest did not finish");
    assert!(
        !console.contains("@@insmod-failed"),
        "a module did not load"
    );

    // `cameras --check`: the vivid device, its formats, and a real frame.
    let cameras = between(&console, "@@cameras-begin\n", "@@cameras-end");
    let listed: Vec<Value> = cameras
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // vivid made a capture and an output node: only the capture node is a
    // camera.
    assert_eq!(
        marker_number(&console, "@@nodes"),
        2,
        "video nodes in the guest"
    );
    assert_eq!(
        listed.len(),
        1,
        "one capture device, listed once: {cameras}"
    );
    let camera = &listed[0];
    assert!(
        camera["name"].as_str().unwrap().contains("vivid"),
        "{camera}"
    );
    assert!(
        camera["formats"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.as_str().unwrap().starts_with("YUYV 640×480")),
        "{camera}"
    );
    assert_eq!(camera["check"]["ok"], true, "{camera}");
    assert_eq!(
        camera["check"]["result"], "picture 640×480 (asked for 640x480)",
        "{camera}"
    );
    assert_eq!(marker_number(&console, "@@cameras-end"), 0);
    // `[camera] resolution`: the same camera asked for a larger picture
    // gives it, through the same driver `run` uses.
    let hd = between(&console, "@@cameras-hd-begin\n", "@@cameras-hd-end");
    let hd: Value = serde_json::from_str(hd.lines().find(|l| l.starts_with('{')).unwrap()).unwrap();
    assert_eq!(hd["check"]["ok"], true, "{hd}");
    assert_eq!(
        hd["check"]["result"], "picture 1280×720 (asked for 1280x720)",
        "{hd}"
    );
    assert_eq!(marker_number(&console, "@@cameras-hd-end"), 0);

    // `run`: the camera is open while watching, closed while paused, open
    // again after resume, and SIGTERM ends the run cleanly.
    assert!(marker_number(&console, "@@open-watching") >= 1);
    assert_eq!(
        marker_number(&console, "@@open-paused"),
        0,
        "paused: camera must be closed"
    );
    assert_eq!(
        marker_number(&console, "@@open-still-paused"),
        0,
        "paused: the camera stays closed"
    );
    assert!(marker_number(&console, "@@open-resumed") >= 1);
    // Unplugged and plugged back in: said, then recovered without a restart.
    assert_eq!(marker_number(&console, "@@unplugged-nodes"), 0);
    let unplugged = console
        .lines()
        .find_map(|l| l.split_once("@@status-unplugged ").map(|(_, rest)| rest))
        .unwrap_or_default();
    assert!(
        unplugged.starts_with("camera: ") && unplugged.contains("vivid-000-vid-cap"),
        "status while unplugged: {unplugged}"
    );
    assert!(
        marker_number(&console, "@@open-replugged") >= 1,
        "reopened after replug"
    );
    assert_eq!(marker_number(&console, "@@run-exit"), 0);
    let run_out = between(&console, "@@run-out-begin\n", "@@run-out-end");
    let run_err = between(&console, "@@run-err-begin\n", "@@run-err-end");
    assert!(!run_err.contains("panicked"), "{run_err}");
    assert!(
        run_err.contains("watching through the camera vivid"),
        "{run_err}"
    );
    let events: Vec<Value> = run_out
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let activities: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "activity_changed")
        .map(|e| e["activity"]["activity"].as_str().unwrap())
        .collect();
    assert_eq!(activities, ["paused", "watching"], "{run_out}");
    let camera_events: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "camera")
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert!(
        camera_events.len() >= 2 && camera_events.last() == Some(&"ok"),
        "the camera was lost, then worked again: {camera_events:?}"
    );
    // Colour bars hold no person: the monitor sees the desk empty.
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "state_changed" && e["to"] == "away"),
        "{run_out}"
    );
    let summary = events.last().unwrap();
    assert_eq!(summary["event"], "summary", "{run_out}");
    assert!(summary["inferred"].as_u64().unwrap() >= 1, "{summary}");
}
