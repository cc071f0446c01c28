//! A drawing: a tree of elements (SVG or HTML) written as one JSON text, which
//! `static/drawing.js` turns into DOM nodes in a single call. The stage and the
//! table of layers on disk are hundreds of elements; made one by one from
//! wasm, each element, attribute and text costs a call across to JavaScript
//! and a string decoded there, several times what making the node costs.
//!
//! Text goes into text nodes and attribute values, never into markup.
//!
//! An element is `[tag, [name, value, …], child, …]`; a child is an element or
//! a string (a text node).
//!
//! A drawing is made anew on each render and handed to yew whole. Its elements
//! that open something carry `data-select`, an index into a list of choices
//! ([`use_choices`]); one listener on a yew element around it reads them.

use std::cell::RefCell;
use std::fmt::{Display, Write};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The attribute naming what a drawn element opens: its index in the
/// drawing's list of choices.
pub const SELECT: &str = "data-select";

#[derive(Default)]
pub struct Drawing {
    json: String,
    /// How many elements are open.
    depth: usize,
    /// The open element's attribute list is still being written.
    in_attrs: bool,
}

impl Drawing {
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens an element as the next child of the open one.
    pub fn open(&mut self, tag: &str) -> &mut Self {
        self.next_child();
        self.json.push('[');
        push_string(&mut self.json, tag);
        self.json.push_str(",[");
        self.depth += 1;
        self.in_attrs = true;
        self
    }

    /// Sets an attribute of the element just opened.
    pub fn attr(&mut self, name: &str, value: impl Display) -> &mut Self {
        debug_assert!(self.in_attrs, "attributes come before children");
        if !self.json.ends_with('[') {
            self.json.push(',');
        }
        push_string(&mut self.json, name);
        self.json.push(',');
        let mut text = String::new();
        let _ = write!(text, "{value}");
        push_string(&mut self.json, &text);
        self
    }

    /// Opens an SVG `<rect>`.
    pub fn rect(&mut self, x: i32, y: i32, width: i32, height: i32, rx: i32) -> &mut Self {
        self.open("rect")
            .attr("x", x)
            .attr("y", y)
            .attr("width", width)
            .attr("height", height)
            .attr("rx", rx)
    }

    /// Opens an SVG `<text>` whose baseline starts (or, by its anchor, ends or
    /// centres) at (`x`, `y`).
    pub fn text_at(&mut self, x: i32, y: i32) -> &mut Self {
        self.open("text").attr("x", x).attr("y", y)
    }

    /// An SVG `<title>`: the tooltip and accessible name of the open element.
    pub fn title(&mut self, text: &str) -> &mut Self {
        self.open("title").text(text).close()
    }

    /// A text node, the next child of the open element.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.next_child();
        push_string(&mut self.json, text);
        self
    }

    /// Closes the open element.
    pub fn close(&mut self) -> &mut Self {
        debug_assert!(self.depth > 0, "nothing is open");
        self.end_attrs();
        self.json.push(']');
        self.depth -= 1;
        self
    }

    /// The JSON text of the drawing, with every element closed.
    pub fn finish(mut self) -> String {
        while self.depth > 0 {
            self.close();
        }
        self.json
    }

    fn end_attrs(&mut self) {
        if self.in_attrs {
            self.json.push(']');
            self.in_attrs = false;
        }
    }

    fn next_child(&mut self) {
        debug_assert!(
            self.depth > 0 || self.json.is_empty(),
            "a drawing has one root"
        );
        self.end_attrs();
        if self.depth > 0 {
            self.json.push(',');
        }
    }
}

/// `text` as a JSON string.
fn push_string(json: &mut String, text: &str) {
    json.push('"');
    for c in text.chars() {
        match c {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(json, "\\u{:04x}", c as u32);
            }
            c => json.push(c),
        }
    }
    json.push('"');
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/static/drawing.js")]
extern "C" {
    fn draw(json: &str, svg: bool) -> web_sys::Node;
}

/// The drawing as SVG elements, for yew to place.
pub fn svg(drawing: Drawing) -> Html {
    Html::VRef(draw(&drawing.finish(), true))
}

/// The drawing as HTML elements, for yew to place.
pub fn html(drawing: Drawing) -> Html {
    Html::VRef(draw(&drawing.finish(), false))
}

/// What the elements of a drawing open, across redraws. The component puts
/// [`Choices::node`] on the yew element around the drawing, with the
/// handlers. A drawing is made anew each time, so the keyboard focus moves to
/// the new element that opens what the focused one did.
pub struct Choices<T> {
    /// The element around the drawing.
    pub node: NodeRef,
    focused: Option<T>,
    list: Rc<RefCell<Rc<Vec<T>>>>,
    refocus: Rc<RefCell<Option<usize>>>,
}

#[hook]
pub fn use_choices<T: Clone + PartialEq + 'static>() -> Choices<T> {
    let node = use_node_ref();
    let list = use_mut_ref(|| Rc::new(Vec::<T>::new()));
    let refocus = use_mut_ref(|| None::<usize>);
    {
        let (node, refocus) = (node.clone(), refocus.clone());
        use_effect(move || {
            let Some(index) = refocus.borrow_mut().take() else {
                return;
            };
            let found = node
                .cast::<web_sys::Element>()
                .and_then(|n| n.query_selector(&format!("[{SELECT}=\"{index}\"]")).ok()?);
            if let Some(element) = found {
                // HTML and SVG elements alike have `focus()`.
                let _ = element.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        });
    }
    // Read while the old drawing is still in the page.
    let focused =
        crate::browser::active_element().and_then(|e| chosen_by(&e, &node, &list.borrow()));
    Choices {
        node,
        focused,
        list,
        refocus,
    }
}

impl<T: Clone + PartialEq + 'static> Choices<T> {
    /// Keeps `choices`, in `data-select` order, for the drawing about to be
    /// placed, and returns its click and Enter/Space handlers, which emit the
    /// choice of the element under the event to `on_choose`.
    pub fn handlers(
        &self,
        choices: Vec<T>,
        on_choose: &Callback<T>,
    ) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
        *self.refocus.borrow_mut() = self
            .focused
            .as_ref()
            .and_then(|f| choices.iter().position(|c| c == f));
        let list = Rc::new(choices);
        *self.list.borrow_mut() = list.clone();
        let onclick = {
            let (node, list, on_choose) = (self.node.clone(), list.clone(), on_choose.clone());
            Callback::from(move |e: MouseEvent| {
                if let Some(choice) = chosen(&e, &node, &list) {
                    on_choose.emit(choice);
                }
            })
        };
        let (node, on_choose) = (self.node.clone(), on_choose.clone());
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" && e.key() != " " {
                return;
            }
            if let Some(choice) = chosen(&e, &node, &list) {
                e.prevent_default();
                on_choose.emit(choice);
            }
        });
        (onclick, onkeydown)
    }
}

/// What the element under `event` (or its nearest drawn ancestor) opens.
fn chosen<T: Clone>(event: &Event, node: &NodeRef, list: &[T]) -> Option<T> {
    chosen_by(&event.target_dyn_into::<web_sys::Element>()?, node, list)
}

/// What `element`, or its nearest ancestor that opens something, opens, if
/// it is inside the drawing around `node`.
fn chosen_by<T: Clone>(element: &web_sys::Element, node: &NodeRef, list: &[T]) -> Option<T> {
    let around = node.get()?;
    let drawn = element.closest(&format!("[{SELECT}]")).ok()??;
    if !around.contains(Some(&drawn)) {
        return None;
    }
    let index: usize = drawn.get_attribute(SELECT)?.parse().ok()?;
    list.get(index).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_attributes_and_text_are_json() {
        let mut d = Drawing::new();
        d.open("svg").attr("width", 10);
        d.open("g")
            .attr("class", "slab")
            .attr("aria-label", "say \"hi\"\\");
        d.rect(1, 2, 3, 4, 5).close();
        d.text_at(6, 7).text("a\nb <i>").close();
        d.title("\u{1}");
        d.close();
        d.open("line").attr("x1", 1);
        let json = d.finish();
        assert_eq!(
            json,
            r#"["svg",["width","10"],["g",["class","slab","aria-label","say \"hi\"\\"],["rect",["x","1","y","2","width","3","height","4","rx","5"]],["text",["x","6","y","7"],"a\u000ab <i>"],["title",[],"\u0001"]],["line",["x1","1"]]]"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(
            parsed[2][3][2], "a\nb <i>",
            "text stays text, markup and all"
        );
    }
}
