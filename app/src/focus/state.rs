//! The focus-group screen's state and the actions its buttons trigger, shared with its
//! components through [`use_focus`]. The rules live in [`FocusRun`]; this keeps the draft in
//! localStorage on every change and hands a finished session to the outbox. Only the focus
//! entry point (`/focus/`) makes one; "home" is the PWA, at `/`.

use leptos::prelude::*;
use voci_core::guide::SessionError;

use super::{FocusRun, StartField, StartForm};
use crate::browser;
use crate::catalog::{Catalog, CatalogState};
use crate::i18n::{self, FocusKey};
use crate::state::AppState;
use crate::storage::{self, LocalStore};

/// The device's clock, in milliseconds since the epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

#[derive(Debug, Clone, Copy)]
pub struct FocusState {
    /// The session in progress, if any (on screen or paused).
    pub run: RwSignal<Option<FocusRun>>,
    /// The start form's fields that need fixing.
    pub start_problems: RwSignal<Vec<StartField>>,
    /// What the core's check found when the facilitator tried to end the session.
    pub end_problems: RwSignal<Vec<SessionError>>,
    /// The last save of the draft failed (storage full): a reload would lose the latest changes.
    pub unsaved: RwSignal<bool>,
    /// "End the session?" is on screen.
    pub ending: RwSignal<bool>,
    /// A session was just queued: the screen says so.
    pub queued: RwSignal<bool>,
    /// The device's clock, moved on every second while the session screen shows (timers).
    pub now: RwSignal<u64>,
    app: AppState,
}

/// The focus-group state, for its components.
pub fn use_focus() -> FocusState {
    expect_context::<FocusState>()
}

impl FocusState {
    /// Made once, by the focus entry's root, and provided to its components.
    pub fn provide(app: AppState) -> Self {
        let this = Self {
            run: RwSignal::new(None),
            start_problems: RwSignal::new(Vec::new()),
            end_problems: RwSignal::new(Vec::new()),
            unsaved: RwSignal::new(false),
            ending: RwSignal::new(false),
            queued: RwSignal::new(false),
            now: RwSignal::new(now_ms()),
            app,
        };
        provide_context(this);
        this
    }

    /// Reopens the session in progress (paused, or interrupted by a reload or a closed tab),
    /// on screen. The draft stays in storage until the session is ended or discarded, even
    /// when its guide is missing from the catalog.
    pub fn reopen(self, catalog: &Catalog) {
        let Some(draft) = storage::load_focus_draft(&LocalStore) else {
            return;
        };
        let Some(run) = FocusRun::from_draft(draft, &catalog.guides().0) else {
            return;
        };
        self.now.set(now_ms());
        self.run.set(Some(run));
        self.edit(|r, _| r.set_open(true));
    }

    /// Starts a session from the start form, or shows what to fix.
    pub fn start(self, form: &StartForm) {
        let guide = self.app.catalog.with_untracked(|c| match c {
            CatalogState::Ready(c, _) => c.guides().latest(&form.guide).cloned(),
            _ => None,
        });
        let now = now_ms();
        match FocusRun::start(guide.as_ref(), form, browser::new_response_id(), now) {
            Ok(run) => {
                self.start_problems.set(Vec::new());
                self.end_problems.set(Vec::new());
                self.now.set(now);
                self.run.set(Some(run));
                self.save();
                browser::scroll_to_top();
            }
            Err(problems) => {
                self.start_problems.set(problems);
                browser::scroll_to_first_error();
            }
        }
    }

    /// Changes the session and keeps the draft in step (`now` is the device's clock).
    pub fn edit(self, f: impl FnOnce(&mut FocusRun, u64)) {
        let now = now_ms();
        self.run.update(|r| {
            if let Some(r) = r {
                f(r, now);
            }
        });
        self.save();
    }

    fn save(self) {
        let saved = self.run.with_untracked(|r| {
            r.as_ref()
                .map(|r| storage::save_focus_draft(&LocalStore, r.draft()).is_ok())
        });
        if let Some(saved) = saved
            && self.unsaved.get_untracked() == saved
        {
            self.unsaved.set(!saved);
        }
    }

    /// Back to the PWA's home; the session stays saved and the home screen offers to resume it.
    pub fn leave(self) {
        self.edit(|r, _| r.set_open(false));
        go_home();
    }

    /// Throws the session away, once confirmed.
    pub fn discard(self) {
        let lang = self.app.lang.get_untracked();
        if !browser::confirm(i18n::focus(lang, FocusKey::ConfirmDiscard)) {
            return;
        }
        storage::delete_focus_draft(&LocalStore);
        self.run.set(None);
        self.end_problems.set(Vec::new());
        self.ending.set(false);
        go_home();
    }

    /// Ends the session: checked by the core, then queued in the outbox, which sends it with
    /// the survey responses. If the check fails or storage refuses the write, nothing is lost:
    /// the session stays on screen and in its draft.
    pub fn end(self) {
        self.ending.set(false);
        let mut finished = None;
        self.edit(|r, _| finished = Some(r.finish()));
        match finished {
            Some(Ok(session)) => match storage::enqueue(&LocalStore, &session) {
                Ok(bytes) => {
                    self.app.sync.queued_one(bytes);
                    storage::delete_focus_draft(&LocalStore);
                    self.run.set(None);
                    self.end_problems.set(Vec::new());
                    self.queued.set(true);
                    self.app.sync.trigger();
                    browser::scroll_to_top();
                }
                Err(_) => {
                    self.unsaved.set(true);
                    browser::scroll_to_first_error();
                }
            },
            Some(Err(problems)) => {
                self.end_problems.set(problems);
                browser::scroll_to_first_error();
            }
            None => {}
        }
    }

    pub fn go_home(self) {
        self.queued.set(false);
        go_home();
    }

    /// Moves the clock the timers read.
    pub fn tick(self) {
        self.now.set(now_ms());
    }
}

/// To the PWA's home screen, at `/` (a page of its own: this entry has no home screen).
pub fn go_home() {
    let _ = window().location().assign("/");
}
