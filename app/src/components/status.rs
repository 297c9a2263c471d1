//! The youth worker's status screen: per survey what waits and what was sent, the answers the
//! collector refused (with the reason in plain words), storage, export, and clearing the device.
//!
//! The screen is drawn again as a whole when what it shows changes (a sync, the language): it
//! is small, and one reactive closure built from a few repeated parts keeps the download small.

use crate::components::{CollectAny, button, click, enrolment_panel, fact, screen_head, tr};
use leptos::prelude::*;
use voci_core::ResponseId;

use crate::browser;
use crate::catalog::CatalogState;
use crate::i18n::{self, Key, UiLang};
use crate::journal::SyncLog;
use crate::state::{AppState, Persist, use_app};
use crate::storage::{self, LocalStore, Refused};

#[component]
pub fn StatusScreen() -> impl IntoView {
    let app = use_app();
    // Survives redrawing: the warning stays open while counts change under it.
    let asking = RwSignal::new(false);
    crate::components::rv(move || screen(app, asking))
}

fn screen(app: AppState, asking: RwSignal<bool>) -> impl IntoView + use<> {
    let l = app.lang.get();
    let sync = app.sync;
    let (outbox, bytes, log) = (sync.outbox.get(), sync.bytes.get(), sync.log.get());
    sync.attention.track();
    let refused = storage::attention(&LocalStore);
    let unsent = outbox + refused.len();
    let waiting = storage::waiting_by_survey(&LocalStore);
    // The catalog's surveys, then any survey with answers here that is gone from it.
    let mut surveys: Vec<(String, String)> = app.catalog.with(|c| match c {
        CatalogState::Ready(c, _) => c
            .current()
            .into_iter()
            .map(|s| (s.id.to_string(), tr(&s.title, l, s.default_language())))
            .collect(),
        _ => Vec::new(),
    });
    for (id, _) in waiting.iter() {
        if !surveys.iter().any(|(s, _)| s == id) {
            surveys.push((id.to_owned(), id.to_owned()));
        }
    }
    let panels = surveys
        .into_iter()
        .map(|(id, title)| {
            let refused_here = refused
                .iter()
                .filter(|(_, r)| r.parsed().is_some_and(|p| p.survey.as_str() == id))
                .count();
            let waiting = waiting.get(&id);
            let rows = survey_rows(l, &id, waiting, refused_here, &log);
            view! {
                <section class="survey-status" data-testid=format!("survey-status-{id}")>
                    <h2>{title}</h2>
                    <dl>{rows.into_iter().map(row).collect_any()}</dl>
                </section>
            }
            .into_any()
        })
        .collect_any();
    let items = refused
        .iter()
        .map(|(id, r)| attention_item(app, l, id, r))
        .collect_any();
    let (persist, persist_words) = match app.persist.get() {
        Persist::Asking => ("asking", Key::PersistAsking),
        Persist::Granted => ("granted", Key::PersistGranted),
        Persist::Denied => ("denied", Key::PersistDenied),
        Persist::Unsupported => ("unsupported", Key::PersistUnsupported),
    };
    let persist_text = format!(
        "{}: {}",
        i18n::t(l, Key::Persist),
        i18n::t(l, persist_words)
    );
    let left = app.estimate.get().map(|(usage, quota)| quota - usage);
    let export = move || click(move |_| app.export_outbox());
    let mut storage_actions = Vec::new();
    if unsent > 0 {
        let label = i18n::t(l, Key::ExportOutbox);
        storage_actions.push(button("secondary", "export-outbox", label, export()));
    }
    let mut clear_actions = vec![button(
        "secondary",
        "clear-data",
        i18n::t(l, Key::ClearData),
        click(move |_| asking.set(true)),
    )];
    let mut warning = None;
    if asking.get() {
        let (text, confirm) = match unsent {
            0 => (
                i18n::t(l, Key::ClearNothingUnsent).to_owned(),
                i18n::t(l, Key::ClearConfirm).to_owned(),
            ),
            n => (i18n::clear_unsent(l, n), i18n::clear_anyway(l, n)),
        };
        let drafts = storage::open_drafts(&LocalStore);
        let in_progress = (drafts > 0).then(|| {
            fact(
                "notice",
                "clear-drafts".into(),
                drafts.to_string(),
                i18n::t(l, Key::ClearOpenDrafts).to_owned(),
            )
        });
        warning = Some((
            fact("notice", "clear-warning".into(), unsent.to_string(), text),
            in_progress,
        ));
        if unsent > 0 {
            let label = i18n::t(l, Key::ClearExportFirst);
            clear_actions.push(button("primary", "clear-export", label, export()));
        }
        let clear = click(move |_| app.clear_data());
        clear_actions.push(button("danger", "clear-confirm", confirm, clear));
        let cancel = click(move |_| asking.set(false));
        let label = i18n::t(l, Key::Cancel);
        clear_actions.push(button("secondary", "clear-cancel", label, cancel));
    }
    view! {
        <section class="status" data-testid="status-screen">
            {screen_head(app, l, Key::StatusTitle)}
            {enrolment_panel(l)}
            {panels}
            <section class="attention" data-testid="attention-list">
                <h2>
                    {i18n::t(l, Key::Attention)}" "
                    <span class="count" data-testid="attention-count">{refused.len()}</span>
                </h2>
                <p class="hint">
                    {i18n::t(l, if refused.is_empty() { Key::AttentionNone } else { Key::AttentionBody })}
                </p>
                <ul>{items}</ul>
            </section>
            <section class="storage">
                {fact("", "persist-status".into(), persist.into(), persist_text)}
                {fact("", "storage-usage".into(), bytes.to_string(), i18n::storage_usage(l, outbox, bytes, left))}
                {(unsent > 0).then(|| fact("hint", "export-hint".into(), String::new(), i18n::t(l, Key::ExportHint).to_owned()))}
                <div class="actions">{storage_actions}</div>
            </section>
            <section class="danger">
                {warning}
                <div class="actions">{clear_actions}</div>
            </section>
        </section>
    }.into_any()
}

/// A label and its value, the value under a testid.
fn row((testid, label, value): (String, &'static str, String)) -> impl IntoView {
    view! {
        <div class="row">
            <dt>{label}</dt>
            <dd data-testid=testid>{value}</dd>
        </div>
    }
    .into_any()
}

fn survey_rows(
    l: UiLang,
    id: &str,
    waiting: u32,
    refused_here: usize,
    log: &SyncLog,
) -> [(String, &'static str, String); 4] {
    let last_ok = log.last_ok.as_ref().map_or_else(
        || i18n::t(l, Key::Never).to_owned(),
        |at| browser::local_time(at, l.code()),
    );
    let last_error = if refused_here > 0 {
        i18n::refused_here(l, refused_here)
    } else {
        log.last_error.as_ref().map_or_else(
            || i18n::t(l, Key::NoError).to_owned(),
            |(at, f)| {
                format!(
                    "{} ({})",
                    i18n::failure(l, *f),
                    browser::local_time(at, l.code())
                )
            },
        )
    };
    [
        (
            format!("waiting-{id}"),
            i18n::t(l, Key::Waiting),
            waiting.to_string(),
        ),
        (
            format!("sent-today-{id}"),
            i18n::t(l, Key::SentToday),
            log.sent_today(id).to_string(),
        ),
        (
            format!("last-sync-{id}"),
            i18n::t(l, Key::LastSync),
            last_ok,
        ),
        (
            format!("last-error-{id}"),
            i18n::t(l, Key::LastError),
            last_error,
        ),
    ]
}

/// One refused response: which survey and when, why in plain words, the collector's own words.
fn attention_item(app: AppState, l: UiLang, id: &ResponseId, r: &Refused) -> impl IntoView + use<> {
    let why = match r.status.as_str() {
        "conflict" => Key::ReasonConflict,
        "invalid" => Key::ReasonInvalid,
        "unreadable" => Key::ReasonUnreadable,
        _ => Key::ReasonRejected,
    };
    let what = r.parsed().map_or_else(String::new, |p| {
        let title = app.catalog.with_untracked(|c| match c {
            CatalogState::Ready(c, _) => c
                .latest(p.survey.as_str())
                .map(|s| tr(&s.title, l, s.default_language())),
            _ => None,
        });
        format!(
            "{} · {}",
            title.unwrap_or_else(|| p.survey.to_string()),
            browser::local_time(&p.submitted_at, l.code())
        )
    });
    let said = format!("{} {}", i18n::t(l, Key::CollectorSaid), r.reason);
    view! {
        <li data-testid=format!("attention-{id}") data-status=r.status.clone()>
            <strong>{what}</strong>
            <p>{i18n::t(l, why)}</p>
            <p class="hint">{said}</p>
            <code>{id.to_string()}</code>
        </li>
    }
    .into_any()
}
