//! The prompt on screen: its section, its text, its probes, the timer against its suggested
//! minutes (a warning once over), and the way to the previous and next prompts.

use crate::components::{CollectAny, Show, at, attrs::GlobalAttributes, click, memo, r};
use leptos::prelude::*;

use super::ftx;
use crate::focus::use_focus;
use crate::i18n::{self, FocusKey};
use crate::state::use_app;

#[component]
pub fn PromptPanel() -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    let current = memo(move || {
        focus.run.with(|r| {
            let r = r.as_ref()?;
            let default = r.guide().languages.first().cloned().unwrap_or_default();
            let (section, prompt) = r.prompt()?;
            Some((
                r.prompt_index(),
                r.prompt_count(),
                section.title.clone(),
                prompt.clone(),
                default,
            ))
        })
    });
    let timer = memo(move || {
        let now = focus.now.get();
        focus.run.with(|r| r.as_ref().map(|r| r.timer(now)))
    });
    let body =
        move || {
            let (index, count, section, prompt, default) = current.get()?;
            let l = lang.get();
            let text = |t: &voci_core::Text| t.get(l.code(), &default).to_owned();
            let probes = prompt
                .probes
                .iter()
                .map(|p| view! { <li>{text(p)}</li> }.into_any())
                .collect_any();
            let has_probes = !prompt.probes.is_empty();
            Some(view! {
            <p class="hint" data-testid="prompt-position">
                {i18n::prompt_of(l, index + 1, count)}" · "{text(&section)}
            </p>
            <p class="prompt-text" data-testid="prompt-text" data-value=prompt.id.to_string()>
                {text(&prompt.text)}
            </p>
            {has_probes.then(|| view! {
                <details class="probes" {at("open", true)}>
                    <summary>{i18n::focus(l, FocusKey::Probes)}</summary>
                    <ul data-testid="probes">{probes}</ul>
                </details>
            }.into_any())}
        }.into_any())
        };
    let over = move || timer.with(|t| t.as_ref().is_some_and(|t| t.over));
    let clock = move || {
        timer.with(|t| {
            let t = t.as_ref()?;
            let suggested = t.suggested.as_ref().map(|s| i18n::suggested(lang.get(), s));
            Some(match suggested {
                Some(s) => format!("{} {s}", t.elapsed),
                None => t.elapsed.clone(),
            })
        })
    };
    let is_first = move || current.with(|c| c.as_ref().is_none_or(|c| c.0 == 0));
    let is_last = move || current.with(|c| c.as_ref().is_none_or(|c| c.0 + 1 >= c.1));
    view! {
        <section class="prompt" data-testid="prompt">
            {crate::components::rv(body)}
            <p
                class=r(move || if over() { "timer over" } else { "timer" })
                data-testid="prompt-timer"
                data-over=r(move || over().to_string())
                role="timer"
            >
                <span class="clock">{crate::components::rv(clock)}</span>
                <Show when=over>
                    " · "{ftx(lang, FocusKey::OverTime)}
                </Show>
            </p>
            <nav class="pager">
                <button
                    class="secondary"
                    data-testid="prompt-previous"
                    prop:disabled=r(is_first)
                    on:click=click(move |_| focus.edit(|r, now| r.previous(now)))
                >
                    {ftx(lang, FocusKey::Previous)}
                </button>
                <span class="spacer"></span>
                <button
                    class="primary"
                    data-testid="prompt-next"
                    prop:disabled=r(is_last)
                    on:click=click(move |_| focus.edit(|r, now| r.next(now)))
                >
                    {ftx(lang, FocusKey::Next)}
                </button>
            </nav>
        </section>
    }
    .into_any()
}
