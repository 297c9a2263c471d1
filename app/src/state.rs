//! The app's state and the actions buttons trigger, shared with components as one context value.
//!
//! Components read these signals and call these methods; the rules live in `runner`, `storage`
//! and `sync`.

use leptos::callback::Callback;
use leptos::prelude::*;
use voci_core::outbox_file::OutboxFile;
use voci_core::{Response, SiteId, SurveyId};

use crate::browser;
use crate::catalog::{self, Catalog, CatalogState, Source};
use crate::i18n::{self, Key, UiLang};
use crate::net;
use crate::runner::Runner;
use crate::storage::{self, LocalStore, Store};
use crate::sync::OutboxSync;

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Home,
    /// The running questionnaire (its state is [`AppState::runner`]).
    Running,
    /// After a submit; the next respondent gets the same survey and site.
    Thanks {
        survey: SurveyId,
        site: SiteId,
    },
    /// For the youth worker: what waits, what was sent, what needs attention, storage.
    Status,
    /// For a coordinator: upload an outbox file to the collector.
    Import,
}

/// A message the person holding the tablet must see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    SiteRequired,
    /// A write to storage failed: the answers on screen are not saved yet.
    StorageFull,
}

/// Whether the browser agreed to keep this site's storage under pressure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persist {
    Asking,
    Granted,
    Denied,
    Unsupported,
}

#[derive(Debug, Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<UiLang>,
    pub catalog: RwSignal<CatalogState>,
    pub screen: RwSignal<Screen>,
    pub runner: RwSignal<Option<Runner>>,
    /// The chosen site, remembered across sessions.
    pub site: RwSignal<Option<SiteId>>,
    pub notice: RwSignal<Option<Notice>>,
    pub sync: OutboxSync,
    pub persist: RwSignal<Persist>,
    /// `navigator.storage.estimate()` as (usage, quota), read when the status screen opens.
    pub estimate: RwSignal<Option<(f64, f64)>>,
    /// A finished response storage refused: kept here (and on screen) until a write succeeds.
    unsaved: StoredValue<Option<Response>>,
    /// Whether the draft left by the last session has been looked at.
    draft_checked: StoredValue<bool>,
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

impl AppState {
    pub fn provide() -> Self {
        let store = LocalStore;
        let lang = store
            .get(storage::LANG_KEY)
            .and_then(|l| UiLang::parse(&l))
            .unwrap_or_default();
        let site = store
            .get(storage::SITE_KEY)
            .and_then(|s| SiteId::parse(s).ok());
        let this = Self {
            lang: RwSignal::new(lang),
            catalog: RwSignal::new(CatalogState::Loading),
            screen: RwSignal::new(Screen::Home),
            runner: RwSignal::new(None),
            site: RwSignal::new(site),
            notice: RwSignal::new(None),
            sync: OutboxSync::provide(),
            persist: RwSignal::new(Persist::Asking),
            estimate: RwSignal::new(None),
            unsaved: StoredValue::new(None),
            draft_checked: StoredValue::new(false),
        };
        provide_context(this);
        this
    }

    /// Start-up: the kept catalog at once (offline start), then a fresh one, then a sync.
    pub fn boot(self) {
        leptos::task::spawn_local(async move {
            self.persist
                .set(match browser::ask_persistent_storage().await {
                    Some(true) => Persist::Granted,
                    Some(false) => Persist::Denied,
                    None => Persist::Unsupported,
                });
        });
        self.sync
            .on_freed(Callback::new(move |()| self.retry_unsaved()));
        if let Some(kept) = storage::load_catalog(&LocalStore) {
            self.show_catalog(kept, Source::Kept);
        }
        self.refresh_catalog();
        self.sync.listen();
        self.sync.trigger();
    }

    /// Downloads surveys and sites; on failure keeps what there is.
    pub fn refresh_catalog(self) {
        leptos::task::spawn_local(async move {
            let surveys = fetch_parsed("/api/surveys", catalog::parse_surveys).await;
            let sites = fetch_parsed("/api/sites", catalog::parse_sites).await;
            let kept = storage::load_catalog(&LocalStore);
            match catalog::merge(surveys, sites, kept) {
                Some((c, source)) => {
                    if source == Source::Collector {
                        // A full storage only costs the offline start; the app still runs.
                        let _ = storage::save_catalog(&LocalStore, &c);
                    }
                    self.show_catalog(c, source);
                }
                None => self.catalog.set(CatalogState::Missing),
            }
        });
    }

    fn show_catalog(self, c: Catalog, source: Source) {
        if self
            .site
            .with_untracked(|s| s.as_ref().is_some_and(|s| c.sites.find(s).is_none()))
        {
            self.site.set(None);
        }
        if !self.draft_checked.get_value() {
            self.draft_checked.set_value(true);
            self.reopen_draft(&c);
        }
        self.catalog.set(CatalogState::Ready(c, source));
    }

    /// Reopens the response a reload interrupted, on its page with its answers.
    fn reopen_draft(self, c: &Catalog) {
        let Some(draft) = storage::load_draft(&LocalStore) else {
            return;
        };
        if let Some(lang) = UiLang::parse(&draft.language) {
            self.lang.set(lang);
        }
        if let Some(r) = Runner::from_draft(draft, c) {
            self.runner.set(Some(r));
            self.screen.set(Screen::Running);
        }
    }

    pub fn set_lang(self, lang: UiLang) {
        self.lang.set(lang);
        let _ = LocalStore.set(storage::LANG_KEY, lang.code());
        self.save_draft();
    }

    pub fn set_site(self, site: Option<SiteId>) {
        match &site {
            Some(s) => {
                let _ = LocalStore.set(storage::SITE_KEY, s.as_str());
                self.notice.set(None);
            }
            None => LocalStore.remove(storage::SITE_KEY),
        }
        self.site.set(site);
    }

    /// Starts a blank response of `survey` at the chosen site.
    pub fn start(self, survey: &SurveyId) {
        let Some(site) = self.site.get_untracked() else {
            self.notice.set(Some(Notice::SiteRequired));
            return;
        };
        self.start_at(survey, site);
    }

    fn start_at(self, survey: &SurveyId, site: SiteId) {
        let found = self.catalog.with_untracked(|c| match c {
            CatalogState::Ready(c, _) => c.latest(survey.as_str()).cloned(),
            _ => None,
        });
        let Some(survey) = found else {
            self.screen.set(Screen::Home);
            return;
        };
        self.notice.set(None);
        self.runner
            .set(Some(Runner::new(survey, site, browser::new_response_id())));
        self.save_draft();
        self.screen.set(Screen::Running);
        browser::scroll_to_top();
    }

    /// Changes the running response and keeps the draft in step.
    pub fn edit(self, f: impl FnOnce(&mut Runner)) {
        self.runner.update(|r| {
            if let Some(r) = r {
                f(r);
            }
        });
        self.save_draft();
    }

    /// Keeps the draft in step. If storage is full the respondent can still finish (the answers
    /// stay in memory and on screen); the youth worker is told, since a reload would lose them.
    fn save_draft(self) {
        let lang = self.lang.get_untracked();
        let saved = self.runner.with_untracked(|r| {
            r.as_ref()
                .map(|r| storage::save_draft(&LocalStore, &r.draft(lang.code())).is_ok())
        });
        match saved {
            Some(false) => self.notice.set(Some(Notice::StorageFull)),
            Some(true)
                if self.unsaved.with_value(Option::is_none)
                    && self.notice.get_untracked() == Some(Notice::StorageFull) =>
            {
                self.notice.set(None);
            }
            _ => {}
        }
    }

    pub fn next(self) {
        let mut moved = false;
        self.edit(|r| moved = r.next());
        if moved {
            browser::scroll_to_top();
        } else {
            browser::scroll_to_first_error();
        }
    }

    pub fn back(self) {
        self.edit(Runner::back);
        browser::scroll_to_top();
    }

    /// Validates, queues the response, and shows the thank-you screen. When storage refuses
    /// the write, the respondent's answers stay on screen and in memory, nothing queued is
    /// touched, and the youth worker is told what to do; pressing submit again (or a sync that
    /// frees space) saves it.
    pub fn submit(self) {
        let lang = self.lang.get_untracked();
        let mut finished = None;
        self.edit(|r| finished = r.finish(lang.code(), browser::now_rfc3339()));
        let Some(response) = finished else {
            browser::scroll_to_first_error();
            return;
        };
        browser::mark("voci-enqueue-start");
        let queued = storage::enqueue(&LocalStore, &response);
        browser::measure("voci-enqueue", "voci-enqueue-start");
        match queued {
            Ok(bytes) => self.queued(response, bytes),
            Err(_) => {
                self.unsaved.set_value(Some(response));
                self.notice.set(Some(Notice::StorageFull));
                browser::scroll_to_first_error();
            }
        }
    }

    fn queued(self, response: Response, bytes: u64) {
        self.unsaved.set_value(None);
        self.sync.queued_one(bytes);
        storage::delete_draft(&LocalStore);
        self.notice.set(None);
        self.screen.set(Screen::Thanks {
            survey: response.survey,
            site: response.site,
        });
        self.runner.set(None);
        self.sync.trigger();
        browser::scroll_to_top();
    }

    /// After a sync freed space: submits again the response storage refused, if it is still on
    /// screen (with any answer changed since).
    fn retry_unsaved(self) {
        let Some(response) = self.unsaved.get_value() else {
            return;
        };
        let on_screen = self.screen.get_untracked() == Screen::Running
            && self
                .runner
                .with_untracked(|r| r.as_ref().is_some_and(|r| *r.id() == response.id));
        if on_screen {
            self.submit();
        } else {
            self.unsaved.set_value(None);
        }
    }

    /// Back to home, discarding this respondent's answers once confirmed.
    pub fn leave(self) {
        if !browser::confirm(i18n::t(self.lang.get_untracked(), Key::ConfirmLeave)) {
            return;
        }
        storage::delete_draft(&LocalStore);
        self.go_home();
    }

    pub fn go_home(self) {
        self.unsaved.set_value(None);
        self.notice.set(None);
        self.screen.set(Screen::Home);
        self.runner.set(None);
        browser::scroll_to_top();
    }

    /// Opens the youth worker's status screen, with a fresh storage estimate.
    pub fn open_status(self) {
        self.sync.refresh();
        self.screen.set(Screen::Status);
        browser::scroll_to_top();
        leptos::task::spawn_local(async move {
            self.estimate.set(browser::storage_estimate().await);
        });
    }

    pub fn open_import(self) {
        self.screen.set(Screen::Import);
        browser::scroll_to_top();
    }

    /// Removes all of the app's data from this device and starts again. The status screen asks
    /// for this only after showing how many answers would be lost and offering the export.
    pub fn clear_data(self) {
        storage::clear_app_data(&LocalStore);
        browser::reload();
    }

    /// Downloads the responses not yet on the collector (queued, and refused ones so that a
    /// coordinator sees them) as an outbox file the collector imports. They stay on the device:
    /// the collector stores each id once, so sending them later as well does no harm.
    /// Nothing is written to storage, so this works when it is full.
    pub fn export_outbox(self) {
        let mut responses = self.unsaved.get_value().into_iter().collect::<Vec<_>>();
        responses.extend(storage::export_responses(&LocalStore));
        if responses.is_empty() {
            return;
        }
        let now = browser::now_rfc3339();
        let file = OutboxFile::new(responses, now.clone());
        let name = format!("voci-outbox-{}.json", now.get(..10).unwrap_or("export"));
        let _ = browser::download(&name, &file.to_json(), "application/json");
    }

    /// Kiosk flow: a blank response of the same survey and site.
    pub fn next_respondent(self) {
        if let Screen::Thanks { survey, site } = self.screen.get_untracked() {
            self.start_at(&survey, site);
        }
    }
}

/// `GET url` parsed by `parse`; `None` when offline, on an HTTP error or on unreadable JSON.
async fn fetch_parsed<T, E>(url: &str, parse: impl Fn(&str) -> Result<T, E>) -> Option<T> {
    let reply = net::get(url).await.ok().filter(net::Reply::ok)?;
    parse(&reply.body).ok()
}
