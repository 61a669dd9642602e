//! The language every person-facing string is written in: English or Simplified Chinese,
//! chosen once at startup (`--lang`, then `[ui] language`, then the locale), with a
//! per-thread override so tests in both languages can run side by side in one process.
//!
//! Strings come from the Fluent catalogues in `assets/i18n/<lang>/<area>.ftl` through
//! [`t!`](crate::t). JSON, config keys, command names and log lines never go through here:
//! scripts must not care which language a person reads.

mod catalogue;

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};

pub use catalogue::{format_in, lookup, message};
#[doc(hidden)]
pub use fluent_bundle::FluentArgs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// A `--lang` or `[ui] language` value that names no language we speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {value:?} is not a language: use \"zh\" or \"en\"")]
pub struct UnknownLang {
    pub what: &'static str,
    pub value: String,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// `zh` or `en` as written in `--lang` and `[ui] language` (any case).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The flag, then the config, then the first non-empty of LC_ALL, LC_MESSAGES and LANG
    /// (POSIX skips empty ones); a `zh` locale (`zh_CN.UTF-8`, `zh-TW`, `zh`) means Chinese,
    /// anything else English. A flag or config value we cannot read is an error rather than
    /// a silent fallback: the user asked for something specific.
    pub fn choose(
        flag: Option<&str>,
        config: Option<&str>,
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Result<Lang, UnknownLang> {
        let named = [("--lang", flag), ("[ui] language", config)];
        if let Some((what, value)) = named.iter().find_map(|(w, v)| v.map(|v| (*w, v))) {
            return Lang::parse(value).ok_or_else(|| UnknownLang {
                what,
                value: value.to_owned(),
            });
        }
        let locale = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty());
        Ok(match locale {
            Some(l) if is_chinese_locale(l) => Lang::Zh,
            _ => Lang::En,
        })
    }
}

fn is_chinese_locale(locale: &str) -> bool {
    let lower = locale.to_ascii_lowercase();
    lower
        .strip_prefix("zh")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['_', '-', '.', '@']))
}

/// The process-wide language, as `Lang as u8`.
static CHOSEN: AtomicU8 = AtomicU8::new(Lang::En as u8);

thread_local! {
    static OVERRIDE: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Sets the language for the whole process; called once, at startup.
pub fn set(lang: Lang) {
    CHOSEN.store(lang as u8, Ordering::Relaxed);
}

/// The language strings are written in on this thread.
pub fn current() -> Lang {
    OVERRIDE.with(Cell::get).unwrap_or_else(|| {
        if CHOSEN.load(Ordering::Relaxed) == Lang::Zh as u8 {
            Lang::Zh
        } else {
            Lang::En
        }
    })
}

/// Runs `f` with this thread's strings in `lang`, whatever the process chose; the previous
/// choice comes back afterwards, even if `f` panics. For tests: screens in both languages
/// render in parallel in one process.
pub fn scoped<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.with(|o| o.set(self.0));
        }
    }
    let _restore = Restore(OVERRIDE.with(|o| o.replace(Some(lang))));
    f()
}

/// A message from the catalogue, in the current language, as a `String`.
///
/// `t!("cli-get-title")`, or with arguments `t!("cli-items", count = n, name = &title)`.
/// Numbers are passed as Fluent numbers, so `{ $count -> [one] … *[other] … }` picks the
/// English plural; a count already written for people (`1.2万`) is passed as a string.
/// Every id written as a literal here is checked against both catalogues by a test.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::message($id, None)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::FluentArgs::new();
        $(args.set(stringify!($name), $value);)+
        $crate::i18n::message($id, Some(&args))
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choose_follows_flag_then_config_then_locale() {
        let zh = Some("zh_CN.UTF-8");
        let c = Some("C");
        assert_eq!(
            Lang::choose(Some("en"), Some("zh"), zh, zh, zh),
            Ok(Lang::En)
        );
        assert_eq!(Lang::choose(Some("zh"), Some("en"), c, c, c), Ok(Lang::Zh));
        assert_eq!(Lang::choose(None, Some("zh"), c, c, c), Ok(Lang::Zh));
        assert_eq!(Lang::choose(None, Some("EN"), zh, zh, zh), Ok(Lang::En));
        // LC_ALL outranks LC_MESSAGES, which outranks LANG.
        assert_eq!(Lang::choose(None, None, c, zh, zh), Ok(Lang::En));
        assert_eq!(Lang::choose(None, None, zh, c, c), Ok(Lang::Zh));
        assert_eq!(Lang::choose(None, None, None, zh, c), Ok(Lang::Zh));
        assert_eq!(Lang::choose(None, None, None, c, zh), Ok(Lang::En));
        assert_eq!(Lang::choose(None, None, None, None, zh), Ok(Lang::Zh));
        // Empty variables are skipped, as POSIX does.
        assert_eq!(
            Lang::choose(None, None, Some(""), Some(""), zh),
            Ok(Lang::Zh)
        );
        assert_eq!(Lang::choose(None, None, None, None, None), Ok(Lang::En));
    }

    #[test]
    fn chinese_locales_are_recognised_by_their_language_part() {
        for l in [
            "zh_CN.UTF-8",
            "zh_TW",
            "zh-Hans",
            "zh",
            "ZH_cn.gb18030",
            "zh@pinyin",
        ] {
            assert_eq!(
                Lang::choose(None, None, Some(l), None, None),
                Ok(Lang::Zh),
                "{l}"
            );
        }
        for l in ["C", "C.UTF-8", "POSIX", "en_US.UTF-8", "ja_JP.UTF-8", "zhx"] {
            assert_eq!(
                Lang::choose(None, None, Some(l), None, None),
                Ok(Lang::En),
                "{l}"
            );
        }
    }

    #[test]
    fn unknown_flag_or_config_values_are_errors_naming_their_source() {
        let err = Lang::choose(Some("fr"), None, None, None, None).unwrap_err();
        assert_eq!(err.what, "--lang");
        assert_eq!(err.value, "fr");
        let err = Lang::choose(None, Some("zh_CN"), None, None, None).unwrap_err();
        assert_eq!(err.what, "[ui] language");
        assert_eq!(
            err.to_string(),
            "[ui] language \"zh_CN\" is not a language: use \"zh\" or \"en\""
        );
    }

    #[test]
    fn t_writes_the_scoped_language_with_plurals_and_no_isolation_marks() {
        let added = |lang, n: usize| {
            scoped(lang, || {
                crate::t!("cli-watch-added-summary", count = n, file = "w.toml")
            })
        };
        assert!(added(Lang::En, 1).starts_with("1 video added in w.toml ("));
        assert!(added(Lang::En, 2).starts_with("2 videos added in w.toml ("));
        assert!(added(Lang::Zh, 2).starts_with("已在 w.toml 中添加 2 个视频"));
        assert!(!added(Lang::Zh, 1).contains(['\u{2068}', '\u{2069}']));
        let error = scoped(Lang::Zh, || crate::t!("cli-error", message = "x"));
        assert_eq!(error, "错误：x");
    }

    #[test]
    fn an_unknown_id_reads_as_itself() {
        assert_eq!(message("no-such-message", None), "no-such-message");
    }

    #[test]
    fn scoped_overrides_this_thread_only_and_restores() {
        scoped(Lang::Zh, || {
            assert_eq!(current(), Lang::Zh);
            scoped(Lang::En, || assert_eq!(current(), Lang::En));
            assert_eq!(current(), Lang::Zh);
            let other = std::thread::spawn(current).join().unwrap();
            assert_eq!(other, Lang::En, "another thread sees the process's choice");
        });
        let after_panic = std::panic::catch_unwind(|| scoped(Lang::Zh, || panic!("boom")));
        assert!(after_panic.is_err());
        assert_eq!(current(), Lang::En);
    }
}
