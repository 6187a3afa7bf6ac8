"""The accessibility check every browser journey runs on the pages it visits."""

from axe_playwright_python.sync_playwright import Axe

SERIOUS = {"serious", "critical"}
_axe = Axe()
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}


def assert_accessible(page) -> None:
    """Fail on serious or critical axe-core violations (WCAG 2.1 A/AA rules).

    The check runs on a page that has finished loading: a journey calls it after
    waiting for what the step shows, and the load state is awaited here as well.
    """
    page.wait_for_load_state("load")
    results = _axe.run(page, options=OPTIONS)
    bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    assert not bad, "Accessibility violations on {}:\n{}".format(
        page.url,
        "\n".join(f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in bad),
    )
