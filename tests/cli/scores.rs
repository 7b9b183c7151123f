//! `ishiki scores` on sample-data: the CSV contract is byte-identical across
//! runs and agrees with the JSON; the JSON carries everything (hidden groups
//! with their reason and nothing else, α, progress, items, harassment); the
//! workbook has its sheets, Japanese headers, 「—」 with the reason for hidden
//! groups, and the same numbers.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader};
use serde_json::Value;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

fn scores(out: &Path, extra: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_ishiki"))
        .arg("scores")
        .arg(sample())
        .args(extra)
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1764000000")
        .output()
        .expect("run ishiki");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn the_scores_csv_is_byte_identical_across_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    scores(&a, &[]);
    scores(&b, &[]);
    let (a, b) = (std::fs::read(a).expect("a"), std::fs::read(b).expect("b"));
    assert!(!a.is_empty());
    assert!(a == b, "two runs of scores differ");
    let text = String::from_utf8(a).expect("UTF-8");
    assert!(text.starts_with(
        "year,department,cut,cut_value,category,n,score,favorable,delta,p_value,significant,suppressed\n"
    ));
    let years: std::collections::BTreeSet<&str> = text.lines().skip(1).map(|l| &l[..4]).collect();
    assert_eq!(years.into_iter().collect::<Vec<_>>(), ["2022", "2023", "2024", "2025"]);
}

#[test]
fn the_json_holds_everything_and_nothing_of_hidden_groups() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.json");
    scores(&path, &["--year", "R7"]);
    let json: Value = serde_json::from_slice(&std::fs::read(&path).expect("json")).expect("valid");
    let year = &json["years"][0];
    assert_eq!(year["year"], 2025);
    let groups = year["groups"].as_array().expect("groups");
    let hidden: Vec<&Value> = groups.iter().filter(|g| g["visibility"].get("withheld").is_some()).collect();
    assert!(!hidden.is_empty());
    for g in &hidden {
        let h = &g["visibility"]["withheld"];
        assert!(h["reason"] == "too_few" || h["reason"] == "differencing", "{h}");
        assert!(h["message"].as_str().expect("message").ends_with("非表示"));
        assert_eq!(h.as_object().map(|o| o.len()), Some(2), "a hidden group carries its reason only: {h}");
    }
    let all = groups.iter().find(|g| g["department"] == "ALL" && g["cut"].is_null()).expect("ALL");
    let shown = &all["visibility"]["shown"];
    // Item results come in one block per category.
    assert_eq!(shown["items"].as_array().map(Vec::len), Some(8));
    let items: usize = shown["items"]
        .as_array()
        .expect("blocks")
        .iter()
        .map(|b| b["visibility"]["shown"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(items, 35);
    // Every withheld value, in every group, carries its reason and no number.
    let mut withheld_values = 0;
    for g in groups {
        for v in g["visibility"]["shown"]["scores"].as_array().into_iter().flatten() {
            if let Some(w) = v["visibility"].get("withheld") {
                withheld_values += 1;
                assert_eq!(w.as_object().map(|o| o.len()), Some(2), "a withheld value carries its reason only: {v}");
                assert!(v["visibility"].get("shown").is_none());
            }
        }
    }
    assert_eq!(
        Some(withheld_values),
        year["withheld"]["scores"]["too_few"]
            .as_u64()
            .zip(year["withheld"]["scores"]["differencing"].as_u64())
            .map(|(a, b)| (a + b) as usize),
        "the counts by reason add up to the withheld values"
    );
    assert!(shown["response_rate"].as_f64().is_some_and(|r| r > 50.0 && r <= 100.0));
    assert_eq!(year["reliability"].as_array().map(Vec::len), Some(8));
    assert!(
        year["reliability"]
            .as_array()
            .expect("α")
            .iter()
            .all(|r| r["visibility"]["shown"]["alpha"].as_f64().is_some_and(|a| a > 0.5))
    );
    assert_eq!(year["progress"].as_array().map(Vec::len), Some(9));
    assert!(year["indicators"].as_array().is_some_and(|i| !i.is_empty()));
    assert!(year["harassment"]["groups"].as_array().is_some_and(|g| !g.is_empty()));
    // A question answered by fewer than the harassment survey's k keeps no number in a shown group.
    let mut withheld = 0;
    for g in year["harassment"]["groups"].as_array().expect("groups") {
        for q in g["visibility"]["shown"]["questions"].as_array().into_iter().flatten() {
            if let Some(w) = q["visibility"].get("withheld") {
                withheld += 1;
                assert_eq!(w.as_object().map(|o| o.len()), Some(2), "a withheld question carries its reason only: {q}");
                assert!(q["visibility"].get("shown").is_none(), "{q}");
            }
        }
    }
    assert!(withheld > 0, "sample-data has departments where few answered 受けた際に相談した");
    assert!(
        !String::from_utf8_lossy(&std::fs::read(&path).expect("json")).contains("休暇を取りにくい"),
        "free text leaked"
    );
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn the_workbook_has_its_sheets_and_withholds_hidden_cells() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.xlsx");
    let csv_path = dir.path().join("s.csv");
    scores(&path, &["--year", "R7"]);
    scores(&csv_path, &["--year", "R7"]);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("xlsx");
    assert_eq!(
        wb.sheet_names(),
        [
            "カテゴリ別",
            "所属別",
            "属性別",
            "項目別",
            "市全体との比較",
            "重要度分析",
            "目標進捗",
            "信頼性",
            "非表示の件数",
            "ハラスメント"
        ]
    );
    let depts = wb.worksheet_range("所属別").expect("所属別");
    let header: Vec<String> = depts.rows().next().expect("header").iter().map(cell_text).collect();
    assert_eq!(&header[..5], ["年度", "所属コード", "所属名", "回答者数", "回答率(%)"]);
    assert_eq!(header.last().map(String::as_str), Some("備考"));
    // Hidden departments: 「—」 in every figure and the reason in 備考.
    let hidden: Vec<&[Data]> = depts.rows().skip(1).filter(|r| cell_text(&r[3]) == "—").collect();
    assert!(!hidden.is_empty());
    for row in &hidden {
        let texts: Vec<String> = row.iter().map(cell_text).collect();
        assert!(texts[3..texts.len() - 1].iter().all(|t| t == "—"), "{texts:?}");
        assert!(texts.last().expect("reason").ends_with("非表示"), "{texts:?}");
    }
    // Shown departments carry the CSV's unrounded overall score.
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    let overall_of = |code: &str| -> Option<f64> {
        csv.lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|f| f[1] == code && f[2].is_empty() && f[4] == "overall")
            .and_then(|f| f[6].parse().ok())
    };
    let mut checked = 0;
    for row in depts.rows().skip(1) {
        let code = cell_text(&row[1]);
        if code.is_empty() || cell_text(&row[3]) == "—" {
            continue;
        }
        let overall = match &row[row.len() - 2] {
            Data::Float(f) => *f,
            other => panic!("overall of {code} is {other:?}"),
        };
        let expected = overall_of(&code).expect("in the CSV");
        assert!((overall - expected).abs() < 1e-9, "{code}: {overall} != {expected}");
        checked += 1;
    }
    assert!(checked > 20);
    let items = wb.worksheet_range("項目別").expect("項目別");
    assert!(items.rows().skip(1).any(|r| cell_text(&r[5]) == "Q22" && cell_text(&r[6]).contains("逆転項目")));

    // A shown cut group with a withheld value: 「—」 in that cell, the CSV row
    // suppressed, and 備考 naming the value with its reason.
    let cuts = wb.worksheet_range("属性別").expect("属性別");
    let header: Vec<String> = cuts.rows().next().expect("header").iter().map(cell_text).collect();
    let first_score = header.iter().position(|h| h == "自己成長").expect("first category");
    let mut partly = 0;
    for row in cuts.rows().skip(1).filter(|r| cell_text(&r[5]) != "—") {
        let texts: Vec<String> = row.iter().map(cell_text).collect();
        for (c, name) in header[first_score..header.len() - 1].iter().enumerate() {
            if texts[first_score + c] == "—" {
                partly += 1;
                assert!(texts.last().expect("備考").contains(name.as_str()), "{texts:?}");
                let code = if texts[1].is_empty() { "ALL" } else { texts[1].as_str() };
                let category =
                    if c + first_score == header.len() - 2 { "overall".to_string() } else { json_category_id(c) };
                let key = format!("2025,{code},{},{},{category},", texts[3], texts[4]);
                let line = csv.lines().find(|l| l.starts_with(&key)).unwrap_or_else(|| panic!("{key} in the CSV"));
                assert!(line.ends_with(",true"), "{line}");
            }
        }
    }
    assert!(partly > 0, "sample-data has cut groups with withheld values");

    // 非表示の件数: the counts by reason, as in the JSON.
    let counts = wb.worksheet_range("非表示の件数").expect("非表示の件数");
    let scores_row = counts.rows().find(|r| cell_text(&r[1]).contains("カテゴリ・総合")).expect("scores row");
    let in_departments: usize = depts
        .rows()
        .skip(1)
        .filter(|r| cell_text(&r[3]) != "—")
        .map(|r| r[5..r.len() - 1].iter().filter(|c| cell_text(c) == "—").count())
        .sum();
    assert_eq!(cell_text(&scores_row[4]), (partly + in_departments).to_string(), "{scores_row:?}");
}

/// The ids of sample-data's categories, in order.
fn json_category_id(c: usize) -> String {
    ["self_growth", "job", "relationships", "support", "recognition", "health", "environment", "culture"][c].to_string()
}

#[test]
fn processes_running_at_once_write_the_same_bytes() {
    // Sums in polars must not depend on thread timing (see
    // aggregate::scores::Groups): eight processes at once, the
    // JSON (every figure, unrounded) byte for byte the same.
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<PathBuf> = (0..8).map(|i| dir.path().join(format!("{i}.json"))).collect();
    let children: Vec<std::process::Child> = paths
        .iter()
        .map(|p| {
            Command::new(env!("CARGO_BIN_EXE_ishiki"))
                .arg("scores")
                .arg(sample())
                .arg("--out")
                .arg(p)
                .env("SOURCE_DATE_EPOCH", "1764000000")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("spawn ishiki")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().expect("wait").success());
    }
    let first = std::fs::read(&paths[0]).expect("first");
    for p in &paths[1..] {
        assert!(std::fs::read(p).expect("json") == first, "{} differs from the first run", p.display());
    }
}

/// Cronbach's α describes those who answered every item of a category: with
/// fewer than k of them it is withheld like any other value.
#[test]
fn alpha_under_k_is_withheld() {
    let sb = crate::harness::Sandbox::with_fixture("dropouts");
    // Only two respondents of 令和7年度 answer B2 (k = 3).
    sb.edit_csv("responses/2025.csv", |rows| {
        for row in rows.iter_mut().skip(3) {
            row[4] = String::new();
        }
    });
    sb.run(&["scores", "ws", "--year", "R7", "--out", "a.json"]).assert_success();
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(sb.root().join("a.json")).expect("a.json")).expect("json");
    let alpha = |id: &str| {
        json["years"][0]["reliability"].as_array().expect("α").iter().find(|r| r["category"] == id).expect(id)
            ["visibility"]
            .clone()
    };
    assert_eq!(alpha("b")["withheld"]["reason"], "too_few", "{}", alpha("b"));
    assert!(alpha("b").get("shown").is_none());
    assert_eq!(alpha("a")["shown"]["n"], 11);
}

/// Outputs get the mode a normal save gives (0666 less the umask), and the
/// temporary files runs that no longer hold the folder left are removed at
/// once, however new (tests/cli/kill.rs for the runs that do hold it).
#[cfg(unix)]
#[test]
fn outputs_get_normal_permissions_and_temporaries_left_behind_go() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join(".ishiki-killed.tmp");
    let new = dir.path().join(".ishiki-killed-now.tmp");
    for f in [&old, &new] {
        std::fs::write(f, b"half").expect("temporary file");
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options().write(true).open(&old).expect("open").set_modified(two_hours_ago).expect("mtime");
    let out = dir.path().join("s.csv");
    scores(&out, &["--year", "R7"]);
    // What the same process would give a file it saves normally.
    let normal = dir.path().join("normal.txt");
    std::fs::write(&normal, b"x").expect("normal file");
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&out), mode(&normal), "the scores CSV's mode");
    assert!(!old.exists() && !new.exists(), "temporary files left behind are removed, however new");
    assert!(!dir.path().join(ishiki::export::LOCK_FILE).exists(), "no lock file is left");
}

#[test]
fn a_malformed_date_is_a_usage_error_for_every_command_that_prints_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (command, out) in [("scores", "scores.csv"), ("report", "out")] {
        let out = dir.path().join(out);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ishiki"));
        cmd.arg(command).arg(sample()).arg("--out").arg(&out).env("SOURCE_DATE_EPOCH", "昨日");
        if command == "report" {
            cmd.args(["--year", "R7"]);
        }
        let run = cmd.output().expect("run ishiki");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains("環境変数 SOURCE_DATE_EPOCH「昨日」は秒数（整数）にしてください"),
            "{command}: {stderr}"
        );
        assert!(!out.exists(), "{command} wrote {}", out.display());
    }
}

#[test]
fn a_year_that_does_not_read_is_a_usage_error_saying_how_to_write_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_ishiki"))
        .arg("report")
        .arg(sample())
        .args(["--year", "令和七年度", "--out"])
        .arg(&out)
        .output()
        .expect("run ishiki");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    // The reason follows a colon; the value is named once, not in brackets within brackets.
    assert!(
        stderr.contains("エラー: --year <Y> の値が正しくありません: 「令和七年度」は年度として読めません（2024、R6、R06、令和6、令和6年度 のように書いてください）\n"),
        "{stderr}"
    );
    assert!(!out.exists(), "wrote {}", out.display());
}

#[test]
fn the_progress_sheet_gives_floors_a_margin_and_no_progress() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.xlsx");
    scores(&path, &["--year", "R7"]);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("xlsx");
    let sheet = wb.worksheet_range("目標進捗").expect("目標進捗");
    let mut rows = sheet.rows();
    let header: Vec<String> = rows.next().expect("header").iter().map(cell_text).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"));
    let (name, trajectory, progress, margin, status) =
        (col("指標"), col("今年度の目安（軌道）"), col("進捗率(%)"), col("目標値との差"), col("判定"));
    let row_of = |goal: &str| -> Vec<Data> {
        sheet.rows().find(|r| cell_text(&r[name]) == goal).unwrap_or_else(|| panic!("{goal}")).to_vec()
    };
    // 男性職員の育児休業取得率: 11.1 % against a floor of 10 % is 達成 by 1.1 points, with no 進捗率.
    let leave = row_of("男性職員の育児休業取得率");
    assert!(matches!(leave[margin], Data::Float(m) if (m - 1.1).abs() < 1e-9), "{leave:?}");
    assert_eq!((cell_text(&leave[progress]), cell_text(&leave[trajectory])), (String::new(), String::new()));
    assert_eq!(cell_text(&leave[status]), "達成");
    // A goal to reach in its target year: 進捗率 unrounded in the cell, no margin, 達成 or 未達.
    let leave_days = row_of("年次有給休暇の取得日数");
    assert!(matches!(leave_days[progress], Data::Float(p) if (p - 3.1 / 3.9 * 100.0).abs() < 1e-9), "{leave_days:?}");
    assert_eq!(cell_text(&leave_days[margin]), "");
    assert_eq!(cell_text(&leave_days[status]), "未達");
}
