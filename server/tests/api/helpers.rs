//! Test setup: a real collector on a free port, with its own temporary surveys, data and app
//! folders, and shortcuts for the requests the tests make.

use std::path::Path;

use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use voci_core::ResponseId;
use voci_core::outbox_file::OutboxFile;
use voci_core::sync::{BatchReply, ItemResult};
use voci_server::{AppState, Config, Opened, Security, open, run};

/// Version 1 of the test survey: three questions.
pub const SURVEY_V1: &str = r#"
id = "giovani"
version = "1"
title = "Giovani e territorio"
languages = ["it"]

[[section]]
id = "tu"

[[section.question]]
id = "eta"
type = "integer"
label = "Quanti anni hai?"
required = true
min = 11
max = 35

[[section.question]]
id = "attivita"
type = "multiple"
label = "Cosa fai nel tempo libero?"
choices = [
  { id = "sport", label = "Sport" },
  { id = "musica", label = "Musica" },
  { id = "volontariato", label = "Volontariato" },
]

[[section.question]]
id = "commento"
type = "long_text"
label = "Vuoi aggiungere qualcosa?"
max_length = 500
"#;

/// Version 2 adds a question at the end; downloads use its columns.
pub fn survey_v2() -> String {
    SURVEY_V1.replace("version = \"1\"", "version = \"2\"")
        + r#"
[[section.question]]
id = "spazio"
type = "single"
label = "Dove vi incontrate?"
choices = [{ id = "scuola", label = "A scuola" }, { id = "oratorio", label = "In oratorio" }]
"#
}

pub const SITES: &str = r#"
[[district]]
id = "ambito-5"
name = "Ambito 5 Melzo"

[[district.municipality]]
id = "melzo"
name = "Melzo"

[[district.municipality.site]]
id = "ic-mascagni"
name = "IC Mascagni"
kind = "school"

[[district.municipality.site]]
id = "spazio-giovani"
name = "Spazio Giovani"
kind = "youth_point"
"#;

/// A focus-group guide in one language: two participant fields, three themes, two prompts.
pub const GUIDE: &str = r#"
kind = "focus_group"
id = "ascolto"
version = "1"
languages = ["it"]
title = "Ascolto dei giovani"
consent = "Siete d'accordo a essere citati con un codice, mai con il nome?"

[[participant_field]]
id = "fascia_eta"
label = "Fascia d'età"
choices = [{ id = "14-17", label = "14-17 anni" }, { id = "18-24", label = "18-24 anni" }]

[[participant_field]]
id = "ruolo"
label = "Che cosa fa"
choices = [{ id = "studente", label = "Studia" }, { id = "lavoratore", label = "Lavora" }]

[[theme]]
id = "spazi"
label = "Spazi e luoghi"

[[theme]]
id = "lavoro"
label = "Lavoro"

[[theme]]
id = "scuola"
label = "Scuola"

[[section]]
id = "bisogni"
title = "Che cosa manca"

[[section.prompt]]
id = "manca"
text = "Che cosa manca ai giovani qui?"
minutes = 20

[[section.prompt]]
id = "idee"
text = "Che cosa fareste?"
minutes = 25
"#;

pub const SITE: &str = "ambito-5/melzo/ic-mascagni";
/// The last site in [`SITES`].
pub const OTHER_SITE: &str = "ambito-5/melzo/spazio-giovani";

pub const INDEX_HTML: &str = "<!doctype html><title>Voci</title>";

/// The folders a collector runs on, deleted when dropped.
pub struct Folders {
    pub surveys: TempDir,
    pub data: TempDir,
    pub app: TempDir,
}

impl Folders {
    /// The test survey (two versions), the test guide, the sites, and a stand-in for the
    /// built app.
    pub fn new() -> Self {
        let folders = Self::with_surveys(&[
            ("giovani-1.toml", SURVEY_V1),
            ("giovani-2.toml", &survey_v2()),
            ("ascolto.toml", GUIDE),
            ("sites.toml", SITES),
        ]);
        write(folders.app.path(), "index.html", INDEX_HTML);
        write(
            folders.app.path(),
            "sw.js",
            "self.addEventListener('fetch', () => {});",
        );
        write(folders.app.path(), "voci-1a2b.js", "console.log('voci');");
        folders
    }

    pub fn with_surveys(files: &[(&str, &str)]) -> Self {
        let folders = Self {
            surveys: tempfile::tempdir().unwrap(),
            data: tempfile::tempdir().unwrap(),
            app: tempfile::tempdir().unwrap(),
        };
        for (name, text) in files {
            write(folders.surveys.path(), name, text);
        }
        folders
    }

    pub fn config(&self) -> Config {
        Config {
            surveys_dir: self.surveys.path().to_owned(),
            // A folder that does not exist yet: `open` must create it.
            data_dir: self.data.path().join("data"),
            app_dir: self.app.path().to_owned(),
        }
    }
}

/// Writes `dir/name`; `name` may name a subfolder (`archive/x.toml`).
fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A collector serving on 127.0.0.1 at a free port.
pub struct TestCollector {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    pub admin_token: String,
    pub client: reqwest::Client,
    pub folders: Folders,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
}

/// Opens fresh folders and serves them.
pub async fn spawn_collector() -> TestCollector {
    spawn_collector_in(Folders::new()).await
}

/// Serves `folders`, whose database must be new.
pub async fn spawn_collector_in(folders: Folders) -> TestCollector {
    spawn_collector_with(folders, Security::default()).await
}

/// Serves `folders`, whose database must be new, with `security` (limits, HTTPS cookies).
pub async fn spawn_collector_with(folders: Folders, security: Security) -> TestCollector {
    let opened = open(&folders.config()).expect("the test surveys load");
    let token = opened
        .new_admin_token
        .clone()
        .expect("a new database makes an admin token");
    serve(folders, opened.state.with_security(security), token).await
}

async fn serve(folders: Folders, state: AppState, admin_token: String) -> TestCollector {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(run(listener, state, async {
        let _ = stopped.await;
    }));
    TestCollector {
        address,
        admin_token,
        client: reqwest::Client::new(),
        folders,
        stop,
        server,
    }
}

impl TestCollector {
    /// Stops the server, opens the same folders again and serves them. Returns what the
    /// second `open` said, too.
    pub async fn restart(self) -> (TestCollector, Opened) {
        let Self {
            admin_token,
            client,
            folders,
            stop,
            server,
            ..
        } = self;
        drop(client);
        let _ = stop.send(());
        server.await.unwrap().unwrap();
        let opened = open(&folders.config()).expect("the folders open again");
        let state = opened.state.clone();
        (serve(folders, state, admin_token).await, opened)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn post_response(&self, response: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/api/responses"))
            .json(response)
            .send()
            .await
            .unwrap()
    }

    /// Posts `body` as it is, with a JSON content type.
    pub async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_batch(&self, responses: &[Value]) -> reqwest::Response {
        self.client
            .post(self.url("/api/responses/batch"))
            .json(&json!({ "responses": responses }))
            .send()
            .await
            .unwrap()
    }

    /// Posts an outbox file to `/api/import`, with `token` as the bearer token if any.
    pub async fn post_import(
        &self,
        file: impl Into<reqwest::Body>,
        token: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url("/api/import")).body(file);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request.send().await.unwrap()
    }

    /// The CSV download of `survey`, with `token` as the bearer token if any.
    pub async fn get_csv(&self, survey: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self
            .client
            .get(self.url(&format!("/api/surveys/{survey}/responses.csv")));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request.send().await.unwrap()
    }

    /// Posts a batch of focus-group sessions.
    pub async fn post_sessions(&self, sessions: &[Value]) -> reqwest::Response {
        self.client
            .post(self.url("/api/sessions/batch"))
            .json(&json!({ "sessions": sessions }))
            .send()
            .await
            .unwrap()
    }

    /// Posts sessions and returns the status of each, checking the batch got a 200.
    pub async fn sync_sessions(&self, sessions: &[Value]) -> Vec<ItemResult> {
        let res = self.post_sessions(sessions).await;
        assert_eq!(res.status(), 200);
        res.json::<BatchReply>().await.unwrap().results
    }

    /// `GET path` with `token` as the bearer token if any.
    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request.send().await.unwrap()
    }

    /// `method path` with `token` as the bearer token if any, and `body` as JSON if any.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.unwrap()
    }

    /// Adds a user through the API as the admin, and returns their new API token.
    pub async fn add_user(
        &self,
        name: &str,
        role: &str,
        surveys: &[&str],
        sites: &[&str],
    ) -> String {
        let body = json!({
            "name": name, "role": role, "password": format!("{name}-password-1"),
            "surveys": surveys, "sites": sites, "token": true,
        });
        let res = self
            .call(
                reqwest::Method::POST,
                "/api/users",
                Some(&self.admin_token),
                Some(&body),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let body: Value = res.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// Makes an enrolment code for `surveys` as the admin; returns the code and its id.
    pub async fn enrolment(&self, surveys: &[&str], devices: u32) -> (String, i64) {
        let body = json!({ "label": "tablets", "surveys": surveys, "devices": devices });
        let res = self
            .call(
                reqwest::Method::POST,
                "/api/enrolments",
                Some(&self.admin_token),
                Some(&body),
            )
            .await;
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        (
            body["code"].as_str().unwrap().to_owned(),
            body["enrolment"]["id"].as_i64().unwrap(),
        )
    }

    /// Exchanges an enrolment code for a device token, as the app does.
    pub async fn enrol(&self, code: &str) -> reqwest::Response {
        let body = json!({ "code": code, "name": "tablet 1" });
        self.call(
            reqwest::Method::POST,
            "/api/devices/enrol",
            None,
            Some(&body),
        )
        .await
    }

    /// A device token for a new device enrolled for `surveys`.
    pub async fn device_token(&self, surveys: &[&str]) -> String {
        let (code, _) = self.enrolment(surveys, 1).await;
        let res = self.enrol(&code).await;
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// `GET path` with the admin token, as JSON, checking the status is 200.
    pub async fn admin_json(&self, path: &str) -> Value {
        let res = self.get(path, Some(&self.admin_token)).await;
        assert_eq!(res.status(), 200, "{path}");
        res.json().await.unwrap()
    }

    /// `GET path` with the admin token, as CSV, checking the status is 200.
    pub async fn admin_csv(&self, path: &str) -> Csv {
        let res = self.get(path, Some(&self.admin_token)).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        Csv::parse(&res.text().await.unwrap())
    }

    /// The download of the test survey with the admin token, parsed.
    pub async fn csv(&self) -> Csv {
        let res = self.get_csv("giovani", Some(&self.admin_token)).await;
        assert_eq!(res.status(), 200);
        Csv::parse(&res.text().await.unwrap())
    }
}

/// A parsed CSV download.
#[derive(Debug)]
pub struct Csv {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Csv {
    pub fn parse(text: &str) -> Self {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        Self { header, rows }
    }

    /// The cell of `row` in the column named `column`.
    pub fn cell(&self, row: usize, column: &str) -> &str {
        let i = self
            .header
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("no column {column:?} in {:?}", self.header));
        &self.rows[row][i]
    }
}

/// A fresh response id, as the app makes them.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).unwrap();
    ResponseId::from_random_bytes(bytes).to_string()
}

/// A valid response to version 1 of the test survey, with a fresh id.
pub fn valid_response() -> Value {
    json!({
        "id": new_id(),
        "survey": "giovani",
        "version": "1",
        "site": SITE,
        "language": "it",
        "submitted_at": "2026-03-02",
        "answers": {
            "eta": 16,
            "attivita": ["sport", "musica"],
            "commento": "Più spazi, anche il sabato; e \"meno\" compiti",
        },
    })
}

/// A valid session of the test guide, with a fresh id: two participants (P2 has not
/// consented), two notes and a quote, with themes of the guide and one typed in the session.
pub fn valid_session() -> Value {
    json!({
        "id": new_id(),
        "guide": "ascolto",
        "version": "1",
        "site": SITE,
        "date": "2026-03-02",
        "group_type": "studenti",
        "facilitator": "MR",
        "co_facilitator": "AB",
        "participants": [
            { "code": "P1", "fields": { "fascia_eta": "14-17", "ruolo": "studente" }, "consent": true },
            { "code": "P2", "fields": { "fascia_eta": "18-24" }, "consent": false },
        ],
        "new_themes": { "sport": "Sport" },
        "notes": [
            { "prompt": "manca", "text": "Mancano spazi il sabato", "offset": 120, "themes": ["spazi", "sport"] },
            { "prompt": "idee", "text": "Aprire la palestra", "offset": 900, "themes": [] },
        ],
        "quotes": [
            { "prompt": "manca", "participant": "P1", "text": "Non c'è niente da fare qui", "offset": 300, "themes": ["spazi"] },
        ],
    })
}

/// The text of an outbox file holding `responses`, as the app exports it.
pub fn outbox_file(responses: &[Value]) -> String {
    outbox_file_with(responses, &[])
}

/// The text of an outbox file holding `responses` and focus-group `sessions`.
pub fn outbox_file_with(responses: &[Value], sessions: &[Value]) -> String {
    fn read<T: serde::de::DeserializeOwned>(values: &[Value]) -> Vec<T> {
        values
            .iter()
            .map(|v| serde_json::from_value(v.clone()).unwrap())
            .collect()
    }
    let at = "2026-03-02T18:00:00+01:00".into();
    OutboxFile::new(read(responses), read(sessions), at).to_json()
}

/// `response` with `answers` changed as given (`null` removes an answer).
pub fn with_answers(response: &Value, answers: Value) -> Value {
    let mut response = response.clone();
    for (question, answer) in answers.as_object().unwrap() {
        let all = response["answers"].as_object_mut().unwrap();
        if answer.is_null() {
            all.remove(question);
        } else {
            all.insert(question.clone(), answer.clone());
        }
    }
    response
}

/// `response` with its top-level field `key` set to `value`.
pub fn with_field(response: &Value, key: &str, value: Value) -> Value {
    let mut response = response.clone();
    response[key] = value;
    response
}
