//! The downloads of a survey: the results table (CSV, Excel) and the codebook for everyone
//! signed in, the responses one by one (CSV, Excel) for coordinators and admins only. A
//! download shows its progress (bytes received, of the size when the collector said it) and
//! ends with the saved file's name and size.

use leptos::prelude::*;

use super::failure;
use crate::api::{self, Failure};
use crate::download::{self, Progress, Saved};
use crate::i18n::{self, Key};
use crate::query::Selection;
use crate::state::use_area;

#[derive(Debug, Clone, PartialEq)]
enum Fetching {
    Idle,
    Running { file: &'static str, at: Progress },
    Done(Saved),
    Failed(Failure),
}

/// One file to offer: its endpoint under the survey, whether it takes the filters, its label.
const FILES: [(&str, bool, Key, bool); 6] = [
    ("results.csv", true, Key::ResultsCsv, false),
    ("results.xlsx", true, Key::ResultsXlsx, false),
    ("codebook.csv", false, Key::CodebookCsv, false),
    ("codebook.md", false, Key::CodebookMd, false),
    ("responses.csv", true, Key::ResponsesCsv, true),
    ("responses.xlsx", true, Key::ResponsesXlsx, true),
];

#[component]
pub fn Downloads(survey: String, selection: Signal<Selection>, sees_raw: bool) -> impl IntoView {
    let area = use_area();
    let lang = area.lang;
    let state = RwSignal::new(Fetching::Idle);
    let busy = move || matches!(state.get(), Fetching::Running { .. });
    let start = move |file: &'static str, filtered: bool, survey: &str| {
        let query = if filtered {
            selection.get_untracked().query()
        } else {
            String::new()
        };
        let url = format!("{}{query}", api::survey_path(survey, file));
        let fallback = format!("{survey}-{file}");
        state.set(Fetching::Running {
            file,
            at: Progress::default(),
        });
        leptos::task::spawn_local(async move {
            let shown = move |at| state.set(Fetching::Running { file, at });
            match download::fetch_file(&url, &fallback, shown).await {
                Ok(saved) => state.set(Fetching::Done(saved)),
                Err(f) => area.failed(f, |f| state.set(Fetching::Failed(f))),
            }
        });
    };
    let buttons = FILES
        .into_iter()
        .filter(|(_, _, _, raw)| sees_raw || !raw)
        .map(|(file, filtered, key, _)| {
            let survey = survey.clone();
            view! {
                <li>
                    <button
                        class="secondary"
                        data-testid=format!("download-{}", file.replace('.', "-"))
                        disabled=busy
                        on:click=move |_| start(file, filtered, &survey)
                    >
                        {move || i18n::t(lang.get(), key)}
                    </button>
                </li>
            }
        })
        .collect_view();
    let raw_note = (!sees_raw).then(|| {
        view! {
            <p class="hint" data-testid="raw-not-offered">
                {move || i18n::t(lang.get(), Key::RawForCoordinators)}
            </p>
        }
    });
    let progress = move || {
        let l = lang.get();
        match state.get() {
            Fetching::Idle => ().into_any(),
            Fetching::Running { file, at } => view! {
                <progress
                    max="1"
                    value=at.fraction().map(|f| f.to_string())
                    aria-label=format!("{} {file}", i18n::t(l, Key::Downloading))
                ></progress>
                <span>{format!("{} {file}: {}", i18n::t(l, Key::Downloading), i18n::receiving(l, at.received, at.total))}</span>
            }
            .into_any(),
            Fetching::Done(saved) => view! {
                <progress max="1" value="1" aria-hidden="true"></progress>
                <span data-testid="download-file">{i18n::downloaded(l, &saved.file, saved.bytes)}</span>
            }
            .into_any(),
            Fetching::Failed(f) => view! {
                <span class="error">{format!("{}: {}", i18n::t(l, Key::DownloadFailed), failure(l, &f))}</span>
            }
            .into_any(),
        }
    };
    let phase = move || match state.get() {
        Fetching::Idle => "idle",
        Fetching::Running { .. } => "running",
        Fetching::Done(_) => "done",
        Fetching::Failed(_) => "failed",
    };
    view! {
        <section class="downloads" data-testid="downloads">
            <h2>{move || i18n::t(lang.get(), Key::DownloadsTitle)}</h2>
            <p class="hint">{move || i18n::t(lang.get(), Key::DownloadsHint)}</p>
            <ul class="download-list">{buttons}</ul>
            {raw_note}
            <div class="download-progress" data-testid="download-progress" data-state=phase role="status" aria-live="polite">
                {progress}
            </div>
        </section>
    }
}
