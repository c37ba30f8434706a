//! Hand-built sample Documents for `tests/docx_writer.rs`: a half-year
//! report, a work briefing with masthead and colophon, a media article —
//! every kind of block, written straight into the document model (no data
//! file, no template, no PDF layout).

#![allow(dead_code)]

/// Sample content (from the project's fictional sample data
/// `data/county-civil-affairs.yaml`).
mod content {
    pub const TITLE: &str = "党建引领兜底线 用心用情惠民生";
    pub const SUBTITLE: &str = "某某县民政局机关2025年上半年工作情况报告";
    pub const AUTHOR: &str = "吴静怡";
    pub const ORG: &str = "某某县民政局机关";
    pub const LEAD: &[&str] = &[
        "2025年上半年，县民政局机关坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大和二十届二中、三中全会精神，认真落实省、市民政工作会议和县委、县政府工作部署，以机关党建引领各项民政业务，把困难群众的基本生活保障放在首位，社会救助、养老服务、社会事务和基层治理等工作稳步推进，全局上下呈现出党建与业务互促共进的良好态势。",
        "现将上半年工作情况和下半年工作打算报告如下。",
    ];
    /// (heading, intro, [(point title, [paragraphs])])
    #[allow(clippy::type_complexity)]
    pub const SECTIONS: &[(&str, &str, &[(&str, &[&str])])] = &[
        (
            "坚持党建引领，筑牢民政为民的思想根基",
            "局机关党委把加强党的政治建设摆在首位，以党建工作质量的提升带动民政服务水平的提升。",
            &[
                (
                    "抓实理论武装",
                    &[
                        "严格落实“第一议题”制度，上半年局党组会议和理论学习中心组围绕习近平总书记关于民政工作的重要论述和重要指示精神开展学习近20次，每次学习后结合分管工作提出贯彻措施。",
                        "扎实开展深入贯彻中央八项规定精神学习教育，各党支部通过集中研读、书记讲党课、观看警示教育片等形式组织学习，推动党员干部把纪律要求转化为日常习惯。依托“学习强国”和干部网络学院开展线上学习，机关党员人均完成网络学习40学时以上。",
                    ],
                ),
                (
                    "夯实支部基础",
                    &[
                        "按照党支部标准化规范化建设要求，局机关党委对6个党支部的组织设置、活动阵地和工作台账逐一对照检查，指导养老服务党支部按期完成换届选举。",
                        "各党支部坚持“三会一课”、主题党日和组织生活会制度，结合业务特点开展集中学习、走访慰问、志愿服务等活动30余次，党员干部参与700余人次。推行党员积分管理，把参加组织生活、志愿服务和岗位工作实绩纳入积分，积分结果作为评先评优的重要依据，党员参与组织生活的主动性明显提高。",
                    ],
                ),
                (
                    "从严正风肃纪",
                    &[
                        "聚焦低保、特困供养、养老服务补贴等群众关注的资金，开展民政领域群众身边不正之风和腐败问题集中整治，对2024年以来各类救助资金发放情况开展全面自查，发现并整改问题13个，追回违规领取资金约4.6万元。",
                        "组织机关干部观看警示教育片2次，对新提拔和新进人员开展廉政谈话11人次，在婚姻登记、殡葬服务等窗口公开办事流程和收费标准，主动接受群众监督。",
                    ],
                ),
            ],
        ),
        (
            "兜牢民生底线，提升社会救助精准度",
            "坚持应保尽保、应救尽救，健全分层分类的社会救助体系，让困难群众的基本生活有保障、有温度。",
            &[
                (
                    "规范低保管理",
                    &[
                        "全县在册城乡低保对象3260余户5900余人，上半年累计发放低保金约2140万元，城市、农村低保标准分别提高到每人每月760元、每人每年6100元，均按时足额发放到户。",
                        "严格执行低保审核确认办法，组织乡镇民政干部对1260余户低保家庭开展入户核查“回头看”，重点核对家庭收入、财产和赡养情况，新增纳入186户，停发或调整142户，做到有进有出、动态管理。对重病、重残等特殊情况实行“单人户”施保，避免因家庭整体收入超标而漏保。",
                    ],
                ),
                (
                    "提升特困供养质量",
                    &[
                        "全县共有特困人员420余人，其中集中供养156人、分散供养260余人，上半年发放特困供养金约330万元。对分散供养对象逐一落实照料服务人，签订委托照料协议，签约率达到100%。",
                        "组织乡镇每季度至少对分散供养对象探访1次，重点了解饮食起居、就医和住房安全情况，对发现的问题即时交办、限期解决，生活不能自理的特困人员优先安排入住县社会福利院集中照护。",
                    ],
                ),
                (
                    "完善临时救助和主动发现机制",
                    &[
                        "落实“先救助、后审批”，对遭遇突发事件、意外伤害导致生活暂时困难的群众及时给予救助，上半年实施临时救助380余人次，发放救助金约86万元。",
                        "依托低收入人口动态监测信息平台，将低保边缘家庭、刚性支出困难家庭纳入常态化监测，共监测低收入人口1.1万余人，推送预警信息240余条，均已核实处置。在县、乡两级设立“救急难”服务窗口，公布求助热线，困难群众求助能够做到当天受理、及时响应。",
                    ],
                ),
            ],
        ),
        (
            "健全养老服务体系，增进老年人福祉",
            "面对人口老龄化加快的形势，坚持居家社区机构相协调、医养康养相结合，持续扩大普惠养老服务供给。",
            &[
                (
                    "发展居家社区养老服务",
                    &[
                        "全县60周岁以上老年人5.6万余人，占总人口的18%以上。上半年新建社区老年助餐点8个，全县累计建成12个，提供助餐服务约3.2万人次，让老年人在家门口吃上热乎饭。",
                        "实施特殊困难老年人家庭适老化改造140户，加装扶手、防滑地面和紧急呼叫设备。建立独居、空巢等特殊困难老年人探访关爱台账，由村（社区）干部和志愿者每月至少上门探访1次，及时发现并解决老年人生活中的困难。",
                    ],
                ),
                (
                    "提升机构养老服务水平",
                    &[
                        "推动乡镇敬老院转型为区域性养老服务中心，2所中心完成改造提升并投入运行，全县养老机构护理型床位占比提高到56%。",
                        "开展养老机构安全隐患排查整治，联合消防、市场监管等部门检查养老机构15家次，发现并整改消防、食品安全等方面问题27个。举办养老护理员技能培训2期，培训86人次，一线护理人员持证上岗率进一步提高。",
                    ],
                ),
                (
                    "落实老年人福利政策",
                    &[
                        "按时足额发放高龄津贴，上半年惠及80周岁以上老年人8600余人，发放资金约310万元。落实经济困难失能老年人护理补贴，通过与卫健、医保、残联等部门数据比对，实现符合条件人员“免申即享”，切实减少老年人跑腿次数。",
                        "联合公安、市场监管等部门开展防范养老诈骗宣传，组织离退休老党员走进社区讲解常见骗局，发放宣传资料3000余份，提醒老年人守好“养老钱”。",
                    ],
                ),
            ],
        ),
        (
            "优化社会事务服务，推进移风易俗",
            "以便民利民为导向，提升婚姻登记服务质量，稳步推进殡葬改革，引导群众树立文明新风。",
            &[
                (
                    "提升婚姻登记服务",
                    &[
                        "上半年办理结婚登记1160对、离婚登记310对，登记档案合格率100%。落实婚姻登记“跨省通办”，为外省户籍当事人办理登记96对，节约了群众往返户籍地的时间和费用。",
                        "在“5·20”等群众集中登记的日子延长服务时间，举办集体颁证仪式4场，邀请党员干部和道德模范为新人颁证寄语。婚姻家庭辅导室上半年开展婚姻家庭辅导近200人次，引导当事人理性处理婚姻家庭矛盾，其中经辅导后自愿撤回离婚申请的有37对。",
                        "结合移风易俗工作，在登记大厅设置婚俗改革宣传展板，向新人发放倡导婚事新办、抵制高价彩礼和大操大办的倡议书，推动文明婚俗理念深入人心。",
                    ],
                ),
                (
                    "稳步推进殡葬改革",
                    &[
                        "深化殡葬领域突出问题专项整治，对乱埋乱葬、违规建设大墓豪华墓等问题开展排查，整治问题点位23处。新建农村公益性公墓2个，群众安葬需求得到进一步满足。",
                        "清明节期间，倡导鲜花祭扫、网上祭扫、家庭追思等文明低碳祭扫方式，在公墓和主要祭扫点设立服务站7个，服务群众约2.3万人次，全县未发生因祭扫引发的火灾和安全事故。落实惠民殡葬政策，对城乡困难群众免除遗体接运、火化、骨灰寄存等基本殡葬服务费用，上半年减免费用约48万元。",
                        "加强殡葬服务机构监管，对县殡仪馆和经营性公墓的收费标准、服务项目进行公示检查，督促整改价格公示不规范等问题5个，引导群众丧事简办、厚养薄葬。",
                    ],
                ),
            ],
        ),
        (
            "加强基层治理，夯实城乡社区服务基础",
            "坚持党建引领基层治理，减轻基层负担，提升城乡社区服务能力，推动社会力量参与社区治理。",
            &[
                (
                    "推动村（社区）减负增效",
                    &[
                        "持续整治形式主义为基层减负，全面梳理村（社区）承担的工作事项，落实工作事项准入制度，清理不合理的证明事项17项，规范村（社区）挂牌和各类工作台账，让社区干部有更多时间走访服务群众。",
                        "建立村（社区）工作事项动态监测机制，对县直部门新增交由村（社区）承担的事项实行审核把关，上半年退回不符合准入要求的事项4项；对村（社区）各类考核评比进行合并精简，减少重复填表报数。",
                    ],
                ),
                (
                    "提升城乡社区服务能力",
                    &[
                        "推广积分制、清单制等治理方式，指导城乡社区围绕停车管理、环境整治等群众关心的问题开展议事协商160余次。举办社区工作者能力提升培训1期，培训社区干部60人次。",
                        "全县12个乡镇（街道）社工站实现全覆盖，驻站社工上半年开展入户探访、个案帮扶和小组活动520余次。培育发展社区社会组织35家，引导社会组织、社会工作者和志愿者共同参与社区服务。",
                    ],
                ),
                (
                    "规范社会组织和慈善事业管理",
                    &[
                        "全县登记社会组织186家，上半年完成年度报告166家，对连续两年未参加年报的9家社会组织依法作出处理。组织开展打击整治非法社会组织专项行动，及时清理“僵尸型”社会组织。",
                        "引导慈善组织聚焦困难群众急难需求开展帮扶，上半年全县慈善组织募集款物约130万元，用于困难学生助学、重病患者救助和独居老人关爱等项目，慈善事业与社会救助的衔接更加顺畅。",
                    ],
                ),
            ],
        ),
    ];
}

use jianbao::doc::ir::{Align, Block, Document, Meta, ParaKind, Run};

const CN: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn meta(title: &str, subject: &str) -> Meta {
    Meta {
        title: title.into(),
        author: content::AUTHOR.into(),
        subject: subject.into(),
        keywords: vec!["民政".into(), "上半年".into()],
        date: Some("2025-07-10".into()),
        lang: "zh-CN".into(),
    }
}

fn body(text: &str) -> Block {
    Block::Paragraph { kind: ParaKind::Body, text: vec![Run::plain(text)] }
}

/// A run-in paragraph: the point's title in bold, then the text.
fn run_in(title: &str, text: &str) -> Block {
    Block::Paragraph { kind: ParaKind::Body, text: vec![Run::bold(format!("{title}。")), Run::plain(text)] }
}

fn heading(level: u8, number: String, text: &str) -> Block {
    Block::Heading { level, number, text: vec![Run::plain(text)] }
}

/// The half-year report: title, lead, four level-1 sections with level-2
/// headings and run-in paragraphs, level 3/4 headings, a table, signature.
pub fn report() -> Document {
    let mut blocks = vec![
        Block::Title { lines: vec![content::TITLE.into()] },
        Block::Subtitle { text: vec![Run::plain(content::SUBTITLE)] },
        Block::Blank,
    ];
    blocks.extend(content::LEAD.iter().map(|p| body(p)));
    for (i, (title, intro, points)) in content::SECTIONS.iter().take(4).enumerate() {
        blocks.push(heading(1, format!("{}、", CN[i]), title));
        blocks.push(body(intro));
        for (j, (pt, paras)) in points.iter().enumerate() {
            if i == 1 {
                // Section two uses run-in titles instead of level-2 headings.
                blocks.push(run_in(pt, paras[0]));
                blocks.extend(paras[1..].iter().map(|p| body(p)));
                continue;
            }
            blocks.push(heading(2, format!("（{}）", CN[j]), pt));
            blocks.extend(paras.iter().map(|p| body(p)));
        }
        if i == 1 {
            blocks.push(heading(3, "1.".into(), "主要数据"));
            blocks.push(Block::Table {
                header: vec![vec![Run::plain("项目")], vec![Run::plain("上半年")], vec![Run::plain("说明")]],
                rows: vec![
                    vec![
                        vec![Run::plain("城乡低保对象")],
                        vec![Run::plain("5900余人")],
                        vec![Run::plain("3260余户，动态调整")],
                    ],
                    vec![
                        vec![Run::plain("发放低保金")],
                        vec![Run::plain("约2140万元")],
                        vec![Run::plain("按时足额发放到户")],
                    ],
                    vec![vec![Run::plain("特困人员")], vec![Run::plain("420余人")], vec![Run::plain("集中供养156人")]],
                    vec![
                        vec![Run::plain("临时救助")],
                        vec![Run::plain("380余人次")],
                        vec![Run::plain("发放救助金约86万元，“先救助、后审批”")],
                    ],
                ],
                widths: vec![0.3, 0.2, 0.5],
                align: vec![Align::Left, Align::Right, Align::Left],
            });
            blocks.push(heading(4, "（1）".into(), "监测预警"));
            blocks.push(body("依托低收入人口动态监测信息平台，对低保边缘家庭和刚性支出困难家庭开展常态化监测，预警信息均已核实处置。"));
        }
    }
    blocks.push(heading(1, "五、".into(), "下半年工作打算"));
    blocks.push(body("下半年，局机关将继续坚持党建引领，围绕兜底线、织密网、建机制，抓好各项民政重点工作落实，确保全年目标任务圆满完成。"));
    blocks.push(Block::Blank);
    blocks.push(Block::Signature {
        name: content::ORG.into(),
        date: "2025年7月10日".into(),
        name_right_indent: 2.0,
        date_right_indent: 4.5,
    });
    Document { meta: meta(content::TITLE, "half-year"), blocks }
}

/// The work briefing: masthead, article title, editor's note, body,
/// colophon at the foot of the last page.
pub fn briefing() -> Document {
    let mut blocks = vec![
        Block::Masthead {
            name: "民政工作简报".into(),
            issue: "第6期（总第41期）".into(),
            editor: "某某县民政局办公室编".into(),
            date: "2025年7月10日".into(),
        },
        Block::Title { lines: vec!["县民政局扎实推进".into(), "兜底保障和养老服务工作".into()] },
        Block::Blank,
        Block::Paragraph {
            kind: ParaKind::Note,
            text: vec![
                Run::bold("编者按："),
                Run::plain(
                    "今年以来，县民政局聚焦困难群众基本生活保障，推动社会救助和养老服务提质增效。现将有关做法刊发，供各单位学习借鉴。",
                ),
            ],
        },
    ];
    for (title, _intro, points) in content::SECTIONS.iter().skip(1).take(2) {
        let _ = title;
        for (pt, paras) in points.iter() {
            blocks.push(run_in(pt, paras[0]));
        }
    }
    blocks.push(Block::Colophon {
        lines: vec![
            vec![Run::plain("报：县委办公室，县政府办公室，市民政局。")],
            vec![Run::plain("送：县人大常委会办公室，县政协办公室。")],
            vec![Run::plain("发：各乡镇（街道）民政办，局机关各股室、局属各单位。")],
        ],
        copies: Some("（共印30份）".into()),
    });
    Document { meta: meta("民政工作简报第6期", "briefing"), blocks }
}

/// A media article: title, byline, body with run-in titles, contact block.
pub fn media() -> Document {
    let mut blocks = vec![
        Block::Title { lines: vec!["“家门口”助餐点暖了老人胃".into()] },
        Block::Byline { text: vec![Run::plain("通讯员　吴静怡")] },
        Block::Blank,
    ];
    let (_, _, points) = content::SECTIONS[2];
    for (pt, paras) in points.iter() {
        blocks.push(run_in(pt, paras[0]));
        blocks.extend(paras[1..].iter().map(|p| body(p)));
    }
    blocks.push(Block::Blank);
    for line in ["作者：吴静怡，某某县民政局办公室", "电话：0000-12345678", "邮箱：example@example.org"]
    {
        blocks.push(Block::Paragraph { kind: ParaKind::Contact, text: vec![Run::plain(line)] });
    }
    Document { meta: meta("“家门口”助餐点暖了老人胃", "media"), blocks }
}

/// The same document without its table and the heading announcing it
/// (gbcheck's `lines_per_page` counts only body-size text lines, so a full
/// page holding a 14 pt table never counts as 22 lines).
pub fn without_tables(mut doc: Document) -> Document {
    let table = doc.blocks.iter().position(|b| matches!(b, Block::Table { .. }));
    if let Some(i) = table {
        doc.blocks.remove(i);
        if i > 0 && matches!(doc.blocks[i - 1], Block::Heading { level: 3, .. }) {
            doc.blocks.remove(i - 1);
        }
    }
    doc
}
