//! `chintuck status|pause|resume|snooze`: clients of the running monitor.

use anyhow::Result;

use chintuck::control::{Request, Status, send, socket_path};

pub fn status(json: bool) -> Result<()> {
    let status = send(&socket_path(), &Request::Status)?;
    print_status(&status, json);
    Ok(())
}

pub fn request(request: Request) -> Result<()> {
    let status = send(&socket_path(), &request)?;
    print_status(&status, false);
    Ok(())
}

fn print_status(status: &Status, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string(status).expect("status serialises")
        );
    } else {
        println!(
            "chintuck (pid {}) is {}; posture {}; {} episode(s), {} alert(s); source: {}",
            status.pid,
            status.activity_text,
            status.posture,
            status.episodes,
            status.alerts,
            status.source
        );
        if let Some(problem) = &status.camera_problem {
            println!("camera: {problem}");
        }
    }
}

/// "30m", "1h30m", "90s", "2h"; a bare number is minutes.
pub fn parse_duration_secs(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let bad = || format!("'{text}' is not a duration: use e.g. 30m, 1h, 1h30m or 90s");
    if let Ok(minutes) = text.parse::<f64>() {
        return (minutes > 0.0).then_some(minutes * 60.0).ok_or_else(bad);
    }
    let mut total = 0.0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let value: f64 = number.parse().map_err(|_| bad())?;
        number.clear();
        total += value
            * match c {
                's' => 1.0,
                'm' => 60.0,
                'h' => 3600.0,
                'd' => 86_400.0,
                _ => return Err(bad()),
            };
    }
    if !number.is_empty() || total <= 0.0 {
        return Err(bad());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration_secs("30m"), Ok(1800.0));
        assert_eq!(parse_duration_secs("1h30m"), Ok(5400.0));
        assert_eq!(parse_duration_secs("90s"), Ok(90.0));
        assert_eq!(parse_duration_secs("45"), Ok(2700.0));
        assert!(
            parse_duration_secs("soon")
                .unwrap_err()
                .contains("e.g. 30m")
        );
        assert!(parse_duration_secs("30x").is_err());
        assert!(parse_duration_secs("0m").is_err());
    }
}
