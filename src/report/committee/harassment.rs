//! The committee report's section on the harassment survey.

use super::*;

pub(super) fn harassment_section(model: &ScoresModel, y: &YearResult) -> Option<HarassmentSection> {
    let h = y.harassment.as_ref()?;
    let years: Vec<&YearResult> = model.years.iter().filter(|r| r.year <= y.year && r.harassment.is_some()).collect();
    let all_of = |r: &YearResult| {
        r.harassment
            .as_ref()
            .and_then(|h| h.groups.iter().find(|g| g.department == ALL))
            .and_then(|g| g.visibility.shown().cloned())
    };
    let this = all_of(y)?;
    let share_of = |r: &YearResult, id: &str, choice: Option<&str>| -> Option<f64> {
        all_of(r).and_then(|f| {
            let q: &QuestionResult = f.questions.iter().find(|x| x.id == id)?;
            match choice {
                None => q.visibility.shown()?.favorable,
                // The whole organisation is outside the rule for shares
                // (DESIGN §5): its shares are withheld only with the question.
                Some(c) => q.share(c),
            }
        })
    };
    let mut rows = Vec::new();
    for q in &this.questions {
        let row = |label: String, choice: Option<&str>, indent: bool| {
            let shares: Vec<Option<f64>> = years.iter().map(|r| share_of(r, &q.id, choice)).collect();
            HarassmentRow {
                id: q.id.clone(),
                label,
                values: shares.iter().map(|&v| percent(v)).collect(),
                shares,
                header: false,
                indent,
            }
        };
        if q.choices.is_empty() {
            rows.push(row(format!("{} {}（肯定的な回答）", q.id, q.text), None, false));
        } else if q.is_yes_no() {
            rows.push(row(format!("{} {}（{}）", q.id, q.text, q.choices[0]), Some(q.choices[0].as_str()), false));
        } else {
            rows.push(HarassmentRow {
                id: q.id.clone(),
                label: format!("{} {}", q.id, q.text),
                values: years.iter().map(|_| String::new()).collect(),
                shares: years.iter().map(|_| None).collect(),
                header: true,
                indent: false,
            });
            for choice in &q.choices {
                rows.push(row(choice.clone(), Some(choice.as_str()), true));
            }
        }
    }
    let hidden = h.groups.iter().filter(|g| g.visibility.shown().is_none()).count();
    let shares = y.withheld.harassment_shares;
    Some(HarassmentSection {
        title: "ハラスメントに関する意識調査".into(),
        respondents: count(this.respondents),
        years: years.iter().map(|r| r.year.short()).collect(),
        rows,
        note: format!(
            "ハラスメント調査は回答者が{k}人未満の集団を表示せず、引き算で少人数の結果がわかる集団も表示しない約束で集計しています（今年度は{hidden}集団が非表示）。設問ごとにも、回答した人が{k}人未満の設問や引き算を防ぐための設問は示していません（「—」）。所属ごとの割合は、その回答を選んだ人と選ばなかった人がどちらも{m}人以上のときだけ示しています。そうでないときは「少数のため非表示」とし、「はい」が0人でも1人でも同じ表示になるため、表示から人数はわかりません（今年度はこの理由で{few}件、引き算を防ぐため{diff}件の割合を非表示）。割合は各設問に回答した人に占める割合です（「該当なし」と答えた人は除いています）。",
            k = h.min_group_size,
            m = HARASSMENT_SHARE_MIN,
            few = shares.too_few,
            diff = shares.differencing,
        ),
    })
}
