#!/usr/bin/env python3
"""The explorer in a real browser (issue 23, point 7).

Opens explorer_<year>.html from file:// in Debian's headless Chromium through
Selenium (no browser download, no network), and checks, against the JSON
export of the same workspace:

- the first view appears within a second;
- choosing a year and a department shows that department's values, equal to
  the JSON's rounded to one decimal;
- a shared link (#year=…&dept=…&view=…) opens that view;
- the heat map's modes and sorting work; every view draws;
- the console holds no error and no Content-Security-Policy violation;
- screenshots of every view are written for a person to look at.

    tests/browser/explorer.py EXPLORER.html SCORES.json SCREENSHOT_DIR
    tests/browser/explorer.py --first-view EXPLORER.html

The second form only opens the file and checks the first view's time: `.ci/run`
runs it on the explorer of a synthetic 200 departments × 4 years, the size the
budget is set for (DESIGN §9). Exits 1 with the failures listed. `.ci/run` runs
the first form on sample-data.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import time

os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

FIRST_VIEW_BUDGET = 1.0
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def one(v):
    """A number as the reports print it: one decimal."""
    return "—" if v is None else f"{v:.1f}"


def change(v):
    if v is None:
        return "—"
    r = f"{abs(v):.1f}"
    if r == "0.0":
        return "±0.0"
    return ("+" if v > 0 else "▲") + r


def browser():
    o = webdriver.ChromeOptions()
    o.binary_location = shutil.which("chromium")
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
              "--disable-background-networking", "--no-proxy-server", "--proxy-server=127.0.0.1:9"]:
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=o)


def ready(d, view):
    WebDriverWait(d, 10).until(lambda d: d.execute_script("return document.body.dataset.ready") == view)


def open_link(d, url, view):
    d.get("about:blank")
    t = time.time()
    d.get(url)
    ready(d, view)
    return time.time() - t


def shoot(d, out, name):
    h = d.execute_script("return document.body.scrollHeight")
    d.set_window_size(1280, min(max(h + 40, 800), 6000))
    d.save_screenshot(os.path.join(out, name + ".png"))
    d.set_window_size(1280, 1000)


def table_rows(d):
    """The first table of the view: {row header: [cell texts]}."""
    rows = {}
    for tr in d.find_elements(By.CSS_SELECTOR, "main table tbody tr"):
        th = tr.find_element(By.CSS_SELECTOR, "th").text.strip()
        rows[th] = [td.text.strip() for td in tr.find_elements(By.CSS_SELECTOR, "td")]
    return rows


def row_of(d, code):
    """The cells of the first table's row whose header is titled with a department code."""
    for tr in d.find_elements(By.CSS_SELECTOR, "main table tbody tr"):
        if tr.find_element(By.CSS_SELECTOR, "th").get_attribute("title") == code:
            return [td.text.strip() for td in tr.find_elements(By.CSS_SELECTOR, "td")]
    return None


def first_view(d, url, runs=3):
    """Opens the file `runs` times and checks the page's own time to its first view.

    The page's own clock counts from the start of navigation to the first view
    drawn (the round trip through WebDriver is not the page's time); the best of
    the runs is checked, as this shared machine's other work only adds to it.
    """
    times = []
    for _ in range(runs):
        open_link(d, url, "heatmap")
        times.append(int(d.execute_script("return document.body.dataset.firstView")) / 1000)
    best = min(times)
    print("first view drawn " + ", ".join(f"{t:.3f}" for t in times) + " s after navigation began")
    check(best < FIRST_VIEW_BUDGET, f"the first view took at best {best:.3f} s (budget {FIRST_VIEW_BUDGET} s)")
    return best


def console_is_clean(d):
    for entry in d.get_log("browser"):
        check(entry["level"] not in ("SEVERE", "WARNING") and "Content-Security-Policy" not in entry["message"],
              f"console: {entry['level']} {entry['message']}")


def finish():
    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        sys.exit(1)


def main():
    if sys.argv[1] == "--first-view":
        d = browser()
        try:
            first_view(d, "file://" + os.path.abspath(sys.argv[2]))
            console_is_clean(d)
        finally:
            d.quit()
        finish()
        print(f"explorer {sys.argv[2]}: first view within {FIRST_VIEW_BUDGET} s")
        return
    html, scores_json, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    model = json.load(open(scores_json, encoding="utf-8"))
    url = "file://" + os.path.abspath(html)
    year = model["years"][-1]
    names = [c["name"] for c in model["categories"]] + ["総合"]
    # A shown department with a shown overall score, and one year earlier.
    dept = next(g for g in year["groups"]
                if g["depth"] == 2 and g["cut"] is None and "shown" in g["visibility"]
                and all("shown" in s["visibility"] for s in g["visibility"]["shown"]["scores"]))
    city = next(g for g in year["groups"] if g["department"] == "ALL" and g["cut"] is None)
    d = browser()
    try:
        first_view(d, url)
        # The heat map: the city's row holds the JSON's city scores.
        rows = table_rows(d)
        city_scores = [one(s["visibility"]["shown"]["score"]) for s in city["visibility"]["shown"]["scores"]]
        check(rows.get("市全体") == city_scores, f"heat map city row {rows.get('市全体')} != {city_scores}")
        shoot(d, out, "heatmap_score")
        # Its modes: the difference from the rest of the city, as tested, with ＊.
        d.find_element(By.CSS_SELECTOR, "input[name=mode][value=city]").click()
        ready(d, "heatmap")
        versus = [s["visibility"]["shown"].get("versus_city") for s in dept["visibility"]["shown"]["scores"]]
        want = [change(v["difference"]) + ("＊" if v["significant"] else "") if v else "—" for v in versus]
        got = row_of(d, dept["department"])
        check(got == want, f"heat map difference row of {dept['department']}: {got} != {want}")
        shoot(d, out, "heatmap_city")
        d.find_element(By.CSS_SELECTOR, "input[name=mode][value=delta]").click()
        ready(d, "heatmap")
        shoot(d, out, "heatmap_delta")
        # Sorting by 総合 puts the highest first.
        d.find_elements(By.CSS_SELECTOR, "th button.sort")[-1].click()
        ready(d, "heatmap")
        check("sort=" in d.current_url, "sorting is not in the address")
        # Choose the year and the department in the profile view.
        d.find_element(By.XPATH, "//nav[@id='views']/button[text()='所属と市全体']").click()
        ready(d, "profile")
        Select(d.find_element(By.XPATH, "//label[contains(.,'年度')]/select")).select_by_value(str(year["year"]))
        ready(d, "profile")
        Select(d.find_element(By.XPATH, "//label[contains(.,'所属')]/select")).select_by_value(dept["department"])
        ready(d, "profile")
        rows = table_rows(d)
        for name, s in zip(names, dept["visibility"]["shown"]["scores"]):
            got = rows.get(name, [None])[0]
            check(got == one(s["visibility"]["shown"]["score"]),
                  f"profile {dept['department']} {name}: shown {got}, JSON {s['visibility']['shown']['score']}")
        shoot(d, out, "profile")
        # A shared link opens the same view.
        link = d.current_url
        check(f"dept={dept['department']}" in link and "view=profile" in link, f"the address {link} lacks the state")
        open_link(d, link, "profile")
        check(table_rows(d) == rows, "the shared link shows another table")
        # The items of the first category: the department's item scores are the JSON's.
        open_link(d, f"{url}#year={year['year']}&dept={dept['department']}&view=items&block=0", "items")
        block = dept["visibility"]["shown"]["items"][0]["visibility"]
        if "shown" in block:
            rows = table_rows(d)
            shown = {k.split(" ")[0]: v for k, v in rows.items()}
            for it in block["shown"]:
                got = shown.get(it["item"], [None, None])[1]
                check(got == one(it["score"]), f"items {dept['department']} {it['item']}: shown {got}, JSON {it['score']}")
        # The response rates: the city's row is the JSON's.
        open_link(d, f"{url}#year={year['year']}&view=response", "response")
        rows = table_rows(d)
        city_fig = city["visibility"]["shown"]
        check(rows.get("市全体", [None] * 3)[2] == one(city_fig["response_rate"]),
              f"response rate of the city: {rows.get('市全体')} vs {city_fig['response_rate']}")
        # The table of every number: the city's scores are the JSON's.
        open_link(d, f"{url}#year={year['year']}&dept=ALL&view=numbers&show=score", "numbers")
        first = d.find_element(By.CSS_SELECTOR, "main table tbody tr")
        cells = [td.text.strip() for td in first.find_elements(By.CSS_SELECTOR, "td")]
        check(cells[3:3 + len(names)] == city_scores, f"numbers: city row {cells} != {city_scores}")
        # Every view draws, with its description, its chart(s) and table(s).
        has_drivers = any(g["department"] == dept["department"] and g["cut"] is None for g in year["drivers"]["groups"])
        charts = {"trend": 1, "cuts": 1, "items": 1, "portfolio": int(has_drivers), "plan": 1, "response": 1,
                  "changes": 1, "numbers": 0, "about": 0}
        for view, want in charts.items():
            open_link(d, f"{url}#year={year['year']}&dept={dept['department']}&view={view}", view)
            check(len(d.find_elements(By.CSS_SELECTOR, "main p.description")) > 0, f"{view}: no description")
            got = len(d.find_elements(By.CSS_SELECTOR, "main .chart svg"))
            check(got == want, f"{view}: {got} charts, expected {want}")
            if view != "about" and (view != "portfolio" or has_drivers):
                check(len(d.find_elements(By.CSS_SELECTOR, "main table tbody tr")) > 0, f"{view}: no table")
            shoot(d, out, view)
        # The portfolio of the city and of a department with an analysis: the table is the JSON's, most important first.
        analysed = [g["department"] for g in year["drivers"]["groups"] if g["cut"] is None]
        for code in analysed[:2]:
            open_link(d, f"{url}#year={year['year']}&dept={code}&view=portfolio", "portfolio")
            check(len(d.find_elements(By.CSS_SELECTOR, "main .chart svg")) == 1, f"portfolio of {code}: no chart")
            g = next(g for g in year["drivers"]["groups"] if g["department"] == code and g["cut"] is None)
            want = sorted(zip(names, g["categories"]), key=lambda p: -p[1]["share"])
            rows = table_rows(d)
            check(list(rows) == [n for n, _ in want], f"portfolio of {code}: order {list(rows)}")
            for n, c in want:
                got = rows.get(n, [None] * 6)
                check(got[-2] == one(c["score"]) and got[-1] == {"improve": "重点改善", "keep": "強みの維持", "maintain": "現状維持", "watch": "改善検討"}[c["quadrant"]],
                      f"portfolio of {code} {n}: {got} vs {c['score']} {c['quadrant']}")
            shoot(d, out, f"portfolio_{code}")
        # A year before the report's has no driver analysis in the file, and says so.
        if len(model["years"]) > 1:
            earlier = model["years"][-2]["year"]
            open_link(d, f"{url}#year={earlier}&dept=ALL&view=portfolio", "portfolio")
            check(len(d.find_elements(By.CSS_SELECTOR, "main .chart svg")) == 0, "portfolio of an earlier year drew a chart")
        # The keyboard: a control that changes the view keeps the focus after the view is drawn again.
        open_link(d, f"{url}#year={year['year']}&view=heatmap&mode=score", "heatmap")
        radio = d.find_element(By.CSS_SELECTOR, "input[name=mode][value=city]")
        radio.click()
        ready(d, "heatmap")
        focused = d.execute_script("return document.activeElement && document.activeElement.dataset.key")
        check(focused == "mode:city", f"the focus after choosing a mode is on {focused!r}")
        # A link edited by hand falls back to what it can show, without an error.
        for bad in ["view=trend&cat=1.5", "view=items&block=0.5", "view=heatmap&mode=constructor&sort=99",
                    "view=numbers&show=toString"]:
            view = bad.split("&")[0].split("=")[1]
            open_link(d, f"{url}#year={year['year']}&{bad}", view)
            check("native code" not in d.find_element(By.TAG_NAME, "main").text, f"{bad}: shows a function")
        # Printing: the profile printed to PDF, for a person to look at (the chart within the A4 width).
        open_link(d, f"{url}#year={year['year']}&dept={dept['department']}&view=profile", "profile")
        pdf = d.print_page()
        printed = os.path.join(out, "profile_print.pdf")
        with open(printed, "wb") as f:
            f.write(base64.b64decode(pdf))
        # The printed chart is laid out for the page: its axis ends at 100 within the page, and
        # its legend prints (a chart still drawn at the screen's width is cut at the page's edge).
        text = subprocess.run(["pdftotext", "-layout", printed, "-"], capture_output=True, text=True).stdout
        axis = [line for line in text.splitlines() if line.split()[:3] == ["0", "20", "40"]]
        check(axis and axis[0].split()[-1] == "100", f"the printed profile's axis is cut: {axis}")
        console_is_clean(d)
    finally:
        d.quit()
    finish()
    print(f"explorer in Chromium: all checks passed; screenshots in {out}")


if __name__ == "__main__":
    main()
