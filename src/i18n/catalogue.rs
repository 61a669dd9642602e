//! The Fluent catalogues, one file per area and language, built into the binary and parsed
//! once into a bundle per language.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use super::Lang;

/// One area's catalogue: its file name and its text.
pub(crate) type Area = (&'static str, &'static str);

/// Every area file of one language. A new area is a new line here, and a new file in both
/// `assets/i18n/en` and `assets/i18n/zh`; the tests check the two stay alike.
macro_rules! areas {
    ($lang:literal) => {
        [
            area!($lang, "account.ftl"),
            area!($lang, "cli.ftl"),
            area!($lang, "errors.ftl"),
            area!($lang, "export.ftl"),
            area!($lang, "format.ftl"),
            area!($lang, "help.ftl"),
            area!($lang, "items.ftl"),
            area!($lang, "settings.ftl"),
            area!($lang, "ui.ftl"),
        ]
    };
}

macro_rules! area {
    ($lang:literal, $file:literal) => {
        (
            $file,
            include_str!(concat!("../../assets/i18n/", $lang, "/", $file)),
        )
    };
}

const EN: &[Area] = &areas!("en");
const ZH: &[Area] = &areas!("zh");

pub(crate) fn areas(lang: Lang) -> &'static [Area] {
    match lang {
        Lang::En => EN,
        Lang::Zh => ZH,
    }
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 2]> =
    LazyLock::new(|| Lang::ALL.map(bundle));

/// The catalogues are part of the program: one that does not parse is a bug the tests catch,
/// so it may stop the program here.
fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let tag = lang.code().parse().expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Isolation marks (U+2068/U+2069) around placeables would count as text in terminal
    // widths and show as boxes in some terminals.
    bundle.set_use_isolating(false);
    for (file, text) in areas(lang) {
        let resource = FluentResource::try_new((*text).to_owned())
            .unwrap_or_else(|(_, e)| panic!("{}/{file} does not parse: {e:?}", lang.code()));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|e| panic!("{}/{file}: {e:?}", lang.code()));
    }
    bundle
}

/// The message `id` in the current language, with `args` filled in. Used through
/// [`t!`](crate::t). A missing id (which the tests rule out for every literal id) falls back
/// to English, then to the id itself, so a mistake shows as a readable key, not a crash.
pub fn message(id: &str, args: Option<&FluentArgs>) -> String {
    lookup(id, args).unwrap_or_else(|| id.to_owned())
}

/// The message `id` (made at run time, such as `error-code-601`) in the current language,
/// else in English; `None` when neither catalogue has it.
pub fn lookup(id: &str, args: Option<&FluentArgs>) -> Option<String> {
    format_in(super::current(), id, args).or_else(|| format_in(Lang::En, id, args))
}

/// The message `id` in `lang` only.
pub fn format_in(lang: Lang, id: &str, args: Option<&FluentArgs>) -> Option<String> {
    let bundle = &BUNDLES[lang as usize];
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            id,
            lang = lang.code(),
            ?errors,
            "message formatted with errors"
        );
    }
    Some(text.into_owned())
}

#[cfg(test)]
#[path = "catalogue_checks.rs"]
mod checks;
