//! What the learner is told about their saved work: their own work kept while
//! a link or a scenario is on show ("Restore my work"), a save the browser
//! refused, and another tab saving over this one's work.

use crate::boot::{Keeper, Local};
use crate::browser;
use crate::hooks::use_lang;
use crate::i18n::{t, Msg};
use crate::shared::Shared;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WorkNoticeProps {
    pub keeper: Shared<RefCell<Keeper>>,
    /// The app's Download scenario button, offered when saving fails.
    pub on_download: Callback<MouseEvent>,
}

#[function_component(WorkNotice)]
pub fn work_notice(props: &WorkNoticeProps) -> Html {
    let redraw = use_force_update();
    {
        let keeper = props.keeper.clone();
        use_effect_with((), move |_| {
            keeper.borrow_mut().notify = Some(Rc::new(move || redraw.force_update()));
            let watched = keeper.clone();
            let listener = browser::on_storage_elsewhere(move |key, now| {
                let mut watched = watched.borrow_mut();
                if key.as_deref() == Some(watched.key.as_str()) {
                    watched.stored_elsewhere(now.as_deref());
                }
            });
            move || {
                drop(listener);
                keeper.borrow_mut().notify = None;
            }
        });
    }
    let lang = use_lang();
    let keeper = props.keeper.borrow();
    let on_restore = {
        let keeper = props.keeper.clone();
        Callback::from(move |_: MouseEvent| {
            if keeper.borrow_mut().restore_before(&mut Local) {
                browser::reload_own_work();
            }
        })
    };
    let on_dismiss = {
        let keeper = props.keeper.clone();
        Callback::from(move |_: MouseEvent| keeper.borrow_mut().dismiss(&mut Local))
    };
    let on_load_theirs = Callback::from(|_: MouseEvent| browser::reload_own_work());
    let on_keep_mine = {
        let keeper = props.keeper.clone();
        Callback::from(move |_: MouseEvent| {
            keeper.borrow_mut().keep_this(&mut Local);
        })
    };
    html! {
        <>
            if keeper.offer {
                <p class="notice opened work-kept" role="status">
                    { t(lang, Msg::WorkKept) }{ " " }
                    <button type="button" id="restore-work" onclick={on_restore}>{ t(lang, Msg::WorkRestore) }</button>
                    { " " }
                    <button type="button" id="dismiss-work" onclick={on_dismiss}>{ t(lang, Msg::WorkDismiss) }</button>
                </p>
            }
            if keeper.failed {
                <p class="notice save-failed" role="alert">
                    { t(lang, Msg::SaveFailed) }{ " " }
                    <button type="button" id="save-failed-download" onclick={props.on_download.clone()}>{ t(lang, Msg::ScenarioDownload) }</button>
                </p>
            }
            if keeper.other_tab {
                <p class="notice other-tab" role="alert">
                    { t(lang, Msg::OtherTab) }{ " " }
                    <button type="button" id="load-other-tab" onclick={on_load_theirs}>{ t(lang, Msg::OtherTabLoad) }</button>
                    { " " }
                    <button type="button" id="keep-this-tab" onclick={on_keep_mine}>{ t(lang, Msg::OtherTabKeep) }</button>
                </p>
            }
        </>
    }
}
