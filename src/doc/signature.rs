//! Where the 署名 and the 成文日期 stand (GB/T 9704-2012 7.3.5.2, unsealed).
//!
//! The 署名 is right-indented two characters; the date goes on the next
//! line, its first character two characters to the right of the 署名's
//! first character. When the date is longer than the 署名, the date is
//! right-indented two characters and the 署名 moves left to keep the
//! two-character shift.

use super::title::text_width;

/// Right indents of the 署名 and the date, in character pitches.
pub fn indents(name: &str, date: &str) -> (f64, f64) {
    let (wn, wd) = (text_width(name), text_width(date));
    if wd > wn {
        // Date right-indented 2; the name starts 2 characters left of it.
        (4.0 + wd - wn, 2.0)
    } else {
        // Name right-indented 2; the date starts 2 characters right of it.
        (2.0, wn - wd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_name_short_date() {
        // 13 characters; the date is 6.5 em wide (digits are half width).
        let (n, d) = indents("中共某某县民政局机关委员会", "2025年7月10日");
        assert_eq!(n, 2.0);
        assert_eq!(d, 6.5);
    }

    #[test]
    fn short_name_long_date() {
        let (n, d) = indents("县民政局", "2025年12月10日");
        assert_eq!(d, 2.0);
        // Name start = date start − 2: 4 + 7 − 4.
        assert_eq!(n, 7.0);
    }
}
