//! A one-line text field: the lookup box and the label editor.

use crate::format;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position in chars (not bytes: the text is often Chinese).
    cursor: usize,
}

impl LineInput {
    pub fn with_text(text: &str) -> LineInput {
        LineInput {
            text: text.to_owned(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Display cells before the cursor, for placing the terminal cursor.
    pub fn cursor_cells(&self) -> usize {
        format::width(&self.text.chars().take(self.cursor).collect::<String>())
    }

    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Pasted text: line breaks and tabs become spaces (a link copied with its line break).
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            self.insert(if c.is_whitespace() { ' ' } else { c });
        }
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    /// Ctrl-W: the word before the cursor.
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
        self.text.replace_range(from..to, "");
        self.cursor = start;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(i, _)| i)
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
        assert!(i.is_empty() && i.cursor() == 0);
        i.insert('\u{7}');
        assert!(i.is_empty());
    }
}
