//! The runner screen: one page (section) of the questionnaire, progress, and the buttons.

use leptos::prelude::*;

use super::question::QuestionView;
use super::tr;
use crate::i18n::{self, Key};
use crate::state::{Notice, use_app};

#[component]
pub fn RunnerView() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let runner = app.runner;
    // Which respondent and page: the inputs are built again only when this changes, so typing
    // never re-creates the field being typed in.
    let position =
        Memo::new(move |_| runner.with(|r| r.as_ref().map(|r| (r.id().clone(), r.page()))));
    let pages = move || runner.with(|r| r.as_ref().map_or(1, |r| r.page_count().max(1)));
    let page = move || position.get().map_or(0, |p| p.1) + 1;
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

    let questions = move || {
        position.track();
        runner.with_untracked(|r| {
            let r = r.as_ref()?;
            let default = r.survey().default_language().to_owned();
            let section = r.section()?;
            Some(
                section
                    .questions
                    .iter()
                    .map(|q| view! { <QuestionView question=q.clone() default=default.clone()/> })
                    .collect_view(),
            )
        })
    };

    view! {
        <section class="runner">
            <div class="runner-head">
                <h1>{title}</h1>
                <button class="secondary small" data-testid="home" on:click=move |_| app.leave()>
                    {move || i18n::t(lang.get(), Key::Leave)}
                </button>
            </div>
            <div class="progress">
                <progress
                    data-testid="progress"
                    max=move || pages().to_string()
                    value=move || page().to_string()
                    aria-valuenow=move || page().to_string()
                    aria-valuemin="1"
                    aria-valuemax=move || pages().to_string()
                    aria-label=move || i18n::page_of(lang.get(), page(), pages())
                ></progress>
                <span data-testid="page-label">{move || i18n::page_of(lang.get(), page(), pages())}</span>
            </div>
            {move || section_title().map(|t| view! { <h2>{t}</h2> })}
            <div class="questions">{questions}</div>
            <Show when=move || app.notice.get() == Some(Notice::StorageFull)>
                <div class="error" role="alert">
                    <p data-testid="storage-full">{move || i18n::t(lang.get(), Key::StorageFull)}</p>
                    <button class="secondary" data-testid="storage-full-export" on:click=move |_| app.export_outbox()>
                        {move || i18n::t(lang.get(), Key::ExportOutbox)}
                    </button>
                </div>
            </Show>
            <nav class="pager">
                <Show when=move || !is_first()>
                    <button class="secondary" data-testid="back" on:click=move |_| app.back()>
                        {move || i18n::t(lang.get(), Key::Back)}
                    </button>
                </Show>
                <span class="spacer"></span>
                <Show
                    when=is_last
                    fallback=move || view! {
                        <button class="primary" data-testid="next" on:click=move |_| app.next()>
                            {move || i18n::t(lang.get(), Key::Next)}
                        </button>
                    }
                >
                    <button class="primary" data-testid="submit" on:click=move |_| app.submit()>
                        {move || i18n::t(lang.get(), Key::Submit)}
                    </button>
                </Show>
            </nav>
        </section>
    }
}
