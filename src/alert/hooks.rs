//! Alert sinks that run other programs: the user's command (the alert as JSON
//! on its standard input) and a short sound through the desktop's player.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::AlertSink;
use crate::monitor::{Alert, MonitorEvent};

/// Runs `command` for every alert and episode end with the event as JSON on
/// stdin. The command runs in the background; a failure is reported once.
pub struct CommandSink {
    command: Vec<String>,
    warned: bool,
}

impl CommandSink {
    pub fn new(command: Vec<String>) -> Self {
        Self {
            command,
            warned: false,
        }
    }

    fn run(&mut self, json: String) {
        let Some((program, args)) = self.command.split_first() else {
            return;
        };
        let spawned = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn();
        match spawned {
            Ok(mut child) => {
                if let Some(mut stdin) = child.stdin.take() {
                    let _ = writeln!(stdin, "{json}");
                }
                // Reap it in the background so the monitor never waits on it.
                std::thread::spawn(move || child.wait());
            }
            Err(err) if !self.warned => {
                self.warned = true;
                eprintln!(
                    "chintuck: cannot run the alert command `{program}`: {err}; check [alerts] command in the config"
                );
            }
            Err(_) => {}
        }
    }
}

impl AlertSink for CommandSink {
    fn alert(&mut self, alert: &Alert) {
        let json = serde_json::to_string(&MonitorEvent::Alert(*alert)).expect("alerts serialise");
        self.run(json);
    }

    fn episode_ended(&mut self, event: &MonitorEvent) {
        let json = serde_json::to_string(event).expect("events serialise");
        self.run(json);
    }
}

/// Plays a short chime through the first sound player found.
pub struct SoundSink {
    player: Option<PathBuf>,
    sound_file: PathBuf,
    warned: bool,
}

/// Players tried in order: PipeWire, PulseAudio, ALSA.
const PLAYERS: [&str; 3] = ["pw-play", "paplay", "aplay"];

impl SoundSink {
    pub fn new(scratch_dir: &Path) -> Self {
        let player = PLAYERS.iter().find_map(|name| find_on_path(name));
        Self {
            player,
            sound_file: scratch_dir.join("chintuck-chime.wav"),
            warned: false,
        }
    }

    /// Whether a sound player was found.
    pub fn has_player(&self) -> bool {
        self.player.is_some()
    }

    /// Plays the chime without waiting for it to finish.
    pub fn play(&mut self) {
        let Some(player) = &self.player else {
            if !self.warned {
                self.warned = true;
                eprintln!(
                    "chintuck: no sound player found (tried {}); the sound sink stays silent",
                    PLAYERS.join(", ")
                );
            }
            return;
        };
        if !self.sound_file.exists() {
            let _ = std::fs::create_dir_all(self.sound_file.parent().unwrap_or(Path::new(".")));
            if std::fs::write(&self.sound_file, chime_wav()).is_err() {
                return;
            }
        }
        if let Ok(mut child) = Command::new(player)
            .arg(&self.sound_file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            std::thread::spawn(move || child.wait());
        }
    }
}

impl AlertSink for SoundSink {
    fn alert(&mut self, _alert: &Alert) {
        self.play();
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A soft two-tone chime, 0.4 s, 16-bit mono WAV: small enough to make at run time.
pub fn chime_wav() -> Vec<u8> {
    const RATE: u32 = 22_050;
    let samples: Vec<i16> = (0..RATE * 2 / 5)
        .map(|n| {
            let t = n as f32 / RATE as f32;
            let tone = if t < 0.2 { 660.0 } else { 880.0 };
            let envelope = (1.0 - (t % 0.2) / 0.2).powi(2);
            ((2.0 * std::f32::consts::PI * tone * t).sin() * envelope * 9000.0) as i16
        })
        .collect();
    let data_len = (samples.len() * 2) as u32;
    let mut wav = Vec::with_capacity(44 + data_len as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&RATE.to_le_bytes());
    wav.extend_from_slice(&(RATE * 2).to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    for sample in samples {
        wav.extend_from_slice(&sample.to_le_bytes());
    }
    wav
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::{AlertKind, Severity};

    #[test]
    fn the_command_gets_the_alert_as_json_on_stdin() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("alert.json");
        let mut sink = CommandSink::new(vec![
            "sh".into(),
            "-c".into(),
            format!("cat > '{}'", out.display()),
        ]);
        sink.alert(&Alert {
            at_secs: 40.0,
            kind: AlertKind::ForwardHead,
            episode: 2,
            repeat: 0,
            held_secs: 30.5,
            severity: Severity::Marked,
            forward_offset_cm: Some(5.5),
            cva_deg: None,
            chin_poke: false,
        });
        let mut text = String::new();
        for _ in 0..100 {
            text = std::fs::read_to_string(&out).unwrap_or_default();
            if text.ends_with('\n') {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["event"], "alert");
        assert_eq!(value["episode"], 2);
        assert_eq!(value["severity"], "marked");
        assert_eq!(value["forward_offset_cm"], 5.5);
    }

    #[test]
    fn the_chime_is_a_valid_wav() {
        let wav = chime_wav();
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(&wav[8..16], b"WAVEfmt ");
        let data_len = u32::from_le_bytes(wav[40..44].try_into().unwrap()) as usize;
        assert_eq!(wav.len(), 44 + data_len);
        assert_eq!(data_len, 22_050 * 2 / 5 * 2);
    }
}
