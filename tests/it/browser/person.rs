//! Using a page as a person does: fields by their label's words, buttons and links by what
//! they say, and waiting for what the page shows, never for a time.

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};

use super::Journey;

impl Journey {
    /// The field whose `<label>` says `label`.
    pub async fn field(&self, label: &str) -> Element {
        let label_element = self.find_named("label", label).await;
        let id = label_element
            .attr("for")
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("the label {label:?} names no field"));
        self.client.find(Locator::Id(&id)).await.unwrap()
    }

    /// Types into a field, replacing what was there.
    pub async fn fill(&self, label: &str, text: &str) {
        let field = self.field(label).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Picks the option that says `option` in the list labelled `label`.
    pub async fn choose(&self, label: &str, option: &str) {
        let field = self.field(label).await;
        field
            .select_by_label(option)
            .await
            .unwrap_or_else(|e| panic!("no option {option:?} in {label:?}: {e}"));
    }

    /// Picks the radio button (or ticks the checkbox) whose label says `label`.
    pub async fn pick(&self, label: &str) {
        self.field(label).await.click().await.unwrap();
    }

    /// Presses a button (or opens a `<details>` menu) by what it says, hidden words that
    /// name it for a screen reader included.
    pub async fn press(&self, name: &str) {
        let xpath = format!(
            "//button[normalize-space()={0}] | //summary[normalize-space()={0}] \
             | //input[(@type='submit' or @type='button') and @value={0}]",
            literal(name)
        );
        let button = self.wait_for(&xpath, &format!("a button {name:?}")).await;
        button.click().await.unwrap();
    }

    /// Follows the link that says `text`, the one on screen when the page has the same link
    /// twice (the header keeps a phone's copy of its links in the menu).
    pub async fn follow(&self, text: &str) {
        self.find_named("a", text).await;
        let xpath = format!("//a[normalize-space()={}]", literal(text));
        for link in self.client.find_all(Locator::XPath(&xpath)).await.unwrap() {
            if link.is_displayed().await.unwrap() {
                link.click().await.unwrap();
                return;
            }
        }
        panic!("the link {text:?} is not on screen");
    }

    /// Waits for the page whose main heading is `text`.
    pub async fn heading(&self, text: &str) {
        self.find_named("h1", text).await;
    }

    /// Waits until the page's main content says `text`.
    pub async fn sees(&self, text: &str) {
        let xpath = format!("//main[contains(normalize-space(), {})]", literal(text));
        self.wait_for(&xpath, &format!("the words {text:?}")).await;
    }

    /// The figure a description list shows under the term `term`, like a balance.
    pub async fn figure(&self, term: &str) -> String {
        let figure = self.find_named("dt", term).await;
        let shown = figure
            .find(Locator::XPath("following-sibling::dd"))
            .await
            .unwrap();
        shown.text().await.unwrap()
    }

    /// The visible words of the page's main content, as it stands.
    pub async fn main_text(&self) -> String {
        let main = self.client.find(Locator::Css("main")).await.unwrap();
        main.text().await.unwrap()
    }

    /// Waits for a `tag` element that says exactly `text` (spaces normalised).
    pub async fn find_named(&self, tag: &str, text: &str) -> Element {
        let xpath = format!("//{tag}[normalize-space()={}]", literal(text));
        self.wait_for(&xpath, &format!("a <{tag}> {text:?}")).await
    }

    async fn wait_for(&self, xpath: &str, what: &str) -> Element {
        match self.client.wait().for_element(Locator::XPath(xpath)).await {
            Ok(element) => element,
            Err(err) => panic!(
                "{what} never showed: {}",
                whereabouts(&self.client, err).await
            ),
        }
    }
}

/// Where the browser was when something failed: the address, the heading and the error.
async fn whereabouts(client: &Client, err: CmdError) -> String {
    let url = client
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    let heading = match client.find(Locator::Css("h1")).await {
        Ok(h1) => h1.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    format!("at {url} (heading {heading:?}): {err}")
}

/// `text` as an XPath string literal, whatever quotes it holds.
fn literal(text: &str) -> String {
    if !text.contains('"') {
        format!("\"{text}\"")
    } else if !text.contains('\'') {
        format!("'{text}'")
    } else {
        let parts: Vec<String> = text.split('"').map(|p| format!("\"{p}\"")).collect();
        format!("concat({})", parts.join(", '\"', "))
    }
}
