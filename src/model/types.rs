//! The data contract (`shared/spec/data-model.md`) as typed structs.
//!
//! Field names are the contract users, templates and tests rely on: add,
//! never rename. Unknown fields are errors (`deny_unknown_fields`), so a
//! typo never silently drops content. The doc comment of every field is its
//! Chinese description in the JSON Schema (`jianbao schema`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::scalar::{Count, Date, List, Month, Number, Text};

/// 一份数据文件：一个单位在一个时期的工作情况。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// 单位（必填）。
    pub organization: Organization,
    /// 时期（必填）。
    pub period: Period,
    /// 成文日期，格式 YYYY-MM-DD；落款日期和文档日期都取它。
    #[serde(default)]
    pub date: Option<Date>,
    /// 标题；不写时由模板按单位和时期生成。
    #[serde(default)]
    pub title: Option<Text>,
    /// 副标题（可选）。
    #[serde(default)]
    pub subtitle: Option<Text>,
    /// 作者（媒体投稿的署名）。
    #[serde(default)]
    pub author: Option<Text>,
    /// 导语 / 开头段落；空一行另起一段。
    #[serde(default)]
    pub lead: Option<Text>,
    /// 正文各部分，按顺序排列（“一、”等序号由样式生成，不要自己写）。
    #[serde(default)]
    pub sections: Vec<Section>,
    /// 成效、荣誉、肯定。
    #[serde(default)]
    pub achievements: Vec<Achievement>,
    /// 活动台账：每项活动一行。
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// 数据指标，可在正文中引用。
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// 媒体报道 / 刊发稿件。
    #[serde(default)]
    pub coverage: Vec<Coverage>,
    /// 存在的问题，每条一段。
    #[serde(default)]
    pub problems: Vec<Text>,
    /// 下步打算。
    #[serde(default)]
    pub plans: Vec<Plan>,
    /// 党支部：支部工作总结按支部逐个生成。
    #[serde(default)]
    pub branches: Vec<Branch>,
    /// 工作简报的报头和报尾。
    #[serde(default)]
    pub bulletin: Option<Bulletin>,
    /// 简报收录的其他短文（可选），排在主文之后。
    #[serde(default)]
    pub articles: Vec<Article>,
    /// 媒体投稿文末的联系方式。
    #[serde(default)]
    pub contact: Option<Contact>,
    /// 落款；不写时用单位全称和成文日期。
    #[serde(default)]
    pub signature: Option<Signature>,
}

/// 单位。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// 单位全称（必填），用于标题和落款，如“某某县民政局机关”。
    pub name: Text,
    /// 简称，用于正文，如“县民政局机关”。
    #[serde(default)]
    pub short: Option<Text>,
}

/// 时期。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// 时期在文中的写法（必填），如“2025年上半年”。
    pub label: Text,
    /// 开始日期（可选）；写了开始和结束日期，超出时期的活动会得到警告。
    #[serde(default)]
    pub start: Option<Date>,
    /// 结束日期（可选）。
    #[serde(default)]
    pub end: Option<Date>,
}

/// 正文的一个部分（一级标题）。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// 标题，如“强化理论武装，筑牢思想根基”（序号由样式添加）。
    pub title: Text,
    /// 标题下的引言段落（可选）。
    #[serde(default)]
    pub intro: Option<Text>,
    /// 要点：每点一个加粗的引领句和正文。
    #[serde(default)]
    pub points: Vec<Point>,
    /// 图片（可选）：排在本部分所有要点之后。
    #[serde(default)]
    pub images: Vec<Image>,
}

/// 一个要点：加粗的引领句（或三级标题）和正文。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Point {
    /// 引领句，如“健全学习机制”，排为加粗的段首句。
    pub title: Text,
    /// 正文，一段或多段；空一行另起一段。
    #[serde(default)]
    pub text: Option<Text>,
    /// 图片（可选）：排在这一点的正文之后，图注在图片下方居中。
    #[serde(default)]
    pub images: Vec<Image>,
}

/// 一张图片（照片），如工作简报、媒体投稿中的“图为……”。图片文件须是 PNG 或 JPEG（按文件内容判断，不看扩展名），且在数据文件所在的文件夹或模板文件夹之内。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// 图片文件的路径，相对于数据文件所在的文件夹，如 photos/a.jpg。
    pub path: Text,
    /// 图注（可选），如“图为党员志愿者走访慰问困难群众”；排在图片下方居中，楷体。
    #[serde(default)]
    pub caption: Option<Text>,
    /// 宽度（可选）：占版心宽度（156 毫米）的比例，大于 0、不超过 1 的小数，如 0.6；不写为 0.75（竖幅照片最高半页）。高度按整行取齐，实际宽度可能略小。
    #[serde(default)]
    pub width: Option<Number>,
}

/// 一项成效、荣誉或肯定。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Achievement {
    /// 名称，如“全县‘模范机关’创建先进单位”。
    pub title: Text,
    /// 类别：honor（荣誉）、recognition（肯定）、result（成果），也可写其他文字。
    #[serde(default)]
    pub kind: Option<Text>,
    /// 级别：国家级、省级、州级/市级、县级等。
    #[serde(default)]
    pub level: Option<Text>,
    /// 授予或肯定的机关。
    #[serde(default)]
    pub by: Option<Text>,
    /// 日期，YYYY-MM 或 YYYY-MM-DD。
    #[serde(default)]
    pub date: Option<Month>,
    /// 获得者：单位或个人。
    #[serde(default)]
    pub recipient: Option<Text>,
    /// 人数或项数，如 3（3名干部受到表彰）。
    #[serde(default)]
    pub count: Option<Count>,
}

/// 活动台账的一行。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// 日期，YYYY-MM-DD。
    pub date: Date,
    /// 活动名称。
    pub title: Text,
    /// 类型：主题党日、专题调研、走访、培训等。
    #[serde(default)]
    pub kind: Option<Text>,
    /// 所属党支部，须与 branches 中某个支部的 name 相同。
    #[serde(default)]
    pub branch: Option<Text>,
    /// 参加人次。
    #[serde(default)]
    pub participants: Option<Count>,
    /// 地点。
    #[serde(default)]
    pub place: Option<Text>,
    /// 一句话概述。
    #[serde(default)]
    pub summary: Option<Text>,
}

/// 一个数据指标。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// 供模板引用的标识（可选），如 surveys。
    #[serde(default)]
    pub key: Option<Text>,
    /// 名称，如“专题调研”。
    pub label: Text,
    /// 数值：整数或小数，只写数字。
    pub value: Number,
    /// 单位：次、人次、万元、件、篇等。
    #[serde(default)]
    pub unit: Option<Text>,
    /// 限定词：余（20余次）、多（20多次）、近（近20次）、约、超、逾。
    #[serde(default)]
    pub qualifier: Option<Text>,
}

/// 一篇媒体报道或刊发稿件。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// 稿件标题（不带书名号）。
    pub title: Text,
    /// 媒体，如“贵州日报”。
    pub outlet: Text,
    /// 刊发日期，YYYY-MM 或 YYYY-MM-DD。
    #[serde(default)]
    pub date: Option<Month>,
    /// 媒体级别：国家级、省级、州级/市级等。
    #[serde(default)]
    pub level: Option<Text>,
}

/// 一项下步打算。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// 引领句，如“持续深化理论武装”。
    pub title: Text,
    /// 正文。
    #[serde(default)]
    pub text: Option<Text>,
}

/// 一个党支部。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// 支部名称（必填，且不能重复），如“第一党支部”。
    pub name: Text,
    /// 支部书记。
    #[serde(default)]
    pub secretary: Option<Text>,
    /// 党员人数。
    #[serde(default)]
    pub members: Option<Count>,
    /// 支部工作概述。
    #[serde(default)]
    pub summary: Option<Text>,
    /// 工作亮点。
    #[serde(default)]
    pub highlights: Vec<Point>,
    /// 存在的问题。
    #[serde(default)]
    pub problems: Vec<Text>,
    /// 下步打算。
    #[serde(default)]
    pub plans: Vec<Plan>,
}

/// 工作简报的报头和报尾。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bulletin {
    /// 报头名称（红色），如“机关党建工作简报”。
    pub name: Text,
    /// 期号：第几期。
    pub issue: Count,
    /// 总期号（可选）：总第几期。
    #[serde(default)]
    pub total_issue: Option<Count>,
    /// 编印单位。
    pub editor: Text,
    /// 编者按（可选），排在主文之前。
    #[serde(default)]
    pub note: Option<Text>,
    /// 报：上报的机关。
    #[serde(default)]
    pub report_to: List<Text>,
    /// 送：送达的机关或人员。
    #[serde(default)]
    pub send_to: List<Text>,
    /// 发：下发的范围。
    #[serde(default)]
    pub distribute_to: List<Text>,
    /// 印数：共印几份。
    #[serde(default)]
    pub copies: Option<Count>,
}

/// 简报收录的一篇短文。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// 标题。
    pub title: Text,
    /// 作者或供稿单位（可选）。
    #[serde(default)]
    pub author: Option<Text>,
    /// 正文；空一行另起一段。
    pub text: Text,
}

/// 媒体投稿的联系方式。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// 联系人。
    #[serde(default)]
    pub name: Option<Text>,
    /// 单位。
    #[serde(default)]
    pub unit: Option<Text>,
    /// 电话（请加引号，如 "0855-0000000"）。
    #[serde(default)]
    pub phone: Option<Text>,
    /// 电子邮箱。
    #[serde(default)]
    pub email: Option<Text>,
}

/// 落款。
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// 署名，如“中共某某县民政局机关委员会”；不写时用单位全称。
    pub name: Text,
}
