//! "What happened": the timeline of commands (scrub, step, play, speed) and,
//! for the command at the timeline's position, what it did, item by item as
//! the engine reported it. Items appear one after another and pulled layers go
//! through Docker's progress states; with `prefers-reduced-motion` everything
//! shows at once.

use crate::browser;
use crate::hooks::use_lang;
use crate::i18n::{t, Lang, Msg};
use crate::shared::Shared;
use crate::state::{Action, Play};
use crate::view::activity::{activity, Item, What};
use crate::view::timeline::{self, scaled, Reveal};
use crate::workspace::Workspace;
use gloo_timers::callback::Timeout;
use layerlab_engine::pull_timeline;
use web_sys::HtmlInputElement;
use yew::prelude::*;

// The timeline's icons, as SVG paths on a 16×16 grid.
const START: &str = "M3 3h2v10H3zM13 3v10L6 8z";
const BACK: &str = "M12 3v10L5 8zM3 3h2v10H3z";
const PLAY: &str = "M4 2.5v11L13 8z";
const PAUSE: &str = "M4 3h3v10H4zM9 3h3v10H9z";
const FORWARD: &str = "M4 3v10l7-5zM11 3h2v10h-2z";
const END: &str = "M3 3v10l7-5zM11 3h2v10h-2z";

/// The speeds offered, in percent of normal.
pub const SPEEDS: [u32; 5] = [25, 50, 100, 200, 400];

/// The tick of a pane that appeared with its items already there: past the
/// end, so everything shows and nothing slides in.
const AT_REST: u32 = u32::MAX;

/// One animation tick at normal speed.
const TICK_MS: u64 = 200;

fn speed_text(speed: u32) -> String {
    match speed {
        25 => "0.25×".into(),
        50 => "0.5×".into(),
        s => format!("{}×", s / 100),
    }
}

#[derive(Properties, PartialEq)]
pub struct ActivityProps {
    pub workspace: Shared<Workspace>,
    /// Animation and playback speed, in percent (one of [`SPEEDS`]).
    pub speed: u32,
    /// What plays (the play button pauses the timeline while it plays).
    pub playing: Option<Play>,
    /// The timeline's moves, the speed, the build step on show and whether
    /// everything is shown go to the app's state.
    pub on_action: Callback<Action>,
}

/// The animation's tick for the snapshot on show: one tick after another
/// until `end`, where everything is shown; whether it was shown whole as
/// the pane appeared (a reload, a permalink), with nothing sliding in. A
/// newer snapshot drops the timer.
#[hook]
fn use_reveal(ws: &Shared<Workspace>, end: u32, speed: u32) -> (u32, bool) {
    let tick = use_state(|| (ws.clone(), AT_REST));
    let reduced = use_memo((), |_| browser::prefers_reduced_motion());
    let current = tick.0 == *ws;
    let at = match *tick {
        (_, k) if current => k.min(end),
        _ if *reduced => end,
        _ => 0,
    };
    {
        let tick = tick.clone();
        let ms = scaled(TICK_MS, speed).as_millis() as u32;
        use_effect_with((ws.clone(), at, end), move |(ws, at, end)| {
            let (ws, at) = (ws.clone(), *at);
            let timer = (at < *end).then(|| Timeout::new(ms, move || tick.set((ws, at + 1))));
            move || drop(timer)
        });
    }
    (at, current && tick.1 == AT_REST)
}

#[function_component(Activity)]
pub fn activity_pane(props: &ActivityProps) -> Html {
    let lang = use_lang();
    let ws = &props.workspace;
    // Where the slider is being dragged to, before it is let go.
    let dragged = use_state(|| None::<usize>);
    let (now, total) = ws.position();
    // Once per command (and language), not on every tick of the animation.
    let items = use_memo((ws.clone(), lang), |(ws, lang)| {
        let items = ws
            .console
            .last
            .as_ref()
            .map(|(_, t)| activity(&ws.session, *lang, t));
        items.unwrap_or_default()
    });
    let reveal = Reveal::of(&items);
    let (at, at_rest) = use_reveal(ws, reveal.end, props.speed);
    {
        let on_action = props.on_action.clone();
        let step = reveal.build_step(&items, at);
        use_effect_with(step, move |step| on_action.emit(Action::BuildLine(*step)));
    }
    {
        let on_action = props.on_action.clone();
        use_effect_with(at >= reveal.end, move |settled| {
            on_action.emit(Action::Settled(*settled))
        });
    }

    let seek = |to: usize| {
        props
            .on_action
            .reform(move |_: MouseEvent| Action::Seek(to))
    };
    let (on_drag, on_scrub) = slider(&dragged, &props.on_action);
    let on_bring_back = props.on_action.reform(|_: MouseEvent| Action::BringBack);
    let on_play = props.on_action.reform(|_: MouseEvent| Action::PlayTimeline);
    let playing = props.playing == Some(Play::Timeline);
    let on_speed = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let select = e.target_dyn_into::<web_sys::HtmlSelectElement>();
            if let Some(s) = select.and_then(|s| s.value().parse().ok()) {
                on_action.emit(Action::Speed(s));
            }
        })
    };

    let line = ws
        .console
        .last
        .as_ref()
        .filter(|_| now > 0)
        .map(|(l, _)| l.lines().next().unwrap_or_default());
    let caption = timeline::caption(lang, (now, total), *dragged, line);

    let rows = rows(lang, &items, &reveal.pulls, at, reveal.pulled_at);
    // Pulled layers have Layerlab's own IDs: say why they are not the tutorial's.
    let pulled = !reveal.pulls.is_empty();
    let button =
        |id, icon, label, onclick, disabled| button(lang, id, icon, label, onclick, disabled);
    html! {
        <section class="pane activity-pane" aria-labelledby="activity-heading">
            <h2 id="activity-heading">{ t(lang, Msg::ActivityHeading) }</h2>
            <div class="timeline" role="group" aria-label={t(lang, Msg::TimelineLabel)}>
                { button("timeline-start", START, Msg::TimelineStart, seek(0), now == 0) }
                { button("timeline-back", BACK, Msg::TimelineBack, seek(now.saturating_sub(1)), now == 0) }
                { button("timeline-play", if playing { PAUSE } else { PLAY },
                    if playing { Msg::TimelinePause } else { Msg::TimelinePlay }, on_play, now == total && !playing) }
                { button("timeline-forward", FORWARD, Msg::TimelineForward, seek(now + 1), now == total) }
                { button("timeline-end", END, Msg::TimelineEnd, seek(total), now == total) }
                <input id="timeline" type="range" min="0" max={total.to_string()} value={dragged.unwrap_or(now).to_string()}
                    aria-label={t(lang, Msg::TimelineLabel)} aria-valuetext={caption.clone()} oninput={on_drag} onchange={on_scrub} />
                <label class="speed">
                    <span>{ t(lang, Msg::TimelineSpeed) }</span>
                    <select id="speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|&s| html! {
                            <option value={s.to_string()} selected={s == props.speed}>{ speed_text(s) }</option>
                        }) }
                    </select>
                </label>
            </div>
            <p class="timeline-caption" role="status" aria-live="polite">{ caption }</p>
            if ws.set_aside.is_some() {
                <p class="notice set-aside" role="status">
                    { t(lang, Msg::TimelineSetAside) }{ " " }
                    <button type="button" id="bring-back-timeline" onclick={on_bring_back}>{ t(lang, Msg::TimelineBringBack) }</button>
                </p>
            }
            if line.is_none() {
                <p class="hint">{ t(lang, Msg::ActivityEmpty) }</p>
            } else if items.is_empty() {
                <p class="hint">{ t(lang, Msg::ActivityNothing) }</p>
            } else {
                // It scrolls: the keyboard can reach it.
                // The note on layer IDs scrolls with the list, taking none of its room.
                <ol class={classes!("activity", at_rest.then_some("at-rest"))} tabindex="0" aria-labelledby="activity-heading">
                    { for rows }
                    if pulled {
                        <li class="hint ids-note">{ t(lang, Msg::PulledIdsNote) }</li>
                    }
                </ol>
            }
        </section>
    }
}

/// The timeline slider's callbacks. Dragging it only shows where it would
/// go (`dragged`); letting go (or a key) moves there.
fn slider(
    dragged: &UseStateHandle<Option<usize>>,
    on_action: &Callback<Action>,
) -> (Callback<InputEvent>, Callback<Event>) {
    let on_drag = {
        let dragged = dragged.clone();
        Callback::from(move |e: InputEvent| {
            let to = e
                .target_dyn_into::<HtmlInputElement>()
                .and_then(|i| i.value().parse::<usize>().ok());
            dragged.set(to);
        })
    };
    let on_scrub = {
        let (on_action, dragged) = (on_action.clone(), dragged.clone());
        Callback::from(move |e: Event| {
            dragged.set(None);
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            if let Ok(to) = input.value().parse::<usize>() {
                on_action.emit(Action::Seek(to));
            }
        })
    };
    (on_drag, on_scrub)
}

/// The items shown at tick `at`: pulled layers with their progress bars
/// first, the rest one by one.
fn rows(lang: Lang, items: &[Item], pulls: &[(u64, bool)], at: u32, pulled_at: u32) -> Vec<Html> {
    let (progress, _) = pull_timeline::progress(pulls, at);
    let mut bars = progress.into_iter();
    let mut other = 0u32;
    items.iter().filter_map(|item| {
        let word = t(lang, item.what.word());
        if item.pull.is_some() {
            let p = bars.next()?;
            let state = p.state;
            return Some(html! {
                <li class="did pull">
                    <span class="icon" aria-hidden="true">{ item.what.icon() }</span>
                    <code class="detail">{ &item.detail }</code>
                    // Drawn in SVG: the page's policy allows no inline style.
                    <span class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                        aria-valuenow={p.percent.to_string()} aria-valuetext={state} aria-label={item.detail.clone()}>
                        <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                            <rect class="fill" width={p.percent.to_string()} height="10" />
                        </svg>
                    </span>
                    <span class="state">{ state }</span>
                    // Its word beside Docker's state, unless it says the same.
                    if (state == "Already exists" || state == "Pull complete") && word != state {
                        <span class="word">{ word }</span>
                    }
                </li>
            });
        }
        let shown = pulled_at + other <= at;
        other += 1;
        let class = classes!("did", item.what.tone());
        shown.then(|| html! {
            <li {class}>
                <span class="icon" aria-hidden="true">{ item.what.icon() }</span>
                <span class="word">{ word }{ if item.what == What::More { "" } else { crate::i18n::colon(lang).trim_end() } }</span>
                { crate::i18n::between_sentences(lang) }
                <code class="detail">{ &item.detail }</code>
            </li>
        })
    }).collect()
}

/// A timeline button. Icons are drawn, not taken from a font that may lack them.
fn button(
    lang: Lang,
    id: &'static str,
    icon: &'static str,
    label: Msg,
    onclick: Callback<MouseEvent>,
    disabled: bool,
) -> Html {
    html! {
        <button type="button" {id} class="action" {onclick} {disabled} aria-label={t(lang, label)} title={t(lang, label)}>
            <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d={icon} fill="currentColor" /></svg>
        </button>
    }
}
