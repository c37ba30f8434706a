//! The language of user-facing messages: Simplified Chinese by default,
//! English on request (`--lang en`, or an English locale).
//!
//! Messages are written next to the code that raises them, in both
//! languages, with [`tr!`](crate::tr): `tr!("日期无效", "invalid date")`.
//! Only the chosen language's arm is evaluated.

use std::sync::atomic::{AtomicU8, Ordering};

/// A message language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

static LANG: AtomicU8 = AtomicU8::new(0);

/// Sets the language of every message from now on (the CLI calls this once).
pub fn set_lang(lang: Lang) {
    LANG.store(
        match lang {
            Lang::Zh => 0,
            Lang::En => 1,
        },
        Ordering::Relaxed,
    );
}

/// The current message language.
pub fn lang() -> Lang {
    match LANG.load(Ordering::Relaxed) {
        0 => Lang::Zh,
        _ => Lang::En,
    }
}

/// The language a locale string (`LANG`, `LC_ALL`, `LC_MESSAGES`) asks for:
/// English for `en*`, Chinese for everything else (the users are Chinese
/// offices; `C`/`POSIX` on a server should not switch them to English).
pub fn lang_from_locale(locale: &str) -> Option<Lang> {
    let l = locale.trim().to_ascii_lowercase();
    if l.is_empty() {
        None
    } else if l.starts_with("en") {
        Some(Lang::En)
    } else if l.starts_with("zh") {
        Some(Lang::Zh)
    } else {
        None
    }
}

/// Picks the Chinese or the English form of a message.
#[macro_export]
macro_rules! tr {
    ($zh:expr, $en:expr $(,)?) => {
        match $crate::i18n::lang() {
            $crate::i18n::Lang::Zh => $zh,
            $crate::i18n::Lang::En => $en,
        }
    };
}

/// A TOML parser's message (`jianbao.toml`, a template's front matter) in
/// Chinese, for the mistakes people make; others are kept as the parser
/// words them.
pub fn toml_message_zh(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        return format!("没有“{field}”这一项");
    }
    if message.starts_with("string values must be quoted") {
        return "文字要加英文双引号，如 fang = \"仿宋_GB2312\"".to_owned();
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or("");
        return format!("“{value}”不是可选的值");
    }
    if message.starts_with("invalid type") {
        return format!("值的类型不对（{message}）");
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_parsing() {
        assert_eq!(lang_from_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(lang_from_locale("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(lang_from_locale("C"), None);
        assert_eq!(lang_from_locale(""), None);
    }
}
