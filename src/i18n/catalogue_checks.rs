//! The catalogues agree with each other and with the code: every id in both languages with
//! the same variables, every literal `t!` id in src/ present, every message formattable.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_bundle::{FluentArgs, FluentValue};
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::{BUNDLES, areas};
use crate::i18n::Lang;

/// Message (and term) id → the variables it uses, over all areas of one language.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut all = BTreeMap::new();
    for (file, text) in areas(lang) {
        let resource = fluent_syntax::parser::parse(*text)
            .unwrap_or_else(|(_, e)| panic!("{}/{file}: {e:?}", lang.code()));
        for entry in resource.body {
            let (id, patterns) = match &entry {
                Entry::Message(m) => (
                    m.id.name.to_owned(),
                    m.value
                        .iter()
                        .chain(m.attributes.iter().map(|a| &a.value))
                        .collect(),
                ),
                Entry::Term(t) => (format!("-{}", t.id.name), vec![&t.value]),
                Entry::Junk { content } => panic!("{}/{file}: junk {content:?}", lang.code()),
                _ => continue,
            };
            let mut vars = BTreeSet::new();
            patterns
                .into_iter()
                .for_each(|p| pattern_vars(p, &mut vars));
            let clash = all.insert(id.clone(), vars);
            assert!(clash.is_none(), "{}: {id} is defined twice", lang.code());
        }
    }
    all
}

fn pattern_vars(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            variants.iter().for_each(|v| pattern_vars(&v.value, vars));
        }
        Expression::Inline(inline) => inline_vars(inline, vars),
    }
}

fn inline_vars(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            let named = arguments.named.iter().map(|n| &n.value);
            arguments
                .positional
                .iter()
                .chain(named)
                .for_each(|a| inline_vars(a, vars));
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        InlineExpression::StringLiteral { .. }
        | InlineExpression::NumberLiteral { .. }
        | InlineExpression::MessageReference { .. }
        | InlineExpression::TermReference { .. } => {}
    }
}

#[test]
fn both_languages_have_the_same_messages_with_the_same_variables() {
    let en = messages(Lang::En);
    let zh = messages(Lang::Zh);
    let only = |a: &BTreeMap<_, _>, b: &BTreeMap<_, _>| -> Vec<String> {
        a.keys().filter(|k| !b.contains_key(*k)).cloned().collect()
    };
    assert_eq!(only(&en, &zh), Vec::<String>::new(), "in en only");
    assert_eq!(only(&zh, &en), Vec::<String>::new(), "in zh only");
    for (id, vars) in &en {
        assert_eq!(vars, &zh[id], "variables of {id}: en vs zh");
    }
}

/// Every `t!("id"…)` in src/ (comments aside), as `(file, id)`.
fn literal_ids() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![src];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let name = path.display().to_string();
                found.extend(ids_in(&text).into_iter().map(|id| (name.clone(), id)));
            }
        }
    }
    found
}

/// `t!(`, spelt so that this file's own scan does not take it for a call.
fn needle() -> String {
    ['t', '!', '('].iter().collect()
}

/// The ids of the `t!` calls in one source text. The id is the first token after `t!(`,
/// possibly on the next line (rustfmt breaks long calls); a call whose first argument is no
/// string literal is reported as such, since no test could check it.
fn ids_in(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    let needle = needle();
    let mut ids = Vec::new();
    for (at, _) in code.match_indices(&needle) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // assert!(, format!(, …
        }
        let rest = code[at + needle.len()..].trim_start();
        let id = rest
            .strip_prefix('"')
            .and_then(|r| r.split_once('"'))
            .map(|(id, _)| id.to_owned());
        ids.push(id.unwrap_or_else(|| format!("<not a literal: {}>", &rest[..rest.len().min(30)])));
    }
    ids
}

#[test]
fn the_scanner_finds_ids_across_lines_and_skips_other_macros() {
    // Written with `T!(` so the scan of this file does not take the sample for real calls.
    let text = "let a = T!(\"one\");\nassert!(x);\nformat!(\"no\");\n// T!(\"commented\")\nlet b = crate::T!(\n    \"two\",\n    n = 1,\n);\nT!(id);\n";
    let ids = ids_in(&text.replace("T!(", &needle()));
    assert_eq!(ids, ["one", "two", "<not a literal: id);\n>"]);
}

#[test]
fn every_literal_id_in_the_code_is_in_both_catalogues() {
    let ids = literal_ids();
    assert!(!ids.is_empty(), "the scan found no t! call at all");
    let en = messages(Lang::En);
    let zh = messages(Lang::Zh);
    let missing: Vec<_> = ids
        .iter()
        .filter(|(_, id)| !en.contains_key(id) || !zh.contains_key(id))
        .collect();
    assert!(
        missing.is_empty(),
        "ids missing from a catalogue: {missing:?}"
    );
}

#[test]
fn every_message_formats_without_errors_with_numbers_or_strings() {
    for lang in Lang::ALL {
        let bundle = &BUNDLES[lang as usize];
        for (id, vars) in messages(lang)
            .into_iter()
            .filter(|(id, _)| !id.starts_with('-'))
        {
            let message = bundle.get_message(&id).expect("parsed, so in the bundle");
            let pattern = message
                .value()
                .unwrap_or_else(|| panic!("{id} has no value"));
            for value in [FluentValue::from(3), FluentValue::from("x")] {
                let mut args = FluentArgs::new();
                vars.iter().for_each(|v| args.set(v.clone(), value.clone()));
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{}: {id}: {errors:?}", lang.code());
                assert!(!text.trim().is_empty(), "{}: {id} is empty", lang.code());
            }
        }
    }
}
