//! A synthetic city organisation: 部 with their 課 (and 係 when many
//! departments are asked for), a few very small offices, headcounts, and
//! across the years one merger and one code change recorded in previous_codes.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::config::year::FiscalYear;

/// One department of the synthetic organisation in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthDept {
    /// Code (four or six digits, leading zeros kept).
    pub code: String,
    /// Japanese name.
    pub name: String,
    /// Index of the parent in the same year's list.
    pub parent: Option<usize>,
    /// Staff of the department itself.
    pub headcount: u32,
    /// Codes of the year before it continues (empty: same code).
    pub previous_codes: Vec<String>,
    /// Relative size used to spread respondents.
    pub weight: f64,
    /// Stable identity across years (for department effects).
    pub lineage: usize,
}

const BU: [(&str, &[&str]); 9] = [
    ("総務部", &["総務課", "人事課", "財政課", "契約管財課", "情報政策課", "防災安全課"]),
    ("市民協働推進部", &["政策課", "まちづくり推進課", "市民協働課", "地域振興課"]),
    ("市民生活部", &["市民課", "税務課", "収納対策課", "環境保全課", "保険年金課"]),
    ("福祉部", &["社会福祉課", "子育て支援課", "高齢介護課", "障害福祉課", "生活保護課"]),
    ("産業経済部", &["農林振興課", "商工振興課", "観光交流課", "企業誘致課"]),
    ("健康推進部", &["健康推進課", "保健センター", "医療対策課"]),
    ("建設部", &["道路課", "都市計画課", "建築住宅課", "公園緑地課", "下水道課"]),
    ("上下水道部", &["水道総務課", "給水課", "浄水課"]),
    ("教育委員会事務局", &["教育総務課", "学校教育課", "生涯学習課", "文化財課", "スポーツ推進課"]),
];
const SHISHO: [&str; 6] =
    ["松山総合支所", "三本木総合支所", "鹿島台総合支所", "岩出山総合支所", "鳴子総合支所", "田尻総合支所"];
const SHISHO_KA: [&str; 2] = ["地域振興課", "市民福祉課"];
/// Standalone offices; the weights make two of them very small.
const OFFICES: [(&str, f64); 5] = [
    ("会計課", 0.5),
    ("議会事務局", 0.5),
    ("農業委員会事務局", 0.35),
    ("監査委員事務局", 0.15),
    ("選挙管理委員会事務局", 0.1),
];
const KAKARI: [&str; 8] = ["庶務係", "企画係", "管理係", "業務係", "調整係", "指導係", "相談係", "推進係"];

/// Builds the first year's organisation with `count` departments.
pub fn base_org(count: usize, rng: &mut ChaCha8Rng) -> Vec<SynthDept> {
    let count = count.max(3);
    let mut depts: Vec<SynthDept> = Vec::new();
    let push = |depts: &mut Vec<SynthDept>, code: String, name: String, parent: Option<usize>, weight: f64| {
        let lineage = depts.len();
        depts.push(SynthDept { code, name, parent, headcount: 0, previous_codes: Vec::new(), weight, lineage });
        depts.len() - 1
    };
    // Plan the 部 and 課 first so the count is met whatever it is.
    let mut units: Vec<(String, Vec<String>, f64)> =
        BU.iter().map(|(bu, kas)| (bu.to_string(), kas.iter().map(|k| k.to_string()).collect(), 1.0)).collect();
    units.extend(SHISHO.iter().map(|s| (s.to_string(), SHISHO_KA.iter().map(|k| k.to_string()).collect(), 0.6)));
    let offices_wanted = OFFICES.len().min(count / 8);
    let mut remaining = count - offices_wanted;
    let mut bu_index = 0usize;
    let mut ka_parents: Vec<usize> = Vec::new();
    while remaining > 0 && bu_index < units.len() {
        let (bu, kas, w) = &units[bu_index];
        let bu_code = format!("{:02}00", bu_index + 1);
        // The 部 itself: only the director and a few staff.
        let p = push(&mut depts, bu_code, bu.clone(), None, 0.08 * w);
        remaining -= 1;
        for (k, ka) in kas.iter().enumerate() {
            if remaining == 0 {
                break;
            }
            let weight = w * rng.random_range(0.5..1.6);
            let c = push(&mut depts, format!("{:02}{:02}", bu_index + 1, k + 1), ka.clone(), Some(p), weight);
            ka_parents.push(c);
            remaining -= 1;
        }
        bu_index += 1;
    }
    for (i, (name, w)) in OFFICES.iter().take(offices_wanted).enumerate() {
        push(&mut depts, format!("9{:03}", i + 1), name.to_string(), None, *w * 0.25);
    }
    // More departments than 部 and 課 available: add 係 below the 課.
    let mut k = 0usize;
    while remaining > 0 && !ka_parents.is_empty() {
        let parent = ka_parents[k % ka_parents.len()];
        let nth = k / ka_parents.len();
        let code = format!("{}{:02}", depts[parent].code, nth + 1);
        let name = format!("{}{}", depts[parent].name.trim_end_matches('課'), KAKARI[nth % KAKARI.len()]);
        let weight = depts[parent].weight * rng.random_range(0.3..0.8);
        push(&mut depts, code, name, Some(parent), weight);
        remaining -= 1;
        k += 1;
    }
    depts
}

/// Returns the organisation of each year: drifting headcounts, a code change
/// in the second year and a merger in the third.
pub fn org_years(base: Vec<SynthDept>, years: &[FiscalYear]) -> Vec<Vec<SynthDept>> {
    let mut out: Vec<Vec<SynthDept>> = Vec::new();
    let mut current = base;
    for (i, _year) in years.iter().enumerate() {
        if i == 1 {
            current = change_code(current);
        }
        if i == 2 {
            current = merge(current);
        }
        out.push(current.clone());
        for d in &mut current {
            d.previous_codes.clear();
        }
    }
    out
}

/// Gives 情報政策課 (or the second 課 found) a new code and name.
fn change_code(mut depts: Vec<SynthDept>) -> Vec<SynthDept> {
    let target = depts
        .iter()
        .position(|d| d.name == "情報政策課")
        .or_else(|| depts.iter().enumerate().filter(|(_, d)| d.parent.is_some()).nth(1).map(|(i, _)| i));
    if let Some(i) = target {
        let old = depts[i].code.clone();
        let new_code = format!("{}9", &old[..old.len() - 1]);
        if depts.iter().all(|d| d.code != new_code) {
            depts[i].name = if depts[i].name == "情報政策課" {
                "DX推進課".into()
            } else {
                format!("{}（改編）", depts[i].name)
            };
            depts[i].previous_codes = vec![old.clone()];
            // Children keep their place; their codes stay.
            depts[i].code = new_code;
        }
    }
    depts
}

/// Merges 商工振興課 and 企業誘致課 (or the last two 課 of the first 部 with three) into one.
fn merge(depts: Vec<SynthDept>) -> Vec<SynthDept> {
    let pair =
        match (depts.iter().position(|d| d.name == "商工振興課"), depts.iter().position(|d| d.name == "企業誘致課"))
        {
            (Some(a), Some(b)) => Some((a, b)),
            _ => (0..depts.len()).find_map(|p| {
                let kids: Vec<usize> = (0..depts.len())
                    .filter(|&c| depts[c].parent == Some(p) && !depts.iter().any(|g| g.parent == Some(c)))
                    .collect();
                (kids.len() >= 3).then(|| (kids[kids.len() - 2], kids[kids.len() - 1]))
            }),
        };
    let Some((a, b)) = pair else { return depts };
    if depts.iter().any(|d| d.parent == Some(a) || d.parent == Some(b)) {
        return depts;
    }
    let new_code = format!("{}8", &depts[a].code[..depts[a].code.len() - 1]);
    if depts.iter().any(|d| d.code == new_code) {
        return depts;
    }
    let merged = SynthDept {
        code: new_code,
        name: if depts[a].name == "商工振興課" {
            "産業商工課".into()
        } else {
            format!("{}・{}", depts[a].name, depts[b].name)
        },
        parent: depts[a].parent,
        headcount: depts[a].headcount + depts[b].headcount,
        previous_codes: vec![depts[a].code.clone(), depts[b].code.clone()],
        weight: depts[a].weight + depts[b].weight,
        lineage: depts[a].lineage,
    };
    // Rebuild the list without b, with the merged department in a's place; fix parent indices.
    let mut out = Vec::with_capacity(depts.len() - 1);
    let mut new_index = vec![usize::MAX; depts.len()];
    for (i, d) in depts.iter().enumerate() {
        if i == b {
            continue;
        }
        new_index[i] = out.len();
        out.push(if i == a { merged.clone() } else { d.clone() });
    }
    for d in &mut out {
        d.parent = d.parent.map(|p| new_index[p]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn base_org_has_the_asked_count_and_valid_parents() {
        for count in [3, 10, 60, 200] {
            let mut rng = ChaCha8Rng::seed_from_u64(1);
            let org = base_org(count, &mut rng);
            assert_eq!(org.len(), count, "count {count}");
            for d in &org {
                if let Some(p) = d.parent {
                    assert!(p < org.len());
                }
            }
            let mut codes: Vec<&str> = org.iter().map(|d| d.code.as_str()).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), count);
        }
    }

    #[test]
    fn years_carry_one_code_change_and_one_merger() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let years: Vec<FiscalYear> = (2022..=2025).map(FiscalYear).collect();
        let orgs = org_years(base_org(60, &mut rng), &years);
        assert!(orgs[0].iter().all(|d| d.previous_codes.is_empty()));
        let changed: Vec<&SynthDept> = orgs[1].iter().filter(|d| !d.previous_codes.is_empty()).collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].name, "DX推進課");
        let merged: Vec<&SynthDept> = orgs[2].iter().filter(|d| !d.previous_codes.is_empty()).collect();
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].previous_codes.len(), 2);
        assert_eq!(orgs[2].len(), orgs[1].len() - 1);
        assert!(orgs[3].iter().all(|d| d.previous_codes.is_empty()));
    }
}
