//! The scalar types of the data contract: text, dates, numbers, lists that
//! may be written as one item. Each validates while it is deserialised, so
//! the YAML parser attaches the value's line and column to the error.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::tr;

/// A piece of text. Accepts a YAML string or an integer (`name: 2025`
/// means the text "2025"); rejects decimals and booleans, whose written
/// form YAML does not keep, with a hint to quote them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(pub String);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(s.to_owned())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(tr!("文字", "text"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Err(E::custom(tr!(
                    format!("这里应是文字，写的是数字 {v}：请加引号，例如 \"{v}\""),
                    format!("expected text, found the number {v}: put it in quotes, e.g. \"{v}\"")
                )))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Err(E::custom(tr!(
                    format!("这里应是文字，写的是布尔值 {v}：请加引号"),
                    format!("expected text, found the boolean {v}: put it in quotes")
                )))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "integer"] })
    }
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// A calendar date, or a month when the field allows one (`2025-06`).
/// Written in ISO form; printed as `2025年7月8日` / `2025年6月`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    /// `None` for a month (`2025-06`).
    pub day: Option<u32>,
}

impl Date {
    /// Parses `YYYY-MM-DD`, or also `YYYY-MM` when `allow_month`. The error
    /// says what is wrong and, for dates written the Chinese way, the ISO
    /// form to write instead.
    pub fn parse(s: &str, allow_month: bool) -> Result<Date, String> {
        let t = s.trim();
        let expected = if allow_month {
            tr!("YYYY-MM-DD 或 YYYY-MM（如 2025-07-10、2025-06）", "YYYY-MM-DD or YYYY-MM (e.g. 2025-07-10, 2025-06)")
        } else {
            tr!("YYYY-MM-DD（如 2025-07-10）", "YYYY-MM-DD (e.g. 2025-07-10)")
        };
        let parts: Vec<&str> = t.split('-').collect();
        let well_formed = matches!(parts.len(), 2 | 3)
            && parts[0].len() == 4
            && parts[1..].iter().all(|p| (1..=2).contains(&p.len()))
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if well_formed && parts.len() == 2 && !allow_month {
            return Err(tr!(
                format!("日期“{t}”只写到月，这里要写到日，如 {t}-01"),
                format!("“{t}” names a month; this field needs the day too, e.g. {t}-01")
            ));
        }
        if !well_formed {
            let hint = chinese_date_to_iso(t)
                .map(|iso| tr!(format!("；应写作 {iso}"), format!("; write {iso}")))
                .unwrap_or_default();
            return Err(tr!(
                format!("日期“{t}”格式不对，应为 {expected}{hint}"),
                format!("“{t}” is not a date of the form {expected}{hint}")
            ));
        }
        let year: i32 = parts[0].parse().map_err(|_| t.to_owned())?;
        let month: u32 = parts[1].parse().map_err(|_| t.to_owned())?;
        if !(1..=12).contains(&month) {
            return Err(tr!(
                format!("日期“{t}”无效：没有{month}月（月份应为 1–12）"),
                format!("“{t}” is not a valid date: there is no month {month} (1–12)")
            ));
        }
        let day = match parts.get(2) {
            None => None,
            Some(d) => {
                let day: u32 = d.parse().map_err(|_| t.to_owned())?;
                let max = days_in_month(year, month);
                if day == 0 || day > max {
                    return Err(tr!(
                        format!("日期“{t}”无效：{year}年{month}月只有{max}天"),
                        format!("“{t}” is not a valid date: {year}-{month:02} has {max} days")
                    ));
                }
                Some(day)
            }
        };
        Ok(Date { year, month, day })
    }

    /// `2025年7月8日` or `2025年6月`: Arabic digits, no leading zeros
    /// (GB/T 9704 7.3.5.4).
    pub fn to_chinese(&self) -> String {
        match self.day {
            Some(d) => format!("{}年{}月{}日", self.year, self.month, d),
            None => format!("{}年{}月", self.year, self.month),
        }
    }

    /// `2025-07-08` or `2025-06`.
    pub fn to_iso(&self) -> String {
        match self.day {
            Some(d) => format!("{:04}-{:02}-{:02}", self.year, self.month, d),
            None => format!("{:04}-{:02}", self.year, self.month),
        }
    }

    /// Days since 1970-01-01 of this date (the first of the month for a
    /// month); for timestamps.
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day.unwrap_or(1)));
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

/// `2025年7月10日` / `2025.7.10` / `2025/7/10` → `2025-07-10`, to suggest.
fn chinese_date_to_iso(s: &str) -> Option<String> {
    let nums: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match nums.as_slice() {
        [y, m, d] if *y >= 1000 && (1..=12).contains(m) && *d >= 1 && *d <= days_in_month(*y as i32, *m) => {
            Some(format!("{y:04}-{m:02}-{d:02}"))
        }
        [y, m] if *y >= 1000 && (1..=12).contains(m) => Some(format!("{y:04}-{m:02}")),
        _ => None,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

fn deserialize_date<'de, D: Deserializer<'de>>(d: D, allow_month: bool) -> Result<Date, D::Error> {
    struct V(bool);
    impl Visitor<'_> for V {
        type Value = Date;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(tr!("日期", "a date"))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
            Date::parse(v, self.0).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Date, E> {
            Date::parse(&v.to_string(), self.0).map_err(E::custom)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Date, E> {
            Date::parse(&v.to_string(), self.0).map_err(E::custom)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Date, E> {
            Date::parse(&v.to_string(), self.0).map_err(E::custom)
        }
    }
    d.deserialize_any(V(allow_month))
}

impl<'de> Deserialize<'de> for Date {
    /// A full date; use [`Month`] for fields that allow `YYYY-MM`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        deserialize_date(d, false)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": r"^\d{4}-\d{1,2}-\d{1,2}$",
            "description": "日期，格式 YYYY-MM-DD，如 2025-07-10"
        })
    }
}

/// A date that may also be just a month (`2025-06`): honours, coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month(pub Date);

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        deserialize_date(d, true).map(Month)
    }
}

impl JsonSchema for Month {
    fn schema_name() -> Cow<'static, str> {
        "DateOrMonth".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": r"^\d{4}-\d{1,2}(-\d{1,2})?$",
            "description": "日期或月份，格式 YYYY-MM-DD 或 YYYY-MM，如 2025-06"
        })
    }
}

/// A figure: an integer or a decimal, printed as written (`252`, `2140.5`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Dec(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Dec(f) => f,
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Dec(x) => write!(f, "{x}"),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Number::Int(i) => s.serialize_i64(i),
            Number::Dec(x) => s.serialize_f64(x),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(tr!("数字", "a number"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                i64::try_from(v).map(Number::Int).map_err(|_| E::custom(tr!("数字太大", "number too large")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                if v.is_finite() {
                    Ok(Number::Dec(v))
                } else {
                    Err(E::custom(tr!("应为有限的数字", "expected a finite number")))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                Err(E::custom(not_a_number(v)))
            }
        }
        d.deserialize_any(V)
    }
}

/// The message for text where a number belongs, with the usual cause:
/// a qualifier or unit written into the number (`20余`, `8次`).
pub fn not_a_number(v: &str) -> String {
    let digits: String = v.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    let percent = v.trim().strip_suffix(['%', '％']).and_then(|n| n.trim().parse::<f64>().ok());
    if digits.is_empty() {
        tr!(format!("这里应是数字，写的是文字“{v}”"), format!("expected a number, found the text “{v}”"))
    } else if let Some(p) = percent {
        let fraction = p / 100.0;
        tr!(
            format!("这里应是数字，写的是“{v}”：百分数写成小数，如 {fraction}"),
            format!("expected a number, found “{v}”: write a percentage as a fraction, e.g. {fraction}")
        )
    } else {
        tr!(
            format!("这里应是数字，写的是“{v}”：只写 {digits}，“余、近、约”写在 qualifier，单位写在 unit"),
            format!(
                "expected a number, found “{v}”: write {digits} only; put 余/近/约 in `qualifier` and the unit in `unit`"
            )
        )
    }
}

/// The message for text where a count belongs (`很多`, `30人`).
pub fn not_a_count(v: &str) -> String {
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        tr!(
            format!("这里应是整数（如 32），写的是文字“{v}”"),
            format!("expected a whole number (e.g. 32), found the text “{v}”")
        )
    } else {
        tr!(
            format!("这里应是整数，写的是“{v}”：只写数字 {digits}"),
            format!("expected a whole number, found “{v}”: write the number {digits} only")
        )
    }
}

impl JsonSchema for Number {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number" })
    }
}

/// A count (participants, members): a non-negative integer. Text such as
/// `很多` or `20余` gets a message that says how to write it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Count(pub u32);

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(tr!("非负整数", "a whole number"))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                u32::try_from(v).map(Count).map_err(|_| {
                    E::custom(tr!(
                        format!("数字 {v} 太大（最大 {}）", u32::MAX),
                        format!("the number {v} is too large (at most {})", u32::MAX)
                    ))
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                u32::try_from(v).map(Count).map_err(|_| {
                    E::custom(tr!(
                        format!("这里应是非负整数，写的是 {v}"),
                        format!("expected a whole number ≥ 0, found {v}")
                    ))
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                Err(E::custom(tr!(
                    format!("这里应是整数，写的是小数 {v}"),
                    format!("expected a whole number, found the decimal {v}")
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
                Err(E::custom(not_a_count(v)))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Count {
    fn schema_name() -> Cow<'static, str> {
        "Count".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "minimum": 0 })
    }
}

/// A list that may also be written as one item (`report_to: 县委组织部`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct List<T>(pub Vec<T>);

impl<T> std::ops::Deref for List<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T: Serialize> Serialize for List<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List<T>, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(tr!("列表", "a list"))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element()? {
                    v.push(x);
                }
                Ok(List(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<List<T>, E> {
                T::deserialize(de::value::StrDeserializer::new(v)).map(|x| List(vec![x]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<List<T>, E> {
                T::deserialize(de::value::I64Deserializer::new(v)).map(|x| List(vec![x]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<List<T>, E> {
                T::deserialize(de::value::U64Deserializer::new(v)).map(|x| List(vec![x]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for List<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("ListOf{}", T::schema_name()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let item = g.subschema_for::<T>();
        json_schema!({ "anyOf": [ { "type": "array", "items": item }, item ] })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_print() {
        let d = Date::parse("2025-07-08", false).unwrap();
        assert_eq!(d.to_chinese(), "2025年7月8日");
        assert_eq!(Date::parse("2025-06", true).unwrap().to_chinese(), "2025年6月");
        assert!(Date::parse("2025-06", false).is_err());
        assert!(Date::parse("2025-13-45", false).unwrap_err().contains("13"));
        assert!(Date::parse("2025-02-29", false).is_err());
        assert!(Date::parse("2024-02-29", false).is_ok());
        assert!(Date::parse("2025年7月10日", false).unwrap_err().contains("2025-07-10"));
        assert_eq!(Date::parse("1970-01-02", false).unwrap().days_since_epoch(), 1);
        assert_eq!(Date::parse("2025-07-10", false).unwrap().days_since_epoch(), 20279);
    }
}
