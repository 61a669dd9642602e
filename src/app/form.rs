//! The form `e` opens on a watched video: label, campaign and price, checked before anything
//! is saved. Only the keys that changed are written, so an untouched price keeps the way the
//! file writes it.

use super::input::LineInput;
use crate::item_id::ItemId;
use crate::price::Price;
use crate::store::config::{KeyChanges, WatchEntry};

pub const LABELS: [&str; 3] = ["Label", "Campaign", "Price ¥"];
pub const PRICE: usize = 2;

#[derive(Debug, Clone, PartialEq)]
pub struct EditForm {
    pub id: ItemId,
    pub fields: [LineInput; 3],
    /// The field being typed in.
    pub focus: usize,
    was: (Option<String>, Option<String>, Option<Price>),
}

impl EditForm {
    pub fn new(id: ItemId, entry: &WatchEntry) -> EditForm {
        let text = |s: &Option<String>| LineInput::with_text(s.as_deref().unwrap_or_default());
        EditForm {
            id,
            fields: [
                text(&entry.label),
                text(&entry.campaign),
                LineInput::with_text(&entry.price.map(|p| p.to_string()).unwrap_or_default()),
            ],
            focus: 0,
            was: (
                non_empty(entry.label.as_deref()),
                non_empty(entry.campaign.as_deref()),
                entry.price,
            ),
        }
    }

    pub fn input(&mut self) -> &mut LineInput {
        &mut self.fields[self.focus]
    }

    /// Moves to the next (`1`) or previous (`-1`) field, round.
    pub fn step(&mut self, by: isize) {
        let n = self.fields.len() as isize;
        self.focus = (self.focus as isize + by).rem_euclid(n) as usize;
    }

    /// Why the price as typed is not one; empty clears it.
    pub fn price_error(&self) -> Option<String> {
        let text = self.fields[PRICE].text().trim();
        if text.is_empty() {
            return None;
        }
        Price::parse(text).err()
    }

    /// The keys that differ from the entry as it was, or why the form cannot be saved.
    pub fn changes(&self) -> Result<KeyChanges, String> {
        if let Some(e) = self.price_error() {
            return Err(e);
        }
        let price_text = self.fields[PRICE].text().trim();
        let price = (!price_text.is_empty())
            .then(|| Price::parse(price_text))
            .transpose()?;
        let label = non_empty(Some(self.fields[0].text()));
        let campaign = non_empty(Some(self.fields[1].text()));
        Ok(KeyChanges {
            label: (label != self.was.0).then_some(label),
            campaign: (campaign != self.was.1).then_some(campaign),
            price: (price != self.was.2).then_some(price),
        })
    }
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> WatchEntry {
        WatchEntry {
            item_id: ItemId::parse("7566200471448779514").unwrap(),
            label: Some("理想L6".into()),
            campaign: Some("双11".into()),
            price: Some(Price::Whole(1200)),
            added_at: None,
        }
    }

    fn form() -> EditForm {
        EditForm::new(ItemId::parse("7566200471448779514").unwrap(), &entry())
    }

    #[test]
    fn opens_with_the_entry_and_changes_nothing_untouched() {
        let f = form();
        assert_eq!(f.fields[0].text(), "理想L6");
        assert_eq!(f.fields[PRICE].text(), "1,200");
        let c = f.changes().unwrap();
        assert_eq!((c.label, c.campaign, c.price), (None, None, None));
    }

    #[test]
    fn only_edited_keys_change_and_empty_clears() {
        let mut f = form();
        f.step(1);
        f.input().clear();
        f.input().insert_str("  春节 🧧 ");
        f.step(1);
        f.input().clear();
        f.input().insert_str("¥1,500.50");
        let c = f.changes().unwrap();
        assert_eq!(c.label, None);
        assert_eq!(c.campaign, Some(Some("春节 🧧".into())));
        assert_eq!(c.price, Some(Some(Price::Decimal(1500.5))));
        f.input().clear();
        f.step(-2);
        f.input().clear();
        let c = f.changes().unwrap();
        assert_eq!(c.price, Some(None));
        assert_eq!(c.label, Some(None));
        f.step(-1);
        assert_eq!(f.focus, PRICE, "fields go round");
    }

    #[test]
    fn a_bad_price_is_refused_and_kept_as_typed() {
        let mut f = form();
        f.focus = PRICE;
        f.input().clear();
        f.input().insert_str("12x");
        let e = f.changes().unwrap_err();
        assert!(e.contains("not a price"), "{e}");
        assert_eq!(f.price_error(), Some(e));
        assert_eq!(f.fields[PRICE].text(), "12x");
        f.input().clear();
        f.input().insert_str("-5");
        assert!(f.price_error().unwrap().contains("negative"));
    }
}
