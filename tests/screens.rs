//! Snapshots of the dashboard's screens on TestBackend, with the bundled demo data, at
//! 80x24 and 160x48, in both number styles. Review changes with `cargo insta review`.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use xingtu_dash::api::demo::{self, DemoData};
use xingtu_dash::app::state::{Focus, Overlay};
use xingtu_dash::app::{Action, App, update};
use xingtu_dash::fetcher::Fetched;
use xingtu_dash::format::NumberStyle;
use xingtu_dash::i18n::{self, Lang};
use xingtu_dash::item_id::ItemId;
use xingtu_dash::report::Report;
use xingtu_dash::store::config::WatchEntry;
use xingtu_dash::ui::theme::Theme;

fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
}

fn fetched(id: &str, minutes_ago: i64) -> Fetched {
    let data = DemoData::bundled()
        .fetch(&ItemId::parse(id).unwrap())
        .unwrap();
    Fetched {
        report: Arc::new(Report::from_data(id, &data)),
        data: Arc::new(data),
        fetched_at: fixed_now() - chrono::Duration::minutes(minutes_ago),
        from_cache: false,
    }
}

/// The dashboard as the demo opens it, everything fetched.
fn demo_app(style: NumberStyle, w: u16, h: u16) -> App {
    let now = fixed_now();
    let mut app = App::new(now, style);
    // Dates on screen are in local time; pin the zone so snapshots match on every machine.
    app.zone = xingtu_dash::format::Zone::utc();
    app.demo = true;
    app.color = false;
    let ids = DemoData::bundled().ids();
    let entries: Vec<WatchEntry> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| WatchEntry {
            label: (i == 0).then(|| "理想L6 launch 🚗".to_owned()),
            added_at: Some(now - chrono::Duration::days(i as i64 + 1)),
            ..WatchEntry::new(ItemId::parse(id).unwrap())
        })
        .collect();
    update(&mut app, Action::Resize(w, h));
    update(
        &mut app,
        Action::WatchlistLoaded {
            entries,
            read_only: None,
        },
    );
    // Looked up this session, so the recent list (and the panes) hold their full reports.
    let example = ItemId::parse(demo::EXAMPLE_ID).unwrap();
    app.recent = ids.iter().map(|i| ItemId::parse(i).unwrap()).collect();
    app.shown = Some(example.clone());
    for (i, id) in ids.iter().enumerate() {
        let id = ItemId::parse(id).unwrap();
        update(
            &mut app,
            Action::Fetched {
                id: id.clone(),
                result: Ok(fetched(id.as_str(), 3 + i as i64 * 20)),
                calls_made: i as u64 + 1,
            },
        );
    }
    app.history = xingtu_dash::app::demo_history::history_view(&ids, Some(&example), now);
    app.status = None;
    app.focus = Focus::Watchlist;
    app
}

fn draw(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| xingtu_dash::ui::render(app, f)).unwrap();
    format!("{}", terminal.backend())
}

#[test]
fn demo_80x24_cn() {
    let app = demo_app(NumberStyle::Cn, 80, 24);
    insta::assert_snapshot!(draw(&app, 80, 24));
}

#[test]
fn demo_80x24_intl() {
    let app = demo_app(NumberStyle::Intl, 80, 24);
    insta::assert_snapshot!(draw(&app, 80, 24));
}

#[test]
fn demo_160x48_cn() {
    let app = demo_app(NumberStyle::Cn, 160, 48);
    insta::assert_snapshot!(draw(&app, 160, 48));
}

#[test]
fn demo_160x48_intl() {
    let app = demo_app(NumberStyle::Intl, 160, 48);
    insta::assert_snapshot!(draw(&app, 160, 48));
}

#[test]
fn help_overlay_80x24() {
    insta::assert_snapshot!(draw(&help_app(80, 24), 80, 24));
}

fn help_app(w: u16, h: u16) -> App {
    let mut app = demo_app(NumberStyle::Cn, w, h);
    app.overlay = Some(Overlay::Help);
    app
}

/// The demo after code 601 on an item looked up: the halt banner, the error in the video
/// pane and on the status line.
fn halted_app(w: u16, h: u16) -> App {
    let mut app = demo_app(NumberStyle::Cn, w, h);
    let err = xingtu_dash::api::ApiError::Business {
        code: 601,
        message: Some("Insufficient Balance".into()),
        http_status: 200,
        retry_after: None,
    };
    let id = ItemId::parse("7566200471448779999").unwrap();
    update(
        &mut app,
        Action::Fetched {
            id: id.clone(),
            result: Err(err),
            calls_made: 6,
        },
    );
    app.shown = Some(id);
    app
}

#[test]
fn halted_banner_and_error_80x24() {
    let app = halted_app(80, 24);
    insta::assert_snapshot!(draw(&app, 80, 24));
}

#[test]
fn too_small_says_so() {
    let app = demo_app(NumberStyle::Cn, 50, 12);
    let screen = draw(&app, 50, 12);
    assert!(screen.contains("terminal too small"), "{screen}");
}

#[test]
fn empty_start_80x24() {
    let mut app = App::new(fixed_now(), NumberStyle::Intl);
    app.zone = xingtu_dash::format::Zone::utc();
    app.color = false;
    update(&mut app, Action::Resize(80, 24));
    insta::assert_snapshot!(draw(&app, 80, 24));
}

/// Each pane alone, at a size of its own, so a change to one pane shows up in its own
/// snapshot.
fn draw_pane(
    app: &App,
    w: u16,
    h: u16,
    pane: fn(&App, &mut ratatui::Frame, ratatui::layout::Rect, &Theme),
) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let theme = Theme::new(false);
    terminal.draw(|f| pane(app, f, f.area(), &theme)).unwrap();
    format!("{}", terminal.backend())
}

#[test]
fn each_pane_alone() {
    use xingtu_dash::ui::{charts, details, input, lists, trend};
    let mut app = demo_app(NumberStyle::Cn, 160, 48);
    app.input = xingtu_dash::app::input::LineInput::with_text(
        "看看 https://www.douyin.com/video/7566200471448779514 复制此链接",
    );
    app.focus = Focus::Input;
    insta::assert_snapshot!("pane_input", draw_pane(&app, 70, 3, input::render));
    app.focus = Focus::Watchlist;
    insta::assert_snapshot!(
        "pane_creator",
        draw_pane(&app, 60, 8, details::render_creator)
    );
    insta::assert_snapshot!("pane_video", draw_pane(&app, 60, 10, details::render_video));
    insta::assert_snapshot!("pane_charts", draw_pane(&app, 60, 9, charts::render));
    insta::assert_snapshot!("pane_trend", draw_pane(&app, 70, 18, trend::render));
    insta::assert_snapshot!(
        "pane_watchlist_wide",
        draw_pane(&app, 120, 9, lists::render_watchlist)
    );
    insta::assert_snapshot!(
        "pane_watchlist_narrow",
        draw_pane(&app, 34, 9, lists::render_watchlist)
    );
    insta::assert_snapshot!("pane_recent", draw_pane(&app, 40, 7, lists::render_recent));
}

#[test]
fn demo_120x40_cn() {
    let app = demo_app(NumberStyle::Cn, 120, 40);
    insta::assert_snapshot!(draw(&app, 120, 40));
}

/// The item whose engagement (3.07%) used to be cut to "3.07" at 80x24.
#[test]
fn big_numbers_80x24_cn() {
    let mut app = demo_app(NumberStyle::Cn, 80, 24);
    app.shown = Some(ItemId::parse("7571234567890123456").unwrap());
    insta::assert_snapshot!(draw(&app, 80, 24));
}

type PaneFn = fn(&App, &mut ratatui::Frame, ratatui::layout::Rect, &Theme);

/// A pane's text as a person reads it: wide characters once, no annotations.
fn pane_text(app: &App, w: u16, h: u16, pane: PaneFn) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let theme = Theme::new(false);
    terminal.draw(|f| pane(app, f, f.area(), &theme)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let symbol = buffer[(x, y)].symbol();
            text.push_str(symbol);
            x += xingtu_dash::format::width(symbol).max(1) as u16;
        }
        text.push('\n');
    }
    text
}

/// Every figure on screen is either whole or absent, at every width from the smallest the
/// dashboard draws to a wide one: a token with a digit in it must be one that the widest
/// layout shows (so "3.07" for 3.07%, or 16 digits of a 19-digit id, fail).
#[test]
fn no_figure_is_ever_cut_at_any_width() {
    use xingtu_dash::ui::{charts, details, lists};
    let panes: [(&str, PaneFn); 5] = [
        ("creator", details::render_creator),
        ("video", details::render_video),
        ("charts", charts::render),
        ("watchlist", lists::render_watchlist),
        ("recent", lists::render_recent),
    ];
    let tokens = |screen: &str| -> Vec<String> {
        screen
            .split(|c: char| c.is_whitespace() || "│┃─━╭╮╰╯┏┓┗┛\"·()".contains(c))
            .filter(|t| t.chars().any(|c| c.is_ascii_digit()) && !t.ends_with('…'))
            .map(str::to_owned)
            .collect()
    };
    for style in [NumberStyle::Cn, NumberStyle::Intl] {
        for shown in DemoData::bundled().ids() {
            let mut app = demo_app(style, 160, 48);
            app.shown = Some(ItemId::parse(&shown).unwrap());
            app.refresh_every = Some(chrono::Duration::hours(1));
            for (name, pane) in panes {
                let wide: Vec<String> = tokens(&pane_text(&app, 400, 12, pane));
                for w in 20..120 {
                    let screen = pane_text(&app, w, 12, pane);
                    for token in tokens(&screen) {
                        assert!(
                            wide.contains(&token),
                            "{name} at width {w} shows {token:?}, which is cut:\n{screen}"
                        );
                    }
                }
            }
            // The demo hint on an empty screen.
            let mut empty = demo_app(style, 160, 48);
            empty.shown = None;
            let wide = tokens(&pane_text(&empty, 400, 6, details::render_video));
            for w in 20..120 {
                let screen = pane_text(&empty, w, 6, details::render_video);
                for token in tokens(&screen) {
                    assert!(wide.contains(&token), "hint at {w}: {token:?}\n{screen}");
                }
            }
        }
    }
}

/// The demo with its campaigns and prices, targets set, and `marked` rows marked.
fn campaign_app(w: u16, h: u16, marked: usize) -> App {
    use xingtu_dash::targets::{Metric, TargetSet, Targets};
    let mut app = demo_app(NumberStyle::Cn, w, h);
    let mut entries = xingtu_dash::app::demo_history::watchlist(Some(fixed_now()));
    entries[0].label = Some("理想L6 launch 🚗".to_owned());
    update(
        &mut app,
        Action::WatchlistLoaded {
            entries,
            read_only: None,
        },
    );
    let mut targets = TargetSet::default();
    targets.set(Metric::LikeRate, Some(0.02));
    targets.set(Metric::Cpm, Some(30.0));
    let mut launch = TargetSet::default();
    launch.set(Metric::Cpm, Some(1.0));
    app.targets = Targets::new(
        targets,
        std::collections::BTreeMap::from([("理想L6 上市".to_owned(), launch)]),
    );
    update(&mut app, key('g'));
    for _ in 0..marked {
        update(&mut app, key(' '));
        update(&mut app, key_code(crossterm::event::KeyCode::Down));
    }
    app.watch.selected = 0;
    app.status = None;
    app
}

fn key(c: char) -> Action {
    key_code(crossterm::event::KeyCode::Char(c))
}

fn key_code(code: crossterm::event::KeyCode) -> Action {
    Action::Key(crossterm::event::KeyEvent::new(
        code,
        crossterm::event::KeyModifiers::NONE,
    ))
}

#[test]
fn tabs_and_marks_80x24() {
    let app = campaign_app(80, 24, 2);
    insta::assert_snapshot!(draw(&app, 80, 24));
}

#[test]
fn tabs_and_marks_160x48() {
    let app = campaign_app(160, 48, 2);
    insta::assert_snapshot!(draw(&app, 160, 48));
}

/// The campaign with an unpriced video: "over 2 of 3 videos".
#[test]
fn campaign_summary_80x24() {
    insta::assert_snapshot!(draw(&summary_app_80x24(), 80, 24));
}

/// The campaign's tab, its summary in place of the recent list.
fn summary_app_80x24() -> App {
    let mut app = campaign_app(80, 24, 0);
    update(&mut app, key(']'));
    app.status = None;
    app
}

#[test]
fn campaign_summary_160x48() {
    let mut app = campaign_app(160, 48, 0);
    update(&mut app, key(']'));
    update(&mut app, key('m'));
    update(&mut app, key('m'));
    app.status = None;
    insta::assert_snapshot!(draw(&app, 160, 48));
}

#[test]
fn compare_80x24() {
    let mut app = campaign_app(80, 24, 5);
    update(&mut app, key('c'));
    insta::assert_snapshot!("compare_80x24", draw(&app, 80, 24));
    // Sideways to the last columns, and down to the bars.
    for _ in 0..3 {
        update(&mut app, key('l'));
    }
    for _ in 0..12 {
        update(&mut app, key('j'));
    }
    insta::assert_snapshot!("compare_80x24_scrolled", draw(&app, 80, 24));
}

#[test]
fn compare_160x48() {
    let mut app = campaign_app(160, 48, 5);
    update(&mut app, key('c'));
    insta::assert_snapshot!(draw(&app, 160, 48));
}

#[test]
fn edit_form_with_a_bad_price_80x24() {
    insta::assert_snapshot!(draw(&bad_price_app_80x24(), 80, 24));
}

/// The edit form with `x` typed after the price and Enter pressed: the price's error.
fn bad_price_app_80x24() -> App {
    let mut app = campaign_app(80, 24, 0);
    update(&mut app, key('e'));
    for _ in 0..2 {
        update(&mut app, key_code(crossterm::event::KeyCode::Tab));
    }
    update(&mut app, key('x'));
    update(&mut app, key_code(crossterm::event::KeyCode::Enter));
    app
}

/// The screen with its styles: each row's text, then its runs of non-default style as
/// `from-to fg/bg +modifiers`. A colour or emphasis change shows up here, where the plain
/// snapshots above would pass.
fn draw_styled(app: &App, w: u16, h: u16) -> String {
    use ratatui::style::{Color, Modifier};
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| xingtu_dash::ui::render(app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let describe = |fg: Color, bg: Color, modifier: Modifier| {
        let mut parts = Vec::new();
        if fg != Color::Reset {
            parts.push(format!("fg:{fg}"));
        }
        if bg != Color::Reset {
            parts.push(format!("bg:{bg}"));
        }
        if !modifier.is_empty() {
            parts.push(format!("+{modifier:?}"));
        }
        parts.join(" ")
    };
    let mut out = String::new();
    for y in 0..h {
        let mut text = String::new();
        let mut runs: Vec<(u16, u16, String)> = Vec::new();
        let mut x = 0;
        while x < w {
            let cell = &buffer[(x, y)];
            text.push_str(cell.symbol());
            // A wide character's second cell belongs to it: same run, no text of its own.
            let next = (x + xingtu_dash::format::width(cell.symbol()).max(1) as u16).min(w);
            let style = describe(cell.fg, cell.bg, cell.modifier);
            match runs.last_mut() {
                Some((_, end, last)) if *last == style && *end == x => *end = next,
                _ => runs.push((x, next, style)),
            }
            x = next;
        }
        let runs: Vec<String> = runs
            .into_iter()
            .filter(|(_, _, style)| !style.is_empty())
            .map(|(from, to, style)| format!("{from}-{to} {style}"))
            .collect();
        out.push_str(&format!("{y:>2} {text}\n"));
        if !runs.is_empty() {
            out.push_str(&format!("   {}\n", runs.join(" · ")));
        }
    }
    out
}

#[test]
fn styled_demo_80x24_in_colour_and_without() {
    let mut app = demo_app(NumberStyle::Cn, 80, 24);
    app.color = true;
    insta::assert_snapshot!("styled_demo_colour", draw_styled(&app, 80, 24));
    app.color = false;
    let plain = draw_styled(&app, 80, 24);
    assert!(!plain.contains("fg:") && !plain.contains("bg:"), "{plain}");
    insta::assert_snapshot!("styled_demo_no_color", plain);
}

/// A halt another process sharing the store got: the banner says which machine, and when.
#[test]
fn halted_elsewhere_banner_names_the_machine_and_when() {
    for (w, h) in [(80, 24), (120, 30)] {
        let mut app = demo_app(NumberStyle::Cn, w, h);
        let err = xingtu_dash::api::ApiError::HaltedElsewhere {
            code: 601,
            machine: "laptop-3:4242".into(),
            at: fixed_now() - chrono::Duration::minutes(5),
        };
        let id = ItemId::parse("7566200471448779999").unwrap();
        update(
            &mut app,
            Action::Fetched {
                id: id.clone(),
                result: Err(err),
                calls_made: 6,
            },
        );
        app.shown = Some(id);
        insta::assert_snapshot!(format!("halted_elsewhere_{w}x{h}"), draw(&app, w, h));
    }
}

/// The store went away: the banner says lookups are off and when the store is tried next;
/// a lookup asked for meanwhile is refused without a call.
#[test]
fn store_unreachable_banner_and_a_refused_lookup_80x24() {
    let mut app = demo_app(NumberStyle::Cn, 80, 24);
    update(
        &mut app,
        Action::StoreDown("db.team.lan:5432: connection refused".into()),
    );
    app.now = fixed_now() + chrono::Duration::seconds(42);
    update(
        &mut app,
        Action::StoreDown("db.team.lan:5432: connection refused".into()),
    );
    let effects = update(
        &mut app,
        Action::LookUp(xingtu_dash::item_id::ItemRef::Id(
            ItemId::parse(demo::EXAMPLE_ID).unwrap(),
        )),
    );
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, xingtu_dash::app::Effect::Fetch { .. })),
        "{effects:?}"
    );
    insta::assert_snapshot!(draw(&app, 80, 24));
}

#[test]
fn styled_halt_banner_and_help_in_colour() {
    let mut app = demo_app(NumberStyle::Cn, 80, 24);
    app.color = true;
    let err = xingtu_dash::api::ApiError::Business {
        code: 601,
        message: None,
        http_status: 200,
        retry_after: None,
    };
    let id = ItemId::parse("7566200471448779999").unwrap();
    update(
        &mut app,
        Action::Fetched {
            id,
            result: Err(err),
            calls_made: 6,
        },
    );
    insta::assert_snapshot!("styled_halt_colour", draw_styled(&app, 80, 24));
    app.overlay = Some(Overlay::Help);
    insta::assert_snapshot!("styled_help_colour", draw_styled(&app, 80, 24));
}

/// The screen's text as a person reads it: wide characters once.
fn screen_text(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| xingtu_dash::ui::render(app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let symbol = buffer[(x, y)].symbol();
            text.push_str(symbol);
            x += xingtu_dash::format::width(symbol).max(1) as u16;
        }
        text.push('\n');
    }
    text
}

fn figures_in(screen: &str) -> Vec<String> {
    screen
        .split(|c: char| c.is_whitespace() || "│┃─━╭╮╰╯┏┓┗┛\"·()".contains(c))
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()) && !t.ends_with('…'))
        .map(str::to_owned)
        .collect()
}

/// The campaign summary and the compare view show each figure whole or not at all, at
/// every width: a token with a digit must be one the widest layout shows.
#[test]
fn campaign_figures_are_never_cut_at_any_width() {
    use xingtu_dash::ui::summary;
    let mut app = campaign_app(160, 48, 0);
    update(&mut app, key(']'));
    for metric in 0..8 {
        let wide = figures_in(&pane_text(&app, 400, 14, summary::render));
        for w in 20..120 {
            for h in [6, 9, 14] {
                let screen = pane_text(&app, w, h, summary::render);
                for token in figures_in(&screen) {
                    assert!(
                        wide.contains(&token),
                        "summary (metric {metric}) at {w}x{h} shows {token:?}, which is cut:\n{screen}"
                    );
                }
            }
        }
        update(&mut app, key('m'));
    }
    let mut app = campaign_app(160, 48, 5);
    // The largest fee there is, and the CPM it makes: wider than a narrow column.
    for e in &mut app.watch.entries {
        if e.item_id == "7562222333344445555" {
            e.price = Some(xingtu_dash::price::Price::Decimal(99_999_999.99));
        }
    }
    update(&mut app, key('c'));
    update(&mut app, Action::Resize(400, 60));
    let wide = figures_in(&screen_text(&app, 400, 60));
    for w in 60..170 {
        update(&mut app, Action::Resize(w, 60));
        let screen = screen_text(&app, w, 60);
        // Below the titles, which are text and may be cut.
        let figures: String = screen.lines().skip(3).collect::<Vec<_>>().join("\n");
        let stub = figures
            .split_whitespace()
            .find(|t| t.ends_with('…') && t.starts_with(|c: char| c == '¥' || c.is_ascii_digit()));
        assert_eq!(stub, None, "compare at width {w} cuts a figure:\n{screen}");
        // "1–3 of 5" says which columns show; it is not a figure.
        for token in figures_in(&screen).into_iter().filter(|t| !t.contains('–')) {
            assert!(
                wide.contains(&token),
                "compare at width {w} shows {token:?}, which is cut:\n{screen}"
            );
        }
    }
}

/// The same screens in Chinese, beside the English ones above. Everything (the app's
/// status messages too) is made inside the scope, so tests in both languages run side by
/// side.
mod zh {
    use super::*;

    fn zh<R>(f: impl FnOnce() -> R) -> R {
        i18n::scoped(Lang::Zh, f)
    }

    #[test]
    fn demo_80x24_zh() {
        zh(|| insta::assert_snapshot!(draw(&demo_app(NumberStyle::Cn, 80, 24), 80, 24)));
    }

    #[test]
    fn demo_160x48_zh() {
        zh(|| insta::assert_snapshot!(draw(&demo_app(NumberStyle::Cn, 160, 48), 160, 48)));
    }

    #[test]
    fn help_overlay_80x24_zh() {
        zh(|| insta::assert_snapshot!(draw(&help_app(80, 24), 80, 24)));
    }

    #[test]
    fn help_overlay_160x48_zh() {
        zh(|| insta::assert_snapshot!(draw(&help_app(160, 48), 160, 48)));
    }

    #[test]
    fn halted_banner_and_error_80x24_zh() {
        zh(|| insta::assert_snapshot!(draw(&halted_app(80, 24), 80, 24)));
    }

    #[test]
    fn halted_banner_and_error_160x48_zh() {
        zh(|| insta::assert_snapshot!(draw(&halted_app(160, 48), 160, 48)));
    }

    #[test]
    fn campaign_summary_80x24_zh() {
        zh(|| insta::assert_snapshot!(draw(&summary_app_80x24(), 80, 24)));
    }

    #[test]
    fn compare_80x24_zh() {
        zh(|| {
            let mut app = campaign_app(80, 24, 5);
            update(&mut app, key('c'));
            insta::assert_snapshot!(draw(&app, 80, 24));
        });
    }

    #[test]
    fn edit_form_with_a_bad_price_80x24_zh() {
        zh(|| insta::assert_snapshot!(draw(&bad_price_app_80x24(), 80, 24)));
    }

    #[test]
    fn too_small_says_so_zh() {
        let screen = zh(|| draw(&demo_app(NumberStyle::Cn, 50, 12), 50, 12));
        assert!(screen.contains("终端窗口太小"), "{screen}");
    }

    /// The display column where `needle` ends on `line`, counting wide characters as two.
    fn end_column(line: &str, needle: &str) -> Option<usize> {
        let at = line.find(needle)?;
        Some(xingtu_dash::format::width(&line[..at]) + xingtu_dash::format::width(needle))
    }

    /// The character covering display column `col` (0-based) of `line`.
    fn char_at(line: &str, col: usize) -> Option<char> {
        let mut used = 0;
        for c in line.chars() {
            let w = xingtu_dash::format::width(c.encode_utf8(&mut [0; 4]));
            if col < used + w {
                return Some(c);
            }
            used += w;
        }
        None
    }

    /// In Chinese, each right-aligned column header of the watchlist (two cells per
    /// character) ends in the same display column as every figure under it, at every
    /// width the table is drawn.
    #[test]
    fn watchlist_headers_line_up_with_their_figures() {
        use xingtu_dash::ui::lists;
        zh(|| {
            let app = demo_app(NumberStyle::Cn, 160, 48);
            let mut checked = 0;
            for w in 30..120 {
                let screen = pane_text(&app, w, 9, lists::render_watchlist);
                let lines: Vec<&str> = screen.lines().collect();
                let header = lines.iter().position(|l| l.contains("视频")).unwrap();
                let rows = &lines[header + 1..lines.len() - 1];
                for title in [
                    "播放",
                    "Δ播放",
                    "点赞",
                    "Δ点赞",
                    "点赞率",
                    "评论率",
                    "完播率",
                ] {
                    let Some(end) = end_column(lines[header], &format!("{title} "))
                        .or_else(|| end_column(lines[header], &format!("{title}┃")))
                        .map(|e| e - 1)
                    else {
                        continue;
                    };
                    for row in rows.iter().filter(|r| r.contains('✓')) {
                        let last = char_at(row, end - 1);
                        let after = char_at(row, end);
                        assert!(
                            last.is_some_and(|c| !c.is_whitespace()) && after == Some(' ')
                                || after == Some('┃'),
                            "{title} ends at {end} at width {w}, its figure does not:\n{screen}"
                        );
                        checked += 1;
                    }
                }
            }
            assert!(checked > 500, "only {checked} figures checked");
        });
    }

    /// Every figure is whole or absent in Chinese too, at every width.
    #[test]
    fn no_figure_is_ever_cut_at_any_width_zh() {
        zh(super::no_figure_is_ever_cut_at_any_width);
    }
}
