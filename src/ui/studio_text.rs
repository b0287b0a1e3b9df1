//! Studio-written text that may hold simple HTML, shown safely.
//!
//! The HTML is parsed by the browser's inert `DOMParser` (nothing in it runs or loads), then
//! rebuilt node by node into fresh elements: only p, br, strong, em, b, i, ul, ol, li and
//! links with http, https or mailto survive, and no attribute but a link's href. Script,
//! style and other active elements are dropped with their content; other elements are
//! replaced by their text. Nothing is ever assigned through innerHTML.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

use crate::core::links::is_safe_href;

const KEPT: &[&str] = &["p", "br", "strong", "em", "b", "i", "ul", "ol", "li"];
const DROPPED: &[&str] = &[
    "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "noscript", "title", "head", "link", "meta",
    "base", "form", "input", "button", "select", "textarea", "img", "video", "audio", "canvas",
];
const MAX_DEPTH: usize = 24;

/// A contract's own headings (h3, h4), one level below the contract's title (an h3).
fn heading_for(tag: &str) -> Option<&'static str> {
    match tag {
        "h3" => Some("h4"),
        "h4" => Some("h5"),
        _ => None,
    }
}

fn copy_children(document: &Document, from: &Node, to: &Node, depth: usize, headings: bool) {
    if depth > MAX_DEPTH {
        return;
    }
    let children = from.child_nodes();
    for i in 0..children.length() {
        let Some(node) = children.item(i) else {
            continue;
        };
        match node.node_type() {
            Node::TEXT_NODE => {
                let text = document.create_text_node(&node.text_content().unwrap_or_default());
                let _ = to.append_child(&text);
            }
            Node::ELEMENT_NODE => {
                let Ok(element) = node.dyn_into::<Element>() else {
                    continue;
                };
                let tag = element.tag_name().to_ascii_lowercase();
                if DROPPED.contains(&tag.as_str()) {
                    continue;
                }
                let copy = if KEPT.contains(&tag.as_str()) {
                    document.create_element(&tag).ok()
                } else if let Some(h) = heading_for(&tag).filter(|_| headings) {
                    document.create_element(h).ok()
                } else if tag == "a" {
                    let href = element.get_attribute("href").unwrap_or_default();
                    if is_safe_href(&href) {
                        document.create_element("a").ok().inspect(|a| {
                            let _ = a.set_attribute("href", href.trim());
                            let _ = a.set_attribute("target", "_blank");
                            let _ = a.set_attribute("rel", "noopener noreferrer nofollow");
                        })
                    } else {
                        None
                    }
                } else {
                    None
                };
                match copy {
                    Some(copy) => {
                        copy_children(document, &element, &copy, depth + 1, headings);
                        let _ = to.append_child(&copy);
                    }
                    // Unknown or refused element: keep its text.
                    None => copy_children(document, &element, to, depth + 1, headings),
                }
            }
            _ => {}
        }
    }
}

/// Fills `target` with the safe rendering of `html`, replacing what it held (with a
/// contract's h3 and h4 headings when `headings`).
pub fn render_studio_html(target: &Element, html: &str, headings: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    target.set_text_content(None);
    let Ok(parser) = web_sys::DomParser::new() else {
        return;
    };
    let Ok(parsed) = parser.parse_from_string(html, web_sys::SupportedType::TextHtml) else {
        return;
    };
    if let Some(body) = parsed.body() {
        copy_children(&document, &body, target, 0, headings);
    }
}

/// Studio-written text (a session type's description), rendered safely.
#[component]
pub fn StudioText(
    /// The studio's HTML.
    html: String,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] id: Option<String>,
    /// A contract: its h3 and h4 headings are kept (as h4 and h5).
    #[prop(optional)]
    headings: bool,
) -> impl IntoView {
    let target = NodeRef::<Div>::new();
    crate::ui::effect(move || {
        if let Some(el) = target.get() {
            render_studio_html(&el, &html, headings);
        }
    });
    view! { <div class=format!("sb-rich {class}") id=id node_ref=target></div> }
}
