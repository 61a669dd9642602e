//! The command line: global options shared by every command, and the one-shot commands.
//! With no command, the dashboard opens.

use std::path::PathBuf;

use std::ffi::OsString;

use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::item_id::ItemRef;

#[derive(Debug, Parser)]
#[command(
    name = "xingtu-dash",
    version,
    about = "Look up Douyin videos through Just One API's Xingtu item report: a terminal dashboard, a watchlist, and one-shot lookups for scripts.",
    override_usage = "xingtu-dash [OPTIONS] [COMMAND]\n       xingtu-dash [OPTIONS] <ID or LINK>",
    after_help = "Run with no command to open the dashboard; with a video id or link instead of a command, the dashboard opens on that video. `xingtu-dash --demo` opens it on bundled demo data (no token, no network).\nExit status: 0 success, 1 some lookup failed, 2 usage or configuration error, 3 `watch refresh` fired an alert."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The command line, plus the video to open the dashboard on when the user gave an id
    /// or a link where a command goes (`xingtu-dash 7566200471448779514`, having forgotten
    /// `get`). Anything else that is not a command keeps clap's error, with its suggestion.
    pub fn parse_args<I, T>(args: I) -> Result<(Cli, Option<ItemRef>), clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let err = match Cli::try_parse_from(&args) {
            Ok(cli) => return Ok((cli, None)),
            Err(e) if e.kind() == ErrorKind::InvalidSubcommand => e,
            Err(e) => return Err(e),
        };
        let found = args.iter().enumerate().skip(1).find_map(|(i, arg)| {
            let id = ItemRef::parse(arg.to_str()?).ok()?;
            Some((i, id))
        });
        let Some((at, id)) = found else {
            return Err(err);
        };
        let mut rest = args;
        rest.remove(at);
        match Cli::try_parse_from(rest) {
            Ok(cli) if cli.command.is_none() => Ok((cli, Some(id))),
            _ => Err(err),
        }
    }
}

#[derive(Debug, Args, Clone, Default)]
pub struct GlobalOpts {
    /// API token [env: JUSTONEAPI_TOKEN; config: [api] token]
    #[arg(long, global = true, value_name = "TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// API base URL [env: JUSTONEAPI_BASE_URL; config: [api] base_url]
    #[arg(long, global = true, value_name = "URL", conflicts_with = "region")]
    pub base_url: Option<String>,

    /// Use a documented host: global (https://api.justoneapi.com) or cn (mainland China, plain HTTP)
    #[arg(long, global = true, value_enum)]
    pub region: Option<Region>,

    /// Config file [env: XINGTU_DASH_CONFIG; default: config.toml in the platform config dir]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// A team's shared store instead of this machine's history: postgres://user:password@host:port/db[?sslmode=require] [env: XINGTU_DASH_STORE; config: [store] url]
    #[arg(long, global = true, value_name = "URL")]
    pub store: Option<String>,

    /// Seconds to wait for one call (the provider collects on demand; default 60)
    #[arg(long, global = true, value_name = "SECS")]
    pub timeout: Option<f64>,

    /// Answer lookups from bundled demo data: no token, no network
    #[arg(long, global = true)]
    pub demo: bool,

    /// Reject v.douyin.com short links instead of resolving them (one free request each to Douyin's short-link host) [config: [links] resolve = false]
    #[arg(long, global = true)]
    pub no_resolve: bool,

    /// How to write large counts: cn (4527.6万, 1.2亿) or intl (45.3M) [config: [ui] number_style; default: from the locale]
    #[arg(long, global = true, value_name = "STYLE", value_parser = ["cn", "intl"])]
    pub number_style: Option<String>,

    /// Language of the messages and the dashboard: zh or en; JSON output is the same in both [config: [ui] language; default: from LC_ALL, LC_MESSAGES, LANG]
    #[arg(long, global = true, value_name = "LANG", value_parser = ["zh", "en"])]
    pub lang: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Region {
    /// https://api.justoneapi.com
    Global,
    /// http://47.117.133.51:30015 (plain HTTP; recommended inside mainland China)
    Cn,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Look up one or more videos and print their reports
    Get(GetArgs),
    /// Manage and refresh the watchlist kept in the config file
    #[command(subcommand)]
    Watch(WatchCommand),
    /// Every stored snapshot of one video, oldest first (or `history prune`)
    History(HistoryArgs),
    /// The watchlist with its latest metrics and costs, as CSV, JSON or an Excel workbook
    Export(ExportArgs),
    /// The account balance (one call to the provider's balance endpoint)
    Balance {
        /// One JSON object: {"balance": 123.45, "currency": "CNY"}
        #[arg(long)]
        json: bool,
    },
    /// Xingtu's own daily series of one video (one paid call; stored, so asking again is free)
    Trend(TrendArgs),
    /// Pooled totals, CPM and CPE per campaign, or one campaign's videos ranked by CPM (stored figures, no call)
    Campaign(CampaignArgs),
    /// Two to eight videos side by side, the best in each row marked (stored reports younger than the cache window are reused)
    Compare(CompareArgs),
    /// A team's shared store (PostgreSQL): copy this machine's history into it, or see its state
    #[command(subcommand)]
    Store(StoreCommand),
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy this machine's history, response cache, trend days, alert state and learned prices into the shared store (run again, it copies nothing twice)
    Migrate {
        /// The shared store, postgres://user:password@host:port/db [default: --store, XINGTU_DASH_STORE or [store] url]
        #[arg(long, value_name = "URL")]
        to: Option<String>,
    },
    /// Where the store is, its schema version, row counts, the claims held now and any shared halt
    Status {
        /// One JSON object: {"store", "engine", "schema_version", "tables": {name: rows}, "claims": [{"item_id", "holder", "until"}], "halt"}
        #[arg(long)]
        json: bool,
    },
    /// Let calls go out again for every process sharing the store, after a halting code (an empty balance, a bad token) was dealt with
    ClearHalt,
}

#[derive(Debug, Args)]
pub struct CampaignArgs {
    /// A campaign's name (`(none)`: the videos without one); without it, one row per campaign
    #[arg(value_name = "NAME")]
    pub name: Option<String>,

    /// JSON: one object per campaign (with NAME: one object, its videos ranked under `items`)
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,

    /// CSV with a header row, the JSON fields as columns
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two to eight video ids, Douyin links or share text; `-` reads them from standard input
    #[arg(value_name = "ITEM", required = true)]
    pub items: Vec<String>,

    /// JSON Lines: one `get --json` object per video, in the order given
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// Video id or Douyin link
    #[arg(value_name = "ITEM")]
    pub item: String,

    /// JSON Lines, one object per day and metric: {"item_id", "date", "metric", "value"}
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,

    /// CSV with a header row: item_id,date,metric,value
    #[arg(long)]
    pub csv: bool,

    /// Call again even when a trend of the video is stored (1 paid call)
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Video ids, Douyin links (…/video/<id>, v.douyin.com/<code>) or share text; `-` reads them from standard input, one per line
    #[arg(required_unless_present = "from", value_name = "ITEM")]
    pub items: Vec<String>,

    /// Read items from FILE, one per line (blank lines and lines starting with # are skipped); `-` is standard input
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,

    /// JSON Lines: one object per item, in input order
    #[arg(long)]
    pub json: bool,

    /// Calls in flight at once [config: [watch] concurrency; default 4]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: Option<u16>,

    /// Call even when a cached response is younger than the cache window
    #[arg(long)]
    pub force: bool,

    /// Refuse (exit 2, no call made) when the calls needed would cost more than AMOUNT, at the price per call measured so far
    #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
    pub max_cost: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum WatchCommand {
    /// Add videos to the watchlist (no paid call); `-` reads items from standard input
    Add {
        /// Video ids, Douyin links (also v.douyin.com short links) or share text
        #[arg(value_name = "ITEM", required = true)]
        items: Vec<String>,
        /// A name to show instead of the title (the same for every item added)
        #[arg(long, value_name = "TEXT")]
        label: Option<String>,
        /// The campaign the videos belong to
        #[arg(long, value_name = "NAME")]
        campaign: Option<String>,
        /// The fee paid for each video, in CNY (1200, 1200.50, ¥1,200)
        #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
        price: Option<String>,
    },
    /// Add every video listed in a file (one per line, or a CSV/TSV column) to the watchlist (no paid call)
    Import {
        /// A text, CSV or TSV file as Excel and WPS save them; `-` is standard input
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The column holding ids or links: its header, number (1 is the first) or letter [default: found from the contents]
        #[arg(long, value_name = "NAME")]
        column: Option<String>,
        /// The column holding labels: its header, number or letter
        #[arg(long, value_name = "NAME")]
        label_column: Option<String>,
        /// The campaign of every video added
        #[arg(long, value_name = "NAME")]
        campaign: Option<String>,
        /// The fee paid for every video added, in CNY (1200, 1200.50, ¥1,200)
        #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
        price: Option<String>,
    },
    /// Remove a video from the watchlist
    #[command(alias = "rm")]
    Remove {
        #[arg(value_name = "ITEM")]
        item: String,
    },
    /// Set a video's label (an empty TEXT clears it)
    Label {
        #[arg(value_name = "ITEM")]
        item: String,
        #[arg(value_name = "TEXT")]
        text: String,
    },
    /// Set a watched video's label, campaign or price (an empty value removes that key)
    Set {
        #[arg(value_name = "ITEM")]
        item: String,
        /// A name to show instead of the title
        #[arg(long, value_name = "TEXT")]
        label: Option<String>,
        /// The campaign the video belongs to
        #[arg(long, value_name = "NAME")]
        campaign: Option<String>,
        /// The fee paid for the video, in CNY (1200, 1200.50, ¥1,200)
        #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
        price: Option<String>,
    },
    /// Show the watchlist
    #[command(alias = "ls")]
    List {
        /// JSON Lines, one object per watched item
        #[arg(long)]
        json: bool,
        /// Only the videos of this campaign (`(none)`: those without one)
        #[arg(long, value_name = "NAME")]
        campaign: Option<String>,
    },
    /// Look up every watched video (cached ones within the cache window are not called)
    Refresh {
        /// Call even for items fetched within the cache window, and for settled ones ([watch] stop_after_days)
        #[arg(long)]
        force: bool,
        /// JSON Lines in the `get --json` shape
        #[arg(long)]
        json: bool,
        /// Print nothing on success (for cron); failures still print one line to stderr, and fired alerts are printed (exit status 3)
        #[arg(long, short)]
        quiet: bool,
        /// Calls in flight at once [config: [watch] concurrency; default 4]
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
        concurrency: Option<u16>,
        /// Refuse (exit 2, no call made) when the calls needed would cost more than AMOUNT, at the price per call measured so far
        #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
        max_cost: Option<String>,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryArgs {
    /// Video id or Douyin link
    #[arg(value_name = "ITEM")]
    pub item: Option<String>,

    /// JSON Lines, one snapshot per line
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,

    /// CSV with a header row
    #[arg(long)]
    pub csv: bool,

    /// Only snapshots at or after this date (2026-11-20, or RFC 3339 like 2026-11-20T08:00:00Z)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    #[command(subcommand)]
    pub command: Option<HistoryCommand>,
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Delete snapshots older than [history] keep_days (or --keep-days)
    Prune {
        /// Keep this many days instead of the configured value
        #[arg(long, value_name = "DAYS")]
        keep_days: Option<u32>,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format [default: from the --output file's extension (.xlsx, .json), else csv]
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,

    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Only the videos of this campaign
    #[arg(long, value_name = "NAME")]
    pub campaign: Option<String>,

    /// CSV without the UTF-8 byte order mark (Excel and WPS need it for Chinese text)
    #[arg(long)]
    pub no_bom: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// UTF-8 CSV that Excel, WPS and LibreOffice open without damage
    Csv,
    /// An array of objects with the raw values
    Json,
    /// An Excel workbook: a summary sheet and one sheet per campaign
    Xlsx,
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "7566200471448779514";

    #[test]
    fn an_id_or_a_link_instead_of_a_command_opens_the_dashboard_on_it() {
        for args in [
            vec!["xingtu-dash", ID],
            vec!["xingtu-dash", "--demo", ID],
            vec!["xingtu-dash", ID, "--timeout", "5"],
            vec![
                "xingtu-dash",
                "https://www.douyin.com/video/7566200471448779514",
            ],
            vec![
                "xingtu-dash",
                "7.94 复制打开抖音，看看 https://www.douyin.com/video/7566200471448779514 复制此链接",
            ],
        ] {
            let (cli, item) = Cli::parse_args(&args).unwrap();
            assert!(cli.command.is_none(), "{args:?}");
            assert_eq!(item.map(|i| i.to_string()).as_deref(), Some(ID), "{args:?}");
        }
        // A short link (share text) opens the dashboard too, to be resolved there.
        let (_, item) = Cli::parse_args(["xingtu-dash", "v.douyin.com/iRNBho6u"]).unwrap();
        assert!(matches!(item, Some(ItemRef::Short(_))));
        let (cli, _) = Cli::parse_args(["xingtu-dash", "--demo", ID]).unwrap();
        assert!(cli.global.demo);
        let (cli, item) = Cli::parse_args(["xingtu-dash", "get", ID]).unwrap();
        assert!(matches!(cli.command, Some(Command::Get(_))) && item.is_none());
        let (cli, item) = Cli::parse_args(["xingtu-dash"]).unwrap();
        assert!(cli.command.is_none() && item.is_none());
    }

    #[test]
    fn junk_where_a_command_goes_keeps_clap_s_error() {
        for args in [
            vec!["xingtu-dash", "gett", ID],
            vec!["xingtu-dash", "hello"],
            vec!["xingtu-dash", "12345"],
            vec!["xingtu-dash", ID, ID],
            vec!["xingtu-dash", ID, "get"],
        ] {
            let err = Cli::parse_args(&args).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidSubcommand, "{args:?}");
        }
        let err = Cli::parse_args(["xingtu-dash", "gett", ID]).unwrap_err();
        assert!(err.to_string().contains("'get'"), "{err}");
    }
}
