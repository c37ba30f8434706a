"""The subsetting both font scripts use (make-fallback.py, make-emoji.py):
keep every layout feature and name, and a drawn .notdef."""

from fontTools import subset


def save_subset(font, unicodes, out):
    """Subsets `font` (a TTFont, changed in place) to `unicodes`, saves it to `out`."""
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    font.save(out)
