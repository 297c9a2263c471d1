//! The app's state and the actions buttons trigger, shared with components as one context value.
//!
//! Components read these signals and call these methods; the rules live in `runner`, `storage`,
//! `sync` and `kiosk`. In kiosk mode ([`AppState::kiosk`] is set) the session decides what the
//! respondent sees, and [`Screen`] waits for the session's end.

use leptos::callback::Callback;
use leptos::prelude::*;
use voci_core::outbox_file;
use voci_core::{Response, SiteId, SurveyId};

use crate::browser;
use crate::catalog::{self, Catalog, CatalogState, Source};
use crate::i18n::{self, Key, UiLang};
use crate::kiosk::{self, Session, Stage, Unlock};
use crate::net;
use crate::runner::Runner;
use crate::storage::{self, LocalStore, Store};
use crate::sync::OutboxSync;

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Home,
    /// A survey's consent (or assent) text, before its questions; outside kiosk mode.
    Consent {
        survey: SurveyId,
    },
    /// The running questionnaire (its state is [`AppState::runner`]).
    Running,
    /// After a submit; the next respondent gets the same survey and site.
    Thanks {
        survey: SurveyId,
        site: SiteId,
    },
    /// For the youth worker: what waits, what was sent, what needs attention, storage.
    Status,
    /// The focus-group screens' address (`/focus/`) opened offline before they were ever
    /// cached: the service worker answered with this app, which says to open them once
    /// online (the screens themselves are the `voci-focus` entry point).
    FocusOffline,
    /// For the youth worker: the form that starts a kiosk session.
    KioskSetup,
    /// The enrolment screen's address (`/enrol`) opened with the network down: the service
    /// worker answered with this app, which says that enrolling needs the network (the screen
    /// itself is the `voci-enrol` entry point, never kept offline).
    EnrolOffline,
}

/// In kiosk mode, whether the youth worker has the tablet (behind the PIN).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    /// The respondent's screens.
    Away,
    /// The PIN prompt.
    Prompt,
    /// The session screen, after the right PIN.
    Unlocked,
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
    /// The classroom session, in kiosk mode (kept in storage across reloads).
    pub kiosk: RwSignal<Option<Session>>,
    /// In kiosk mode: the respondent's screens or the youth worker's (never kept: a reload
    /// goes back to the respondent).
    pub worker: RwSignal<Worker>,
    /// In kiosk mode: the respondent asked to stop and is asked to confirm.
    pub withdrawing: RwSignal<bool>,
    /// What the actions keep for themselves.
    private: StoredValue<Private>,
}

/// What [`AppState`]'s actions keep for themselves, which nothing on screen reads: one stored
/// value rather than one per field (each type of stored value is code of its own in the
/// download).
#[derive(Debug, Default)]
struct Private {
    /// A finished response storage refused: kept here (and on screen) until a write succeeds.
    unsaved: Option<Response>,
    /// Whether the draft left by the last session has been looked at.
    draft_checked: bool,
    /// What reopens the work a reload interrupted, once the first catalog is known: the
    /// runner's draft in the PWA; nothing in the focus entry, whose root reopens its own
    /// session (a function, so each entry's download carries only its own).
    reopen: Option<fn(AppState, &Catalog)>,
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

impl AppState {
    pub fn provide() -> Self {
        let store = LocalStore;
        let kiosk = Session::load(&store);
        let lang = kiosk
            .as_ref()
            .map(|k| k.language().to_owned())
            .or_else(|| store.get(storage::LANG_KEY))
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
            sync: OutboxSync::new(),
            persist: RwSignal::new(Persist::Asking),
            estimate: RwSignal::new(None),
            kiosk: RwSignal::new(kiosk),
            worker: RwSignal::new(Worker::Away),
            withdrawing: RwSignal::new(false),
            private: StoredValue::new(Private::default()),
        };
        provide_context(this);
        this
    }

    /// The PWA's start-up: [`AppState::launch`], reopening the response a reload interrupted.
    /// At `/focus/` and `/enrol` (the service worker's answers when the focus-group screens
    /// were never cached, and when the enrol entry cannot be fetched) only the message that
    /// they need the network.
    pub fn boot(self) {
        let path = window().location().pathname().ok();
        let offline = match path.as_deref() {
            Some(p) if is_focus_path(p) => Screen::FocusOffline,
            Some(p) if is_enrol_path(p) => Screen::EnrolOffline,
            _ => return self.launch(Some(Self::reopen_draft)),
        };
        // The message stays on screen; a draft reopens once the way home is taken.
        self.screen.set(offline);
        self.launch(None);
    }

    /// Start-up: the kept catalog at once (offline start), then a fresh one, then a sync.
    /// `reopen` runs once, with the first catalog known.
    pub fn launch(self, reopen: Option<fn(AppState, &Catalog)>) {
        self.private.update_value(|p| p.reopen = reopen);
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
            let surveys = fetch("/api/surveys").await;
            let surveys = surveys.and_then(|json| catalog::parse_surveys(&json).ok());
            let sites = fetch("/api/sites").await;
            let sites = sites.and_then(|json| catalog::parse_sites(&json).ok());
            let guides = fetch("/api/guides").await;
            let guides = guides.and_then(|json| catalog::parse_guides(&json).ok());
            let kept = storage::load_catalog(&LocalStore);
            match catalog::merge(surveys, sites, guides, kept) {
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
        let checked = self
            .private
            .try_update_value(|p| std::mem::replace(&mut p.draft_checked, true));
        if checked == Some(false)
            && let Some(reopen) = self.private.with_value(|p| p.reopen)
        {
            reopen(self, &c);
        }
        // The same catalog again (the kept copy, then the collector's when nothing changed):
        // no notification, so the screens reading it are not drawn again.
        let next = CatalogState::Ready(c, source);
        if self.catalog.with_untracked(|now| *now != next) {
            self.catalog.set(next);
        }
    }

    /// Reopens the response a reload interrupted, on its page with its answers. In kiosk mode
    /// only the session's respondent who was answering gets a draft back; any other draft
    /// belonged to someone who finished or withdrew, and goes.
    fn reopen_draft(self, c: &Catalog) {
        let draft = storage::load_draft(&LocalStore);
        let kiosk = self
            .kiosk
            .with_untracked(|k| k.as_ref().map(|k| (k.stage(), k.settings().survey.clone())));
        let draft = match (draft, kiosk) {
            (draft, None) => draft,
            (Some(d), Some((Stage::Questions, survey))) if d.survey == survey => Some(d),
            (other, Some(_)) => {
                if other.is_some() {
                    storage::delete_draft(&LocalStore);
                }
                self.kiosk_edit(Session::lost_draft);
                None
            }
        };
        let Some(draft) = draft else {
            return;
        };
        if let Some(lang) = UiLang::parse(&draft.language) {
            self.lang.set(lang);
        }
        if let Some(r) = Runner::from_draft(draft, c) {
            self.runner.set(Some(r));
            self.screen.set(Screen::Running);
        } else if self.kiosk.with_untracked(Option::is_some) {
            // Its survey version is gone: the next respondent must not inherit it.
            storage::delete_draft(&LocalStore);
            self.kiosk_edit(Session::lost_draft);
        }
    }

    /// The interface language; in kiosk mode the respondent's, which the youth worker's own
    /// choice outlives.
    pub fn set_lang(self, lang: UiLang) {
        self.lang.set(lang);
        if self.kiosk.with_untracked(Option::is_some) {
            self.kiosk_edit(|k| k.set_language(lang.code()));
        } else {
            let _ = LocalStore.set(storage::LANG_KEY, lang.code());
        }
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

    /// Starts a blank response of `survey` at the chosen site, after its consent text if it
    /// has one.
    pub fn start(self, survey: &SurveyId) {
        let Some(site) = self.site.get_untracked() else {
            self.notice.set(Some(Notice::SiteRequired));
            return;
        };
        if self.survey(survey).is_some_and(|s| s.consent.is_some()) {
            self.notice.set(None);
            self.screen.set(Screen::Consent {
                survey: survey.clone(),
            });
            browser::scroll_to_top();
            return;
        }
        self.start_at(survey, site);
    }

    /// The newest version of a survey in the catalog.
    pub fn survey(self, id: &SurveyId) -> Option<voci_core::Survey> {
        self.catalog.with_untracked(|c| match c {
            CatalogState::Ready(c, _) => c.latest(id.as_str()).cloned(),
            _ => None,
        })
    }

    /// The respondent agreed to the consent text: the questions begin.
    pub fn accept_consent(self) {
        if self.kiosk.with_untracked(Option::is_some) {
            self.kiosk_accept();
            return;
        }
        if let (Screen::Consent { survey }, Some(site)) =
            (self.screen.get_untracked(), self.site.get_untracked())
        {
            self.start_at(&survey, site);
        }
    }

    /// The respondent declined: nothing of them was saved, nothing is.
    pub fn decline_consent(self) {
        if self.kiosk.with_untracked(Option::is_some) {
            self.withdraw();
        } else {
            self.go_home();
        }
    }

    fn start_at(self, survey: &SurveyId, site: SiteId) {
        let Some(survey) = self.survey(survey) else {
            self.screen.set(Screen::Home);
            return;
        };
        let Ok(runner) = Runner::new(&survey, site, browser::new_response_id(), &browser::now())
        else {
            // Only a survey whose logic does not build, which the collector never publishes.
            self.screen.set(Screen::Home);
            return;
        };
        self.notice.set(None);
        self.runner.set(Some(runner));
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
                if self.private.with_value(|p| p.unsaved.is_none())
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
        self.edit(|r| finished = r.finish(lang.code(), &browser::now()));
        let Some(response) = finished else {
            browser::scroll_to_first_error();
            return;
        };
        let response = self.with_group(response);
        browser::mark("voci-enqueue-start");
        let queued = storage::enqueue(&LocalStore, &response);
        browser::measure("voci-enqueue", "voci-enqueue-start");
        match queued {
            Ok(bytes) => self.queued(response, bytes),
            Err(_) => {
                self.set_unsaved(Some(response));
                self.notice.set(Some(Notice::StorageFull));
                browser::scroll_to_first_error();
            }
        }
    }

    fn set_unsaved(self, response: Option<Response>) {
        self.private.update_value(|p| p.unsaved = response);
    }

    fn queued(self, response: Response, bytes: u64) {
        self.set_unsaved(None);
        self.sync.queued_one(bytes);
        storage::delete_draft(&LocalStore);
        self.notice.set(None);
        if self.kiosk.with_untracked(Option::is_some) {
            self.kiosk_edit(Session::finish);
        }
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
        let Some(response) = self.private.with_value(|p| p.unsaved.clone()) else {
            return;
        };
        let on_screen = self.screen.get_untracked() == Screen::Running
            && self
                .runner
                .with_untracked(|r| r.as_ref().is_some_and(|r| *r.id() == response.id));
        if on_screen {
            self.submit();
        } else {
            self.set_unsaved(None);
        }
    }

    /// Back to home, discarding this respondent's answers once confirmed. In kiosk mode: the
    /// respondent is asked whether to stop and withdraw.
    pub fn leave(self) {
        if self.kiosk.with_untracked(Option::is_some) {
            self.withdrawing.set(true);
            return;
        }
        if !browser::confirm(i18n::t(self.lang.get_untracked(), Key::ConfirmLeave)) {
            return;
        }
        storage::delete_draft(&LocalStore);
        self.go_home();
    }

    pub fn go_home(self) {
        self.set_unsaved(None);
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

    /// Removes all of the app's data from this device and starts again. The status screen asks
    /// for this only after showing how many records (responses and focus-group sessions, queued
    /// or refused) would be lost and offering the export, which carries both.
    pub fn clear_data(self) {
        storage::clear_app_data(&LocalStore);
        browser::reload();
    }

    /// Downloads the responses and focus-group sessions not yet on the collector (queued, and
    /// refused ones so that a coordinator sees them) as an outbox file the collector imports.
    /// They stay on the device: the collector stores each id once, so sending them later as
    /// well does no harm. Nothing is written to storage, so this works when it is full.
    pub fn export_outbox(self) {
        let unsaved = self
            .private
            .with_value(|p| p.unsaved.as_ref().map(Response::canonical_json));
        let mut responses: Vec<String> = unsaved.into_iter().collect();
        responses.extend(storage::exported(&LocalStore, storage::RESPONSES));
        let sessions = storage::exported(&LocalStore, storage::SESSIONS);
        if responses.is_empty() && sessions.is_empty() {
            return;
        }
        let now = browser::now_rfc3339();
        let name = format!("voci-outbox-{}.json", now.get(..10).unwrap_or("export"));
        let text = outbox_file::write(&responses, &sessions, &now);
        let _ = browser::download(&name, &text, "application/json");
    }

    /// A blank response of the same survey and site; in kiosk mode, a blank welcome screen.
    pub fn next_respondent(self) {
        if self.kiosk.with_untracked(Option::is_some) {
            self.kiosk_edit(Session::next_respondent);
            self.kiosk_language();
            browser::scroll_to_top();
            return;
        }
        if let Screen::Thanks { survey, site } = self.screen.get_untracked() {
            self.start_at(&survey, site);
        }
    }
}

/// Kiosk mode: the youth worker's classroom session and each respondent's way through it
/// (welcome → consent → questions → thank you → the next respondent, blank).
impl AppState {
    pub fn open_kiosk_setup(self) {
        self.notice.set(None);
        self.screen.set(Screen::KioskSetup);
        browser::scroll_to_top();
    }

    /// Starts a session from the youth worker's form; from now on the tablet is the
    /// respondents' until the PIN is given.
    pub fn start_kiosk(self, form: &kiosk::Form) -> Result<(), kiosk::SetupError> {
        let session = Session::start(form, browser::random_bytes())?;
        // A full storage also refuses the answers; the runner says so when it happens.
        let _ = session.save(&LocalStore);
        self.set_site(Some(session.settings().site.clone()));
        self.kiosk.set(Some(session));
        self.worker.set(Worker::Away);
        self.withdrawing.set(false);
        self.runner.set(None);
        self.kiosk_language();
        browser::scroll_to_top();
        Ok(())
    }

    /// Changes the session and keeps the stored copy in step.
    fn kiosk_edit(self, f: impl FnOnce(&mut Session)) {
        self.kiosk.update(|k| {
            if let Some(k) = k {
                f(k);
                let _ = k.save(&LocalStore);
            }
        });
    }

    /// The interface in the current respondent's language.
    fn kiosk_language(self) {
        let lang = self
            .kiosk
            .with_untracked(|k| k.as_ref().and_then(|k| UiLang::parse(k.language())));
        if let Some(lang) = lang {
            self.lang.set(lang);
        }
    }

    /// The youth worker's own language (outside the session), for their screens.
    fn worker_language(self) {
        let lang = LocalStore
            .get(storage::LANG_KEY)
            .and_then(|l| UiLang::parse(&l))
            .unwrap_or_default();
        self.lang.set(lang);
    }

    /// The session's survey (tracked, for components).
    pub fn kiosk_survey(self) -> Option<voci_core::Survey> {
        let id = self
            .kiosk
            .with(|k| k.as_ref().map(|k| k.settings().survey.clone()))?;
        self.catalog.with(|c| match c {
            CatalogState::Ready(c, _) => c.latest(id.as_str()).cloned(),
            _ => None,
        })
    }

    /// In kiosk mode, a response records the session's class or group.
    fn with_group(self, mut response: Response) -> Response {
        if let Some(group) = self
            .kiosk
            .with_untracked(|k| k.as_ref().map(|k| k.settings().group.clone()))
        {
            response.group = group;
        }
        response
    }

    /// Start, on the welcome screen: the consent text, or the questions.
    pub fn kiosk_begin(self) {
        let Some(survey) = self
            .kiosk
            .with_untracked(|k| k.as_ref().map(|k| k.settings().survey.clone()))
            .and_then(|id| self.survey(&id))
        else {
            return;
        };
        let mut questions = false;
        self.kiosk_edit(|k| questions = k.begin(survey.consent.is_some()));
        if questions {
            self.kiosk_questions();
        }
        browser::scroll_to_top();
    }

    fn kiosk_accept(self) {
        let mut questions = false;
        self.kiosk_edit(|k| questions = k.accept());
        if questions {
            self.kiosk_questions();
        }
    }

    /// A blank response for the respondent who just started.
    fn kiosk_questions(self) {
        let Some(settings) = self
            .kiosk
            .with_untracked(|k| k.as_ref().map(|k| k.settings().clone()))
        else {
            return;
        };
        self.start_at(&settings.survey, settings.site);
    }

    /// The respondent stops (or declines the consent): their draft is deleted, nothing of
    /// them is queued, and the next respondent is welcomed.
    pub fn withdraw(self) {
        storage::delete_draft(&LocalStore);
        self.runner.set(None);
        self.set_unsaved(None);
        self.notice.set(None);
        self.withdrawing.set(false);
        self.kiosk_edit(Session::withdraw);
        self.kiosk_language();
        browser::scroll_to_top();
    }

    /// The respondent changed their mind about stopping.
    pub fn keep_answering(self) {
        self.withdrawing.set(false);
    }

    /// The PIN prompt, in the youth worker's language. The respondent's answers stay where
    /// they are (in memory and in the draft), off screen.
    pub fn open_pin(self) {
        self.withdrawing.set(false);
        self.worker.set(Worker::Prompt);
        self.worker_language();
        browser::scroll_to_top();
    }

    /// Checks the youth worker's PIN; the right one opens the session screen.
    pub fn unlock(self, pin: &str) -> Unlock {
        let mut result = Unlock::Locked { seconds: 0 };
        self.kiosk_edit(|k| result = k.unlock(pin, browser::now_ms()));
        if result == Unlock::Open {
            self.sync.refresh();
            self.worker.set(Worker::Unlocked);
        }
        result
    }

    /// Back to the respondent's screens, where they were.
    pub fn resume_kiosk(self) {
        self.worker.set(Worker::Away);
        self.kiosk_language();
        browser::scroll_to_top();
    }

    /// Ends the session (after the PIN): an unfinished respondent's answers are deleted; the
    /// queued responses stay queued.
    pub fn end_kiosk(self) {
        if self.worker.get_untracked() != Worker::Unlocked {
            return;
        }
        storage::delete_draft(&LocalStore);
        Session::forget(&LocalStore);
        self.kiosk.set(None);
        self.worker.set(Worker::Away);
        self.withdrawing.set(false);
        self.worker_language();
        self.go_home();
    }
}

/// Whether `path` is the focus-group screens' address (`/focus`, `/focus/...`).
pub fn is_focus_path(path: &str) -> bool {
    path.strip_prefix(FOCUS_PATH.trim_end_matches('/'))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Where the facilitator's focus-group screens are served (the `voci-focus` entry point).
pub const FOCUS_PATH: &str = "/focus/";

/// Whether `path` is the enrolment screen's address (`/enrol`, `/enrol/...`).
pub fn is_enrol_path(path: &str) -> bool {
    path.strip_prefix(crate::enrol::ENROL_PATH)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The body of `GET url`; `None` when offline or on an HTTP error. Only the text: one future
/// type for every download (a future per parsed type would each be code of its own).
async fn fetch(url: &str) -> Option<String> {
    let reply = net::get(url).await.ok().filter(net::Reply::ok)?;
    Some(reply.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_focus_path_and_nothing_that_only_starts_like_it() {
        for path in ["/focus", "/focus/", "/focus/index.html"] {
            assert!(is_focus_path(path), "{path}");
        }
        for path in ["/", "/focused", "/enrol", "/results/", "/x/focus/"] {
            assert!(!is_focus_path(path), "{path}");
        }
    }

    #[test]
    fn the_enrol_path_and_nothing_that_only_starts_like_it() {
        for path in ["/enrol", "/enrol/", "/enrol/index.html"] {
            assert!(is_enrol_path(path), "{path}");
        }
        for path in [
            "/",
            "/enrolment",
            "/focus/",
            "/api/devices/enrol",
            "/x/enrol",
        ] {
            assert!(!is_enrol_path(path), "{path}");
        }
    }
}
