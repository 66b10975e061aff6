//! The posture history: one SQLite file of measurements (never pictures),
//! so a person can ask "how was my posture this week, and why did it alert at
//! 15:40?" and `tune` can replay their own days with other settings.
//!
//! WAL mode and one transaction per batch: a crash or `kill -9` loses at most
//! the batch being written and never leaves the file unreadable. The schema
//! carries its version in `PRAGMA user_version`; [`MIGRATIONS`] take any
//! older file forward. The file and its folder are owner-only.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, params};

use crate::monitor::{PostureState, Sample, Severity};
use crate::posture::UncertainReason;

/// File name inside the data folder.
pub const HISTORY_FILE: &str = "history.sqlite";

/// Each entry takes the schema from version `index` to `index + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: sessions, the per-sample track, episodes, alerts, calibrations,
    // config snapshots, stretches.
    "CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        start_unix REAL NOT NULL,
        end_unix REAL NOT NULL,
        camera TEXT NOT NULL,
        profile TEXT NOT NULL,
        config_hash TEXT NOT NULL
     );
     CREATE TABLE config_snapshots (
        hash TEXT PRIMARY KEY,
        first_seen_unix REAL NOT NULL,
        text TEXT NOT NULL
     );
     CREATE TABLE track (
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        at_unix REAL NOT NULL,
        at_secs REAL NOT NULL,
        kind TEXT NOT NULL,
        reason TEXT,
        forward_offset_cm REAL,
        head_drop_cm REAL,
        pitch_change_ratio REAL,
        cva_deg REAL,
        calibrated INTEGER NOT NULL,
        state TEXT NOT NULL,
        severity TEXT,
        smoothed_offset_cm REAL,
        smoothed_cva_deg REAL
     );
     CREATE INDEX track_time ON track(at_unix);
     CREATE TABLE episodes (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        episode INTEGER NOT NULL,
        kind TEXT NOT NULL,
        start_unix REAL NOT NULL,
        end_unix REAL NOT NULL,
        bad_secs REAL NOT NULL,
        peak_offset_cm REAL,
        mean_offset_cm REAL,
        worst_cva_deg REAL,
        severity TEXT NOT NULL
     );
     CREATE INDEX episodes_time ON episodes(start_unix);
     CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        episode INTEGER NOT NULL,
        repeat INTEGER NOT NULL,
        kind TEXT NOT NULL,
        at_unix REAL NOT NULL,
        held_secs REAL NOT NULL,
        severity TEXT NOT NULL,
        offset_cm REAL,
        cva_deg REAL,
        response TEXT,
        response_unix REAL
     );
     CREATE INDEX alerts_time ON alerts(at_unix);
     CREATE TABLE calibrations (
        id INTEGER PRIMARY KEY,
        at_unix REAL NOT NULL,
        profile TEXT NOT NULL,
        camera TEXT NOT NULL,
        frame_width INTEGER NOT NULL,
        frame_height INTEGER NOT NULL,
        baseline_json TEXT NOT NULL
     );
     CREATE TABLE stretches (
        id INTEGER PRIMARY KEY,
        at_unix REAL NOT NULL,
        name TEXT NOT NULL,
        holds_done INTEGER NOT NULL,
        holds_planned INTEGER NOT NULL
     );",
    // 2: daily summaries, kept when the fine track is deleted by retention.
    "CREATE TABLE daily (
        day TEXT PRIMARY KEY,
        monitored_secs REAL NOT NULL,
        good_secs REAL NOT NULL,
        drifting_secs REAL NOT NULL,
        forward_head_secs REAL NOT NULL,
        looking_down_secs REAL NOT NULL,
        away_secs REAL NOT NULL,
        uncertain_secs REAL NOT NULL
     );",
    // 3: the face's pitch change in degrees (NULL in older rows, and where no
    // face was read: the state machine then used the body's pitch ratio).
    "ALTER TABLE track ADD COLUMN pitch_change_deg REAL;",
    // 4: whether a forward head alert said the chin pokes out (0 in older
    // rows: nothing said so then).
    "ALTER TABLE alerts ADD COLUMN chin_poke INTEGER NOT NULL DEFAULT 0;",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "cannot open the history {path}: {reason}; check the folder exists and is writable (or pass --data-dir)"
    )]
    Open { path: PathBuf, reason: String },
    #[error("the history {path} is read-only ({reason}); check its permissions")]
    ReadOnly { path: PathBuf, reason: String },
    #[error("the history {path} is locked by another process; retrying at the next write")]
    Locked { path: PathBuf },
    #[error(
        "the history {path} was written by a newer chintuck (schema {found}, this one knows {known}); upgrade chintuck"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("no history yet at {path}: `chintuck run` records it as it watches")]
    Missing { path: PathBuf },
    #[error("the history {path} could not be written: {reason}")]
    Write { path: PathBuf, reason: String },
}

/// One stored sample: what went into the state machine and what came out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackRow {
    pub session_id: i64,
    pub at_unix: f64,
    /// Seconds since the session started, the state machine's clock.
    pub at_secs: f64,
    /// `None` marks a gap: chintuck stopped looking (paused, no camera).
    pub sample: Option<Sample>,
    pub calibrated: bool,
    pub state: PostureState,
    pub severity: Option<Severity>,
    pub smoothed_offset_cm: Option<f32>,
    pub smoothed_cva_deg: Option<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeRow {
    pub session_id: i64,
    pub episode: u64,
    pub kind: String,
    pub start_unix: f64,
    pub end_unix: f64,
    pub bad_secs: f64,
    pub peak_offset_cm: Option<f32>,
    pub mean_offset_cm: Option<f32>,
    pub worst_cva_deg: Option<f32>,
    pub severity: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlertRow {
    pub session_id: i64,
    pub episode: u64,
    pub repeat: u32,
    pub kind: String,
    pub at_unix: f64,
    pub held_secs: f64,
    pub severity: String,
    pub offset_cm: Option<f32>,
    pub cva_deg: Option<f32>,
    /// The alert said the chin pokes out (see `monitor::Alert::chin_poke`).
    pub chin_poke: bool,
    /// "snoozed", "paused", "done", or `None` when the person did not answer.
    pub response: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub id: i64,
    pub start_unix: f64,
    pub end_unix: f64,
    pub camera: String,
    pub profile: String,
    pub config_hash: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StretchRow {
    pub at_unix: f64,
    pub name: String,
    pub holds_done: u32,
    pub holds_planned: u32,
}

/// Seconds in each state over some stretch of time.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct StateSecs {
    pub good: f64,
    pub drifting: f64,
    pub forward_head: f64,
    pub looking_down: f64,
    pub away: f64,
    pub uncertain: f64,
}

impl StateSecs {
    pub fn add(&mut self, state: PostureState, secs: f64) {
        match state {
            PostureState::Good => self.good += secs,
            PostureState::Drifting => self.drifting += secs,
            PostureState::ForwardHead => self.forward_head += secs,
            PostureState::LookingDown => self.looking_down += secs,
            PostureState::Away => self.away += secs,
            PostureState::Uncertain => self.uncertain += secs,
        }
    }

    pub fn merge(&mut self, other: &StateSecs) {
        self.good += other.good;
        self.drifting += other.drifting;
        self.forward_head += other.forward_head;
        self.looking_down += other.looking_down;
        self.away += other.away;
        self.uncertain += other.uncertain;
    }

    /// Every second chintuck was looking, away included.
    pub fn monitored(&self) -> f64 {
        self.good
            + self.drifting
            + self.forward_head
            + self.looking_down
            + self.away
            + self.uncertain
    }

    /// Seconds someone was there and measured (away and uncertain left out).
    pub fn present(&self) -> f64 {
        self.good + self.drifting + self.forward_head + self.looking_down
    }
}

/// Everything written at once: one transaction.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub track: Vec<TrackRow>,
    pub alerts: Vec<AlertRow>,
    pub episodes: Vec<EpisodeRow>,
    /// (session, episode, repeat, response, at_unix) for alerts answered.
    pub responses: Vec<(i64, u64, u32, String, f64)>,
    /// Stretches done (the alert's "Done" button).
    pub stretches: Vec<StretchRow>,
    /// The session's end so far.
    pub session_end: Option<(i64, f64)>,
}

impl Batch {
    /// Rows in the batch, of every kind.
    pub fn rows(&self) -> usize {
        self.track.len()
            + self.alerts.len()
            + self.episodes.len()
            + self.responses.len()
            + self.stretches.len()
    }
}

pub struct History {
    connection: Connection,
    path: PathBuf,
}

fn classify(path: &Path, err: &rusqlite::Error) -> HistoryError {
    let reason = err.to_string();
    match err.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            HistoryError::Locked {
                path: path.to_owned(),
            }
        }
        Some(rusqlite::ErrorCode::ReadOnly) => HistoryError::ReadOnly {
            path: path.to_owned(),
            reason,
        },
        Some(rusqlite::ErrorCode::CannotOpen) | Some(rusqlite::ErrorCode::PermissionDenied) => {
            HistoryError::Open {
                path: path.to_owned(),
                reason,
            }
        }
        _ => HistoryError::Write {
            path: path.to_owned(),
            reason,
        },
    }
}

impl History {
    /// The history file in a data folder.
    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join(HISTORY_FILE)
    }

    /// Opens (creating if needed) the history for writing and migrates it.
    pub fn open(path: &Path) -> Result<Self, HistoryError> {
        let open_error = |reason: String| HistoryError::Open {
            path: path.to_owned(),
            reason,
        };
        if let Some(folder) = path.parent()
            && !folder.exists()
        {
            std::fs::create_dir_all(folder).map_err(|e| open_error(e.to_string()))?;
            let _ = std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700));
        }
        let existed = path.exists();
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, &e))?;
        if !existed {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| open_error(e.to_string()))?;
        }
        let mut history = Self {
            connection,
            path: path.to_owned(),
        };
        history.configure()?;
        history.migrate()?;
        Ok(history)
    }

    /// Opens an existing history for reading only.
    pub fn open_read_only(path: &Path) -> Result<Self, HistoryError> {
        if !path.exists() {
            return Err(HistoryError::Missing {
                path: path.to_owned(),
            });
        }
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, &e))?;
        connection
            .busy_timeout(Duration::from_secs(2))
            .map_err(|e| classify(path, &e))?;
        let history = Self {
            connection,
            path: path.to_owned(),
        };
        let version = history.schema_version()?;
        if version > SCHEMA_VERSION {
            return Err(HistoryError::TooNew {
                path: path.to_owned(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version < SCHEMA_VERSION {
            // An older file: open it for writing once to migrate it.
            drop(history);
            drop(Self::open(path)?);
            return Self::open_read_only(path);
        }
        Ok(history)
    }

    fn err(&self, e: rusqlite::Error) -> HistoryError {
        classify(&self.path, &e)
    }

    fn configure(&mut self) -> Result<(), HistoryError> {
        // Short: the monitor writes from its own loop and must not stall
        // long on a file another process holds; the batch waits instead.
        self.connection
            .busy_timeout(Duration::from_millis(500))
            .map_err(|e| classify(&self.path, &e))?;
        // WAL: readers (reports) never block the monitor, and a crash never
        // leaves a half-written page. NORMAL sync is durable to the last
        // committed batch on power loss in WAL mode except the newest one.
        self.connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| classify(&self.path, &e))?;
        self.connection
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| classify(&self.path, &e))?;
        self.connection
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| classify(&self.path, &e))?;
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64, HistoryError> {
        self.connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| self.err(e))
    }

    /// Brings the schema to [`SCHEMA_VERSION`], one step per transaction.
    fn migrate(&mut self) -> Result<(), HistoryError> {
        let version = self.schema_version()?;
        if version > SCHEMA_VERSION {
            return Err(HistoryError::TooNew {
                path: self.path.clone(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let path = self.path.clone();
            let transaction = self
                .connection
                .transaction()
                .map_err(|e| classify(&path, &e))?;
            transaction
                .execute_batch(sql)
                .map_err(|e| classify(&path, &e))?;
            transaction
                .pragma_update(None, "user_version", index as i64 + 1)
                .map_err(|e| classify(&path, &e))?;
            transaction.commit().map_err(|e| classify(&path, &e))?;
        }
        Ok(())
    }

    /// Starts a session; the config text is kept once per distinct content.
    pub fn start_session(
        &mut self,
        start_unix: f64,
        camera: &str,
        profile: &str,
        config_text: &str,
    ) -> Result<i64, HistoryError> {
        use sha2::Digest;
        let hash = format!("{:x}", sha2::Sha256::digest(config_text.as_bytes()));
        let path = self.path.clone();
        let transaction = self
            .connection
            .transaction()
            .map_err(|e| classify(&path, &e))?;
        transaction
            .execute(
                "INSERT OR IGNORE INTO config_snapshots (hash, first_seen_unix, text) VALUES (?1, ?2, ?3)",
                params![hash, start_unix, config_text],
            )
            .map_err(|e| classify(&path, &e))?;
        transaction
            .execute(
                "INSERT INTO sessions (start_unix, end_unix, camera, profile, config_hash) VALUES (?1, ?1, ?2, ?3, ?4)",
                params![start_unix, camera, profile, hash],
            )
            .map_err(|e| classify(&path, &e))?;
        let id = transaction.last_insert_rowid();
        transaction.commit().map_err(|e| classify(&path, &e))?;
        Ok(id)
    }

    /// Writes a batch in one transaction: all of it or none of it.
    pub fn write_batch(&mut self, batch: &Batch) -> Result<(), HistoryError> {
        let path = self.path.clone();
        let e = |err: rusqlite::Error| classify(&path, &err);
        let transaction = self.connection.transaction().map_err(e)?;
        {
            let mut insert_track = transaction
                .prepare_cached(
                    "INSERT INTO track (session_id, at_unix, at_secs, kind, reason, forward_offset_cm, head_drop_cm,
                        pitch_change_ratio, cva_deg, calibrated, state, severity, smoothed_offset_cm, smoothed_cva_deg,
                        pitch_change_deg)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                )
                .map_err(e)?;
            for row in &batch.track {
                let (kind, reason, offset, drop, pitch, cva, pitch_deg) = match row.sample {
                    None => ("gap", None, None, None, None, None, None),
                    Some(Sample::Front {
                        forward_offset_cm,
                        head_drop_cm,
                        pitch_change_ratio,
                        pitch_change_deg,
                    }) => (
                        "front",
                        None,
                        Some(forward_offset_cm),
                        Some(head_drop_cm),
                        Some(pitch_change_ratio),
                        None,
                        pitch_change_deg,
                    ),
                    Some(Sample::Side { cva_deg }) => {
                        ("side", None, None, None, None, Some(cva_deg), None)
                    }
                    Some(Sample::Uncertain { reason }) => (
                        "uncertain",
                        Some(reason.as_str()),
                        None,
                        None,
                        None,
                        None,
                        None,
                    ),
                };
                insert_track
                    .execute(params![
                        row.session_id,
                        row.at_unix,
                        row.at_secs,
                        kind,
                        reason,
                        offset,
                        drop,
                        pitch,
                        cva,
                        row.calibrated,
                        row.state.as_str(),
                        row.severity.map(Severity::as_str),
                        row.smoothed_offset_cm,
                        row.smoothed_cva_deg,
                        pitch_deg,
                    ])
                    .map_err(e)?;
            }
            let mut insert_alert = transaction
                .prepare_cached(
                    "INSERT INTO alerts (session_id, episode, repeat, kind, at_unix, held_secs, severity, offset_cm, cva_deg, response, chin_poke)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .map_err(e)?;
            for alert in &batch.alerts {
                insert_alert
                    .execute(params![
                        alert.session_id,
                        alert.episode as i64,
                        alert.repeat,
                        alert.kind,
                        alert.at_unix,
                        alert.held_secs,
                        alert.severity,
                        alert.offset_cm,
                        alert.cva_deg,
                        alert.response,
                        alert.chin_poke,
                    ])
                    .map_err(e)?;
            }
            for (session_id, episode, repeat, response, at_unix) in &batch.responses {
                transaction
                    .execute(
                        "UPDATE alerts SET response = ?4, response_unix = ?5
                         WHERE session_id = ?1 AND episode = ?2 AND repeat = ?3",
                        params![session_id, *episode as i64, repeat, response, at_unix],
                    )
                    .map_err(e)?;
            }
            let mut insert_episode = transaction
                .prepare_cached(
                    "INSERT INTO episodes (session_id, episode, kind, start_unix, end_unix, bad_secs, peak_offset_cm,
                        mean_offset_cm, worst_cva_deg, severity)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(e)?;
            for episode in &batch.episodes {
                insert_episode
                    .execute(params![
                        episode.session_id,
                        episode.episode as i64,
                        episode.kind,
                        episode.start_unix,
                        episode.end_unix,
                        episode.bad_secs,
                        episode.peak_offset_cm,
                        episode.mean_offset_cm,
                        episode.worst_cva_deg,
                        episode.severity,
                    ])
                    .map_err(e)?;
            }
            for stretch in &batch.stretches {
                transaction
                    .execute(
                        "INSERT INTO stretches (at_unix, name, holds_done, holds_planned) VALUES (?1, ?2, ?3, ?4)",
                        params![stretch.at_unix, stretch.name, stretch.holds_done, stretch.holds_planned],
                    )
                    .map_err(e)?;
            }
            if let Some((session_id, end_unix)) = batch.session_end {
                transaction
                    .execute(
                        "UPDATE sessions SET end_unix = MAX(end_unix, ?2) WHERE id = ?1",
                        params![session_id, end_unix],
                    )
                    .map_err(e)?;
            }
        }
        transaction.commit().map_err(e)
    }

    pub fn record_calibration(
        &mut self,
        at_unix: f64,
        profile: &str,
        camera: &str,
        frame_size: (u32, u32),
        baseline_json: &str,
    ) -> Result<(), HistoryError> {
        self.connection
            .execute(
                "INSERT INTO calibrations (at_unix, profile, camera, frame_width, frame_height, baseline_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![at_unix, profile, camera, frame_size.0, frame_size.1, baseline_json],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    pub fn record_stretch(&mut self, stretch: &StretchRow) -> Result<(), HistoryError> {
        self.connection
            .execute(
                "INSERT INTO stretches (at_unix, name, holds_done, holds_planned) VALUES (?1, ?2, ?3, ?4)",
                params![stretch.at_unix, stretch.name, stretch.holds_done, stretch.holds_planned],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Runs a SELECT and maps each row.
    fn query<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, HistoryError> {
        let mut statement = self
            .connection
            .prepare_cached(sql)
            .map_err(|e| self.err(e))?;
        let rows = statement.query_map(params, map).map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The track between two times (gaps included), in time order.
    pub fn track(&self, from_unix: f64, to_unix: f64) -> Result<Vec<TrackRow>, HistoryError> {
        self.query(
            "SELECT session_id, at_unix, at_secs, kind, reason, forward_offset_cm, head_drop_cm, pitch_change_ratio,
                    cva_deg, calibrated, state, severity, smoothed_offset_cm, smoothed_cva_deg, pitch_change_deg
             FROM track WHERE at_unix >= ?1 AND at_unix < ?2 ORDER BY session_id, at_secs",
            params![from_unix, to_unix],
            |row| {
                let kind: String = row.get(3)?;
                let reason: Option<String> = row.get(4)?;
                let number = |i: usize| row.get::<_, Option<f64>>(i).map(|v| v.map(|v| v as f32));
                let sample = match kind.as_str() {
                    "front" => Some(Sample::Front {
                        forward_offset_cm: number(5)?.unwrap_or(0.0),
                        head_drop_cm: number(6)?.unwrap_or(0.0),
                        pitch_change_ratio: number(7)?.unwrap_or(0.0),
                        pitch_change_deg: number(14)?,
                    }),
                    "side" => Some(Sample::Side {
                        cva_deg: number(8)?.unwrap_or(0.0),
                    }),
                    "uncertain" => Some(Sample::Uncertain {
                        reason: reason
                            .as_deref()
                            .and_then(UncertainReason::from_name)
                            .unwrap_or(UncertainReason::NoPerson),
                    }),
                    _ => None,
                };
                let state: String = row.get(10)?;
                let severity: Option<String> = row.get(11)?;
                Ok(TrackRow {
                    session_id: row.get(0)?,
                    at_unix: row.get(1)?,
                    at_secs: row.get(2)?,
                    sample,
                    calibrated: row.get(9)?,
                    state: PostureState::from_name(&state).unwrap_or(PostureState::Uncertain),
                    severity: severity.as_deref().and_then(Severity::from_name),
                    smoothed_offset_cm: number(12)?,
                    smoothed_cva_deg: number(13)?,
                })
            },
        )
    }

    pub fn alerts(&self, from_unix: f64, to_unix: f64) -> Result<Vec<AlertRow>, HistoryError> {
        self.query(
            "SELECT session_id, episode, repeat, kind, at_unix, held_secs, severity, offset_cm, cva_deg, response,
                    chin_poke
             FROM alerts WHERE at_unix >= ?1 AND at_unix < ?2 ORDER BY at_unix",
            params![from_unix, to_unix],
            |row| {
                Ok(AlertRow {
                    session_id: row.get(0)?,
                    episode: row.get::<_, i64>(1)? as u64,
                    repeat: row.get(2)?,
                    kind: row.get(3)?,
                    at_unix: row.get(4)?,
                    held_secs: row.get(5)?,
                    severity: row.get(6)?,
                    offset_cm: row.get::<_, Option<f64>>(7)?.map(|v| v as f32),
                    cva_deg: row.get::<_, Option<f64>>(8)?.map(|v| v as f32),
                    response: row.get(9)?,
                    chin_poke: row.get(10)?,
                })
            },
        )
    }

    /// Episodes that overlap the interval.
    pub fn episodes(&self, from_unix: f64, to_unix: f64) -> Result<Vec<EpisodeRow>, HistoryError> {
        self.query(
            "SELECT session_id, episode, kind, start_unix, end_unix, bad_secs, peak_offset_cm, mean_offset_cm,
                    worst_cva_deg, severity
             FROM episodes WHERE end_unix >= ?1 AND start_unix < ?2 ORDER BY start_unix",
            params![from_unix, to_unix],
            |row| {
                Ok(EpisodeRow {
                    session_id: row.get(0)?,
                    episode: row.get::<_, i64>(1)? as u64,
                    kind: row.get(2)?,
                    start_unix: row.get(3)?,
                    end_unix: row.get(4)?,
                    bad_secs: row.get(5)?,
                    peak_offset_cm: row.get::<_, Option<f64>>(6)?.map(|v| v as f32),
                    mean_offset_cm: row.get::<_, Option<f64>>(7)?.map(|v| v as f32),
                    worst_cva_deg: row.get::<_, Option<f64>>(8)?.map(|v| v as f32),
                    severity: row.get(9)?,
                })
            },
        )
    }

    pub fn sessions(&self, from_unix: f64, to_unix: f64) -> Result<Vec<SessionRow>, HistoryError> {
        self.query(
            "SELECT id, start_unix, end_unix, camera, profile, config_hash FROM sessions
             WHERE end_unix >= ?1 AND start_unix < ?2 ORDER BY start_unix",
            params![from_unix, to_unix],
            |row| {
                Ok(SessionRow {
                    id: row.get(0)?,
                    start_unix: row.get(1)?,
                    end_unix: row.get(2)?,
                    camera: row.get(3)?,
                    profile: row.get(4)?,
                    config_hash: row.get(5)?,
                })
            },
        )
    }

    pub fn stretches(&self, from_unix: f64, to_unix: f64) -> Result<Vec<StretchRow>, HistoryError> {
        self.query(
            "SELECT at_unix, name, holds_done, holds_planned FROM stretches
                 WHERE at_unix >= ?1 AND at_unix < ?2 ORDER BY at_unix",
            params![from_unix, to_unix],
            |row| {
                Ok(StretchRow {
                    at_unix: row.get(0)?,
                    name: row.get(1)?,
                    holds_done: row.get(2)?,
                    holds_planned: row.get(3)?,
                })
            },
        )
    }

    /// Daily summaries kept after the track was deleted, by local day.
    pub fn daily(
        &self,
        from_day: &str,
        to_day: &str,
    ) -> Result<Vec<(String, StateSecs)>, HistoryError> {
        self.query(
                "SELECT day, good_secs, drifting_secs, forward_head_secs, looking_down_secs, away_secs, uncertain_secs
                 FROM daily WHERE day >= ?1 AND day < ?2 ORDER BY day",
                params![from_day, to_day],
                |row| {
                Ok((
                    row.get(0)?,
                    StateSecs {
                        good: row.get(1)?,
                        drifting: row.get(2)?,
                        forward_head: row.get(3)?,
                        looking_down: row.get(4)?,
                        away: row.get(5)?,
                        uncertain: row.get(6)?,
                    },
                ))
            },
        )
    }

    /// Deletes the fine track older than `before_unix`, first folding it
    /// into daily summaries (`day_of` names the local day of a time).
    /// Sessions, episodes, alerts, calibrations and stretches are kept.
    pub fn apply_retention(
        &mut self,
        before_unix: f64,
        day_of: &dyn Fn(f64) -> String,
    ) -> Result<usize, HistoryError> {
        let old = self.track(f64::MIN, before_unix)?;
        if old.is_empty() {
            return Ok(0);
        }
        let mut days: std::collections::BTreeMap<String, StateSecs> = Default::default();
        for (row, secs) in crate::report::period::durations(&old) {
            days.entry(day_of(row.at_unix))
                .or_default()
                .add(row.state, secs);
        }
        let path = self.path.clone();
        let e = |err: rusqlite::Error| classify(&path, &err);
        let transaction = self.connection.transaction().map_err(e)?;
        for (day, secs) in &days {
            transaction
                .execute(
                    "INSERT INTO daily (day, monitored_secs, good_secs, drifting_secs, forward_head_secs,
                        looking_down_secs, away_secs, uncertain_secs)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT(day) DO UPDATE SET
                        monitored_secs = monitored_secs + excluded.monitored_secs,
                        good_secs = good_secs + excluded.good_secs,
                        drifting_secs = drifting_secs + excluded.drifting_secs,
                        forward_head_secs = forward_head_secs + excluded.forward_head_secs,
                        looking_down_secs = looking_down_secs + excluded.looking_down_secs,
                        away_secs = away_secs + excluded.away_secs,
                        uncertain_secs = uncertain_secs + excluded.uncertain_secs",
                    params![
                        day,
                        secs.monitored(),
                        secs.good,
                        secs.drifting,
                        secs.forward_head,
                        secs.looking_down,
                        secs.away,
                        secs.uncertain
                    ],
                )
                .map_err(e)?;
        }
        let deleted = transaction
            .execute("DELETE FROM track WHERE at_unix < ?1", params![before_unix])
            .map_err(e)?;
        transaction.commit().map_err(e)?;
        Ok(deleted)
    }

    /// `PRAGMA integrity_check`: "ok" for a healthy file.
    pub fn integrity_check(&self) -> Result<String, HistoryError> {
        self.connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(|e| self.err(e))
    }

    pub fn count(&self, table: &str) -> Result<i64, HistoryError> {
        self.connection
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .map_err(|e| self.err(e))
    }
}
