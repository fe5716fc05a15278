"""axe-core checks (WCAG 2.1 A/AA) of the page currently open in Playwright."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def assert_accessible(page) -> None:
    """Fail with a readable list when axe finds any WCAG 2.1 AA violation."""
    page.mouse.move(0, 0)  # where the last click left the pointer must not decide the result
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    if violations:
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']} → "
            + "; ".join(
                n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                for n in v["nodes"][:5]
            )
            for v in violations
        ]
        raise AssertionError(f"axe: {len(violations)} Verstöße auf {page.url}\n" + "\n".join(lines))
