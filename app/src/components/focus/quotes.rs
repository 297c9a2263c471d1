//! One-tap quotes: tapping a participant's code notes the time at once, then their exact words
//! and theme tags are typed. A participant without consent cannot be quoted: their code is
//! disabled, with the reason next to it.

use crate::components::{
    CollectAny, Show, at,
    attrs::{AriaAttributes, GlobalAttributes},
    button, click, ev, memo, r,
};
use leptos::prelude::*;
use voci_core::guide::Quote;

use super::ftx;
use super::notes::theme_labels;
use super::themes::ThemePicker;
use crate::focus::timer::clock;
use crate::focus::{Composer, FocusState, QuoteBlock, use_focus};
use crate::i18n::{FocusKey, Key, UiLang};
use crate::state::use_app;

#[component]
pub fn QuoteCapture() -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    // Each participant's code, and why they cannot be quoted (if so).
    let who = memo(move || {
        focus.run.with(|r| {
            r.as_ref().map_or_else(Vec::new, |r| {
                let codes = r.session().participants.iter().map(|p| p.code.clone());
                codes
                    .map(|c| {
                        let blocked = r.can_quote(&c).err();
                        (c, blocked)
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let taking = memo(move || {
        focus.run.with(|r| {
            let q = r.as_ref()?.draft().quote.as_ref()?;
            Some((q.participant.clone(), q.offset))
        })
    });
    let text = memo(move || {
        focus.run.with(|r| {
            r.as_ref()
                .and_then(|r| r.draft().quote.as_ref().map(|q| q.text.clone()))
                .unwrap_or_default()
        })
    });
    let here = memo(move || {
        focus
            .run
            .with(|r| r.as_ref().map(|r| r.quotes_here()).unwrap_or_default())
    });
    let buttons = move || {
        who.get()
            .into_iter()
            .map(|(code, blocked)| speaker(focus, lang, code, blocked))
            .collect_any()
    };
    let composer = move || {
        let (code, offset) = taking.get()?;
        Some(view! {
            <div class="quote-composer" data-testid="quote-composer" data-participant=code.clone()>
                <p><strong>{code.clone()}</strong>" · "{clock(u64::from(offset))}</p>
                <label {at("for", "quote-text")}>{ftx(lang, FocusKey::QuoteText)}</label>
                <textarea
                    id="quote-text"
                    data-testid="quote-text"
                    {at("rows", "3")}
                    {at("maxlength", "10000")}
                    prop:value=r(move || text.get())
                    on:input=ev(move |ev| {
                        let typed = event_target_value(&ev);
                        focus.edit(|r, _| r.set_quote_text(typed));
                    })
                ></textarea>
                <ThemePicker composer=Composer::Quote/>
                <div class="actions">
                    <button
                        class="primary"
                        data-testid="save-quote"
                        prop:disabled=r(move || text.with(|t| t.trim().is_empty()))
                        on:click=click(move |_| focus.edit(|r, _| {
                            r.save_quote();
                        }))
                    >
                        {ftx(lang, FocusKey::SaveQuote)}
                    </button>
                    {button("secondary", "cancel-quote", crate::components::tx(lang, Key::Cancel), click(move |_| focus.edit(|r, _| r.cancel_quote())))}
                </div>
            </div>
        }.into_any())
    };
    let items = move || {
        here.get()
            .into_iter()
            .map(|(i, q)| entry(focus, lang, i, q))
            .collect_any()
    };
    view! {
        <section class="quotes" data-testid="quotes">
            <h2>{ftx(lang, FocusKey::Quotes)}</h2>
            <Show
                when=move || who.with(|w| !w.is_empty())
                fallback=move || view! { <p class="info">{ftx(lang, FocusKey::RosterFirst)}</p> }.into_any()
            >
                <p class="hint">{ftx(lang, FocusKey::WhoSpeaks)}</p>
            </Show>
            <div class="speakers">{crate::components::rv(buttons)}</div>
            {crate::components::rv(composer)}
            <ul class="entries" data-testid="quotes-here">{crate::components::rv(items)}</ul>
        </section>
    }.into_any()
}

/// A participant's code as a quote button; disabled, with the reason, when they cannot be quoted.
fn speaker(
    focus: FocusState,
    lang: RwSignal<UiLang>,
    code: String,
    blocked: Option<QuoteBlock>,
) -> impl IntoView + use<> {
    let reason_id = format!("quote-blocked-{code}");
    let reason = blocked.map(|_| {
        view! { <span class="reason" id=reason_id.clone() data-testid=reason_id.clone()>{ftx(lang, FocusKey::NoConsent)}</span> }.into_any()
    });
    let c = code.clone();
    view! {
        <span class="speaker">
            <button
                class="secondary"
                data-testid=format!("quote-{code}")
                {at("disabled", blocked.is_some())}
                aria-describedby=blocked.map(|_| reason_id.clone())
                on:click=click(move |_| focus.edit(|r, now| {
                    let _ = r.begin_quote(&c, now);
                }))
            >
                {code.clone()}
            </button>
            {reason}
        </span>
    }
    .into_any()
}

fn entry(
    focus: FocusState,
    lang: RwSignal<UiLang>,
    index: usize,
    quote: Quote,
) -> impl IntoView + use<> {
    let tags = quote.themes.clone();
    let themes = move || theme_labels(focus, lang.get(), &tags);
    view! {
        <li data-testid=format!("quote-entry-{index}") data-themes=quote.themes.join(" ")>
            <span class="offset">{clock(u64::from(quote.offset))}</span>
            <strong class="code">{quote.participant}</strong>
            <q class="text">{quote.text}</q>
            <span class="tags">{crate::components::rv(themes)}</span>
            {button("secondary small", format!("remove-quote-{index}"), ftx(lang, FocusKey::Remove), click(move |_| focus.edit(|r, _| r.remove_quote(index))))}
        </li>
    }.into_any()
}
