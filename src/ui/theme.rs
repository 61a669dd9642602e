//! Colors that read on dark and light terminals alike: text in the terminal's own
//! foreground, selection by reverse video, and only saturated ANSI colors (no yellow or
//! white text, which vanish on light backgrounds). `NO_COLOR` keeps only bold/dim/reverse.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        Theme { color }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn text(&self) -> Style {
        Style::new()
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn label(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn strong(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Blue).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn title(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Blue).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red)
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Magenta)
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Blue)
    }

    pub fn up(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn down(&self) -> Style {
        self.fg(Color::Red)
    }

    pub fn banner(&self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Red)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// One color per rate bar / trend series, distinct on both backgrounds.
    pub fn series(&self, i: usize) -> Style {
        const PALETTE: [Color; 5] = [
            Color::Red,
            Color::Blue,
            Color::Green,
            Color::Magenta,
            Color::Cyan,
        ];
        self.fg(PALETTE[i % PALETTE.len()])
    }
}
