//! The runner screen: one page (section) of the questionnaire, progress, and the buttons. Pages
//! the survey's logic hides are skipped, and questions it hides on the page are not drawn.

use crate::components::{
    CollectAny, Show, at,
    attrs::{AriaAttributes, GlobalAttributes},
    button, click, memo,
    question::QuestionView,
    r,
    repeat::RepeatView,
    text, tr, tx,
};
use leptos::prelude::*;
use voci_core::{Question, QuestionKind};

use crate::i18n::{self, Key};
use crate::runner::Runner;
use crate::state::{Notice, use_app};

#[component]
pub fn RunnerView() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let runner = app.runner;
    // Which respondent and page: the inputs are built again only when this changes, so typing
    // never re-creates the field being typed in.
    let position = memo(move || runner.with(|r| r.as_ref().map(|r| (r.id().clone(), r.page()))));
    // Pages the logic hides are not counted: the count follows the answers.
    let pages = move || runner.with(|r| r.as_ref().map_or(1, Runner::page_count));
    let page = move || runner.with(|r| r.as_ref().map_or(1, Runner::page_number));
    let is_first = move || runner.with(|r| r.as_ref().is_none_or(|r| r.is_first()));
    let is_last = move || runner.with(|r| r.as_ref().is_none_or(|r| r.is_last()));
    let title = move || {
        runner.with(|r| {
            let s = r.as_ref()?.survey();
            Some(tr(&s.title, lang.get(), s.default_language()))
        })
    };
    let section_title = move || {
        runner.with(|r| {
            let r = r.as_ref()?;
            let t = r.section()?.title.as_ref()?;
            Some(tr(t, lang.get(), r.survey().default_language()))
        })
    };

    // Which section is on screen, for tests that follow the logic from page to page.
    // (`get`, not `track`: a memo nobody reads is never computed, so it would never change.)
    let section_id = move || {
        let _ = position.get();
        runner.with_untracked(|r| r.as_ref().and_then(|r| Some(r.section()?.id.to_string())))
    };
    let questions = move || {
        let _ = position.get();
        runner.with_untracked(|r| {
            let r = r.as_ref()?;
            let default = r.survey().default_language().to_owned();
            let section = r.section()?;
            if section.repeat.is_some() {
                let (index, section) = (r.page(), section.clone());
                return Some(view! { <RepeatView index section default/> }.into_any());
            }
            // A matrix draws its rows; calculations are never on screen.
            let drawn = section.questions.iter().filter(|q| {
                q.row_of.is_none() && !matches!(q.kind, QuestionKind::Calculate { .. })
            });
            Some(
                drawn
                    .map(|q| {
                        let rows: Vec<Question> = section
                            .questions
                            .iter()
                            .filter(|row| row.row_of.as_ref() == Some(&q.id))
                            .cloned()
                            .collect();
                        view! { <QuestionView question=q.clone() rows default=default.clone()/> }
                            .into_any()
                    })
                    .collect_any()
                    .into_any(),
            )
        })
    };

    view! {
        <section class="runner">
            <div class="runner-head">
                <h1>{crate::components::rv(title)}</h1>
                {button("secondary small", "home", text(lang, Key::Leave), click(move |_| app.leave()))}
            </div>
            <div class="progress">
                <progress
                    data-testid="progress"
                    {at("max", r(move || pages().to_string()))}
                    {at("value", r(move || page().to_string()))}
                    aria-valuenow=r(move || page().to_string())
                    aria-valuemin="1"
                    aria-valuemax=r(move || pages().to_string())
                    aria-label=r(move || i18n::page_of(lang.get(), page(), pages()))
                ></progress>
                <span data-testid="page-label">{move || i18n::page_of(lang.get(), page(), pages())}</span>
            </div>
            {move || section_title().map(|t| view! { <h2>{t}</h2> }.into_any())}
            <div class="questions" data-testid="page" data-section=r(section_id)>{crate::components::rv(questions)}</div>
            <Show when=move || app.notice.get() == Some(Notice::StorageFull)>
                <div class="error" role="alert">
                    <p data-testid="storage-full">{tx(lang, Key::StorageFull)}</p>
                    {button("secondary", "storage-full-export", text(lang, Key::ExportOutbox), click(move |_| app.export_outbox()))}
                </div>
            </Show>
            <nav class="pager">
                <Show when=move || !is_first()>
                    {button("secondary", "back", text(lang, Key::Back), click(move |_| app.back()))}
                </Show>
                <span class="spacer"></span>
                <Show
                    when=is_last
                    fallback=move || button("primary", "next", text(lang, Key::Next), click(move |_| app.next()))
                >
                    {button("primary", "submit", text(lang, Key::Submit), click(move |_| app.submit()))}
                </Show>
            </nav>
        </section>
    }.into_any()
}
