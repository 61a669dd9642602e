//! Items as the commands receive them: arguments, lines of a file or of standard input, each
//! an id, a link or share text; short links among them resolved (free) before any paid call.

use std::io::{IsTerminal, Read};
use std::path::Path;

use super::{EXIT_FAILED, EXIT_USAGE};
use crate::item_id::{ItemId, ItemRef};
use crate::item_list;
use crate::shortlink::Resolver;
use crate::t;

/// One item as given, with where it came from for messages ("item 2 of 3", "list.txt:4").
#[derive(Debug, Clone)]
pub struct Given {
    pub origin: Option<String>,
    pub text: String,
}

/// Why a batch of items cannot be used: every reason, and the exit status.
pub struct Rejected {
    pub messages: Vec<String>,
    pub code: u8,
    /// Some items were read but could not be used: the caller says what it did not do.
    pub items_refused: bool,
}

impl Rejected {
    fn usage(message: String) -> Rejected {
        Rejected {
            messages: vec![message],
            code: EXIT_USAGE,
            items_refused: false,
        }
    }

    /// Prints every reason as an error, then `not_done` ("nothing was added") when items
    /// were refused; the exit status.
    pub fn report(self, not_done: &str) -> std::process::ExitCode {
        self.messages.iter().for_each(super::error);
        if self.items_refused {
            super::error(not_done);
        }
        super::exit(self.code)
    }
}

/// The arguments in order, with `-` standing for the lines of standard input, then the lines
/// of `from` (a file, or `-`).
fn gather(args: &[String], from: Option<&Path>) -> Result<Vec<Given>, Rejected> {
    let mut given = Vec::new();
    let mut stdin_read = false;
    let mut read_stdin = |given: &mut Vec<Given>| -> Result<(), Rejected> {
        if std::mem::replace(&mut stdin_read, true) {
            return Ok(());
        }
        given.extend(lines_of("stdin", &read_stdin_bytes()?));
        Ok(())
    };
    let several = args.len() > 1;
    for (n, arg) in args.iter().enumerate() {
        if arg == "-" {
            read_stdin(&mut given)?;
        } else {
            given.push(Given {
                origin: several.then(|| t!("cli-items-nth", n = n + 1, total = args.len())),
                text: arg.clone(),
            });
        }
    }
    match from {
        Some(path) if path.as_os_str() == "-" => read_stdin(&mut given)?,
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| Rejected::usage(cannot_read(&path.display().to_string(), &e)))?;
            if let Some(kind) = item_list::binary_spreadsheet(&bytes) {
                let file = path.display().to_string();
                return Err(Rejected::usage(t!(
                    "cli-items-spreadsheet",
                    file = file,
                    kind = kind
                )));
            }
            given.extend(lines_of(&path.display().to_string(), &bytes));
        }
        None => {}
    }
    if given.is_empty() {
        return Err(Rejected::usage(t!("cli-items-none")));
    }
    Ok(given)
}

/// Standard input, all of it. A terminal gets a hint, since reading waits for Ctrl-D.
pub fn read_stdin_bytes() -> Result<Vec<u8>, Rejected> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        crate::errln!("{}", t!("cli-items-stdin-prompt"));
    }
    let mut bytes = Vec::new();
    stdin
        .read_to_end(&mut bytes)
        .map_err(|e| Rejected::usage(cannot_read(&t!("cli-items-stdin"), &e)))?;
    Ok(bytes)
}

/// "cannot read FILE: why", for a file or standard input.
pub fn cannot_read(what: &str, e: &std::io::Error) -> String {
    t!("cli-cannot-read", file = what, error = e.to_string())
}

fn lines_of(name: &str, bytes: &[u8]) -> Vec<Given> {
    item_list::plain_lines(&item_list::decode(bytes).text)
        .into_iter()
        .map(|row| Given {
            origin: Some(format!("{name}:{}", row.line)),
            text: row.item,
        })
        .collect()
}

fn with_origin(origin: Option<&str>, message: impl std::fmt::Display) -> String {
    match origin {
        Some(o) => format!("{o}: {message}"),
        None => message.to_string(),
    }
}

/// Every item as an id, or every reason some are not: nothing is looked up unless all are
/// good. Short links are resolved (free, at most four at once); a link that is itself bad
/// makes it a usage error, a network failure a plain failure.
async fn to_ids(resolver: &Resolver, given: &[Given]) -> Result<Vec<ItemId>, Rejected> {
    let mut refs = Vec::with_capacity(given.len());
    let mut messages = Vec::new();
    for g in given {
        match ItemRef::parse(&g.text) {
            Ok(r) => refs.push(r),
            Err(e) => messages.push(with_origin(g.origin.as_deref(), e)),
        }
    }
    if !messages.is_empty() {
        return Err(Rejected {
            messages,
            code: EXIT_USAGE,
            items_refused: true,
        });
    }
    let mut ids = Vec::with_capacity(refs.len());
    let mut code = EXIT_FAILED;
    for (g, result) in given.iter().zip(resolver.resolve_all(&refs).await) {
        match result {
            Ok(id) => ids.push(id),
            Err(e) => {
                if e.is_bad_input() {
                    code = EXIT_USAGE;
                }
                messages.push(with_origin(g.origin.as_deref(), e));
            }
        }
    }
    if messages.is_empty() {
        Ok(ids)
    } else {
        Err(Rejected {
            messages,
            code,
            items_refused: true,
        })
    }
}

/// The items of a command line (and `from`, or `-` for standard input) as ids, short links
/// resolved; the resolver's warnings are printed, the rejections handed back for the caller
/// to word.
pub async fn ids(
    settings: &crate::settings::Settings,
    args: &[String],
    from: Option<&Path>,
) -> Result<Vec<ItemId>, Rejected> {
    let resolver = crate::session::resolver(settings);
    let prepared = match gather(args, from) {
        Ok(given) => to_ids(&resolver, &given).await,
        Err(rejected) => Err(rejected),
    };
    resolver.take_warnings().iter().for_each(super::warning);
    prepared
}

/// One item as an id (a short link resolved), or the exit status after saying why not.
pub async fn one_id(settings: &crate::settings::Settings, item: &str) -> Result<ItemId, u8> {
    let resolver = crate::session::resolver(settings);
    let result = match ItemRef::parse(item) {
        Ok(r) => resolver.resolve(&r).await.map_err(|e| {
            let code = if e.is_bad_input() {
                EXIT_USAGE
            } else {
                EXIT_FAILED
            };
            (e.to_string(), code)
        }),
        Err(e) => Err((e.to_string(), EXIT_USAGE)),
    };
    resolver.take_warnings().iter().for_each(super::warning);
    result.map_err(|(message, code)| {
        super::error(message);
        code
    })
}
