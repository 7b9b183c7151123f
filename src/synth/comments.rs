//! Synthetic free-text answers: about 30 % of respondents write a comment of
//! one to four sentences on the themes of the eight categories, some naming a
//! colleague (佐藤さん, 田中課長), a department of that year's org.csv (with or
//! without its 課), a job title, a phone number or a mail address, some with
//! words of harassment, of leaving the job or (rarely) of self-harm, and a few
//! more answer 「特になし」 (no comment). The harassment survey's respondents
//! comment too, more often when they experienced harassment.
//!
//! Comments draw from a stream of their own (seeded from the main seed, the
//! year and [`COMMENT_STREAM`]), after every answer was drawn: adding them
//! left every answer and every file's rows as they were.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::year::FiscalYear;
use crate::synth::org::SynthDept;
use crate::synth::people::{HarassmentPerson, Person};

/// Mixed into the seed of the comments' own stream ("comments").
const COMMENT_STREAM: u64 = 0x636F_6D6D_656E_7473;

/// Share of the attitude survey's respondents who write a comment.
const COMMENT_SHARE: f64 = 0.30;

/// Share who write something that says nothing (「特になし」), besides.
const NOTHING_SHARE: f64 = 0.05;

/// What respondents write when they have nothing to say.
const NOTHING: [&str; 6] = ["特になし", "特になし。", "なし", "特にありません。", "-", "とくになし"];

/// Sentences on each category's theme (DESIGN §3 order).
const THEMES: [&[&str]; 8] = [
    // 自己成長
    &[
        "研修の機会をもっと増やしてほしいです。",
        "業務に必要なスキルを学ぶ時間が取れません。",
        "資格取得の支援制度があると励みになります。",
        "将来のキャリアについて相談できる場がほしい。",
        "オンライン研修は受けやすくて助かっています。",
    ],
    // 職務
    &[
        "市民の役に立っていると感じられる仕事にやりがいを感じています。",
        "仕事の進め方にもう少し裁量があるとよいと思います。",
        "自分の適性に合った業務内容になるよう異動の希望を聞いてほしい。",
        "窓口業務は大変ですが達成感があります。",
    ],
    // 人間関係
    &[
        "係内の雰囲気が良く、相談しやすいです。",
        "挨拶や感謝の言葉が自然に出る職場で働きやすいです。",
        "忙しい時期は職場の会話が減り、人間関係がぎくしゃくします。",
        "上司とのコミュニケーションがもっと取れるとよいと思います。",
    ],
    // 支援
    &[
        "異動してきたばかりで、OJTで教えてもらえる時間が足りません。",
        "困ったときに同僚がすぐ助けてくれるので心強いです。",
        "新人のフォロー体制を係として整えてほしいです。",
        "悩みを相談できる窓口がどこにあるのか分かりにくい。",
    ],
    // 承認
    &[
        "人事評価の結果とその理由をもっと具体的に説明してほしい。",
        "頑張っても評価されていないと感じることがあります。",
        "成果を上げたときに認めてもらえると次の意欲につながります。",
        "職員の意見が尊重される仕組みがほしいです。",
    ],
    // 健康
    &[
        "ストレスが多く、疲れが翌日まで残ることがあります。",
        "睡眠時間が十分に取れない時期が続いています。",
        "心身の健康のため、メンタルヘルスの相談をしやすくしてほしい。",
        "体調を崩して休職する職員が増えているように感じます。",
    ],
    // 環境
    &[
        "業務量が多く、休暇を取りにくいと感じます。",
        "時間外勤務が特定の職員に偏っています。",
        "テレワークや在宅勤務をもっと使えるようにしてほしい。",
        "庁舎の空調とパソコンの性能を改善してほしい。",
        "育児と仕事を両立できるよう、時差出勤を広げてほしいです。",
        "人員が足りず、業務量に見合った配置になっていません。",
    ],
    // 組織風土
    &[
        "部署間の連携が弱く、縦割りを感じます。",
        "新しいことに挑戦するより前例を重視する風土があります。",
        "報告・連絡・相談が徹底されていないことがある。",
        "若手でも意見を言いやすい風通しの良い組織にしてほしい。",
    ],
];

/// Openings and closings that make comments longer and less alike.
const OPENINGS: [&str; 5] = [
    "いつもお疲れさまです。",
    "率直に書きます。",
    "日頃感じていることです。",
    "",
    "昨年度から気になっていることです。",
];
const CLOSINGS: [&str; 5] = ["よろしくお願いします。", "改善を期待しています。", "", "以上です。", "ご検討ください。"];

/// Surnames and given names planted as colleagues.
const SURNAMES: [&str; 10] = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"];
const GIVEN_NAMES: [&str; 6] = ["花子", "太郎", "美咲", "健一", "由美", "誠"];

/// Job titles planted alone or after a surname.
const TITLES: [&str; 6] = ["課長", "係長", "部長", "主査", "主任", "所長"];

/// Department names lose one of these endings to give the stem a comment may use (税務課 → 税務).
const DEPT_ENDINGS: [&str; 6] = ["総合支所", "事務局", "センター", "課", "部", "係"];

/// Sentences with harassment words.
const HARASSMENT: [&str; 4] = [
    "上司からのパワハラがつらく、誰にも相談できません。",
    "大勢の前で怒鳴られることがあり、職場に行くのが怖いです。",
    "特定の職員への嫌がらせを見かけたことがあります。",
    "窓口でのカスハラへの組織的な対応をお願いしたい。",
];

/// Sentences with words of leaving the job.
const LEAVING: [&str; 3] = [
    "このままでは辞めたいと考えています。",
    "正直なところ転職を考えています。",
    "若手の退職が続いているのが心配です。",
];

/// Sentences with words of self-harm (rare).
const SELF_HARM: [&str; 2] = ["消えてしまいたいと思うほど疲れています。", "死にたいと思った日もありました。"];

/// The harassment survey's comments.
const HARASSMENT_SURVEY: [&str; 6] = [
    "相談窓口が人事課の中にあるので相談しにくいです。",
    "研修で具体的な事例を紹介してほしい。",
    "ハラスメントを受けても、声を上げると不利になると感じます。",
    "カスタマーハラスメントから職員を守る方針を示してほしい。",
    "飲み会での発言がセクハラにあたらないか気になることがあります。",
    "防止の取組が形だけになっていないか心配です。",
];

fn one<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// A colleague as a comment names them: 佐藤さん, 田中課長, 鈴木 花子さん.
fn colleague(rng: &mut ChaCha8Rng) -> String {
    let surname = one(rng, &SURNAMES);
    match rng.random_range(0..4) {
        0 => format!("{surname}さん"),
        1 => format!("{surname}{}", one(rng, &TITLES)),
        2 => format!("{surname} {}さん", one(rng, &GIVEN_NAMES)),
        _ => format!("{surname}係長"),
    }
}

/// A department of the year as a comment names it: its name, or its stem without the ending.
fn department(rng: &mut ChaCha8Rng, depts: &[SynthDept]) -> String {
    let name = depts[rng.random_range(0..depts.len())].name.as_str();
    let stem = DEPT_ENDINGS.iter().find_map(|e| name.strip_suffix(e)).filter(|s| s.chars().count() >= 2);
    match stem {
        Some(stem) if rng.random::<f64>() < 0.5 => stem.to_string(),
        _ => name.to_string(),
    }
}

/// One planted sentence that the masking must hide, or `None` for most comments.
fn planted(rng: &mut ChaCha8Rng, depts: &[SynthDept]) -> Option<String> {
    let x = rng.random::<f64>();
    Some(if x < 0.10 {
        let who = colleague(rng);
        match rng.random_range(0..3) {
            0 => format!("{who}にはいつも助けてもらっています。"),
            1 => format!("{who}の指示が分かりにくく困っています。"),
            _ => format!("{who}が一人で業務を抱えていて心配です。"),
        }
    } else if x < 0.20 && !depts.is_empty() {
        let dept = department(rng, depts);
        match rng.random_range(0..3) {
            0 => format!("{dept}との調整に時間がかかりすぎます。"),
            1 => format!("{dept}の業務量が多すぎると思います。"),
            _ => format!("以前いた{dept}では相談しやすい雰囲気でした。"),
        }
    } else if x < 0.26 {
        format!("{}が忙しすぎて相談できません。", one(rng, &TITLES))
    } else if x < 0.29 {
        match rng.random_range(0..2) {
            0 => format!("詳しくは内線{}までご連絡ください。", rng.random_range(2000..8000)),
            _ => format!("連絡先は0229-{:02}-{:04}です。", rng.random_range(20..80), rng.random_range(0..10_000)),
        }
    } else if x < 0.31 {
        let user = ["k.sato", "yamada-t", "hr.voice", "n.tanaka"][rng.random_range(0..4)];
        format!("意見があれば{user}@city.example.lg.jp まで。")
    } else {
        return None;
    })
}

/// A sentence with words HR should read first, or `None` for most comments.
fn to_read_first(rng: &mut ChaCha8Rng) -> Option<&'static str> {
    let x = rng.random::<f64>();
    if x < 0.04 {
        Some(one(rng, &HARASSMENT))
    } else if x < 0.08 {
        Some(one(rng, &LEAVING))
    } else if x < 0.085 {
        Some(one(rng, &SELF_HARM))
    } else {
        None
    }
}

/// Joins sentences, now and then across a line break as a form's text box allows.
fn join(rng: &mut ChaCha8Rng, sentences: &[String]) -> String {
    let mut out = String::new();
    for s in sentences.iter().filter(|s| !s.is_empty()) {
        if !out.is_empty() && rng.random::<f64>() < 0.08 {
            out.push('\n');
        }
        out.push_str(s);
    }
    out
}

/// A comment on the attitude survey's first free-text question.
fn staff_comment(rng: &mut ChaCha8Rng, depts: &[SynthDept]) -> String {
    let mut sentences = vec![one(rng, &OPENINGS).to_string()];
    let themes = 1 + usize::from(rng.random::<f64>() < 0.45) + usize::from(rng.random::<f64>() < 0.15);
    for _ in 0..themes {
        let theme = THEMES[rng.random_range(0..THEMES.len())];
        sentences.push(one(rng, theme).to_string());
    }
    if let Some(s) = planted(rng, depts) {
        let at = rng.random_range(1..=sentences.len());
        sentences.insert(at, s);
    }
    if let Some(s) = to_read_first(rng) {
        sentences.push(s.to_string());
    }
    sentences.push(one(rng, &CLOSINGS).to_string());
    join(rng, &sentences)
}

/// The stream of one year's comments of one survey.
fn stream(seed: u64, year: FiscalYear, survey: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ COMMENT_STREAM ^ (u64::from(year.0.unsigned_abs()) << 8) ^ survey)
}

/// Gives about 30 % of one year's respondents (in export order) a comment,
/// and a few more an answer that says nothing.
pub fn draw_staff_comments(people: &mut [Person], depts: &[SynthDept], seed: u64, year: FiscalYear) {
    let mut rng = stream(seed, year, 1);
    for p in people.iter_mut() {
        let x = rng.random::<f64>();
        p.comment = if x < COMMENT_SHARE {
            Some(staff_comment(&mut rng, depts))
        } else if x < COMMENT_SHARE + NOTHING_SHARE {
            Some(one(&mut rng, &NOTHING).to_string())
        } else {
            None
        };
    }
}

/// Gives some of one year's harassment-survey respondents a comment: a
/// quarter of those who experienced harassment (H01 はい), a tenth of the others.
pub fn draw_harassment_comments(people: &mut [HarassmentPerson], depts: &[SynthDept], seed: u64, year: FiscalYear) {
    let mut rng = stream(seed, year, 2);
    for p in people.iter_mut() {
        let experienced = p.single.first().copied().flatten() == Some(0);
        let share = if experienced { 0.25 } else { 0.10 };
        p.comment = (rng.random::<f64>() < share).then(|| {
            let mut sentences = vec![one(&mut rng, &HARASSMENT_SURVEY).to_string()];
            if rng.random::<f64>() < 0.2 {
                let who = colleague(&mut rng);
                sentences.push(format!("{who}の言動が気になっています。"));
            }
            if let Some(s) = planted(&mut rng, depts).filter(|_| rng.random::<f64>() < 0.3) {
                sentences.push(s);
            }
            join(&mut rng, &sentences)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depts() -> Vec<SynthDept> {
        ["税務課", "保健センター", "鳴子総合支所"]
            .iter()
            .enumerate()
            .map(|(i, name)| SynthDept {
                code: format!("0{i}00"),
                name: name.to_string(),
                parent: None,
                headcount: 10,
                previous_codes: Vec::new(),
                weight: 1.0,
                lineage: i,
            })
            .collect()
    }

    #[test]
    fn comments_are_varied_and_plant_every_kind() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let depts = depts();
        let comments: Vec<String> = (0..3000).map(|_| staff_comment(&mut rng, &depts)).collect();
        let lengths: Vec<usize> = comments.iter().map(|c| c.chars().count()).collect();
        assert!(lengths.iter().min().copied().unwrap_or(0) < 30 && lengths.iter().max().copied().unwrap_or(0) > 100);
        for (what, planted) in [
            ("さん", "さん"),
            ("課長", "課長"),
            ("a department", "税務"),
            ("a stem without its ending", "鳴子"),
            ("a phone", "0229-"),
            ("an extension", "内線"),
            ("a mail", "@city.example.lg.jp"),
            ("harassment", "パワハラ"),
            ("leaving", "辞めたい"),
            ("a line break", "\n"),
        ] {
            assert!(comments.iter().any(|c| c.contains(planted)), "no comment with {what}");
        }
        let mut distinct = comments.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 2000, "{} distinct of 3000", distinct.len());
    }
}
