//! Exports and results at scale (not a test): 1,000,000 generated responses × 30 questions in
//! the collector's database, then, in the same run,
//!
//! - the CSV download through the real `voci` binary (time, and the server's peak resident
//!   memory), next to `sqlite3 -csv` dumping the same table;
//! - the XLSX download (time, peak memory);
//! - the results of every question and one cross-tab through the API, next to DuckDB
//!   computing the same frequencies and cross-tab from the downloaded CSV
//!   (`server/benches/duckdb_results.py`, needs `pip install duckdb`).
//!
//! `cargo bench -p voci-server --bench results` (figures go in BENCHMARKS.md). Set
//! `VOCI_BENCH_RESPONSES` for fewer responses while trying it out, and `VOCI_BENCH_DIR` to
//! keep the generated database there for the next run.
//!
//! The comparisons need Debian's `sqlite3` and `time` (`apt-get install -y sqlite3 time`) and
//! DuckDB for Python (`pip install duckdb`); without them their rows say so and the rest runs.
//! Each quick measurement is the median of 3 runs; CPU seconds (the server's, from
//! `/proc/PID/stat`) are less disturbed than wall time by other work on the machine.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use rusqlite::{Connection, params};
use voci_server::{Config, open, reset_admin_token};

const SINGLE: usize = 10;
const LIKERT: usize = 5;
const MULTIPLE: usize = 5;
const INTEGER: usize = 5;
const TEXT: usize = 5;

/// The survey: 10 single choice (5 choices), 5 Likert (5 points), 5 multiple choice (6
/// choices), 5 integers, 5 short texts.
fn survey_file() -> String {
    let mut s =
        String::from("id = \"bench\"\nversion = \"1\"\ntitle = \"Banco\"\nlanguages = [\"it\"]\n");
    let choices = |n: usize| {
        (1..=n)
            .map(|i| format!("{{ id = \"c{i}\", label = \"Scelta {i}\" }}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut add = |id: String, kind: &str, extra: String| {
        s.push_str(&format!(
            "\n[[question]]\nid = \"{id}\"\ntype = \"{kind}\"\nlabel = \"{id}\"\n{extra}"
        ));
    };
    for i in 0..SINGLE {
        add(
            format!("s{i}"),
            "single",
            format!("choices = [{}]\n", choices(5)),
        );
    }
    for i in 0..LIKERT {
        add(
            format!("l{i}"),
            "likert",
            format!("choices = [{}]\n", choices(5)),
        );
    }
    for i in 0..MULTIPLE {
        add(
            format!("m{i}"),
            "multiple",
            format!("choices = [{}]\n", choices(6)),
        );
    }
    for i in 0..INTEGER {
        add(format!("n{i}"), "integer", String::new());
    }
    for i in 0..TEXT {
        add(format!("t{i}"), "text", String::new());
    }
    s
}

const SITES: &str = r#"
[[district]]
id = "d"
name = "D"

[[district.municipality]]
id = "m1"
name = "M1"

[[district.municipality.site]]
id = "a"
name = "A"
kind = "school"

[[district.municipality.site]]
id = "b"
name = "B"
kind = "school"

[[district.municipality]]
id = "m2"
name = "M2"

[[district.municipality.site]]
id = "c"
name = "C"
kind = "school"
"#;

const WORDS: &[&str] = &[
    "spazi",
    "sport",
    "musica",
    "scuola",
    "lavoro",
    "amici",
    "parco",
    "sera",
    "bus",
    "biblioteca",
];

/// xorshift64: deterministic data without a crate.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Response `i` as the collector stores it: canonical JSON (answers sorted by question id).
fn payload(i: usize, rng: &mut Rng) -> (String, String, String) {
    let id = format!("00000000-0000-4000-8000-{i:012x}");
    let site = ["d/m1/a", "d/m1/b", "d/m2/c"][rng.below(3) as usize];
    let mut answers = serde_json::Map::new();
    let skewed = |rng: &mut Rng, n: u64| 1 + (rng.below(n) * rng.below(n + 1)) / n;
    for q in 0..SINGLE {
        answers.insert(format!("s{q}"), format!("c{}", skewed(rng, 5)).into());
    }
    for q in 0..LIKERT {
        answers.insert(format!("l{q}"), format!("c{}", 1 + rng.below(5)).into());
    }
    for q in 0..MULTIPLE {
        let picked: Vec<String> = (1..=6)
            .filter(|_| rng.below(3) == 0)
            .map(|c| format!("c{c}"))
            .collect();
        if !picked.is_empty() {
            answers.insert(format!("m{q}"), picked.into());
        }
    }
    for q in 0..INTEGER {
        answers.insert(format!("n{q}"), (11 + rng.below(25)).into());
    }
    for q in 0..TEXT {
        if rng.below(4) == 0 {
            let text = (0..3)
                .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ");
            answers.insert(format!("t{q}"), text.into());
        }
    }
    let day = format!("2026-{:02}-{:02}", 1 + rng.below(6), 1 + rng.below(28));
    let response = serde_json::json!({
        "id": id, "survey": "bench", "version": "1", "site": site, "language": "it",
        "submitted_at": day, "answers": answers,
    });
    let response: voci_core::Response = serde_json::from_value(response).expect("a response");
    (id, site.to_owned(), response.canonical_json())
}

fn generate(db: &Path, n: usize) {
    let mut conn = Connection::open(db).unwrap();
    conn.pragma_update(None, "synchronous", "OFF").unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO responses (id, survey, version, site, payload, received_at)
                 VALUES (?1, 'bench', '1', ?2, ?3, ?4)",
            )
            .unwrap();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for i in 0..n {
            let (id, site, json) = payload(i, &mut rng);
            let at = format!(
                "2026-06-30T{:02}:{:02}:00.000Z",
                i / 60_000 % 24,
                i / 1000 % 60
            );
            insert.execute(params![id, site, json, at]).unwrap();
        }
    }
    tx.commit().unwrap();
}

/// The `voci` binary serving `dir`, and its address.
fn serve(dir: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_voci"))
        .args(["serve", "--addr", "127.0.0.1:0", "--surveys"])
        .arg(dir.join("surveys"))
        .arg("--data")
        .arg(dir.join("data"))
        .arg("--app")
        .arg(dir.join("app"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("voci starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("Voci collector listening on ")
                .map(str::to_owned)
        })
        .expect("voci says where it listens");
    // Keep reading, or the rest of its banner would write into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

/// The peak resident memory of process `pid`, in MiB (`VmHWM`).
fn peak_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb / 1024.0
}

/// Downloads `path` to `to` (or nowhere), returning seconds and bytes.
fn download(url: &str, token: &str, to: Option<&Path>) -> (f64, u64) {
    let start = Instant::now();
    let client = reqwest::blocking::Client::builder()
        .timeout(None)
        .build()
        .unwrap();
    let mut res = client
        .get(url)
        .header("authorization", format!("Bearer {token}"))
        .send()
        .unwrap();
    assert!(res.status().is_success(), "{url}: {}", res.status());
    let bytes = match to {
        Some(path) => res
            .copy_to(&mut std::fs::File::create(path).unwrap())
            .unwrap(),
        None => res.copy_to(&mut std::io::sink()).unwrap(),
    };
    (start.elapsed().as_secs_f64(), bytes)
}

/// Runs `command` under `/usr/bin/time`: wall seconds, CPU seconds (user and system) and
/// peak resident MiB; `None` when it cannot run (say, not installed).
fn timed(command: &mut Command) -> Option<(f64, f64, f64)> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %U %S %M")
        .arg(command.get_program())
        .args(command.get_args())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let fields: Vec<f64> = stderr
        .lines()
        .last()?
        .split_whitespace()
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    match fields[..] {
        [wall, user, sys, kb] => Some((wall, user + sys, kb / 1024.0)),
        _ => None,
    }
}

/// CPU seconds (user and system) process `pid` has used so far.
fn cpu_secs(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name (in parentheses): utime and stime are the 12th and
    // 13th, in clock ticks (100 a second on Linux).
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let ticks: Vec<f64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|t| t.parse().unwrap())
        .collect();
    (ticks[0] + ticks[1]) / 100.0
}

/// How many times the quick measurements are repeated (the median is reported).
const RUNS: usize = 3;

/// The median of `RUNS` runs of `f`, by wall time: (wall, CPU, bytes).
fn median(mut f: impl FnMut() -> (f64, f64, u64)) -> (f64, f64, u64) {
    let mut runs: Vec<_> = (0..RUNS).map(|_| f()).collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    runs[RUNS / 2]
}

fn main() {
    let n: usize = std::env::var("VOCI_BENCH_RESPONSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    // A directory to keep the generated database in between runs, or a temporary one.
    let kept = std::env::var_os("VOCI_BENCH_DIR").map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let root: PathBuf = kept.clone().unwrap_or_else(|| temp.path().to_owned());
    for sub in ["surveys", "data", "app"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    std::fs::write(root.join("surveys/bench.toml"), survey_file()).unwrap();
    std::fs::write(root.join("surveys/sites.toml"), SITES).unwrap();
    let config = Config {
        surveys_dir: root.join("surveys"),
        data_dir: root.join("data"),
        app_dir: root.join("app"),
    };
    let opened = open(&config).expect("the bench survey loads");
    let token = match opened.new_admin_token.clone() {
        Some(token) => token,
        None => reset_admin_token(&config.data_dir).unwrap(),
    };
    drop(opened);
    let db = config.db_path();
    let stored: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM responses", [], |row| row.get(0))
        .unwrap();
    if stored as usize == n {
        println!("{n} responses × 30 questions kept in {}\n", root.display());
    } else {
        assert_eq!(stored, 0, "{} holds other responses", db.display());
        let start = Instant::now();
        generate(&db, n);
        let size = std::fs::metadata(&db).unwrap().len() as f64 / (1 << 20) as f64;
        println!(
            "{n} responses × 30 questions generated in {:.1} s; database {size:.0} MiB\n",
            start.elapsed().as_secs_f64()
        );
    }

    let (mut child, url) = serve(&root);
    let pid = child.id();
    let base = format!("{url}/api/surveys/bench");
    // A download from the server: wall seconds, the server's CPU seconds, bytes.
    let fetch = |path: &str, to: Option<&Path>| {
        let cpu = cpu_secs(pid);
        let (secs, bytes) = download(&format!("{base}/{path}"), &token, to);
        (secs, cpu_secs(pid) - cpu, bytes)
    };
    let csv = root.join("bench.csv");
    let (csv_secs, csv_cpu, csv_bytes) = median(|| fetch("responses.csv", Some(&csv)));
    let csv_peak = peak_mib(pid);
    let sqlite = (0..RUNS)
        .map(|_| {
            timed(
                Command::new("sqlite3")
                    .arg("-csv")
                    .arg(&db)
                    .arg("SELECT * FROM responses"),
            )
        })
        .collect::<Option<Vec<_>>>()
        .map(|mut runs| {
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            runs[RUNS / 2]
        });
    let (xlsx_secs, xlsx_cpu, xlsx_bytes) = fetch("responses.xlsx", None);
    let xlsx_peak = peak_mib(pid);

    let mib = |bytes: u64| bytes as f64 / (1 << 20) as f64;
    println!("| export | seconds | CPU seconds | MiB written | peak resident MiB |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    println!(
        "| voci `responses.csv` (HTTP, streamed) | {csv_secs:.2} | {csv_cpu:.2} | {:.0} | {csv_peak:.0} (the whole server) |",
        mib(csv_bytes)
    );
    match sqlite {
        Some((secs, cpu, peak)) => println!(
            "| `sqlite3 -csv` of the table (the stored JSON) | {secs:.2} | {cpu:.2} | | {peak:.0} |"
        ),
        None => println!(
            "| `sqlite3 -csv` | not run: needs `sqlite3` and `/usr/bin/time` (`apt-get install -y sqlite3 time`) | | | |"
        ),
    }
    println!(
        "| voci `responses.xlsx` (constant memory) | {xlsx_secs:.1} | {xlsx_cpu:.1} | {:.0} | {xlsx_peak:.0} (the whole server, since start) |",
        mib(xlsx_bytes)
    );

    let (results_secs, results_cpu, _) = median(|| fetch("results", None));
    let (cross_secs, cross_cpu, _) = median(|| fetch("crosstab?rows=s0&columns=l0", None));
    let results_peak = peak_mib(pid);
    let _ = child.kill();
    let _ = child.wait();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/duckdb_results.py");
    let duck = Command::new("python3").arg(&script).arg(&csv).output();
    println!("\n| results over all responses | seconds | CPU seconds |");
    println!("| --- | ---: | ---: |");
    println!(
        "| voci `results` (30 questions, from SQLite) | {results_secs:.2} | {results_cpu:.2} |"
    );
    println!("| voci `crosstab` s0 × l0 (from SQLite) | {cross_secs:.2} | {cross_cpu:.2} |");
    match duck {
        Ok(out) if out.status.success() => {
            std::io::stdout().write_all(&out.stdout).unwrap();
        }
        Ok(out) => println!(
            "| DuckDB | not run: {} | |",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ),
        Err(e) => println!("| DuckDB | not run: cannot start python3 ({e}) | |"),
    }
    println!("\nvoci's peak resident memory over the whole run: {results_peak:.0} MiB");
}
