//! `voci user add | list | remove | password | token`: managing accounts on the collector's
//! machine. Each change is written to the audit log as done by `cli`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::{hash_password, hash_secret, new_secret, user_to_add};
use crate::audit::{self, action};
use crate::error_chain;
use crate::startup::DB_FILE;
use crate::store::{Store, UserChange};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is asked for on the terminal, or read from VOCI_PASSWORD.
    Add(AddArgs),
    /// List the users, their roles and what they are assigned.
    List(DataArg),
    /// Remove a user (not the last admin); their tokens and logins stop working.
    Remove {
        name: String,
        #[command(flatten)]
        data: DataArg,
    },
    /// Set a user's password (asked for, or VOCI_PASSWORD); their logins end.
    Password {
        name: String,
        #[command(flatten)]
        data: DataArg,
    },
    /// Make a new API token for a user, shown once.
    Token {
        name: String,
        #[command(flatten)]
        data: DataArg,
    },
}

#[derive(Debug, Args)]
pub struct DataArg {
    /// The folder that keeps the database.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    pub name: String,
    /// admin, coordinator or viewer.
    #[arg(long)]
    pub role: String,
    /// A survey id the user may see (repeat for several; none: every survey).
    #[arg(long = "survey")]
    pub surveys: Vec<String>,
    /// A site path the user may see, with the sites below it (repeat for several; none: every
    /// site).
    #[arg(long = "site")]
    pub sites: Vec<String>,
    /// No password: the user signs in with API tokens only.
    #[arg(long)]
    pub no_password: bool,
    /// Also make an API token, shown once.
    #[arg(long)]
    pub token: bool,
    #[command(flatten)]
    pub data: DataArg,
}

/// Runs `command`; `password` asks for a password (its argument is the prompt). Returns the
/// exit code: 0 done, 1 refused or failed (said on `err`).
pub fn run(
    command: UserCommand,
    password: &mut dyn FnMut(&str) -> std::io::Result<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    match execute(command, password, out) {
        Ok(()) => 0,
        Err(message) => {
            let _ = writeln!(err, "voci user: {message}");
            1
        }
    }
}

fn execute(
    command: UserCommand,
    password: &mut dyn FnMut(&str) -> std::io::Result<String>,
    out: &mut dyn Write,
) -> Result<(), String> {
    let shown = |e: &dyn std::error::Error| error_chain(e);
    match command {
        UserCommand::Add(args) => {
            let store = open(&args.data.data)?;
            let typed = if args.no_password {
                None
            } else {
                Some(ask_twice(password)?)
            };
            let new = user_to_add(
                &args.name,
                &args.role,
                typed.as_deref(),
                args.surveys,
                args.sites,
            )
            .map_err(|e| shown(&e))?;
            let token = args
                .token
                .then(new_secret)
                .transpose()
                .map_err(|e| shown(&e))?;
            let detail = super::describe(&new);
            let entry = audit::entry("cli", action::USER_ADDED, &new.name, detail);
            let hash = token.as_deref().map(hash_secret);
            match store
                .add_user(&new, hash.as_deref(), &entry)
                .map_err(|e| shown(&e))?
            {
                UserChange::Done => {
                    let _ = writeln!(out, "added {} ({})", new.name, new.role);
                    if let Some(token) = token {
                        print_token(out, &token);
                    }
                    Ok(())
                }
                _ => Err(format!("there is a user {:?} already", new.name)),
            }
        }
        UserCommand::List(data) => {
            let store = open(&data.data)?;
            let users = store.users().map_err(|e| shown(&e))?;
            let all = |l: &[String]| {
                if l.is_empty() {
                    "all".to_owned()
                } else {
                    l.join(" ")
                }
            };
            for u in users {
                let _ = writeln!(
                    out,
                    "{}\t{}\tsurveys: {}\tsites: {}\t{}",
                    u.name,
                    u.role,
                    all(&u.surveys),
                    all(&u.sites),
                    if u.password.is_some() {
                        "password"
                    } else {
                        "token only"
                    }
                );
            }
            Ok(())
        }
        UserCommand::Remove { name, data } => {
            let store = open(&data.data)?;
            let entry = audit::entry("cli", action::USER_REMOVED, &name, "");
            match store.remove_user(&name, &entry).map_err(|e| shown(&e))? {
                UserChange::Done => {
                    let _ = writeln!(out, "removed {name}");
                    Ok(())
                }
                UserChange::Unknown => Err(format!("there is no user {name:?}")),
                _ => Err(format!(
                    "{name:?} is the last admin: add another admin first"
                )),
            }
        }
        UserCommand::Password { name, data } => {
            let store = open(&data.data)?;
            let typed = ask_twice(password)?;
            let hash = hash_password(&typed).map_err(|e| shown(&e))?;
            let entry = audit::entry("cli", action::PASSWORD_SET, &name, "");
            match store
                .set_password(&name, &hash, &entry)
                .map_err(|e| shown(&e))?
            {
                UserChange::Done => {
                    let _ = writeln!(out, "the password of {name} is set; their logins ended");
                    Ok(())
                }
                _ => Err(format!("there is no user {name:?}")),
            }
        }
        UserCommand::Token { name, data } => {
            let store = open(&data.data)?;
            let token = new_secret().map_err(|e| shown(&e))?;
            let entry = audit::entry("cli", action::TOKEN_ADDED, &name, "");
            match store
                .add_token(&name, &hash_secret(&token), &entry)
                .map_err(|e| shown(&e))?
            {
                UserChange::Done => {
                    print_token(out, &token);
                    Ok(())
                }
                _ => Err(format!("there is no user {name:?}")),
            }
        }
    }
}

fn print_token(out: &mut dyn Write, token: &str) {
    let _ = writeln!(out, "API token (shown once, keep it): {token}");
    let _ = writeln!(out, "Send it as the header Authorization: Bearer <token>.");
}

/// The password, asked twice (once when it comes from VOCI_PASSWORD).
fn ask_twice(password: &mut dyn FnMut(&str) -> std::io::Result<String>) -> Result<String, String> {
    if let Ok(p) = std::env::var("VOCI_PASSWORD") {
        return Ok(p);
    }
    let cannot =
        |e: std::io::Error| format!("cannot read the password: {e} (or set VOCI_PASSWORD)");
    let first = password("Password: ").map_err(cannot)?;
    let again = password("Password again: ").map_err(cannot)?;
    if first == again {
        Ok(first)
    } else {
        Err("the two passwords differ".to_owned())
    }
}

/// The database of `data`, which must exist.
fn open(data: &Path) -> Result<Store, String> {
    let path = data.join(DB_FILE);
    if !path.is_file() {
        return Err(format!(
            "there is no database at {} (check --data; voci serve creates it on first start)",
            path.display()
        ));
    }
    Store::open(&path).map_err(|e| error_chain(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_user(command: UserCommand, typed: &[&str]) -> (u8, String, String) {
        let mut answers = typed.iter().map(|s| (*s).to_owned());
        let mut ask = |_: &str| {
            answers
                .next()
                .ok_or_else(|| std::io::Error::other("no more input"))
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(command, &mut ask, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    fn data(dir: &Path) -> DataArg {
        DataArg {
            data: dir.to_owned(),
        }
    }

    fn add(dir: &Path, name: &str, role: &str) -> AddArgs {
        AddArgs {
            name: name.into(),
            role: role.into(),
            surveys: vec!["giovani".into()],
            sites: vec!["ambito-5/melzo/".into()],
            no_password: false,
            token: true,
            data: data(dir),
        }
    }

    #[test]
    fn users_are_added_listed_and_removed_with_an_audit_trail() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DB_FILE)).unwrap();
        let pw = "lungapassword";
        let (code, out, err) = run_user(
            UserCommand::Add(add(dir.path(), "anna", "coordinator")),
            &[pw, pw],
        );
        assert_eq!(code, 0, "{err}");
        assert!(
            out.starts_with("added anna (coordinator)\nAPI token (shown once, keep it): "),
            "{out}"
        );
        let anna = store.user("anna").unwrap().unwrap();
        assert!(super::super::verify_password(
            pw,
            anna.password.as_deref().unwrap()
        ));
        assert_eq!(
            (anna.surveys, anna.sites),
            (
                vec!["giovani".to_owned()],
                vec!["ambito-5/melzo".to_owned()]
            )
        );

        let (code, _, err) = run_user(
            UserCommand::Add(add(dir.path(), "anna", "viewer")),
            &[pw, pw],
        );
        assert_eq!(code, 1);
        assert!(err.contains("there is a user \"anna\" already"), "{err}");
        let (code, _, err) = run_user(
            UserCommand::Add(add(dir.path(), "bruno", "viewer")),
            &[pw, "other"],
        );
        assert_eq!(
            (code, err.as_str()),
            (1, "voci user: the two passwords differ\n")
        );
        let (code, _, err) = run_user(
            UserCommand::Add(add(dir.path(), "bruno", "root")),
            &[pw, pw],
        );
        assert_eq!(code, 1);
        assert!(err.contains("unknown role \"root\""), "{err}");
        let (code, _, err) = run_user(
            UserCommand::Add(add(dir.path(), "bruno", "viewer")),
            &["short", "short"],
        );
        assert_eq!(code, 1);
        assert!(err.contains("at least 10 characters"), "{err}");

        let (code, out, _) = run_user(UserCommand::List(data(dir.path())), &[]);
        assert_eq!(code, 0);
        assert_eq!(
            out,
            "anna\tcoordinator\tsurveys: giovani\tsites: ambito-5/melzo\tpassword\n"
        );

        let (code, out, _) = run_user(
            UserCommand::Remove {
                name: "anna".into(),
                data: data(dir.path()),
            },
            &[],
        );
        assert_eq!((code, out.as_str()), (0, "removed anna\n"));
        assert_eq!(store.user("anna").unwrap(), None);
        let actions: Vec<String> = store
            .audit_page(None, 10)
            .unwrap()
            .into_iter()
            .map(|r| format!("{} {} {}", r.actor, r.action, r.target))
            .collect();
        assert_eq!(actions, ["cli user_removed anna", "cli user_added anna"]);
    }

    #[test]
    fn the_last_admin_stays() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(&dir.path().join(DB_FILE)).unwrap());
        let mut args = add(dir.path(), "root", "admin");
        args.no_password = true;
        let (code, _, err) = run_user(UserCommand::Add(args), &[]);
        assert_eq!(code, 0, "{err}");
        let remove = || UserCommand::Remove {
            name: "root".into(),
            data: data(dir.path()),
        };
        let (code, _, err) = run_user(remove(), &[]);
        assert_eq!(code, 1);
        assert!(err.contains("last admin"), "{err}");
    }

    #[test]
    fn a_missing_database_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let (code, _, err) = run_user(UserCommand::List(data(&dir.path().join("nope"))), &[]);
        assert_eq!(code, 1);
        assert!(err.contains("there is no database at"), "{err}");
    }
}
