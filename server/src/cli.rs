//! The `voci` command line: `serve`, `check`, `convert`, `import`, `token reset` and `user`.

use std::error::Error;
use std::fmt::Display;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use tokio::net::TcpListener;
use voci_core::files::{Parsed, parse_bytes, write_survey};
use voci_core::sync::ItemStatus;

use crate::accounts::commands::{self, UserCommand};
use crate::accounts::{Limit, Limits};
use crate::auth::Security;
use crate::catalog::{Catalog, check_summary, read_files, survey_files_in};
use crate::ingest::{self, ImportSummary};
use crate::startup::{Config, DB_FILE, Opened, StartError, open, reset_admin_token, run};
use crate::store::{Kind, Store};
use crate::{error_chain, plural};

#[derive(Debug, Parser)]
#[command(
    name = "voci",
    version,
    about = "The Voci collector: serves the survey app, stores the responses, exports CSV."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the app and the API, storing responses in the data folder.
    Serve(ServeArgs),
    /// Check survey files, focus-group guides and sites files, printing every problem found.
    Check {
        /// Files (.toml, or XLSForms: .xlsx, .xls, .csv, .md), or folders whose .toml, .xlsx,
        /// .xls and .csv files are checked (a .csv only when its first cell names a sheet:
        /// survey, choices, settings).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Convert a survey (an XLSForm: .xlsx, .xls, .csv, .md) into Voci's native survey file.
    /// Prints the file, or writes it with -o; warnings and errors go to stderr.
    Convert(ConvertArgs),
    /// Import an outbox file exported from the app, as if its device had sent it. Safe to run
    /// while `voci serve` runs on the same data folder, and to repeat.
    Import(ImportArgs),
    /// Manage the admin token that guards result downloads.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage the collector's users: admins, coordinators, viewers.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The folder of survey files, focus-group guides and sites.toml.
    #[arg(long, default_value = "surveys")]
    pub surveys: PathBuf,
    /// The folder that keeps the database (created when missing).
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// The built app (made by `cargo xtask run`).
    #[arg(long, default_value = "dist")]
    pub app: PathBuf,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The address people reach the collector at, when a TLS proxy serves it over HTTPS
    /// (`https://voci.example.org`): login cookies are then marked Secure.
    #[arg(long)]
    pub origin: Option<String>,
    /// How many responses to open surveys one client address may send per 10 minutes.
    #[arg(long, default_value_t = Limits::default().open_responses_per_client.max)]
    pub open_limit: u32,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The form to convert (.xlsx, .xls, .csv, .md, or a .toml survey to rewrite).
    pub file: PathBuf,
    /// Where to write the native file (such as surveys/form.toml); printed when absent.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The outbox file (`voci-outbox-....json`).
    pub file: PathBuf,
    /// The folder that keeps the database.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// The folder of survey files, guides and sites.toml the records are checked against.
    #[arg(long, default_value = "surveys")]
    pub surveys: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a new admin token; the old one stops working at once.
    Reset {
        /// The folder that keeps the database.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve(args) => serve(args),
        Command::Check { paths } => {
            ExitCode::from(check(&paths, &mut io::stdout(), &mut io::stderr()))
        }
        Command::Convert(args) => {
            ExitCode::from(convert(&args, &mut io::stdout(), &mut io::stderr()))
        }
        Command::Import(args) => {
            ExitCode::from(import(&args, &mut io::stdout(), &mut io::stderr()))
        }
        Command::Token {
            command: TokenCommand::Reset { data },
        } => token_reset(&data),
        Command::User { command } => {
            let mut ask = |prompt: &str| rpassword::prompt_password(prompt);
            ExitCode::from(commands::run(
                command,
                &mut ask,
                &mut io::stdout(),
                &mut io::stderr(),
            ))
        }
    }
}

/// `voci check`: prints every diagnostic of every file and a summary to `out`. Returns the
/// exit code: 0 without errors, 1 with errors, 2 when a path cannot be read (said on `err`).
pub fn check(paths: &[PathBuf], out: &mut impl Write, err: &mut impl Write) -> u8 {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            match survey_files_in(path) {
                Ok(found) if found.is_empty() => {
                    let _ = writeln!(
                        err,
                        "warning: there are no survey files (.toml, .xlsx, .xls, .csv) in {}",
                        path.display()
                    );
                }
                Ok(found) => files.extend(found),
                Err(e) => {
                    let _ = writeln!(
                        err,
                        "voci check: cannot read the folder {}: {e}",
                        path.display()
                    );
                    return 2;
                }
            }
        } else if path.exists() {
            files.push(path.clone());
        } else {
            let _ = writeln!(err, "voci check: {} does not exist", path.display());
            return 2;
        }
    }
    let set = read_files(&files);
    for d in &set.diagnostics {
        let _ = writeln!(out, "{d}");
    }
    let _ = writeln!(out, "{}", check_summary(&set));
    u8::from(set.error_count() > 0)
}

/// `voci convert`: reads a survey file (an XLSForm, usually) and writes it as a native TOML
/// file to `-o`, else to `out`. Diagnostics go to `err`. Returns the exit code: 0 once written
/// (warnings are printed), 1 when the form has errors or cannot be said in the native format
/// (nothing is written), 2 when a file cannot be read or written.
pub fn convert(args: &ConvertArgs, out: &mut impl Write, err: &mut impl Write) -> u8 {
    let name = args.file.display().to_string();
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(e) => {
            let _ = writeln!(err, "voci convert: cannot read {name}: {e}");
            return 2;
        }
    };
    let (parsed, diagnostics) = parse_bytes(&name, &bytes);
    for d in &diagnostics {
        let _ = writeln!(err, "{d}");
    }
    let survey = match parsed {
        Some(Parsed::Survey(survey)) => survey,
        Some(_) => {
            let _ = writeln!(err, "voci convert: {name} is not a survey");
            return 1;
        }
        None => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let _ = writeln!(
                err,
                "voci convert: {name} has {}; nothing was written",
                plural(errors, "error")
            );
            return 1;
        }
    };
    let text = match write_survey(&survey) {
        Ok(text) => text,
        Err(problems) => {
            for p in &problems {
                let _ = writeln!(err, "{name}: {p}");
            }
            let _ = writeln!(
                err,
                "voci convert: the native format cannot say this survey as it is; nothing was written"
            );
            return 1;
        }
    };
    let file = format!(
        "# Converted from {} by voci convert.\n{text}",
        args.file
            .file_name()
            .map_or(name.clone(), |n| n.to_string_lossy().into_owned())
    );
    match &args.output {
        None => {
            let _ = out.write_all(file.as_bytes());
        }
        Some(path) => {
            if let Err(e) = std::fs::write(path, &file) {
                let _ = writeln!(err, "voci convert: cannot write {}: {e}", path.display());
                return 2;
            }
            let _ = writeln!(
                err,
                "wrote {}: survey \"{}\" version \"{}\", {}",
                path.display(),
                survey.id,
                survey.version,
                plural(survey.questions().count(), "question")
            );
        }
    }
    0
}

/// `voci import`: verifies the file, stores its responses and sessions with the checks of a
/// batch, in one transaction, and prints what happened to `out`. Returns the exit code: 0 once
/// the file is imported (even with conflicts or invalid records, which are listed), 1 when
/// nothing was imported (said on `err`).
pub fn import(args: &ImportArgs, out: &mut impl Write, err: &mut impl Write) -> u8 {
    let name = args.file.display();
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(e) => {
            let _ = writeln!(err, "voci import: cannot read {name}: {e}");
            return 1;
        }
    };
    // Verified before anything else is opened: a damaged file needs no database.
    let file = match ingest::read_file(&bytes) {
        Ok(file) => file,
        Err(e) => return nothing_imported(err, &name, &e),
    };
    let imported = open_for_import(args)
        .and_then(|(catalog, store)| Ok(ingest::import(&catalog, &store, &file)?));
    match imported {
        Ok(summary) => {
            print_import(&name, &summary, out);
            0
        }
        Err(e) => nothing_imported(err, &name, &e),
    }
}

fn nothing_imported(err: &mut impl Write, name: &impl Display, e: &dyn Error) -> u8 {
    let _ = writeln!(err, "voci import: {name}: {}", error_chain(e));
    let _ = writeln!(err, "voci import: nothing was imported");
    1
}

/// `imported FILE: 12 stored, ...` and a line for each response or session that needs
/// attention (`  conflict ID: ...`, `  invalid session ID: ...`).
fn print_import(name: &impl Display, summary: &ImportSummary, out: &mut impl Write) {
    let _ = writeln!(out, "imported {name}: {}", summary.counts());
    for p in &summary.problems {
        let status = match p.status {
            ItemStatus::Conflict => "conflict",
            _ => "invalid",
        };
        let kind = match p.kind {
            Kind::Response => "",
            Kind::Session => "session ",
        };
        let _ = writeln!(out, "  {status} {kind}{}: {}", p.id, p.error);
    }
}

/// The catalog and the database for `voci import`. The database must exist: importing into a
/// new one made by a mistyped `--data` would look like success.
fn open_for_import(args: &ImportArgs) -> Result<(Catalog, Store), StartError> {
    let (catalog, _warnings) = Catalog::load(&args.surveys)?;
    let path = args.data.join(DB_FILE);
    if !path.is_file() {
        return Err(StartError::NoDatabase { path });
    }
    Ok((catalog, Store::open(&path)?))
}

fn serve(args: ServeArgs) -> ExitCode {
    init_tracing();
    let config = Config {
        surveys_dir: args.surveys,
        data_dir: args.data,
        app_dir: args.app,
    };
    let security = Security {
        https: args
            .origin
            .as_deref()
            .is_some_and(|o| o.starts_with("https://")),
        limits: Limits {
            open_responses_per_client: Limit::per_minutes(args.open_limit, 10),
            ..Limits::default()
        },
        ..Security::default()
    };
    let opened = match open(&config) {
        Ok(mut opened) => {
            opened.state = opened.state.with_security(security);
            opened
        }
        Err(e) => {
            eprintln!("{}", error_chain(&e));
            eprintln!("voci: the collector did not start");
            return ExitCode::FAILURE;
        }
    };
    for warning in &opened.warnings {
        eprintln!("{warning}");
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("voci: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match TcpListener::bind(&args.addr).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("voci: cannot listen on {}: {e}", args.addr);
                return ExitCode::FAILURE;
            }
        };
        let addr = listener.local_addr().ok();
        print_banner(&config, &opened, addr);
        match run(listener, opened.state, shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("voci: the server stopped: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

fn print_banner(config: &Config, opened: &Opened, addr: Option<SocketAddr>) {
    let url = addr.map_or_else(|| "(unknown address)".to_owned(), |a| format!("http://{a}"));
    println!("Voci collector listening on {url}");
    println!(
        "  surveys:  {}, {} and {} from {}",
        plural(opened.surveys, "survey version"),
        plural(opened.guides, "focus-group guide version"),
        plural(opened.sites, "site"),
        config.surveys_dir.display()
    );
    println!(
        "  database: {} ({} and {} stored)",
        opened.db_path.display(),
        plural(opened.responses as usize, "response"),
        plural(opened.sessions as usize, "session")
    );
    println!("  app:      served from {}", config.app_dir.display());
    println!(
        "  results:  {url}/results/ (sign in with a user's password: voci user add / voci user password)"
    );
    if !config.app_dir.join("index.html").is_file() {
        println!(
            "warning: {} has no index.html, so there is no app to serve: run cargo xtask run to build the app",
            config.app_dir.display()
        );
    }
    if let Some(token) = &opened.new_admin_token {
        print_token("Admin token (shown once, keep it)", token, &url);
    }
}

fn print_token(title: &str, token: &str, url: &str) {
    println!();
    println!("{title}: {token}");
    println!("Use it as Authorization: Bearer <token> to download results, for example:");
    println!(
        "  curl -H \"Authorization: Bearer {token}\" -o results.csv {url}/api/surveys/<survey-id>/responses.csv"
    );
    println!("Only its hash is stored. If it is lost, `voci token reset` makes a new one.");
    println!();
}

fn token_reset(data_dir: &Path) -> ExitCode {
    match reset_admin_token(data_dir) {
        Ok(token) => {
            print_token(
                "New admin token (shown once, keep it)",
                &token,
                "http://<collector>",
            );
            println!("The previous token no longer works.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("voci: {}", error_chain(&e));
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .init();
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    eprintln!("voci: shutting down after the requests under way");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_check(paths: &[PathBuf]) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = check(paths, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    const GOOD: &str = r#"id = "s"
version = "1"
title = "S"
languages = ["it"]

[[question]]
id = "q"
type = "text"
label = "Q"
"#;

    #[test]
    fn good_files_exit_zero() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), GOOD).unwrap();
        let (code, out, _) = run_check(&[dir.path().to_owned()]);
        assert_eq!(code, 0, "{out}");
        assert_eq!(out, "checked 1 file: 0 errors\n");
    }

    #[test]
    fn a_broken_file_exits_one_with_positions() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), GOOD).unwrap();
        let broken = GOOD.replace("type = \"text\"", "type = \"singel\"");
        let broken_path = dir.path().join("b.toml");
        std::fs::write(&broken_path, broken).unwrap();
        let (code, out, _) = run_check(&[dir.path().to_owned()]);
        assert_eq!(code, 1, "{out}");
        let expected = format!(
            "{}:8:8: unknown question type \"singel\"",
            broken_path.display()
        );
        assert!(out.contains(&expected), "{out}");
        assert!(
            out.ends_with("checked 2 files: 1 error in 1 file\n"),
            "{out}"
        );
    }

    #[test]
    fn a_repeated_survey_version_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), GOOD).unwrap();
        std::fs::write(dir.path().join("b.toml"), GOOD).unwrap();
        let (code, out, _) = run_check(&[dir.path().to_owned()]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("b.toml:2:1: survey \"s\" version \"1\" is already defined in"),
            "{out}"
        );
    }

    #[test]
    fn a_folder_is_checked_with_its_archive() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), GOOD).unwrap();
        let archive = dir.path().join("archive");
        std::fs::create_dir_all(archive.join("older")).unwrap();
        let old = GOOD.replace("version = \"1\"", "version = \"0\"");
        std::fs::write(archive.join("a-0.toml"), &old).unwrap();
        std::fs::write(archive.join("sites.toml"), "ignored").unwrap();
        std::fs::write(archive.join("older").join("x.toml"), "not read").unwrap();
        let (code, out, _) = run_check(&[dir.path().to_owned()]);
        assert_eq!((code, out.as_str()), (0, "checked 2 files: 0 errors\n"));
        // The same version in the archive and outside it is an error, as anywhere else.
        std::fs::write(archive.join("a-1.toml"), GOOD).unwrap();
        let (code, out, _) = run_check(&[dir.path().to_owned()]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("is already defined in"), "{out}");
    }

    const GUIDE: &str = r#"kind = "focus_group"
id = "g"
version = "1"
languages = ["it"]
title = "G"

[[theme]]
id = "lavoro"
label = "Lavoro"

[[section]]
id = "s"
title = "S"

[[section.prompt]]
id = "p"
text = "P?"
minutes = 15
"#;

    #[test]
    fn guides_are_checked_with_positions() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), GOOD).unwrap();
        std::fs::write(dir.path().join("g.toml"), GUIDE).unwrap();
        let (code, out, _) = run_check(&[dir.path().to_owned()]);
        assert_eq!((code, out.as_str()), (0, "checked 2 files: 0 errors\n"));

        let broken = GUIDE
            .replace("version = \"1\"", "version = \"2\"")
            .replace("minutes = 15", "minutes = 0");
        let broken_path = dir.path().join("h.toml");
        std::fs::write(&broken_path, broken).unwrap();
        let (code, out, _) = run_check(&[dir.path().to_owned()]);
        assert_eq!(code, 1, "{out}");
        let expected = format!(
            "{}:18:11: \"minutes\" must be a whole number from 1 to 240",
            broken_path.display()
        );
        assert!(out.contains(&expected), "{expected} in:\n{out}");
        assert!(
            out.ends_with("checked 3 files: 1 error in 1 file\n"),
            "{out}"
        );
    }

    #[test]
    fn a_repeated_guide_version_is_an_error_but_a_survey_may_share_its_id() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("g.toml"), GUIDE).unwrap();
        std::fs::write(
            dir.path().join("s.toml"),
            GOOD.replace("id = \"s\"", "id = \"g\""),
        )
        .unwrap();
        let (code, out, _) = run_check(&[dir.path().to_owned()]);
        assert_eq!((code, out.as_str()), (0, "checked 2 files: 0 errors\n"));
        std::fs::write(dir.path().join("h.toml"), GUIDE).unwrap();
        let (code, out, _) = run_check(&[dir.path().to_owned()]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("h.toml:3:1: guide \"g\" version \"1\" is already defined in"),
            "{out}"
        );
    }

    #[test]
    fn a_missing_path_exits_two() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let (code, out, err) = run_check(&[missing]);
        assert_eq!(code, 2);
        assert!(out.is_empty());
        assert!(err.contains("nope.toml does not exist"), "{err}");
    }

    const FORM: &str = "survey,type,name,label,relevant\n,integer,eta,Age,\n,text,scuola,School,${eta} < 19\n,start,inizio,,\nsettings,form_id,version\n,modulo,2\n";

    fn run_convert(file: PathBuf, output: Option<PathBuf>) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = convert(&ConvertArgs { file, output }, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn convert_writes_a_native_file_that_checks_clean() {
        let dir = tempfile::tempdir().unwrap();
        let form = dir.path().join("modulo.csv");
        std::fs::write(&form, FORM).unwrap();
        let toml = dir.path().join("out").join("modulo.toml");
        std::fs::create_dir(dir.path().join("out")).unwrap();
        let (code, out, err) = run_convert(form.clone(), Some(toml.clone()));
        assert_eq!(code, 0, "{err}");
        assert!(out.is_empty());
        // The left-out `start` is said, and so is what was written.
        assert!(
            err.contains("modulo.csv:survey!B4: warning: \"inizio\" (start) is left out"),
            "{err}"
        );
        assert!(
            err.contains("modulo.toml: survey \"modulo\" version \"2\", 2 questions"),
            "{err}"
        );
        let text = std::fs::read_to_string(&toml).unwrap();
        assert!(
            text.starts_with(
                "# Converted from modulo.csv by voci convert.\nid = \"modulo\"\nversion = \"2\"\n"
            ),
            "{text}"
        );
        assert!(text.contains("relevant = \"${eta} < 19\"\n"), "{text}");
        let (code, out, _) = run_check(&[toml]);
        assert_eq!((code, out.as_str()), (0, "checked 1 file: 0 errors\n"));

        // Without -o the file is printed.
        let (code, printed, _) = run_convert(form, None);
        assert_eq!(code, 0);
        assert_eq!(printed, text);
    }

    #[test]
    fn convert_of_a_broken_form_writes_nothing_and_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let form = dir.path().join("modulo.csv");
        std::fs::write(&form, FORM.replace(",text,scuola", ",txet,scuola")).unwrap();
        let toml = dir.path().join("modulo.toml");
        let (code, out, err) = run_convert(form, Some(toml.clone()));
        assert_eq!(code, 1, "{err}");
        assert!(out.is_empty());
        assert!(
            err.contains("modulo.csv:survey!B3: unknown question type \"txet\""),
            "{err}"
        );
        assert!(err.contains("nothing was written"), "{err}");
        assert!(!toml.exists());
        let (code, _, err) = run_convert(dir.path().join("nope.xlsx"), None);
        assert_eq!(code, 2);
        assert!(err.contains("cannot read"), "{err}");
    }
}
