//! The user's Just One API account, as far as this app can see it: the balance (read
//! leniently from `/user/get-balance`), amounts of money, what a batch of calls cost (measured
//! from the balance before and after it) and the price per call learned from such batches.
//! Pure: the calls and the store are elsewhere.

use crate::t;
use std::fmt;

use serde_json::Value;

/// Amounts are kept in ten-thousandths of the currency unit, the precision the provider
/// writes balances with (`"123.4500"`), so that subtracting two balances is exact.
const SCALE: i64 = 10_000;

/// An amount of money in ten-thousandths of a unit (¥1.23 is 12300). May be negative (an
/// overdrawn account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(pub i64);

impl Amount {
    /// A finite decimal number, rounded to four places; `None` when out of range.
    pub fn from_f64(x: f64) -> Option<Amount> {
        let scaled = (x * SCALE as f64).round();
        (x.is_finite() && scaled.abs() < 9.0e15).then_some(Amount(scaled as i64))
    }

    /// What a person or the API writes: `123.45`, `"123.4500"`, `¥1,200`, `1200元`, `-3.5`.
    pub fn parse(text: &str) -> Option<Amount> {
        let mut s = text.trim();
        for prefix in ["¥", "￥", "CNY", "RMB", "cny", "rmb"] {
            s = s.strip_prefix(prefix).unwrap_or(s).trim_start();
        }
        for suffix in ["元", "CNY", "RMB", "cny", "rmb"] {
            s = s.strip_suffix(suffix).unwrap_or(s).trim_end();
        }
        let s = s.replace([',', '_'], "");
        let digits_only = s
            .trim_start_matches(['-', '+'])
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.');
        if s.is_empty() || !digits_only || s.matches('.').count() > 1 {
            return None;
        }
        Amount::from_f64(s.parse::<f64>().ok()?)
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

/// The currency the app assumes when the provider does not say: its accounts are in CNY.
pub const DEFAULT_CURRENCY: &str = "CNY";

/// An amount with the currency it is in, for people: `¥0.20`, `¥0.0667`, `12.50 USD`. Two
/// decimals, or four when two would round a small amount (a price per call) away.
pub fn money(amount: Amount, currency: Option<&str>) -> String {
    let x = amount.as_f64();
    let places = if amount.0 % 100 != 0 && x.abs() < 1.0 {
        4
    } else {
        2
    };
    let number = format!("{x:.places$}");
    match currency.unwrap_or(DEFAULT_CURRENCY) {
        c if c.eq_ignore_ascii_case("CNY") || c.eq_ignore_ascii_case("RMB") => {
            match number.strip_prefix('-') {
                Some(n) => format!("-¥{n}"),
                None => format!("¥{number}"),
            }
        }
        other => format!("{number} {other}"),
    }
}

/// The account balance as `/user/get-balance` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Balance {
    pub amount: Amount,
    /// As the provider wrote it; `None` when it did not say.
    pub currency: Option<String>,
}

impl Balance {
    /// The envelope's `data`: `{"balance": "123.4500", "currency": "CNY"}`, the balance a
    /// string or a number, the currency perhaps missing. `Err` says what is wrong.
    pub fn from_data(data: &Value) -> Result<Balance, String> {
        let amount = match data.get("balance") {
            Some(Value::String(s)) => Amount::parse(s),
            Some(Value::Number(n)) => n.as_f64().and_then(Amount::from_f64),
            None | Some(Value::Null) => return Err("the answer holds no `balance`".into()),
            Some(_) => None,
        };
        let Some(amount) = amount else {
            let raw = data
                .get("balance")
                .map(Value::to_string)
                .unwrap_or_default();
            let raw: String = raw.chars().take(40).collect();
            return Err(format!("the balance {raw} is not an amount"));
        };
        let currency = data
            .get("currency")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        Ok(Balance { amount, currency })
    }

    pub fn currency(&self) -> Option<&str> {
        self.currency.as_deref()
    }

    /// `{"balance": 123.45, "currency": "CNY"}` (`null` when the provider named none).
    pub fn to_json(&self) -> Value {
        serde_json::json!({"balance": self.amount.as_f64(), "currency": self.currency})
    }
}

impl fmt::Display for Balance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&money(self.amount, self.currency()))
    }
}

/// What a batch of calls cost, measured from the balance before and after it.
#[derive(Debug, Clone, PartialEq)]
pub enum Spend {
    /// The balance fell by `cost` over `calls` calls.
    Measured {
        cost: Amount,
        calls: u64,
        currency: Option<String>,
    },
    /// The cost cannot be told; the reason, for people.
    Unknown(String),
}

impl Spend {
    /// `before` and `after`: the balance reads around a batch that sent `calls` calls.
    /// `shared`: another process made calls on the same account meanwhile.
    pub fn measure(
        before: Result<&Balance, &str>,
        after: Result<&Balance, &str>,
        calls: u64,
        shared: bool,
    ) -> Spend {
        let (before, after) = match (before, after) {
            (Ok(b), Ok(a)) => (b, a),
            (Err(why), _) | (_, Err(why)) => {
                return Spend::Unknown(t!("account-unreadable", why = why));
            }
        };
        if before.currency != after.currency {
            return Spend::Unknown(t!("account-currency-changed"));
        }
        if after.amount > before.amount {
            return Spend::Unknown(t!(
                "account-rose",
                before = before.to_string(),
                after = after.to_string()
            ));
        }
        if shared {
            return Spend::Unknown(t!("account-shared"));
        }
        Spend::Measured {
            cost: Amount(before.amount.0 - after.amount.0),
            calls,
            currency: after.currency.clone(),
        }
    }

    /// A measurement a price per call can be learned from: some calls, and a cost above
    /// zero (free calls are spent first, so a batch that cost nothing says nothing of the
    /// price).
    pub fn learnable(&self) -> Option<(Amount, u64)> {
        match self {
            Spend::Measured { cost, calls, .. } if *calls > 0 && cost.0 > 0 => {
                Some((*cost, *calls))
            }
            _ => None,
        }
    }

    /// "cost ¥0.20 for 4 calls", or why it is not known.
    pub fn describe(&self) -> String {
        match self {
            Spend::Measured {
                cost,
                calls,
                currency,
            } => {
                let cost_text = money(*cost, currency.as_deref());
                if cost.0 == 0 && *calls > 0 {
                    t!("account-cost-free", cost = cost_text, calls = *calls)
                } else {
                    t!("account-cost", cost = cost_text, calls = *calls)
                }
            }
            Spend::Unknown(why) => t!("account-cost-unknown", why = why),
        }
    }
}

/// "1 call", "4 calls".
pub fn calls_text(n: u64) -> String {
    t!("account-calls", calls = n)
}

/// The price per call learned from measured batches: their costs and calls pooled.
#[derive(Debug, Clone, PartialEq)]
pub struct PricePerCall {
    pub cost: Amount,
    pub calls: u64,
    pub batches: u64,
    pub currency: Option<String>,
}

impl PricePerCall {
    pub fn per_call(&self) -> f64 {
        self.cost.as_f64() / self.calls.max(1) as f64
    }

    /// What `n` calls would cost at this price, rounded up to the smallest unit kept.
    pub fn estimate(&self, n: u64) -> Amount {
        let total = i128::from(self.cost.0) * i128::from(n);
        let calls = i128::from(self.calls.max(1));
        Amount(i64::try_from((total + calls - 1) / calls).unwrap_or(i64::MAX))
    }

    /// "¥0.05 per call (learned from 12 calls)".
    pub fn describe(&self) -> String {
        let per = Amount::from_f64(self.per_call()).unwrap_or(Amount(0));
        t!(
            "account-per-call",
            price = money(per, self.currency.as_deref()),
            calls = self.calls
        )
    }
}

/// What `n` calls will cost before they are made: "4 calls, about ¥0.20 (¥0.05 per call …)",
/// or just the count while no price is known.
pub fn estimate_text(n: u64, price: Option<&PricePerCall>) -> String {
    match price {
        Some(p) => t!(
            "account-estimate",
            calls = n,
            cost = money(p.estimate(n), p.currency.as_deref()),
            price = p.describe()
        ),
        None => t!("account-estimate-unknown", calls = n),
    }
}

/// The same in a few words, for a status bar: "4 calls, about ¥0.20".
pub fn estimate_short(n: u64, price: Option<&PricePerCall>) -> String {
    match price {
        Some(p) => t!(
            "account-estimate-short",
            calls = n,
            cost = money(p.estimate(n), p.currency.as_deref())
        ),
        None => t!("account-estimate-short-unknown", calls = n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bal(x: &str) -> Balance {
        Balance {
            amount: Amount::parse(x).unwrap(),
            currency: Some("CNY".into()),
        }
    }

    #[test]
    fn balances_are_read_from_strings_or_numbers_with_or_without_a_currency() {
        let b = Balance::from_data(&json!({"balance": "123.4500", "currency": "CNY"})).unwrap();
        assert_eq!(b.amount, Amount(1_234_500));
        assert_eq!(b.to_json(), json!({"balance": 123.45, "currency": "CNY"}));
        assert_eq!(b.to_string(), "¥123.45");
        let b = Balance::from_data(&json!({"balance": 7.5})).unwrap();
        assert_eq!(b.to_json(), json!({"balance": 7.5, "currency": null}));
        assert_eq!(b.to_string(), "¥7.50");
        for text in ["¥12.5", "12.50元", "cny 12.5", "+12.5", "12.5000"] {
            assert_eq!(Amount::parse(text), Some(Amount(125_000)), "{text}");
        }
        let b = Balance::from_data(&json!({"balance": " 1,000.1 ", "currency": "USD"})).unwrap();
        assert_eq!(b.to_string(), "1000.10 USD");
        let b = Balance::from_data(&json!({"balance": "-0.5", "currency": ""})).unwrap();
        assert_eq!((b.amount, b.currency.clone()), (Amount(-5000), None));
        assert_eq!(b.to_string(), "-¥0.50");
        for bad in [
            json!({}),
            json!({"balance": null}),
            json!({"balance": "abc"}),
            json!({"balance": "1.2.3"}),
            json!({"balance": [1]}),
            json!({"balance": "1e400"}),
            json!({"balance": ""}),
        ] {
            assert!(Balance::from_data(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn spend_is_the_fall_in_the_balance_and_never_negative() {
        let s = Spend::measure(Ok(&bal("10.00")), Ok(&bal("9.80")), 4, false);
        assert_eq!(s.describe(), "cost ¥0.20 for 4 calls");
        assert_eq!(s.learnable(), Some((Amount(2000), 4)));
        // A top-up between the reads: unknown, and nothing learned.
        let s = Spend::measure(Ok(&bal("1.00")), Ok(&bal("101.00")), 4, false);
        assert!(s.describe().contains("top-up"), "{}", s.describe());
        assert_eq!(s.learnable(), None);
        // Free calls, or no calls: measured, but no price learned.
        let s = Spend::measure(Ok(&bal("5")), Ok(&bal("5")), 3, false);
        assert!(s.describe().starts_with("cost ¥0.00 for 3 calls"));
        assert_eq!(s.learnable(), None);
        assert_eq!(
            Spend::measure(Ok(&bal("5")), Ok(&bal("4")), 0, false).learnable(),
            None
        );
        let s = Spend::measure(Err("HTTP 502"), Ok(&bal("4")), 2, false);
        assert_eq!(
            s.describe(),
            "cost unknown: the balance could not be read (HTTP 502)"
        );
        let s = Spend::measure(Ok(&bal("5")), Ok(&bal("4")), 2, true);
        assert!(s.describe().contains("another xingtu-dash"));
        assert_eq!(s.learnable(), None);
    }

    #[test]
    fn estimates_round_up_and_small_prices_keep_their_digits() {
        let p = PricePerCall {
            cost: Amount(2000),
            calls: 3,
            batches: 1,
            currency: Some("CNY".into()),
        };
        assert_eq!(p.estimate(3), Amount(2000));
        assert_eq!(p.estimate(1), Amount(667));
        assert_eq!(p.estimate(0), Amount(0));
        assert_eq!(p.describe(), "¥0.0667 per call (measured over 3 calls)");
        assert_eq!(
            estimate_text(6, Some(&p)),
            "6 calls, about ¥0.40 at ¥0.0667 per call (measured over 3 calls)"
        );
        assert_eq!(estimate_short(6, Some(&p)), "6 calls, about ¥0.40");
        assert_eq!(estimate_short(1, None), "1 call, price not known yet");
        assert_eq!(
            estimate_text(1, None),
            "1 call (price per call not known yet)"
        );
        assert_eq!(money(Amount(12_345_678), None), "¥1234.57");
    }
}
