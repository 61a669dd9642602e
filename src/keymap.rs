//! Every key of the dashboard, in one table of (context, command, keys, description).
//! Dispatch (`app::update`), the help screen and the status bar's hints all read it, so a
//! key is added or changed here and nowhere else. A `[keys]` table in the config file
//! replaces a command's keys by name (`refetch = "f"`, or a list of keys).
//!
//! Matching is exact: a key held with Ctrl or Alt is a different key, so Ctrl-R is not `r`
//! and never triggers a paid refetch. Shift is carried by the character itself (`R`).

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::t;

/// Where a binding acts. The lookup box is a text field: plain characters type there, so
/// only `Anywhere` bindings with a modifier or a special key act in it (and `help` while
/// the box is still empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Anywhere,
    Box,
    Lists,
    Watchlist,
    Popup,
}

impl Context {
    pub const ALL: [Context; 5] = [
        Context::Anywhere,
        Context::Box,
        Context::Lists,
        Context::Watchlist,
        Context::Popup,
    ];

    pub fn title(self) -> String {
        match self {
            Context::Anywhere => t!("help-context-anywhere"),
            Context::Box => t!("help-context-box"),
            Context::Lists => t!("help-context-lists"),
            Context::Watchlist => t!("help-context-watchlist"),
            Context::Popup => t!("help-context-popup"),
        }
    }

    /// Whether a key can reach bindings of both contexts at once (then it may not be bound
    /// in both).
    fn overlaps(self, other: Context) -> bool {
        use Context::*;
        match (self, other) {
            (a, b) if a == b => true,
            (Popup, _) | (_, Popup) => false,
            (Anywhere, _) | (_, Anywhere) => true,
            (Lists, Watchlist) | (Watchlist, Lists) => true,
            _ => false,
        }
    }
}

/// Where the focus is when a key arrives; each scope reaches a set of contexts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Box,
    Lists,
    Popup,
}

impl Scope {
    fn reaches(self, context: Context) -> bool {
        matches!(
            (self, context),
            (Scope::Box, Context::Anywhere | Context::Box)
                | (
                    Scope::Lists,
                    Context::Anywhere | Context::Lists | Context::Watchlist
                )
                | (Scope::Popup, Context::Popup)
        )
    }
}

macro_rules! commands {
    ($($variant:ident = $name:literal,)*) => {
        /// Everything a key can do. The names are what `[keys]` in the config file uses.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Command { $($variant,)* }

        impl Command {
            pub const ALL: &[Command] = &[$(Command::$variant,)*];

            pub fn name(self) -> &'static str {
                match self { $(Command::$variant => $name,)* }
            }
        }
    };
}

commands! {
    Help = "help",
    NextPane = "next_pane",
    PrevPane = "previous_pane",
    QuitNow = "quit_now",
    LookUp = "look_up",
    LeaveBox = "leave_box",
    ClearBox = "clear_box",
    DeleteWord = "delete_word",
    LineStart = "line_start",
    LineEnd = "line_end",
    CursorLeft = "cursor_left",
    CursorRight = "cursor_right",
    DeleteBack = "delete_back",
    DeleteForward = "delete_forward",
    Quit = "quit",
    FocusBox = "focus_box",
    Dismiss = "dismiss",
    Up = "up",
    Down = "down",
    PageUp = "page_up",
    PageDown = "page_down",
    First = "first",
    Last = "last",
    Show = "show",
    Refetch = "refetch",
    Open = "open",
    CopyId = "copy_id",
    CopyUrl = "copy_url",
    Trend = "trend",
    DailyTrend = "daily_trend",
    Alerts = "alerts",
    Units = "units",
    Add = "add",
    Remove = "remove",
    Label = "label",
    Sort = "sort",
    Reverse = "reverse",
    RefreshAll = "refresh_all",
    Balance = "balance",
    NextTab = "next_tab",
    PrevTab = "previous_tab",
    Mark = "mark",
    Compare = "compare",
    Metric = "metric",
    Confirm = "confirm",
    Cancel = "cancel",
    ScrollLeft = "scroll_left",
    ScrollRight = "scroll_right",
    ScrollUp = "scroll_up",
    ScrollDown = "scroll_down",
}

impl Command {
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// What the command does, as the help screen says it; `None` for a command drawn on the
    /// previous one's line (`↓` beside `↑`), which that line's description covers.
    pub fn description(self) -> Option<String> {
        use Command::*;
        Some(match self {
            Help => t!("help-help"),
            NextPane => t!("help-next-pane"),
            QuitNow => t!("help-quit-now"),
            LookUp => t!("help-look-up"),
            LeaveBox => t!("help-leave-box"),
            ClearBox => t!("help-clear-box"),
            DeleteWord => t!("help-delete-word"),
            LineStart => t!("help-line-start"),
            LineEnd => t!("help-line-end"),
            CursorLeft => t!("help-cursor-left"),
            Up => t!("help-up"),
            PageUp => t!("help-page-up"),
            First => t!("help-first"),
            Show => t!("help-show"),
            Refetch => t!("help-refetch"),
            Open => t!("help-open"),
            Trend => t!("help-trend"),
            DailyTrend => t!("help-daily-trend"),
            Alerts => t!("help-alerts"),
            Units => t!("help-units"),
            FocusBox => t!("help-focus-box"),
            Dismiss => t!("help-dismiss"),
            Quit => t!("help-quit"),
            Add => t!("help-add"),
            Remove => t!("help-remove"),
            Label => t!("help-label"),
            Sort => t!("help-sort"),
            RefreshAll => t!("help-refresh-all"),
            PrevTab => t!("help-prev-tab"),
            Mark => t!("help-mark"),
            Metric => t!("help-metric"),
            Confirm => t!("help-confirm"),
            Cancel => t!("help-cancel"),
            ScrollLeft => t!("help-scroll-left"),
            ScrollUp => t!("help-scroll-up"),
            PrevPane | CursorRight | DeleteBack | DeleteForward | Down | PageDown | Last
            | CopyId | CopyUrl | Balance | Reverse | NextTab | Compare | ScrollRight
            | ScrollDown => return None,
        })
    }
}

/// One key as the dashboard compares it: the code, and Ctrl/Alt. Shift is dropped for
/// characters (crossterm reports `R` with or without it, depending on the terminal) and for
/// Shift-Tab, which has its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    pub fn from_event(event: &KeyEvent) -> Key {
        let mut mods = event.modifiers;
        if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods -= KeyModifiers::SHIFT;
        }
        let code = match event.code {
            // Ctrl-letters arrive lower-case from most terminals; a few send them upper-case.
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) && c.is_ascii_uppercase() => {
                if event.modifiers.contains(KeyModifiers::SHIFT) {
                    KeyCode::Char(c)
                } else {
                    KeyCode::Char(c.to_ascii_lowercase())
                }
            }
            code => code,
        };
        Key { code, mods }
    }

    /// A character typed without Ctrl or Alt: text in a text field.
    pub fn typed_char(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if self.mods.is_empty() => Some(c),
            // AltGr (how many layouts type `@`, `\` or `€`) arrives as Ctrl+Alt on Windows.
            KeyCode::Char(c) if self.mods == KeyModifiers::CONTROL | KeyModifiers::ALT => Some(c),
            _ => None,
        }
    }

    /// Parses what a user writes in `[keys]`: `f`, `F5`, `Ctrl-R`, `Alt-x`, `Shift-Tab`,
    /// `Enter`, `Esc`, `Del`, `PgUp`, `Up` or `↑`, `Space`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        let mut shift = false;
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = [
                "ctrl-", "ctrl+", "c-", "alt-", "alt+", "a-", "shift-", "shift+", "s-",
            ]
            .into_iter()
            .find(|p| lower.starts_with(p) && rest.len() > p.len());
            let Some(p) = prefix else { break };
            match p.as_bytes()[0] {
                b'c' => mods |= KeyModifiers::CONTROL,
                b'a' => mods |= KeyModifiers::ALT,
                _ => shift = true,
            }
            rest = &rest[p.len()..];
        }
        let named = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => Some(KeyCode::Enter),
            "esc" | "escape" => Some(KeyCode::Esc),
            "tab" if shift => Some(KeyCode::BackTab),
            "tab" => Some(KeyCode::Tab),
            "backtab" => Some(KeyCode::BackTab),
            "space" => Some(KeyCode::Char(' ')),
            "up" | "↑" => Some(KeyCode::Up),
            "down" | "↓" => Some(KeyCode::Down),
            "left" | "←" => Some(KeyCode::Left),
            "right" | "→" => Some(KeyCode::Right),
            "pgup" | "pageup" => Some(KeyCode::PageUp),
            "pgdn" | "pagedown" => Some(KeyCode::PageDown),
            "home" => Some(KeyCode::Home),
            "end" => Some(KeyCode::End),
            "del" | "delete" => Some(KeyCode::Delete),
            "backspace" | "bksp" => Some(KeyCode::Backspace),
            "insert" | "ins" => Some(KeyCode::Insert),
            f if f.len() >= 2 && f.starts_with('f') => f[1..]
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=12).contains(n))
                .map(KeyCode::F),
            _ => None,
        };
        let code = match named {
            Some(code) => code,
            None => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => {
                        let c = if shift { c.to_ascii_uppercase() } else { c };
                        if mods.contains(KeyModifiers::CONTROL) && !shift {
                            KeyCode::Char(c.to_ascii_lowercase())
                        } else {
                            KeyCode::Char(c)
                        }
                    }
                    _ => {
                        return Err(t!("help-keys-not-a-key", text = format!("{text:?}")));
                    }
                }
            }
        };
        if shift && !matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods |= KeyModifiers::SHIFT;
        }
        Ok(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        for (flag, name) in [
            (KeyModifiers::SUPER, "Super-"),
            (KeyModifiers::HYPER, "Hyper-"),
            (KeyModifiers::META, "Meta-"),
            (KeyModifiers::SHIFT, "Shift-"),
        ] {
            if self.mods.contains(flag) {
                f.write_str(name)?;
            }
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            // Ctrl-letters are written upper-case, as terminals document them; a shifted
            // one says so.
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                let shift = if c.is_ascii_uppercase() { "Shift-" } else { "" };
                write!(f, "{shift}{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::Backspace => f.write_str("Bksp"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub context: Context,
    pub command: Command,
    pub keys: Vec<Key>,
    /// Drawn on the previous row's help line (`↑ k / ↓ j  move the selection`).
    pub joined: bool,
}

/// The defaults: (context, command, keys). Order is the help screen's order; a command
/// without a description of its own is drawn on the previous row's help line.
#[rustfmt::skip]
const DEFAULTS: &[(Context, Command, &[Key])] = {
    use Command::*;
    use Context::*;
    use KeyCode as K;
    &[
        (Anywhere,  Help,          &[Key::ch('?'), Key::plain(K::F(1))]),
        (Anywhere,  NextPane,      &[Key::plain(K::Tab)]),
        (Anywhere,  PrevPane,      &[Key::plain(K::BackTab)]),
        (Anywhere,  QuitNow,       &[Key::ctrl('c')]),
        (Box,       LookUp,        &[Key::plain(K::Enter)]),
        (Box,       LeaveBox,      &[Key::plain(K::Esc), Key::plain(K::Down)]),
        (Box,       ClearBox,      &[Key::ctrl('u')]),
        (Box,       DeleteWord,    &[Key::ctrl('w')]),
        (Box,       LineStart,     &[Key::ctrl('a'), Key::plain(K::Home)]),
        (Box,       LineEnd,       &[Key::ctrl('e'), Key::plain(K::End)]),
        (Box,       CursorLeft,    &[Key::plain(K::Left)]),
        (Box,       CursorRight,   &[Key::plain(K::Right)]),
        (Box,       DeleteBack,    &[Key::plain(K::Backspace)]),
        (Box,       DeleteForward, &[Key::plain(K::Delete)]),
        (Lists,     Up,            &[Key::plain(K::Up), Key::ch('k')]),
        (Lists,     Down,          &[Key::plain(K::Down), Key::ch('j')]),
        (Lists,     PageUp,        &[Key::plain(K::PageUp)]),
        (Lists,     PageDown,      &[Key::plain(K::PageDown)]),
        (Lists,     First,         &[Key::plain(K::Home), Key::ch('g')]),
        (Lists,     Last,          &[Key::plain(K::End), Key::ch('G')]),
        (Lists,     Show,          &[Key::plain(K::Enter)]),
        (Lists,     Refetch,       &[Key::ch('r')]),
        (Lists,     Open,          &[Key::ch('o')]),
        (Lists,     CopyId,        &[Key::ch('y')]),
        (Lists,     CopyUrl,       &[Key::ch('Y')]),
        (Lists,     Trend,         &[Key::ch('t')]),
        (Lists,     DailyTrend,    &[Key::ch('T')]),
        (Lists,     Alerts,        &[Key::ch('!')]),
        (Lists,     Balance,       &[Key::ch('$')]),
        (Lists,     Units,         &[Key::ch('u')]),
        (Lists,     FocusBox,      &[Key::ch('/')]),
        (Lists,     Dismiss,       &[Key::plain(K::Esc)]),
        (Lists,     Quit,          &[Key::ch('q')]),
        (Watchlist, Add,           &[Key::ch('a')]),
        (Watchlist, Remove,        &[Key::ch('d'), Key::plain(K::Delete)]),
        (Watchlist, Label,         &[Key::ch('e')]),
        (Watchlist, Sort,          &[Key::ch('s')]),
        (Watchlist, Reverse,       &[Key::ch('S')]),
        (Watchlist, RefreshAll,    &[Key::ch('R')]),
        (Watchlist, PrevTab,       &[Key::ch('[')]),
        (Watchlist, NextTab,       &[Key::ch(']')]),
        (Watchlist, Mark,          &[Key::ch(' ')]),
        (Watchlist, Compare,       &[Key::ch('c')]),
        (Watchlist, Metric,        &[Key::ch('m')]),
        (Popup,     Confirm,       &[Key::ch('y'), Key::ch('Y'), Key::plain(K::Enter)]),
        (Popup,     Cancel,        &[Key::plain(K::Esc), Key::ch('n'), Key::ch('N'), Key::ch('q')]),
        (Popup,     ScrollLeft,    &[Key::plain(K::Left), Key::ch('h')]),
        (Popup,     ScrollRight,   &[Key::plain(K::Right), Key::ch('l')]),
        (Popup,     ScrollUp,      &[Key::plain(K::Up), Key::ch('k')]),
        (Popup,     ScrollDown,    &[Key::plain(K::Down), Key::ch('j')]),
    ]
};

/// A hint's label, in the current language.
pub type HintLabel = fn() -> String;

/// The status bar's hints per scope: (commands whose first keys are shown, label).
pub const HINTS_BOX: &[(&[Command], HintLabel)] = &[
    (&[Command::LookUp], || t!("ui-hint-look-up")),
    (&[Command::LeaveBox], || t!("ui-hint-leave")),
    (&[Command::ClearBox], || t!("ui-hint-clear")),
    (&[Command::NextPane], || t!("ui-hint-next-pane")),
    (&[Command::Help], || t!("ui-hint-help")),
    (&[Command::QuitNow], || t!("ui-hint-quit")),
];
pub const HINTS_RECENT: &[(&[Command], HintLabel)] = &[
    (&[Command::Up, Command::Down], || t!("ui-hint-select")),
    (&[Command::Refetch], || t!("ui-hint-refetch")),
    (&[Command::Add], || t!("ui-hint-watch")),
    (&[Command::Open], || t!("ui-hint-open")),
    (&[Command::CopyId], || t!("ui-hint-copy-id")),
    (&[Command::FocusBox], || t!("ui-hint-look-up")),
    (&[Command::Help], || t!("ui-hint-help")),
    (&[Command::Quit], || t!("ui-hint-quit")),
];
pub const HINTS_WATCHLIST: &[(&[Command], HintLabel)] = &[
    (&[Command::Up, Command::Down], || t!("ui-hint-select")),
    (&[Command::PrevTab, Command::NextTab], || t!("ui-hint-tab")),
    (&[Command::Mark], || t!("ui-hint-mark")),
    (&[Command::Compare], || t!("ui-hint-compare")),
    (&[Command::Label], || t!("ui-hint-edit")),
    (&[Command::Refetch], || t!("ui-hint-refetch")),
    (&[Command::RefreshAll], || t!("ui-hint-refresh-all")),
    (&[Command::Sort, Command::Reverse], || t!("ui-hint-sort")),
    (&[Command::Remove], || t!("ui-hint-remove")),
    (&[Command::Help], || t!("ui-hint-help")),
    (&[Command::Quit], || t!("ui-hint-quit")),
];
pub const HINTS_COMPARE: &[(&[Command], HintLabel)] = &[
    (&[Command::ScrollLeft, Command::ScrollRight], || {
        t!("ui-hint-columns")
    }),
    (&[Command::ScrollUp, Command::ScrollDown], || {
        t!("ui-hint-scroll")
    }),
    (&[Command::Cancel], || t!("ui-hint-close")),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeymapError {
    UnknownCommand {
        name: String,
        nearest: Option<&'static str>,
    },
    BadKey {
        command: String,
        why: String,
    },
    Conflict {
        key: String,
        first: &'static str,
        second: &'static str,
    },
}

impl std::error::Error for KeymapError {}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&match self {
            KeymapError::UnknownCommand { name, nearest } => {
                let name = format!("{name:?}");
                match nearest {
                    Some(n) => t!("help-keys-unknown-nearest", name = name, nearest = *n),
                    None => t!("help-keys-unknown", name = name),
                }
            }
            KeymapError::BadKey { command, why } => {
                t!(
                    "help-keys-bad",
                    command = command.as_str(),
                    why = why.as_str()
                )
            }
            KeymapError::Conflict { key, first, second } => t!(
                "help-keys-conflict",
                key = key.as_str(),
                first = *first,
                second = *second
            ),
        })
    }
}

impl KeymapError {
    /// The commands the error is about, to point at the `[keys]` entry that names one.
    pub fn command_names(&self) -> Vec<&str> {
        match self {
            KeymapError::UnknownCommand { name, .. } => vec![name],
            KeymapError::BadKey { command, .. } => vec![command],
            KeymapError::Conflict { first, second, .. } => vec![second, first],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    rows: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            rows: DEFAULTS
                .iter()
                .map(|(context, command, keys)| Binding {
                    context: *context,
                    command: *command,
                    keys: keys.to_vec(),
                    joined: command.description().is_none(),
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// The defaults with the user's `[keys]` applied: each named command gets exactly the
    /// keys given. The result is checked as a whole, so two commands can swap keys.
    pub fn with_overrides(
        overrides: &BTreeMap<String, Vec<String>>,
    ) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let command = Command::from_name(name).ok_or_else(|| KeymapError::UnknownCommand {
                name: name.clone(),
                nearest: nearest_command(name),
            })?;
            let bad = |why: String| KeymapError::BadKey {
                command: name.clone(),
                why,
            };
            if keys.is_empty() {
                return Err(bad(t!("help-keys-none")));
            }
            let parsed = keys
                .iter()
                .map(|k| Key::parse(k.trim()))
                .collect::<Result<Vec<Key>, String>>()
                .map_err(bad)?;
            let row = map.row_mut(command);
            for key in &parsed {
                check_fits(row.context, key).map_err(bad)?;
            }
            row.keys = parsed;
        }
        map.check_conflicts()?;
        Ok(map)
    }

    pub fn rows(&self) -> &[Binding] {
        &self.rows
    }

    pub fn keys(&self, command: Command) -> &[Key] {
        self.rows
            .iter()
            .find(|r| r.command == command)
            .map_or(&[], |r| &r.keys)
    }

    /// The command a key triggers from where the focus is, if any.
    pub fn command(&self, scope: Scope, key: Key) -> Option<Command> {
        self.rows
            .iter()
            .find(|r| scope.reaches(r.context) && r.keys.contains(&key))
            .map(|r| r.command)
    }

    /// The key to show for a command in a hint: the first that acts in that scope (in the
    /// box, a plain character types, so it is skipped).
    pub fn hint_key(&self, command: Command, scope: Scope) -> Option<Key> {
        self.keys(command)
            .iter()
            .find(|k| scope != Scope::Box || k.typed_char().is_none())
            .copied()
    }

    fn row_mut(&mut self, command: Command) -> &mut Binding {
        self.rows
            .iter_mut()
            .find(|r| r.command == command)
            .expect("every command has a row")
    }

    fn check_conflicts(&self) -> Result<(), KeymapError> {
        for (i, a) in self.rows.iter().enumerate() {
            for b in &self.rows[i + 1..] {
                if !a.context.overlaps(b.context) {
                    continue;
                }
                if let Some(key) = a.keys.iter().find(|k| b.keys.contains(k)) {
                    return Err(KeymapError::Conflict {
                        key: key.to_string(),
                        first: a.command.name(),
                        second: b.command.name(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Keys that would break typing are refused where they would.
fn check_fits(context: Context, key: &Key) -> Result<(), String> {
    match (context, key.typed_char()) {
        (Context::Box, Some(_)) => Err(t!("help-keys-types-in-box", key = key.to_string())),
        (Context::Anywhere | Context::Lists | Context::Watchlist, Some(c))
            if c.is_ascii_digit() =>
        {
            Err(t!("help-keys-types-id", key = key.to_string()))
        }
        _ => Ok(()),
    }
}

fn nearest_command(name: &str) -> Option<&'static str> {
    Command::ALL
        .iter()
        .map(|c| (edit_distance(name, c.name()), c.name()))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    fn event(code: KeyCode, mods: KeyModifiers) -> Key {
        Key::from_event(&KeyEvent::new(code, mods))
    }

    #[test]
    fn the_defaults_are_consistent_and_every_command_has_one_row() {
        let map = Keymap::with_overrides(&BTreeMap::new()).unwrap();
        for command in Command::ALL {
            let rows = map.rows().iter().filter(|r| r.command == *command).count();
            assert_eq!(rows, 1, "{}", command.name());
            assert!(!map.keys(*command).is_empty(), "{}", command.name());
            for key in map.keys(*command) {
                let row = map.rows().iter().find(|r| r.command == *command).unwrap();
                check_fits(row.context, key).unwrap();
                assert_eq!(Key::parse(&key.to_string()).as_ref(), Ok(key), "{key}");
            }
        }
    }

    /// The help screen and the hints say what each command does in both languages: a
    /// command drawn on its own line has a description, written differently in Chinese
    /// (so not the English fallback) and found in the catalogue (not the bare id).
    #[test]
    fn every_command_has_a_description_in_both_languages() {
        use crate::i18n::{Lang, scoped};
        let map = Keymap::default();
        for row in map.rows() {
            let [en, zh] = Lang::ALL.map(|lang| scoped(lang, || row.command.description()));
            assert_eq!(en.is_none(), row.joined, "{}", row.command.name());
            let (Some(en), Some(zh)) = (en, zh) else {
                continue;
            };
            assert!(!en.starts_with("help-"), "{}: {en}", row.command.name());
            assert_ne!(en, zh, "{} is not translated", row.command.name());
        }
        // The first row of every context is drawn on its own line.
        for context in Context::ALL {
            let first = map.rows().iter().find(|r| r.context == context).unwrap();
            assert!(!first.joined, "{context:?}");
        }
        let hints = [HINTS_BOX, HINTS_RECENT, HINTS_WATCHLIST, HINTS_COMPARE];
        for (commands, label) in hints.iter().flat_map(|h| h.iter()) {
            let [en, zh] = Lang::ALL.map(|lang| scoped(lang, label));
            assert!(!en.starts_with("ui-"), "{commands:?}: {en}");
            assert_ne!(en, zh, "{commands:?}: hint not translated");
        }
    }

    #[test]
    fn readme_lists_every_command_name() {
        let readme = include_str!("../README.md");
        for command in Command::ALL {
            let name = format!("`{}`", command.name());
            assert!(readme.contains(&name), "README lacks {name}");
        }
    }

    #[test]
    fn modifiers_make_a_different_key() {
        let map = Keymap::default();
        let r = event(KeyCode::Char('r'), KeyModifiers::NONE);
        assert_eq!(map.command(Scope::Lists, r), Some(Command::Refetch));
        for mods in [
            KeyModifiers::CONTROL,
            KeyModifiers::ALT,
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
            KeyModifiers::SUPER,
        ] {
            let key = event(KeyCode::Char('r'), mods);
            assert_ne!(
                map.command(Scope::Lists, key),
                Some(Command::Refetch),
                "{mods:?}"
            );
        }
        let shifted = event(KeyCode::Char('R'), KeyModifiers::SHIFT);
        assert_eq!(
            map.command(Scope::Lists, shifted),
            Some(Command::RefreshAll)
        );
        let ctrl_shift = event(
            KeyCode::Char('R'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(map.command(Scope::Lists, ctrl_shift), None);
        let ctrl_c_upper = event(KeyCode::Char('C'), KeyModifiers::CONTROL);
        assert_eq!(
            map.command(Scope::Box, ctrl_c_upper),
            Some(Command::QuitNow)
        );
    }

    #[test]
    fn keys_parse_as_written_in_the_config() {
        for (text, code, mods) in [
            ("f", KeyCode::Char('f'), KeyModifiers::NONE),
            ("F", KeyCode::Char('F'), KeyModifiers::NONE),
            ("Shift-f", KeyCode::Char('F'), KeyModifiers::NONE),
            ("Ctrl-R", KeyCode::Char('r'), KeyModifiers::CONTROL),
            ("ctrl+r", KeyCode::Char('r'), KeyModifiers::CONTROL),
            ("Alt-x", KeyCode::Char('x'), KeyModifiers::ALT),
            ("F5", KeyCode::F(5), KeyModifiers::NONE),
            ("Shift-Tab", KeyCode::BackTab, KeyModifiers::NONE),
            ("pgdn", KeyCode::PageDown, KeyModifiers::NONE),
            ("↑", KeyCode::Up, KeyModifiers::NONE),
            ("Space", KeyCode::Char(' '), KeyModifiers::NONE),
            ("-", KeyCode::Char('-'), KeyModifiers::NONE),
        ] {
            assert_eq!(Key::parse(text), Ok(Key { code, mods }), "{text}");
        }
        for text in [
            "Ctrl-R",
            "Ctrl-Shift-R",
            "Alt-x",
            "Alt-X",
            "Shift-Tab",
            "F5",
            "PgDn",
        ] {
            let key = Key::parse(text).unwrap();
            assert_eq!(Key::parse(&key.to_string()), Ok(key), "{text} → {key}");
        }
        for junk in ["", "ff", "Ctrl-", "F13", "Hyper-x"] {
            assert!(Key::parse(junk).is_err(), "{junk}");
        }
    }

    #[test]
    fn a_remap_replaces_the_commands_keys_and_frees_the_old_ones() {
        let map = Keymap::with_overrides(&overrides(&[("refetch", &["f"])])).unwrap();
        let key = |c| event(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(map.command(Scope::Lists, key('f')), Some(Command::Refetch));
        assert_eq!(map.command(Scope::Lists, key('r')), None);
        // Two commands may swap keys.
        let swapped = overrides(&[("refetch", &["o"]), ("open", &["r"])]);
        let map = Keymap::with_overrides(&swapped).unwrap();
        assert_eq!(map.command(Scope::Lists, key('o')), Some(Command::Refetch));
        assert_eq!(map.command(Scope::Lists, key('r')), Some(Command::Open));
    }

    #[test]
    fn conflicts_and_unknown_names_are_errors_naming_both() {
        let err = Keymap::with_overrides(&overrides(&[("refetch", &["o"])])).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("refetch") && msg.contains("open") && msg.contains('o'),
            "{msg}"
        );
        // A key anywhere conflicts with the same key in a list.
        let err = Keymap::with_overrides(&overrides(&[("add", &["Ctrl-C"])])).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("quit_now") && msg.contains("add"), "{msg}");
        assert_eq!(err.command_names(), ["add", "quit_now"]);

        let err = Keymap::with_overrides(&overrides(&[("refech", &["f"])])).unwrap_err();
        assert!(err.to_string().contains("did you mean refetch?"), "{err}");
        let zh = crate::i18n::scoped(crate::i18n::Lang::Zh, || err.to_string());
        assert!(zh.contains("是不是 refetch？"), "{zh}");
        assert_eq!(err.command_names(), ["refech"]);

        // Same key in the box and in a list is fine: they never both apply.
        Keymap::with_overrides(&overrides(&[("leave_box", &["Esc", "Ctrl-G"])])).unwrap();
        for (name, key) in [("clear_box", "x"), ("refetch", "7"), ("refetch", "Ctrl-")] {
            let err = Keymap::with_overrides(&overrides(&[(name, &[key])])).unwrap_err();
            assert!(
                matches!(err, KeymapError::BadKey { .. }),
                "{name} = {key}: {err}"
            );
        }
    }
}
