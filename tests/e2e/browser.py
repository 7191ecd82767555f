"""What the browser tests share: where Chromium and axe are, and page checks."""

from pathlib import Path

from django.urls import reverse

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine has no network: without these Chromium keeps trying to reach
    # Google's services and floods the log with refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "a-long-test-password-42"
# The apps of the header, by URL namespace.
APPS = ["contacts", "events", "pressreleases", "media_monitoring", "archive"]

# Mtavruli capitals (U+1C90–U+1CBF): what str.upper() and CSS text-transform
# make of Georgian Mkhedruli. Collects every line of visible or hidden text and
# every human-read attribute that contains one.
FIND_MTAVRULI_JS = """
() => {
  const mtavruli = /[\\u1C90-\\u1CBF]/u;
  const found = [];
  const check = (where, text) => {
    if (!text || !mtavruli.test(text)) return;
    for (const line of text.split("\\n")) {
      if (mtavruli.test(line)) found.push(`${where}: ${line.trim().slice(0, 120)}`);
    }
  };
  check("title", document.title);
  // innerText shows CSS text-transform; textContent also covers closed menus.
  check("text", document.body.innerText);
  check("hidden text", document.body.textContent);
  for (const name of ["aria-label", "placeholder", "title", "alt"]) {
    for (const el of document.querySelectorAll(`[${name}]`)) {
      check(`${el.tagName.toLowerCase()}[${name}]`, el.getAttribute(name));
    }
  }
  for (const el of document.querySelectorAll("input[type=submit]")) {
    check("button value", el.value);
  }
  return found;
}
"""


def login(page, live_server, user):
    """Log in through the real form, as a person would (django-axes watches it)."""
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == live_server.url + reverse("reports:dashboard"), (
        f"login failed, still at {page.url}:\n{page.inner_text('main')}"
    )


def assert_accessible(page):
    """No serious or critical axe violation on the page as it is now."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    problems = [
        v for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(
            f"    {' '.join(map(str, node['target']))}: {node['failureSummary']}"
            for node in v["nodes"]
        )
        for v in problems
    )
    assert not problems, f"axe violations on {page.url}:\n{report}"


def assert_no_mtavruli(page):
    found = page.evaluate(FIND_MTAVRULI_JS)
    assert not found, f"Mtavruli capitals on {page.url}:\n" + "\n".join(found)


def header_links(page) -> set[str]:
    """Every href of the header, the user menu's included (open or not)."""
    return set(
        page.eval_on_selector_all(
            "header a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
    )


def html_lang(page) -> str:
    return page.get_attribute("html", "lang")


def selected_language(page) -> tuple[str, str]:
    """The header switcher's selected option, as (code, name)."""
    option = page.locator("#language-select option:checked")
    return option.get_attribute("value"), option.inner_text().strip()
