# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_chintuck_global_optspecs
    string join \n models= config= data-dir= h/help V/version
end

function __fish_chintuck_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_chintuck_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_chintuck_using_subcommand
    set -l cmd (__fish_chintuck_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c chintuck -n "__fish_chintuck_needs_command" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_needs_command" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_needs_command" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_needs_command" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_needs_command" -s V -l version -d 'Print version'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "analyze" -d 'Find the head and shoulders in images and measure posture'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "run" -d 'Watch posture and alert when forward head posture lasts'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "calibrate" -d 'Record your neutral (good) posture as the baseline for a desk/camera setup'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "cameras" -d 'List the cameras chintuck can watch through, with their formats'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "alerts" -d 'The alert log: when, how long, how far forward, what you did'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "report" -d 'Posture over a day, week or month: time in each state, episodes, alerts, the worst hour and the trend'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "export" -d 'The recorded track or episodes as CSV or JSON lines'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "tune" -d 'What-if: replay your recorded days with changed settings and compare the alerts they would have given'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "stretch" -d 'The stretch coach: trapezius, levator scapulae and the front of the neck, with a countdown and a bell; what you did is kept in the history'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "status" -d 'Show what the running monitor is doing'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "pause" -d 'Pause the running monitor (camera off) until resumed, or for a while'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "resume" -d 'Resume a paused or snoozed monitor'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "snooze" -d 'Silence alerts and turn the camera off for a while, e.g. `snooze 30m`'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "service" -d 'Start chintuck with your session: a systemd user service, or an XDG autostart entry where there is no systemd user session'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "config" -d 'Create, locate, show or check the config file'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "completions" -d 'Print a shell completion script, e.g. `chintuck completions bash > ~/.local/share/bash-completion/completions/chintuck`'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "manpages" -d 'Write the man pages (chintuck.1 and one per subcommand) into DIR'
complete -c chintuck -n "__fish_chintuck_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c chintuck -n "__fish_chintuck_using_subcommand analyze" -l annotate -d 'Write the image with the skeleton drawn: a file for a single image, else a folder that gets NAME.annotated.png per image (NAME-2... for a name met again)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand analyze" -l model -d 'Landmark model: lite (fast) or full (more accurate)' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand analyze" -l fps -d 'Frames per second of a replayed folder (default: the config\'s fps, 2)' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand analyze" -l profile -d 'Calibration profile (a desk/camera setup; default: the config\'s, "default")' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand analyze" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand analyze" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand analyze" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand analyze" -l json -d 'Print one JSON object per image instead of a summary'
complete -c chintuck -n "__fish_chintuck_using_subcommand analyze" -l mtime -d 'Time frames by their files\' modification times instead of --fps'
complete -c chintuck -n "__fish_chintuck_using_subcommand analyze" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l source -d 'Replay an image or a folder of frames as if it were the camera' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l camera -d 'Camera to watch: its index or part of its name (`chintuck cameras`); default: the config\'s camera.device, else the first camera' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l model -r
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l fps -d 'Frames per second of a replayed folder (default: the config\'s fps, 2)' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l profile -d 'Calibration profile (a desk/camera setup; default: the config\'s, "default")' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l no-wait -d 'Do not wait between frames: replay as fast as possible'
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l record -d 'Keep a replay in the history too (the camera is always recorded; replays are not, so trying chintuck leaves your history clean)'
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l json -d 'Print events as JSON lines'
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -l mtime -d 'Time frames by their files\' modification times instead of --fps'
complete -c chintuck -n "__fish_chintuck_using_subcommand run" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l source -d 'Calibrate from an image or a folder of frames instead of the camera' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l camera -d 'Camera to use: its index or part of its name (`chintuck cameras`)' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l secs -d 'Length of the calibration window, seconds' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l distance-cm -d 'How far your eyes are from the camera, centimetres, as you measured it (20-300). Without it the distance is estimated from an average face and `[camera] fov_deg`; forward offsets in cm are in proportion to it, so a measured distance makes them right for your lens and face' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l model -r
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l fps -d 'Frames per second of a replayed folder (default: the config\'s fps, 2)' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l profile -d 'Calibration profile (a desk/camera setup; default: the config\'s, "default")' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -l mtime -d 'Time frames by their files\' modification times instead of --fps'
complete -c chintuck -n "__fish_chintuck_using_subcommand calibrate" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand cameras" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand cameras" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand cameras" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand cameras" -l json -d 'Print one JSON object per camera'
complete -c chintuck -n "__fish_chintuck_using_subcommand cameras" -l check -d 'Also open each camera, take a frame at `[camera] resolution` and close it again'
complete -c chintuck -n "__fish_chintuck_using_subcommand cameras" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand alerts" -l since -d 'How far back: 2d, 12h, 1w, or a date like 2026-11-20 (default 7d)' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand alerts" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand alerts" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand alerts" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand alerts" -l json -d 'One JSON object per alert'
complete -c chintuck -n "__fish_chintuck_using_subcommand alerts" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l day -d 'A local date, e.g. 2026-11-20 (default: today)' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l html -d 'Write a self-contained HTML page with the figures, the alerts and charts' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l svg -d 'Write one chart (see --chart) as SVG' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l png -d 'Write one chart (see --chart) as PNG' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l chart -d 'The chart --svg and --png hold' -r -f -a "timeline\t''
heatmap\t''
trend\t''"
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l week -d 'The last 7 days'
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l month -d 'The last 30 days'
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -l json -d 'Print the figures as one JSON object'
complete -c chintuck -n "__fish_chintuck_using_subcommand report" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand export" -l since -d 'How far back: 2d, 12h, 1w, or a date (default: everything)' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand export" -l what -d 'What to export: track (every sample) or episodes' -r -f -a "track\t''
episodes\t''"
complete -c chintuck -n "__fish_chintuck_using_subcommand export" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand export" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand export" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand export" -l csv -d 'CSV with a header row'
complete -c chintuck -n "__fish_chintuck_using_subcommand export" -l json -d 'JSON, one object per line (the default)'
complete -c chintuck -n "__fish_chintuck_using_subcommand export" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand tune" -l since -d 'How far back: 7d, 2w, or a date (default 7d)' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand tune" -l set -d 'A changed setting, SECTION.KEY=VALUE (repeatable), e.g. alerts.hold_secs=60' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand tune" -l sweep -d 'A table across values: KEY=START..END:STEP, e.g. alerts.hold_secs=30..90:15' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand tune" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand tune" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand tune" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand tune" -l write -d 'Save the --set values to the config file (its comments are kept)'
complete -c chintuck -n "__fish_chintuck_using_subcommand tune" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand stretch" -l reps -d 'Holds per side' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand stretch" -l hold-secs -d 'Seconds per hold' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand stretch" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand stretch" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand stretch" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand stretch" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand status" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand status" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand status" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand status" -l json -d 'Print the status as JSON'
complete -c chintuck -n "__fish_chintuck_using_subcommand status" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand pause" -l for -d 'How long, e.g. 30m, 1h, 1h30m, 90s' -r
complete -c chintuck -n "__fish_chintuck_using_subcommand pause" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand pause" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand pause" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand pause" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand resume" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand resume" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand resume" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand resume" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand snooze" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand snooze" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand snooze" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand snooze" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -f -a "install" -d 'Install (and with systemd, enable and start) the service'
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -f -a "uninstall" -d 'Stop and remove the service and the autostart entry'
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from install" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from install" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from install" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from install" -l autostart -d 'Write an XDG autostart entry even where systemd is available'
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from uninstall" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from uninstall" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from uninstall" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "install" -d 'Install (and with systemd, enable and start) the service'
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Stop and remove the service and the autostart entry'
complete -c chintuck -n "__fish_chintuck_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and not __fish_seen_subcommand_from init path show check help" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and not __fish_seen_subcommand_from init path show check help" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and not __fish_seen_subcommand_from init path show check help" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and not __fish_seen_subcommand_from init path show check help" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and not __fish_seen_subcommand_from init path show check help" -f -a "init" -d 'Write a documented config file with every default'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and not __fish_seen_subcommand_from init path show check help" -f -a "path" -d 'Print where the config file is'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and not __fish_seen_subcommand_from init path show check help" -f -a "show" -d 'Print the config in effect'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and not __fish_seen_subcommand_from init path show check help" -f -a "check" -d 'Check the config file and report every problem'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and not __fish_seen_subcommand_from init path show check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from init" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from init" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from init" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from path" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from path" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from show" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from show" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from check" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from check" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from check" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a documented config file with every default'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print where the config file is'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the config in effect'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check the config file and report every problem'
complete -c chintuck -n "__fish_chintuck_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c chintuck -n "__fish_chintuck_using_subcommand completions" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand completions" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand completions" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand completions" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand manpages" -l models -d 'Folder of model files to use instead of the built-in ones (default: the config\'s models_dir, else the models built into chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand manpages" -l config -d 'Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand manpages" -l data-dir -d 'Folder for the history and calibration profiles (default: $XDG_DATA_HOME/chintuck)' -r -F
complete -c chintuck -n "__fish_chintuck_using_subcommand manpages" -s h -l help -d 'Print help'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "analyze" -d 'Find the head and shoulders in images and measure posture'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "run" -d 'Watch posture and alert when forward head posture lasts'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "calibrate" -d 'Record your neutral (good) posture as the baseline for a desk/camera setup'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "cameras" -d 'List the cameras chintuck can watch through, with their formats'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "alerts" -d 'The alert log: when, how long, how far forward, what you did'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "report" -d 'Posture over a day, week or month: time in each state, episodes, alerts, the worst hour and the trend'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "export" -d 'The recorded track or episodes as CSV or JSON lines'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "tune" -d 'What-if: replay your recorded days with changed settings and compare the alerts they would have given'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "stretch" -d 'The stretch coach: trapezius, levator scapulae and the front of the neck, with a countdown and a bell; what you did is kept in the history'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "status" -d 'Show what the running monitor is doing'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "pause" -d 'Pause the running monitor (camera off) until resumed, or for a while'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "resume" -d 'Resume a paused or snoozed monitor'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "snooze" -d 'Silence alerts and turn the camera off for a while, e.g. `snooze 30m`'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "service" -d 'Start chintuck with your session: a systemd user service, or an XDG autostart entry where there is no systemd user session'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "config" -d 'Create, locate, show or check the config file'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "completions" -d 'Print a shell completion script, e.g. `chintuck completions bash > ~/.local/share/bash-completion/completions/chintuck`'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "manpages" -d 'Write the man pages (chintuck.1 and one per subcommand) into DIR'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and not __fish_seen_subcommand_from analyze run calibrate cameras alerts report export tune stretch status pause resume snooze service config completions manpages help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "install" -d 'Install (and with systemd, enable and start) the service'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "uninstall" -d 'Stop and remove the service and the autostart entry'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write a documented config file with every default'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print where the config file is'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the config in effect'
complete -c chintuck -n "__fish_chintuck_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Check the config file and report every problem'
