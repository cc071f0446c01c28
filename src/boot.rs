//! Where the app starts from, and what keeps the learner's own work safe.
//!
//! - A reload restores the autosave ([`persist::KEY`]).
//! - A permalink (even a broken one) or a scenario file puts another state on
//!   show, but it is not saved over the learner's own work until they act on
//!   it (type a command, edit, choose a lesson): the [`Keeper`] *holds*. The
//!   autosave as it was is also copied to [`BEFORE_KEY`], and "Restore my
//!   work" is offered, across reloads, until it is used or dismissed.
//! - A save the browser refuses (storage full or turned off) is reported, never
//!   ignored; so is another tab saving over this one's work (the `storage`
//!   event), and this tab stops saving until the learner chooses.
//! - A panic shows a page-level message with a way back and stops every
//!   later save, so a broken state never replaces the last good autosave.

use crate::browser;
use crate::i18n::{t, Lang, Msg};
use crate::persist::{self, Saved};
use crate::replay::Replay;
use crate::shared::Shared;
use crate::workspace::Workspace;
use std::cell::RefCell;
use std::rc::Rc;

/// The learner's own autosave, kept while another state is on show.
pub const BEFORE_KEY: &str = "layerlab.autosave.before";

/// Where saved text lives: the browser's local storage in the app, a map in tests.
pub trait Store {
    fn get(&self, key: &str) -> Option<String>;
    /// `false` if the text could not be stored (full, or turned off).
    fn set(&mut self, key: &str, value: &str) -> bool;
    fn remove(&mut self, key: &str);
}

/// The browser's local storage.
pub struct Local;

impl Store for Local {
    fn get(&self, key: &str) -> Option<String> {
        browser::stored(key)
    }
    fn set(&mut self, key: &str, value: &str) -> bool {
        browser::store(key, value)
    }
    fn remove(&mut self, key: &str) {
        browser::unstore(key);
    }
}

/// What the app starts from: a restored autosave, or a fresh workspace (and why).
pub struct Boot {
    pub workspace: Shared<Workspace>,
    pub saved: Option<Saved>,
    /// Set when saved data existed but could not be restored.
    pub problem: Option<Problem>,
    /// Keeps the autosave as it should be kept (see the module's comment).
    pub keeper: Shared<RefCell<Keeper>>,
    /// The rest of the saved work's replay, when it did not end within the
    /// first slice: `workspace` is then empty and the replay goes on in
    /// slices once the page is drawn (`replay::in_slices`).
    pub waiting: RefCell<Option<Replay>>,
    /// Saved work or a link to open once the rest of the code is here (a
    /// split build's first paint replays nothing: see [`boot`]); the
    /// autosave's language, if it has one, for that first paint.
    pub later: Option<Option<String>>,
}

/// Saved work that could not be restored, and from where.
pub enum Problem {
    /// The autosave; its text is kept under [`persist::BACKUP_KEY`].
    Autosave(persist::LoadError),
    /// A permalink; the autosave is untouched.
    Link(persist::LoadError),
}

impl Problem {
    /// The notice shown for it, in the learner's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Problem::Autosave(why) => format!(
                "{} {}. {}",
                t(lang, Msg::RestoreFailed),
                explain(lang, why),
                t(lang, Msg::RestoreKept)
            ),
            Problem::Link(why) => format!(
                "{} {}. {}",
                t(lang, Msg::LinkUnreadable),
                explain(lang, why),
                t(lang, Msg::LinkFailed)
            ),
        }
    }
}

/// Why saved work could not be read, in the learner's language (the parser's
/// own detail stays as it is, like Docker's messages).
pub fn explain(lang: Lang, why: &persist::LoadError) -> String {
    match why {
        persist::LoadError::Corrupt(detail) => format!("{} ({detail})", t(lang, Msg::SaveDamaged)),
        persist::LoadError::FutureVersion(v) => {
            format!("{} {v} (> {})", t(lang, Msg::SaveNewer), persist::VERSION)
        }
        persist::LoadError::NotALink => t(lang, Msg::LinkNotOurs).to_owned(),
        persist::LoadError::Altered => t(lang, Msg::LinkAltered).to_owned(),
    }
}

/// How long a start replays saved work at once before the first paint, in a
/// build that is not split. The tutorial's log takes 16–65 ms in the release
/// build, so a learner's usual work is drawn whole; what is left goes on in
/// slices after it, and the task stays under 200 ms.
pub const FIRST_SLICE_MS: f64 = 80.0;

/// How long the start made once the rest of the code is here replays at
/// once, in a split build (`hooks::use_actions` reopens the work then): the
/// page is drawn already, saying it restores, so nothing is gained by a long
/// first slice, while the same task also links the rest and compiles the
/// functions it runs first, and draws the work.
pub const REOPEN_SLICE_MS: f64 = crate::replay::SLICE_MS;

/// The start, with performance marks around it (`cargo xtask bench` reads
/// how long restoring took); `first_slice` is how long it replays at once.
pub fn boot(autosave: bool, first_slice: f64) -> Boot {
    browser::mark("layerlab:boot");
    let fragment = autosave.then(browser::location_hash).flatten();
    // Replaying saved work runs most of the engine, which a split build's
    // first file does not hold: the page draws itself first (empty, saying
    // it restores), and opens the work once the rest is here (`App`).
    if autosave && !crate::split::ready() {
        let raw = Local.get(persist::KEY);
        if fragment.is_some() || raw.is_some() {
            let lang = raw
                .as_deref()
                .and_then(persist::saved_lang)
                .map(str::to_owned);
            return Boot {
                later: Some(lang),
                ..fresh(Keeper::off())
            };
        }
    }
    let b = if autosave {
        let start = browser::now();
        restore(&mut Local, fragment.as_deref(), || {
            browser::now() - start < first_slice
        })
    } else {
        fresh(Keeper::off())
    };
    browser::mark("layerlab:restored");
    b
}

impl Boot {
    /// `later`, the start made once all of the code is here, keeping this
    /// start's keeper (the panes hold it) with `later`'s content in it.
    pub fn adopt(&self, later: Boot) -> Boot {
        let mut kept = later.keeper.replace(Keeper::off());
        let mut keeper = self.keeper.borrow_mut();
        kept.notify = keeper.notify.take();
        *keeper = kept;
        drop(keeper);
        Boot {
            keeper: self.keeper.clone(),
            ..later
        }
    }
}

/// Replays `commands` while `more()` says so: the workspace, or an empty
/// one and the replay's rest.
pub fn replayed(commands: &[String], more: impl FnMut() -> bool) -> (Workspace, Option<Replay>) {
    let mut replay = Replay::new(commands.to_vec());
    if replay.step(more) {
        (replay.finish(), None)
    } else {
        (Workspace::default(), Some(replay))
    }
}

fn fresh(keeper: Keeper) -> Boot {
    Boot {
        workspace: Shared::new(Workspace::default()),
        saved: None,
        problem: None,
        keeper: Shared::new(RefCell::new(keeper)),
        waiting: RefCell::default(),
        later: None,
    }
}

/// Starts from a permalink `fragment` if there is one, else from the
/// autosave in `store`, replaying the saved commands while `more()` says so.
pub fn restore(store: &mut impl Store, fragment: Option<&str>, more: impl FnMut() -> bool) -> Boot {
    let mut keeper = Keeper::default();
    // A permalink wins over the autosave, which is kept.
    if let Some(fragment) = fragment {
        return match persist::from_fragment(fragment) {
            Ok(saved) => {
                keeper.hold(store, Held::of(&saved));
                let (workspace, waiting) = replayed(&saved.commands, more);
                Boot {
                    workspace: Shared::new(workspace),
                    saved: Some(saved),
                    keeper: Shared::new(RefCell::new(keeper)),
                    problem: None,
                    waiting: RefCell::new(waiting),
                    later: None,
                }
            }
            Err(e) => {
                keeper.hold(store, Held::default());
                Boot {
                    problem: Some(Problem::Link(e)),
                    ..fresh(keeper)
                }
            }
        };
    }
    let raw = store.get(persist::KEY);
    keeper.offer = offer(store, &raw.as_deref().and_then(|r| persist::load(r).ok()));
    match raw.as_deref().map(persist::load) {
        None => fresh(keeper),
        Some(Ok(saved)) => {
            keeper.written = raw;
            let (workspace, waiting) = replayed(&saved.commands, more);
            Boot {
                workspace: Shared::new(workspace),
                saved: Some(saved),
                keeper: Shared::new(RefCell::new(keeper)),
                problem: None,
                waiting: RefCell::new(waiting),
                later: None,
            }
        }
        Some(Err(e)) => {
            // Keep the unreadable text: the user's work is never silently discarded.
            if let Some(raw) = &raw {
                store.set(persist::BACKUP_KEY, raw);
            }
            Boot {
                problem: Some(Problem::Autosave(e)),
                ..fresh(keeper)
            }
        }
    }
}

/// Whether "Restore my work" has something to bring back that differs from `shown`.
fn offer(store: &impl Store, shown: &Option<Saved>) -> bool {
    let Some(before) = store.get(BEFORE_KEY).and_then(|b| persist::load(&b).ok()) else {
        return false;
    };
    shown.as_ref().is_none_or(|s| {
        s.commands != before.commands
            || s.lesson != before.lesson
            || s.dockerfile != before.dockerfile
    })
}

/// The state a link or a scenario file put on show: saving waits until the
/// learner changes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Held {
    pub commands: Vec<String>,
    pub lesson: Option<String>,
    /// The editor's text as opened (`None`: whatever it becomes is not an act).
    pub dockerfile: Option<String>,
}

impl Held {
    pub fn of(saved: &Saved) -> Held {
        Held {
            commands: saved.commands.clone(),
            lesson: saved.lesson.clone(),
            dockerfile: Some(saved.dockerfile.clone()),
        }
    }
}

/// What a call to [`Keeper::save`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saving {
    /// Written to the store.
    Written,
    /// The store already holds this text.
    Unchanged,
    /// A link's or scenario's state, not yet acted on.
    Held,
    /// Waiting for the learner's choice after another tab saved.
    Paused,
    /// The browser refused it.
    Failed,
    /// Saving is off (component tests) or the app has crashed.
    Off,
}

/// The autosave's guardian: what was written, what is held, what to tell the learner.
pub struct Keeper {
    enabled: bool,
    /// Where the work is saved: the app's autosave, or an embed's own key.
    pub key: String,
    /// The autosave's text last written or restored.
    written: Option<String>,
    /// The text the last save call would write ("Keep this tab's work" writes it).
    latest: Option<String>,
    held: Option<Held>,
    /// "Restore my work" is offered.
    pub offer: bool,
    /// The last save failed.
    pub failed: bool,
    /// Another tab saved over this one's work; saving waits for a choice.
    pub other_tab: bool,
    /// Bumped at every change of what is shown.
    pub version: u64,
    /// Called at every change of what is shown (the notice redraws).
    pub notify: Option<Rc<dyn Fn()>>,
}

impl Default for Keeper {
    fn default() -> Self {
        Keeper {
            enabled: true,
            key: persist::KEY.to_owned(),
            written: None,
            latest: None,
            held: None,
            offer: false,
            failed: false,
            other_tab: false,
            version: 0,
            notify: None,
        }
    }
}

impl Keeper {
    /// A keeper that never saves (component tests).
    pub fn off() -> Keeper {
        Keeper {
            enabled: false,
            ..Keeper::default()
        }
    }

    /// The keeper of an embed's work: saved under `key`, never the app's
    /// autosave; `written` is the text restored from there, if any.
    pub fn embedded(key: String, written: Option<String>) -> Keeper {
        Keeper {
            key,
            written,
            ..Keeper::default()
        }
    }

    /// Another state is put on show: the learner's autosave is copied to
    /// [`BEFORE_KEY`] and nothing is saved until the learner acts.
    pub fn hold(&mut self, store: &mut impl Store, held: Held) {
        if !self.enabled {
            return;
        }
        if let Some(own) = store.get(&self.key) {
            // A failure here leaves the autosave itself untouched, which holding keeps.
            store.set(BEFORE_KEY, &own);
        }
        self.offer = offer(
            store,
            &Some(Saved {
                version: persist::VERSION,
                lang: String::new(),
                dockerfile: held.dockerfile.clone().unwrap_or_default(),
                commands: held.commands.clone(),
                lesson: held.lesson.clone(),
                done: Vec::new(),
                sandbox: None,
                step: 0,
                lessons: Vec::new(),
            }),
        );
        self.held = Some(held);
        self.changed();
    }

    fn changed(&mut self) {
        self.version += 1;
        if let Some(notify) = &self.notify {
            notify();
        }
    }

    /// Whether a state from a link or a scenario is on show, not yet acted on.
    pub fn holding(&self) -> bool {
        self.held.is_some()
    }

    /// Saves `saved` unless it is held, paused or already stored. `on_disk` is
    /// the project's Dockerfile: the editor following it is not an act.
    pub fn save(&mut self, store: &mut impl Store, saved: &Saved, on_disk: Option<&str>) -> Saving {
        if !self.enabled || browser::crashed() {
            return Saving::Off;
        }
        if let Some(h) = &self.held {
            let edited = h
                .dockerfile
                .as_deref()
                .is_some_and(|d| d != saved.dockerfile)
                && on_disk != Some(saved.dockerfile.as_str());
            if saved.commands == h.commands && saved.lesson == h.lesson && !edited {
                return Saving::Held;
            }
            // The state is the learner's now: a reload restores it, not the link.
            self.held = None;
            browser::clear_location_hash();
        }
        let text = persist::save(saved);
        self.latest = Some(text.clone());
        if self.other_tab {
            return Saving::Paused;
        }
        if self.written.as_deref() == Some(text.as_str()) {
            return Saving::Unchanged;
        }
        let ok = store.set(&self.key, &text);
        if ok {
            self.written = Some(text);
        }
        if ok == self.failed {
            self.failed = !ok;
            self.changed();
        }
        if ok {
            Saving::Written
        } else {
            Saving::Failed
        }
    }

    /// Another tab stored `now` under the autosave's key. `true` if that is
    /// news (not this tab's own text): the learner is asked what to keep.
    pub fn stored_elsewhere(&mut self, now: Option<&str>) -> bool {
        if !self.enabled || now.is_none() || now == self.written.as_deref() || self.other_tab {
            return false;
        }
        self.other_tab = true;
        self.changed();
        true
    }

    /// "Keep this tab's work": this tab's latest state is written again.
    pub fn keep_this(&mut self, store: &mut impl Store) -> Saving {
        self.other_tab = false;
        self.changed();
        let Some(text) = self.latest.clone() else {
            self.written = None;
            return Saving::Unchanged;
        };
        if store.set(&self.key, &text) {
            self.written = Some(text);
            self.failed = false;
            Saving::Written
        } else {
            self.failed = true;
            Saving::Failed
        }
    }

    /// "Restore my work": the kept work becomes the autosave again (the page
    /// then reloads from it). Nothing more is saved from this page.
    pub fn restore_before(&mut self, store: &mut impl Store) -> bool {
        let Some(before) = store.get(BEFORE_KEY) else {
            return false;
        };
        if !store.set(&self.key, &before) {
            self.failed = true;
            self.changed();
            return false;
        }
        store.remove(BEFORE_KEY);
        self.enabled = false;
        true
    }

    /// "Dismiss": the kept work is let go.
    pub fn dismiss(&mut self, store: &mut impl Store) {
        store.remove(BEFORE_KEY);
        self.offer = false;
        self.changed();
    }
}

/// Shows a page-level message when the app panics, and stops every later save.
pub fn watch_for_crashes() {
    browser::watch_for_crashes();
    std::panic::set_hook(Box::new(|info| {
        browser::set_crashed();
        browser::show_crash(&info.to_string());
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Map {
        items: HashMap<String, String>,
        /// Refuses every write, as a full storage does.
        full: bool,
    }

    impl Store for Map {
        fn get(&self, key: &str) -> Option<String> {
            self.items.get(key).cloned()
        }
        fn set(&mut self, key: &str, value: &str) -> bool {
            if self.full {
                return false;
            }
            self.items.insert(key.to_owned(), value.to_owned());
            true
        }
        fn remove(&mut self, key: &str) {
            self.items.remove(key);
        }
    }

    fn saved(commands: &[&str]) -> Saved {
        Saved {
            version: persist::VERSION,
            lang: "en".into(),
            dockerfile: "FROM busybox\n".into(),
            commands: commands.iter().map(|c| (*c).to_owned()).collect(),
            lesson: None,
            done: Vec::new(),
            sandbox: None,
            step: 0,
            lessons: Vec::new(),
        }
    }

    fn own_work() -> Map {
        let mut store = Map::default();
        store.set(persist::KEY, &persist::save(&saved(&["docker pull nginx"])));
        store
    }

    fn autosaved(store: &Map) -> Vec<String> {
        persist::load(&store.get(persist::KEY).expect("an autosave"))
            .expect("readable")
            .commands
    }

    #[test]
    fn a_link_is_shown_but_not_saved_over_the_learners_work_until_they_act() {
        let mut store = own_work();
        let link = persist::to_fragment(&saved(&["docker run -d --name web nginx"]));
        let boot = restore(&mut store, Some(&link), || true);
        assert_eq!(boot.workspace.console.log.len(), 1);
        let mut keeper = boot.keeper.borrow_mut();
        assert!(keeper.holding() && keeper.offer);
        let shown = boot.saved.clone().expect("the link's state");
        assert_eq!(keeper.save(&mut store, &shown, None), Saving::Held);
        assert_eq!(autosaved(&store), ["docker pull nginx"]);
        assert_eq!(store.get(BEFORE_KEY), store.get(persist::KEY));

        // The editor following the project's Dockerfile is not an act; editing is.
        let mut followed = shown.clone();
        followed.dockerfile = "FROM nginx\n".into();
        assert_eq!(
            keeper.save(&mut store, &followed, Some("FROM nginx\n")),
            Saving::Held
        );
        let mut acted = shown.clone();
        acted.commands.push("docker ps".into());
        assert_eq!(keeper.save(&mut store, &acted, None), Saving::Written);
        assert_eq!(autosaved(&store).len(), 2);
        // The learner's own work is still there to bring back.
        assert!(keeper.restore_before(&mut store));
        assert_eq!(autosaved(&store), ["docker pull nginx"]);
        assert_eq!(store.get(BEFORE_KEY), None);
    }

    #[test]
    fn a_broken_link_starts_fresh_and_keeps_the_autosave() {
        let mut store = own_work();
        let boot = restore(&mut store, Some("v1.!!!"), || true);
        assert!(matches!(boot.problem, Some(Problem::Link(_))));
        let mut keeper = boot.keeper.borrow_mut();
        assert_eq!(keeper.save(&mut store, &saved(&[]), None), Saving::Held);
        assert_eq!(autosaved(&store), ["docker pull nginx"]);
        assert!(keeper.offer);
    }

    #[test]
    fn the_offer_lasts_across_reloads_until_dismissed() {
        let mut store = own_work();
        let link = persist::to_fragment(&saved(&["docker images"]));
        drop(restore(&mut store, Some(&link), || true));
        // A reload without the link: the autosave is the learner's own, kept twice.
        let boot = restore(&mut store, None, || true);
        assert!(!boot.keeper.borrow().offer, "same work: nothing to offer");
        // A scenario opened, acted on, then a reload: the offer is still there.
        let mut keeper = boot.keeper.borrow_mut();
        keeper.hold(&mut store, Held::of(&saved(&["docker ps"])));
        assert!(keeper.offer);
        keeper.save(&mut store, &saved(&["docker ps", "docker images"]), None);
        drop(keeper);
        let boot = restore(&mut store, None, || true);
        let mut keeper = boot.keeper.borrow_mut();
        assert!(keeper.offer);
        keeper.dismiss(&mut store);
        assert!(!keeper.offer);
        drop(keeper);
        assert!(!restore(&mut store, None, || true).keeper.borrow().offer);
    }

    #[test]
    fn a_refused_save_is_reported_and_retried() {
        let mut store = own_work();
        let mut keeper = restore(&mut store, None, || true).keeper.take();
        store.full = true;
        let next = saved(&["docker pull nginx", "docker ps"]);
        assert_eq!(keeper.save(&mut store, &next, None), Saving::Failed);
        assert!(keeper.failed);
        store.full = false;
        assert_eq!(keeper.save(&mut store, &next, None), Saving::Written);
        assert!(!keeper.failed);
    }

    #[test]
    fn another_tab_saving_pauses_this_one_until_the_learner_chooses() {
        let mut store = own_work();
        let mut keeper = restore(&mut store, None, || true).keeper.take();
        // This tab's own write, echoed, is no news.
        let mine = store.get(persist::KEY);
        assert!(!keeper.stored_elsewhere(mine.as_deref()));
        let theirs = persist::save(&saved(&["docker run busybox"]));
        store.set(persist::KEY, &theirs);
        assert!(keeper.stored_elsewhere(Some(&theirs)));
        let next = saved(&["docker pull nginx", "docker ps"]);
        assert_eq!(keeper.save(&mut store, &next, None), Saving::Paused);
        assert_eq!(autosaved(&store), ["docker run busybox"]);
        assert_eq!(keeper.keep_this(&mut store), Saving::Written);
        assert_eq!(autosaved(&store), next.commands);
    }
}
