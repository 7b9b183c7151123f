//! The harassment survey per group: for each question, the share of each
//! choice (or the scale score) among those who answered it, for the whole
//! organisation and every department subtree, under the harassment survey's
//! own k and the same differencing rule along the department tree. Below the
//! whole organisation each share also needs 5 respondents who chose its
//! answer and 5 who did not, both counts again under the differencing rule
//! (DESIGN §5 "Harassment answers"; [`share_rule`]).

use std::collections::HashMap;

use polars::prelude::*;

use crate::aggregate::model::{
    ALL, HARASSMENT_SHARE_MIN, HarassmentFigures, HarassmentGroup, HarassmentYear, HiddenReason, Published,
    QuestionFigures, QuestionResult,
};
use crate::aggregate::scores::{Groups, ordered_join};
use crate::aggregate::suppression::Layout;
use crate::config::org::{Org, OrgYear};
use crate::config::survey::{HarassmentSurvey, Question, QuestionKind, Scale};
use crate::config::year::FiscalYear;
use crate::ingest::harassment::choice_column;

/// Choices meaning "does not apply": left out of the base of a question's shares.
pub const NOT_APPLICABLE: [&str; 3] = ["該当なし", "非該当", "該当しない"];

/// Aggregates the harassment survey for every year it has responses.
pub fn aggregate_harassment(
    df: &DataFrame,
    survey: &HarassmentSurvey,
    scale: &Scale,
    org: &Org,
) -> PolarsResult<HashMap<i32, HarassmentYear>> {
    let span = (scale.max - scale.min) as f64;
    // Each question's columns to add up per group: those it counts (answered,
    // not 「該当なし」) and each choice chosen, or the scale's score and
    // favorable answers; 1.0 or 0.0 per respondent, but for the scores.
    let mut summands: Vec<(String, Float64Chunked)> = Vec::new();
    let counted = |b: BooleanChunked| -> PolarsResult<Float64Chunked> {
        Ok(b.fill_null_with_values(false)?.cast(&DataType::Float64)?.f64()?.clone())
    };
    for (qi, q) in survey.questions.iter().enumerate() {
        match q.kind {
            QuestionKind::Single => {
                let answers = df.column(q.id.as_str())?.str()?;
                // 「該当なし」 is not an answer to count: a share of those who consulted is
                // among those it applies to.
                let mut applies = answers.is_not_null();
                for c in q.choices.iter().filter(|c| NOT_APPLICABLE.contains(&c.as_str())) {
                    applies = &applies & &answers.not_equal(c.as_str()).fill_null_with_values(false)?;
                }
                summands.push((format!("q{qi}"), counted(applies)?));
                for (ci, c) in q.choices.iter().enumerate() {
                    summands.push((format!("q{qi}c{ci}"), counted(answers.equal(c.as_str()))?));
                }
            }
            QuestionKind::Multiple => {
                let first = df.column(&choice_column(&q.id, &q.choices[0]))?;
                summands.push((format!("q{qi}"), counted(first.is_not_null())?));
                for (ci, c) in q.choices.iter().enumerate() {
                    let chosen = df.column(&choice_column(&q.id, c))?.bool()?;
                    summands.push((format!("q{qi}c{ci}"), counted(chosen.clone())?));
                }
            }
            QuestionKind::Scale => {
                let v = df.column(q.id.as_str())?.cast(&DataType::Float64)?;
                let v = v.f64()?;
                summands.push((format!("q{qi}"), counted(v.is_not_null())?));
                let score = (v - scale.min as f64) * 100.0 / span;
                summands.push((format!("q{qi}s"), score.fill_null_with_values(0.0)?));
                summands.push((format!("q{qi}f"), counted(v.gt_eq(scale.favorable as f64))?));
            }
        }
    }
    let mut names: Vec<String> = vec!["rows".into()];
    names.extend(summands.iter().map(|(name, _)| name.clone()));
    let by_department = Groups::new(df, &["year", "department"])?;
    let mut sums = vec![by_department.rows("rows").cast(&DataType::Float64)?];
    for (name, values) in summands {
        sums.push(by_department.sum(&name, values)?);
    }
    let leaves = by_department.frame(sums)?;

    // Roll up: each department into itself, its ancestors and ALL.
    let (mut ys, mut ds, mut gs) = (Vec::new(), Vec::new(), Vec::new());
    for (year, o) in &org.years {
        for (i, d) in o.departments.iter().enumerate() {
            for a in o.ancestors(i).into_iter().map(|a| o.departments[a].code.clone()).chain([ALL.to_string()]) {
                ys.push(year.0);
                ds.push(d.code.clone());
                gs.push(a);
            }
        }
    }
    let n = ys.len();
    let members = DataFrame::new(
        n,
        vec![Column::new("year".into(), ys), Column::new("department".into(), ds), Column::new("group".into(), gs)],
    )?;
    let joined = leaves.join(&members, ["year", "department"], ["year", "department"], ordered_join(), None)?;
    let rolled = Groups::new(&joined, &["year", "group"])?.sum_columns(&joined, &names)?;
    let table = |df: &DataFrame, key: &str| -> PolarsResult<HashMap<(i32, String), Vec<f64>>> {
        let years = df.column("year")?.i32()?.clone();
        let keys = df.column(key)?.str()?.clone();
        let cols: Vec<Vec<f64>> = names
            .iter()
            .map(|n| Ok(df.column(n)?.cast(&DataType::Float64)?.f64()?.iter().map(|v| v.unwrap_or(0.0)).collect()))
            .collect::<PolarsResult<_>>()?;
        Ok((0..df.height())
            .map(|r| {
                (
                    (years.get(r).unwrap_or(0), keys.get(r).unwrap_or("").to_string()),
                    cols.iter().map(|c| c[r]).collect(),
                )
            })
            .collect())
    };
    let groups = table(&rolled, "group")?;
    let own = table(&leaves, "department")?;

    let mut out = HashMap::new();
    let years: Vec<i32> = {
        let mut y: Vec<i32> = groups.keys().map(|k| k.0).collect();
        y.sort_unstable();
        y.dedup();
        y
    };
    for year in years {
        let Some(o) = org.year(FiscalYear(year)) else { continue };
        out.insert(year, year_result(year, o, survey, &groups, &own, &names));
    }
    Ok(out)
}

fn year_result(
    year: i32,
    o: &OrgYear,
    survey: &HarassmentSurvey,
    groups: &HashMap<(i32, String), Vec<f64>>,
    own: &HashMap<(i32, String), Vec<f64>>,
    names: &[String],
) -> HarassmentYear {
    let k = survey.min_group_size;
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let column = |name: &str| index.get(name).copied();
    // Parts: ALL and each department with respondents (printable, in the order
    // the tables list them), then each department's own respondents.
    let codes: Vec<String> = std::iter::once(ALL.to_string())
        .chain(o.departments.iter().map(|d| d.code.clone()))
        .filter(|c| groups.get(&(year, c.clone())).is_some_and(|v| v[0] >= 1.0))
        .collect();
    let part_of: HashMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let all_part = part_of.get(ALL).copied();
    let mut values: Vec<&Vec<f64>> = codes.iter().filter_map(|c| groups.get(&(year, c.clone()))).collect();
    let mut printable = vec![true; codes.len()];
    let mut own_part: HashMap<&str, usize> = HashMap::new();
    for d in &o.departments {
        if let Some(v) = own.get(&(year, d.code.clone())).filter(|v| v[0] >= 1.0) {
            own_part.insert(d.code.as_str(), values.len());
            values.push(v);
            printable.push(false);
        }
    }
    let mut splits: Vec<Vec<usize>> =
        vec![o.roots().into_iter().filter_map(|r| part_of.get(o.departments[r].code.as_str()).copied()).collect()];
    for (i, d) in o.departments.iter().enumerate() {
        if !part_of.contains_key(d.code.as_str()) {
            continue;
        }
        let mut split: Vec<usize> =
            o.children[i].iter().filter_map(|&c| part_of.get(o.departments[c].code.as_str()).copied()).collect();
        split.extend(own_part.get(d.code.as_str()));
        splits.push(split);
    }
    splits.retain(|s| !s.is_empty());
    let layout = Layout::new(printable, splits);
    let measure_of =
        |col: Option<usize>| -> Vec<u64> { values.iter().map(|v| col.map_or(0, |c| v[c].max(0.0) as u64)).collect() };

    // Groups by rows, then each question by the respondents it counts.
    let rows = measure_of(Some(0));
    let mut hidden = layout.below_k(k, &rows);
    layout.difference(k, &rows, &mut hidden);
    let questions_hidden: Vec<Vec<Option<HiddenReason>>> = (0..survey.questions.len())
        .map(|qi| {
            let m = measure_of(column(&format!("q{qi}")));
            let mut h = layout.below_k_within(k, &m, &hidden);
            layout.difference(k, &m, &mut h);
            h
        })
        .collect();
    // Then each share by those who chose its answer and those who did not.
    let shares_hidden: Vec<Vec<Vec<Option<HiddenReason>>>> = survey
        .questions
        .iter()
        .enumerate()
        .map(|(qi, q)| {
            let answered = measure_of(column(&format!("q{qi}")));
            let sides = |ci: usize| {
                let chosen = measure_of(column(&format!("q{qi}c{ci}")));
                let not_chosen: Vec<u64> = answered.iter().zip(&chosen).map(|(a, c)| a.saturating_sub(*c)).collect();
                [chosen, not_chosen]
            };
            let base = published_choices(q);
            match q.kind {
                QuestionKind::Scale => Vec::new(),
                // The shares add up to 100 %: one withheld share could be worked
                // out from the others, so they go together.
                QuestionKind::Single => {
                    let measures: Vec<Vec<u64>> = base.iter().flat_map(|&ci| sides(ci)).collect();
                    let h = share_rule(&layout, &measures, &questions_hidden[qi], all_part);
                    vec![h; base.len()]
                }
                QuestionKind::Multiple => {
                    base.iter().map(|&ci| share_rule(&layout, &sides(ci), &questions_hidden[qi], all_part)).collect()
                }
            }
        })
        .collect();

    let result = codes
        .iter()
        .enumerate()
        .map(|(gi, code)| {
            let (name, depth) = match o.find(code) {
                Some(i) => (o.departments[i].name.clone(), o.ancestors(i).len()),
                None => ("全体".to_string(), 0),
            };
            let v = values[gi];
            let get = |n: String| column(&n).map(|i| v[i]).unwrap_or(0.0);
            let visibility = match hidden[gi] {
                Some(reason) => Published::withheld(reason, k),
                None => {
                    let questions = survey
                        .questions
                        .iter()
                        .enumerate()
                        .map(|(qi, q)| {
                            let answered = get(format!("q{qi}"));
                            let published = published_choices(q);
                            let choices = match q.kind {
                                QuestionKind::Scale => Vec::new(),
                                _ => published.iter().map(|&ci| q.choices[ci].clone()).collect(),
                            };
                            let visibility = match questions_hidden[qi][gi] {
                                Some(reason) => Published::withheld(reason, k),
                                None => Published::Shown(match q.kind {
                                    QuestionKind::Scale => QuestionFigures {
                                        answered: answered as u64,
                                        shares: Vec::new(),
                                        // Σ (v − min) × 100 / span over those who answered.
                                        score: Some(get(format!("q{qi}s")) / answered),
                                        favorable: Some(get(format!("q{qi}f")) / answered * 100.0),
                                    },
                                    _ => QuestionFigures {
                                        answered: answered as u64,
                                        shares: published
                                            .iter()
                                            .zip(&shares_hidden[qi])
                                            .map(|(ci, h)| match h[gi] {
                                                Some(reason) => Published::withheld(reason, k),
                                                None => Published::Shown(get(format!("q{qi}c{ci}")) / answered * 100.0),
                                            })
                                            .collect(),
                                        score: None,
                                        favorable: None,
                                    },
                                }),
                            };
                            QuestionResult { id: q.id.clone(), text: q.text.clone(), choices, visibility }
                        })
                        .collect();
                    Published::Shown(HarassmentFigures { respondents: v[0] as u64, questions })
                }
            };
            HarassmentGroup { department: code.clone(), department_name: name, depth, visibility }
        })
        .collect();
    HarassmentYear { min_group_size: k, groups: result }
}

/// Returns the indices of a question's choices whose shares are published
/// (「該当なし」 is neither published nor in the base).
fn published_choices(q: &Question) -> Vec<usize> {
    (0..q.choices.len()).filter(|&ci| !NOT_APPLICABLE.contains(&q.choices[ci].as_str())).collect()
}

/// DESIGN §5's rule for harassment shares, for one share (or the shares of a
/// single-choice question together), over every part of the year.
///
/// `measures` are the respondents who chose each answer and those who did
/// not. A printable part is hidden with its group or question, and below the
/// whole organisation (`all`) when any measure is under
/// [`HARASSMENT_SHARE_MIN`]: then no share of it is printed, so both its
/// counts are hidden. Then the differencing rule runs on each measure in
/// turn, in the order given, with a department's own respondents hidden
/// exactly when that measure is under [`HARASSMENT_SHARE_MIN`] (§5: the
/// own-respondents part is hidden by its measure alone); and again over all
/// measures until none hides more, since a part hidden for one count can
/// leave a split unsafe for another.
pub(crate) fn share_rule(
    layout: &Layout,
    measures: &[Vec<u64>],
    question: &[Option<HiddenReason>],
    all: Option<usize>,
) -> Vec<Option<HiddenReason>> {
    let k = HARASSMENT_SHARE_MIN as u64;
    let mut hidden: Vec<Option<HiddenReason>> = question
        .iter()
        .enumerate()
        .map(|(p, q)| {
            q.or_else(|| {
                (layout.printable(p) && Some(p) != all && measures.iter().any(|m| m[p] < k))
                    .then_some(HiddenReason::SmallCount)
            })
        })
        .collect();
    loop {
        let mut hid = 0;
        for m in measures {
            for (p, h) in hidden.iter_mut().enumerate().filter(|(p, _)| !layout.printable(*p)) {
                *h = (m[p] < k).then_some(HiddenReason::SmallCount);
            }
            hid += layout.difference(HARASSMENT_SHARE_MIN, m, &mut hidden);
        }
        if hid == 0 {
            return hidden;
        }
    }
}

#[cfg(test)]
mod tests {
    //! DESIGN §5's rule for harassment shares on a small organisation worked
    //! out by hand (k of the survey = 5): 0100 (no own respondents) over 0101
    //! and 0102; 0200 (6 own respondents) over 0201; 0300 (7 own) over 0301
    //! and 0302.

    use super::*;
    use crate::config::org::Department;

    const YEAR: i32 = 2025;

    /// One respondent: department, H01, H02's types (`None`: not answered), H04 (`""`: blank).
    type Answers = (&'static str, &'static str, Option<&'static [&'static str]>, &'static str);

    fn survey() -> HarassmentSurvey {
        let q = |id: &str, kind: QuestionKind, choices: &[&str]| Question {
            id: id.into(),
            text: id.into(),
            kind,
            choices: choices.iter().map(|c| c.to_string()).collect(),
            header: None,
        };
        HarassmentSurvey {
            title: String::new(),
            min_group_size: 5,
            sheet: None,
            questions: vec![
                q("H01", QuestionKind::Single, &["はい", "いいえ"]),
                q("H02", QuestionKind::Multiple, &["パワハラ", "セクハラ"]),
                q("H04", QuestionKind::Single, &["はい", "いいえ", "該当なし"]),
            ],
            comments: Vec::new(),
        }
    }

    fn org() -> Org {
        let d = |code: &str, parent: Option<usize>| Department {
            code: code.into(),
            name: code.into(),
            parent,
            headcount: 30,
            previous_codes: Vec::new(),
        };
        let year = OrgYear::new(
            FiscalYear(YEAR),
            vec![
                d("0100", None),
                d("0101", Some(0)),
                d("0102", Some(0)),
                d("0200", None),
                d("0201", Some(3)),
                d("0300", None),
                d("0301", Some(5)),
                d("0302", Some(5)),
            ],
        );
        Org { years: [(FiscalYear(YEAR), year)].into_iter().collect() }
    }

    fn respondents() -> Vec<Answers> {
        let mut out = Vec::new();
        let mut add = |n: usize, a: Answers| out.extend(std::iter::repeat_n(a, n));
        // 0101: 2 of 12 harassed.
        add(2, ("0101", "はい", Some(&["パワハラ"]), "はい"));
        add(10, ("0101", "いいえ", None, "該当なし"));
        // 0102: 6 of 15.
        add(6, ("0102", "はい", Some(&["パワハラ"]), "いいえ"));
        add(9, ("0102", "いいえ", None, "該当なし"));
        // 0201: 10 of 25; of their types, パワハラ 6 of 10 and セクハラ 5 of 10.
        add(5, ("0201", "はい", Some(&["パワハラ"]), "はい"));
        add(4, ("0201", "はい", Some(&["セクハラ"]), "いいえ"));
        add(1, ("0201", "はい", Some(&["パワハラ", "セクハラ"]), "いいえ"));
        add(15, ("0201", "いいえ", None, "該当なし"));
        // 0200's own 6: none harassed.
        add(6, ("0200", "いいえ", None, "該当なし"));
        // 0300's own 7: 6 harassed (H02 and H04 left blank); 0301: 2 of 12; 0302: 10 of 20.
        add(6, ("0300", "はい", None, ""));
        add(1, ("0300", "いいえ", None, ""));
        add(2, ("0301", "はい", None, ""));
        add(10, ("0301", "いいえ", None, ""));
        add(10, ("0302", "はい", None, ""));
        add(10, ("0302", "いいえ", None, ""));
        out
    }

    fn year() -> HarassmentYear {
        let people = respondents();
        // A blank cell is no answer.
        let text = |f: &dyn Fn(&Answers) -> &'static str| -> Vec<Option<&str>> {
            people.iter().map(|p| Some(f(p)).filter(|t| !t.is_empty())).collect()
        };
        let kind = |t: &'static str| -> Vec<Option<bool>> {
            people.iter().map(|p| p.2.map(|types| types.contains(&t))).collect()
        };
        let df = DataFrame::new(
            people.len(),
            vec![
                Column::new("year".into(), vec![YEAR; people.len()]),
                Column::new("department".into(), text(&|p| p.0)),
                Column::new("H01".into(), text(&|p| p.1)),
                Column::new(choice_column("H02", "パワハラ").into(), kind("パワハラ")),
                Column::new(choice_column("H02", "セクハラ").into(), kind("セクハラ")),
                Column::new("H04".into(), text(&|p| p.3)),
            ],
        )
        .expect("frame");
        let scale = Scale { min: 1, max: 5, favorable: 4, labels: vec![String::new(); 5] };
        let mut years = aggregate_harassment(&df, &survey(), &scale, &org()).expect("aggregates");
        years.remove(&YEAR).expect("the year")
    }

    /// Each share of a question in a group, in % to six decimals, or why it is withheld.
    fn shares(y: &HarassmentYear, code: &str, id: &str) -> Vec<Result<f64, HiddenReason>> {
        let g = y.groups.iter().find(|g| g.department == code).expect("group");
        let q = g.visibility.shown().expect("a shown group").questions.iter().find(|q| q.id == id).expect("question");
        let f = q.visibility.shown().unwrap_or_else(|| panic!("{code} {id} is withheld"));
        f.shares.iter().map(|s| s.shown().map(|&v| round(v)).ok_or_else(|| s.reason().expect("a reason"))).collect()
    }

    fn round(v: f64) -> f64 {
        (v * 1e6).round() / 1e6
    }

    fn ok(v: f64) -> Result<f64, HiddenReason> {
        Ok(round(v))
    }

    fn question(y: &HarassmentYear, code: &str, id: &str) -> Option<HiddenReason> {
        let g = y.groups.iter().find(|g| g.department == code).expect("group");
        g.visibility.shown().expect("a shown group").questions.iter().find(|q| q.id == id)?.visibility.reason()
    }

    const FEW: Result<f64, HiddenReason> = Err(HiddenReason::SmallCount);
    const DIFF: Result<f64, HiddenReason> = Err(HiddenReason::Differencing);

    #[test]
    fn a_share_needs_five_who_chose_it_and_five_who_did_not() {
        let y = year();
        // 2 of 12: withheld, both shares (one would tell the other).
        assert_eq!(shares(&y, "0101", "H01"), [FEW, FEW]);
        // 10 of 25, and 10 of 0200's 31: shown.
        assert_eq!(shares(&y, "0201", "H01"), [ok(40.0), ok(60.0)]);
        assert_eq!(shares(&y, "0200", "H01"), [ok(1000.0 / 31.0), ok(2100.0 / 31.0)]);
        // The whole organisation is outside the rule: セクハラ, 5 of 18, is shown.
        assert_eq!(shares(&y, ALL, "H02"), [ok(1400.0 / 18.0), ok(500.0 / 18.0)]);
        // Each type on its own: パワハラ 6 chose, 4 did not; セクハラ exactly 5 and 5.
        assert_eq!(shares(&y, "0201", "H02"), [FEW, ok(50.0)]);
        // 0100: all 8 who answered H02 chose パワハラ, none セクハラ (0 is under 5 too).
        assert_eq!(shares(&y, "0100", "H02"), [FEW, FEW]);
        // H04 among those it applies to (該当なし left out): 5 はい and 5 いいえ in 0201.
        assert_eq!(shares(&y, "0201", "H04"), [ok(50.0), ok(50.0)]);
    }

    #[test]
    fn differencing_runs_on_the_counts_of_shares() {
        let y = year();
        // 0100 (8 of 27 はい, 19 いいえ) is shown; 0100 − 0102 would tell 0101's 2,
        // so 0102 (6 of 15, shown by its own counts) is withheld too.
        assert_eq!(shares(&y, "0100", "H01"), [ok(800.0 / 27.0), ok(1900.0 / 27.0)]);
        assert_eq!(shares(&y, "0102", "H01"), [DIFF, DIFF]);
        // Questions keep the survey's own k: 0101's H02 (2 answered) is withheld,
        // and 0102's by differencing, before shares are considered.
        assert_eq!(question(&y, "0101", "H02"), Some(HiddenReason::TooFew));
        assert_eq!(question(&y, "0102", "H02"), Some(HiddenReason::Differencing));
    }

    #[test]
    fn own_respondents_are_hidden_by_each_count_alone() {
        // 0300 − 0302 holds 0301's 2 はい and 0300's own 6. The own part is
        // hidden for the count of いいえ (1) but not for はい (6), so for はい
        // 0301's 2 stand alone: 0302 is withheld too. Had the own part been
        // hidden for both counts, 2 + 6 would have let 0302 stand.
        let y = year();
        assert_eq!(shares(&y, "0300", "H01"), [ok(1800.0 / 39.0), ok(2100.0 / 39.0)]);
        assert_eq!(shares(&y, "0301", "H01"), [FEW, FEW]);
        assert_eq!(shares(&y, "0302", "H01"), [DIFF, DIFF]);
        // In 0200 the own part chose no はい (0 adds nothing) and 6 did not: 0201 stays.
        assert_eq!(shares(&y, "0201", "H01"), [ok(40.0), ok(60.0)]);
    }
}
