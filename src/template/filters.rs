//! The filters every template needs: Chinese numerals and ordinals, dates,
//! quantities with qualifiers, sentence endings, Chinese list joins.
//!
//! | filter | example | result |
//! |---|---|---|
//! | `cn` | `{{ 3\|cn }}` | 三 |
//! | `ordinal(level)` | `{{ 2\|ordinal(1) }}` | 二、 (levels 1–4: 一、 （一） 1. （1）) |
//! | `cndate` | `{{ date\|cndate }}` | 2025年7月8日 (2025-06 → 2025年6月) |
//! | `md` | `{{ a.date\|md }}` | 7月8日 |
//! | `qty` | `{{ m.surveys\|qty }}` / `{{ 20\|qty("次", "近") }}` | 8次 / 近20次 |
//! | `sentence` | `{{ p.title\|sentence }}` | adds 。 unless the text ends a sentence (。！？；： or …, also inside closing quotes) |
//! | `join_cn(sep="、")` | `{{ bulletin.report_to\|join_cn }}` | 县委组织部、县直机关工委 |
//! | `book` | `{{ c.title\|book }}` | 《…》 (already wrapped: as is; inner 《》 → 〈〉) |
//! | `quote` | `{{ a.title\|quote }}` | “…”, unless the title has quotes of its own (全国“敬老文明号”) |
//! | `outlet` | `{{ c.outlet\|outlet }}` | 《贵州日报》, 《中国人大》杂志, 省民政厅门户网站 |
//! | `achievement(year=…, who=…)` | `{{ a\|achievement(year=period.start, who=organization.short) }}` | 5月，县社会福利院被全国老龄工作委员会评为全国“敬老文明号” |
//! | `strip_transition` | `{{ lead\|strip_transition }}` | the lead without 现将……报告如下。 (for articles) |

use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind};

use super::{cn, prose};
use crate::model::scalar::Date;
use crate::style::Numbering;

fn bad(msg: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg)
}

fn as_u64(v: &Value, filter: &str) -> Result<u64, Error> {
    u64::try_from(v.clone()).map_err(|_| bad(format!("{filter}: expected a whole number ≥ 0, got {}", v.kind())))
}

fn cn_filter(v: Value) -> Result<String, Error> {
    Ok(cn::numeral(as_u64(&v, "cn")?))
}

fn ordinal(v: Value, level: u32) -> Result<String, Error> {
    let numbering = match level {
        1 => Numbering::CnComma,
        2 => Numbering::CnParen,
        3 => Numbering::ArabicDot,
        4 => Numbering::ArabicParen,
        _ => return Err(bad(format!("ordinal: level must be 1–4, got {level}"))),
    };
    Ok(cn::ordinal(as_u64(&v, "ordinal")?, numbering))
}

fn parse_date(v: &Value, filter: &str) -> Result<Date, Error> {
    let s = v.as_str().ok_or_else(|| bad(format!("{filter}: expected a date, got {}", v.kind())))?;
    Date::parse(s, true).map_err(|e| bad(format!("{filter}: {e}")))
}

fn cndate(v: Value) -> Result<String, Error> {
    Ok(parse_date(&v, "cndate")?.to_chinese())
}

fn month_day(v: Value) -> Result<String, Error> {
    let d = parse_date(&v, "md")?;
    Ok(match d.day {
        Some(day) => format!("{}月{}日", d.month, day),
        None => format!("{}月", d.month),
    })
}

/// `{{ metric|qty }}` or `{{ number|qty(unit, qualifier) }}`.
fn qty(v: Value, unit: Option<String>, qualifier: Option<String>) -> Result<String, Error> {
    if v.kind() == minijinja::value::ValueKind::Map {
        let get = |k: &str| -> String {
            v.get_attr(k).ok().filter(|x| !x.is_undefined() && !x.is_none()).map(|x| x.to_string()).unwrap_or_default()
        };
        let value = get("value");
        if value.is_empty() {
            return Err(bad("qty: the metric has no value".into()));
        }
        return Ok(cn::quantity(&value, &get("unit"), &get("qualifier")));
    }
    if !matches!(v.kind(), minijinja::value::ValueKind::Number) {
        return Err(bad(format!("qty: expected a metric or a number, got {}", v.kind())));
    }
    Ok(cn::quantity(&v.to_string(), unit.as_deref().unwrap_or(""), qualifier.as_deref().unwrap_or("")))
}

/// Marks that end a sentence: after them no 。 is added.
const SENTENCE_END: &str = "。！？；：….!?;:";
/// Closing quotes and brackets: they end a sentence only when the mark
/// inside them does (`……”` after `。` does; `“一岗双责”` does not).
const CLOSING: &str = "」』”’）》〉】〕)";

/// Ends a run-in title or a text as a sentence: adds 。 unless it already
/// ends with a sentence mark (possibly inside closing quotes).
fn sentence(v: Value) -> String {
    let s = v.to_string();
    let s = s.trim_end();
    if s.is_empty() {
        return String::new();
    }
    let inner = s.trim_end_matches(|c| CLOSING.contains(c));
    match inner.chars().last() {
        Some(c) if SENTENCE_END.contains(c) => s.to_owned(),
        _ => format!("{s}。"),
    }
}

fn join_cn(v: Value, kwargs: Kwargs) -> Result<String, Error> {
    let sep: Option<String> = kwargs.get("sep")?;
    kwargs.assert_all_used()?;
    let sep = sep.unwrap_or_else(|| "、".into());
    if v.is_undefined() || v.is_none() {
        return Ok(String::new());
    }
    if let Some(s) = v.as_str() {
        return Ok(s.to_owned());
    }
    let items: Vec<String> = v.try_iter()?.map(|x| x.to_string()).collect();
    Ok(items.join(&sep))
}

fn book(v: Value) -> String {
    prose::book(&v.to_string())
}

fn quote(v: Value) -> String {
    prose::quote(&v.to_string())
}

fn outlet(v: Value) -> String {
    prose::outlet(&v.to_string())
}

fn strip_transition(v: Value) -> String {
    if v.is_undefined() || v.is_none() {
        return String::new();
    }
    prose::strip_transition(&v.to_string())
}

/// A text field of a map, `None` when absent, none or empty.
fn text_attr(v: &Value, key: &str) -> Option<String> {
    v.get_attr(key).ok().filter(|x| !x.is_undefined() && !x.is_none()).map(|x| x.to_string()).filter(|s| !s.is_empty())
}

/// `{{ a|achievement(year=period.start or date, who=organization.short) }}`:
/// one `achievements[]` entry as a clause (see [`prose::achievement`]).
/// `year` is a date (or a year) whose year the clause leaves out; `who`
/// stands in for a missing recipient.
fn achievement(v: Value, kwargs: Kwargs) -> Result<String, Error> {
    let year: Option<Value> = kwargs.get("year")?;
    let who: Option<String> = kwargs.get("who")?;
    kwargs.assert_all_used()?;
    if v.kind() != minijinja::value::ValueKind::Map {
        return Err(bad(format!("achievement: expected an achievements entry, got {}", v.kind())));
    }
    let title = text_attr(&v, "title").ok_or_else(|| bad("achievement: the entry has no title".into()))?;
    let date = match text_attr(&v, "date") {
        Some(d) => Some(Date::parse(&d, true).map_err(|e| bad(format!("achievement: {e}")))?),
        None => None,
    };
    let count = match v.get_attr("count") {
        Ok(c) if !c.is_undefined() && !c.is_none() => Some(as_u64(&c, "achievement")?),
        _ => None,
    };
    let year = match year.filter(|y| !y.is_undefined() && !y.is_none()) {
        Some(y) if y.kind() == minijinja::value::ValueKind::Number => Some(as_u64(&y, "achievement")? as i32),
        Some(y) => Some(parse_date(&y, "achievement")?.year),
        None => None,
    };
    let a = prose::Achievement {
        title,
        kind: text_attr(&v, "kind"),
        by: text_attr(&v, "by"),
        date,
        recipient: text_attr(&v, "recipient"),
        count,
    };
    Ok(prose::achievement(&a, year, who.as_deref().unwrap_or("")))
}

/// The names of jianbao's filters, in the order they are registered (for
/// the help of an "unknown filter" error).
pub const NAMES: &[&str] = &[
    "cn",
    "ordinal",
    "cndate",
    "md",
    "qty",
    "sentence",
    "join_cn",
    "book",
    "quote",
    "outlet",
    "achievement",
    "strip_transition",
];

/// Registers every jianbao filter on `env`.
pub fn register(env: &mut Environment<'_>) {
    env.add_filter("cn", cn_filter);
    env.add_filter("ordinal", ordinal);
    env.add_filter("cndate", cndate);
    env.add_filter("md", month_day);
    env.add_filter("qty", qty);
    env.add_filter("sentence", sentence);
    env.add_filter("join_cn", join_cn);
    env.add_filter("book", book);
    env.add_filter("quote", quote);
    env.add_filter("outlet", outlet);
    env.add_filter("achievement", achievement);
    env.add_filter("strip_transition", strip_transition);
    debug_assert_eq!(NAMES.len(), 12, "NAMES lists every filter registered above");
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    fn render(src: &str, ctx: Value) -> String {
        let mut env = Environment::new();
        register(&mut env);
        env.render_str(src, ctx).unwrap()
    }

    #[test]
    fn filters_render_chinese_forms() {
        let ctx = context! {
            m => context! { value => 1260, unit => "户", qualifier => "余" },
            d => "2025-07-08",
            l => vec!["县委组织部", "县直机关工委"],
        };
        assert_eq!(render("{{ 3|cn }} {{ 12|ordinal(2) }}", ctx.clone()), "三 （十二）");
        assert_eq!(
            render("{{ d|cndate }} {{ d|md }} {{ '2025-06'|cndate }}", ctx.clone()),
            "2025年7月8日 7月8日 2025年6月"
        );
        assert_eq!(
            render("{{ m|qty }} {{ 2140|qty('万元', '约') }} {{ 20|qty('次','近') }}", ctx.clone()),
            "1260余户 约2140万元 近20次"
        );
        assert_eq!(render("{{ '健全机制'|sentence }}{{ '好。'|sentence }}", ctx.clone()), "健全机制。好。");
        // A closing quote ends a sentence only after a sentence mark.
        assert_eq!(render("{{ '压实“一岗双责”'|sentence }}", ctx.clone()), "压实“一岗双责”。");
        assert_eq!(render("{{ '他说：“好。”'|sentence }}", ctx.clone()), "他说：“好。”");
        assert_eq!(
            render("{{ l|join_cn }}|{{ l|join_cn(sep='，') }}", ctx),
            "县委组织部、县直机关工委|县委组织部，县直机关工委"
        );
    }

    #[test]
    fn wrong_types_are_errors_not_panics() {
        let mut env = Environment::new();
        register(&mut env);
        assert!(env.render_str("{{ 'abc'|cn }}", ()).is_err());
        assert!(env.render_str("{{ 5|cndate }}", ()).is_err());
        assert!(env.render_str("{{ 'x'|qty }}", ()).is_err());
        assert!(env.render_str("{{ 1|ordinal(9) }}", ()).is_err());
    }
}
