//! A one-line text field: the lookup box and the label editor.

use crate::format;

/// Every edit costs time in the length it touches, never the whole text, so a long paste
/// or a long line stays instant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position in bytes, always on a character boundary (the text is often Chinese).
    cursor: usize,
}

impl LineInput {
    pub fn with_text(text: &str) -> LineInput {
        LineInput {
            text: text.to_owned(),
            cursor: text.len(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text before and after the cursor.
    pub fn split(&self) -> (&str, &str) {
        self.text.split_at(self.cursor)
    }

    /// Display cells before the cursor, for placing the terminal cursor.
    pub fn cursor_cells(&self) -> usize {
        format::width(self.split().0)
    }

    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    /// Pasted text: line breaks and tabs become spaces (a link copied with its line break).
    pub fn insert_str(&mut self, s: &str) {
        let clean: String = s
            .chars()
            .filter_map(|c| match c {
                c if c.is_whitespace() => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect();
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
    }

    pub fn backspace(&mut self) {
        if let Some(c) = self.split().0.chars().next_back() {
            self.cursor -= c.len_utf8();
            self.text.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.len() {
            self.text.remove(self.cursor);
        }
    }

    /// Ctrl-W: the word before the cursor.
    pub fn delete_word(&mut self) {
        let before = self.split().0;
        let word_end = before.trim_end().len();
        let start = before[..word_end]
            .rfind(char::is_whitespace)
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    pub fn left(&mut self) {
        if let Some(c) = self.split().0.chars().next_back() {
            self.cursor -= c.len_utf8();
        }
    }

    pub fn right(&mut self) {
        if let Some(c) = self.split().1.chars().next() {
            self.cursor += c.len_utf8();
        }
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_character_not_byte() {
        let mut i = LineInput::default();
        for c in "好热x".chars() {
            i.insert(c);
        }
        assert_eq!(i.cursor_cells(), 5);
        i.left();
        i.backspace();
        assert_eq!(i.text(), "好x");
        i.home();
        i.delete();
        assert_eq!(i.text(), "x");
        i.end();
        i.insert_str("a\nb\tc");
        assert_eq!(i.text(), "xa b c");
        i.delete_word();
        assert_eq!(i.text(), "xa b ");
        i.clear();
        assert!(i.is_empty() && i.split() == ("", ""));
        i.insert('\u{7}');
        assert!(i.is_empty());
    }

    #[test]
    fn words_and_moves_respect_wide_characters() {
        let mut i = LineInput::with_text("看 理想L6  ");
        i.delete_word();
        assert_eq!(i.text(), "看 ");
        i.left();
        i.left();
        assert_eq!(i.split(), ("", "看 "));
        i.left();
        i.right();
        i.insert('好');
        assert_eq!(i.split(), ("看好", " "));
        i.delete();
        assert_eq!(i.text(), "看好");
        i.end();
        i.right();
        i.insert_str("x\u{1b}y");
        assert_eq!(i.text(), "看好xy");
    }

    #[test]
    fn a_long_paste_is_one_insertion() {
        let long = "7566200471448779514 ".repeat(20_000);
        let mut i = LineInput::default();
        i.insert_str(&long);
        i.home();
        i.insert_str("x");
        assert_eq!(i.text().len(), long.len() + 1);
        assert_eq!(i.cursor_cells(), 1);
    }
}
