#!/usr/bin/env bash
# 重新生成用户手册中的图片（docs/images/*.png）：
# 用仓库自带的示例数据生成各模板的文档，取第一页转成 PNG。
#
# 用法（在仓库根目录或任何地方运行均可）：
#   cargo build
#   bash docs/make-images.sh
#
# 需要：pdftoppm（poppler-utils）、soffice（LibreOffice Writer）、
#       pngtopnm/pnmcat/pnmpad/pnmtopng（netpbm）；有 optipng 时用它压缩。
# 可用环境变量 JIANBAO 指定程序，默认 ./target/debug/jianbao。
set -euo pipefail
cd "$(dirname "$0")/.."

JIANBAO=${JIANBAO:-./target/debug/jianbao}
DPI=${DPI:-60}
out=docs/images
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

for tool in "$JIANBAO" pdftoppm soffice pngtopnm pnmcat pnmpad pnmtopng; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool" >&2; exit 1; }
done

# page1 PDF PNG：PDF 的第一页 → PNG
page1() {
  pdftoppm -png -r "$DPI" -f 1 -l 1 -singlefile "$1" "$work/page"
  mv "$work/page.png" "$2"
}

# pageN PDF N PNG：PDF 的第 N 页 → PNG
pageN() {
  pdftoppm -png -r "$DPI" -f "$2" -l "$2" -singlefile "$1" "$work/page"
  mv "$work/page.png" "$3"
}

# 四个模板的第一页
"$JIANBAO" render data/county-civil-affairs.yaml -t half-year -f pdf -o "$work/r" >/dev/null
"$JIANBAO" render data/qdn-renda.yaml -t media -f pdf -o "$work/r" >/dev/null
"$JIANBAO" render data/county-civil-affairs.yaml -t bulletin -f pdf -o "$work/r" >/dev/null
"$JIANBAO" batch data/county-civil-affairs.yaml -t branch-summary -f pdf -o "$work/b" -q
page1 "$work/r/county-civil-affairs-half-year.pdf" "$out/half-year.png"
page1 "$work/r/qdn-renda-media.pdf" "$out/media.png"
page1 "$work/r/county-civil-affairs-bulletin.pdf" "$out/bulletin.png"
page1 "$work/b/综合党支部.pdf" "$out/branch-summary.png"

# 带图片的工作简报：第 2 页（照片和图注）
"$JIANBAO" render data/photo-briefing.yaml -t bulletin -f pdf -o "$work/r" >/dev/null
pageN "$work/r/photo-briefing-bulletin.pdf" 2 "$out/images-bulletin.png"

# PDF 与 Word 文档对照：同一份数据生成 PDF 和 DOCX（字体嵌入文档，
# 这样 LibreOffice 用的字体与 PDF 相同），DOCX 由 LibreOffice 转成 PDF，
# 两者的第一页左右并排。
"$JIANBAO" render data/county-civil-affairs.yaml -t half-year --docx-fonts embed -o "$work/d" >/dev/null
soffice -env:UserInstallation="file://$work/lo-profile" --headless \
  --convert-to pdf --outdir "$work/lo" "$work/d/county-civil-affairs-half-year.docx" >/dev/null 2>&1
page1 "$work/d/county-civil-affairs-half-year.pdf" "$work/left.png"
page1 "$work/lo/county-civil-affairs-half-year.pdf" "$work/right.png"
pngtopnm "$work/left.png" | pnmpad -white -right 12 > "$work/left.pnm"
pngtopnm "$work/right.png" > "$work/right.pnm"
pnmcat -white -lr "$work/left.pnm" "$work/right.pnm" | pnmtopng -compression 9 > "$out/pdf-vs-docx.png"

if command -v optipng >/dev/null; then
  optipng -quiet -o5 "$out"/*.png
fi
ls -l "$out"
