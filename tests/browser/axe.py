"""axe-core in the page under test: WCAG 2.0/2.1 A and AA, and a readable report of what fails.

axe-core comes from the npm registry, pinned in package.json and installed by `make test`
(`make node_modules`). The pages have a strict Content-Security-Policy without inline scripts,
so axe goes in through the browser's debugging protocol (`page.evaluate`), which the page's CSP
does not govern; the app's CSP stays as it is.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from playwright.sync_api import Page

from .helpers import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# What a failure prints of each violation: enough to find the node and see why it fails.
RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return result.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    nodes: rule.nodes.map((node) => ({
      target: node.target.join(" "),
      html: node.html,
      summary: node.failureSummary || "",
    })),
  }));
}"""


@cache
def axe_source() -> str:
    """axe-core's script, read once; a clear failure if `make node_modules` has not run."""
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is missing at {AXE.relative_to(ROOT)}: the accessibility tests need it. "
            "Install it with `make node_modules` (or `make test`, which does it).",
            pytrace=False,
        )
    # The file ends in an expression; `true` keeps the evaluation's value simple to return.
    return AXE.read_text(encoding="utf-8") + "\n;true"


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found: list[dict[str, Any]] = page.evaluate(RUN, TAGS)
    return found


def report(where: str, found: list[dict[str, Any]]) -> str:
    """Each violation's id, impact, target and summary, one node a line."""
    lines = [f"{where}: {sum(len(v['nodes']) for v in found)} axe violation(s)"]
    for rule in found:
        lines.append(f"  {rule['id']} ({rule['impact']}): {rule['help']}")
        for node in rule["nodes"]:
            summary = " ".join(node["summary"].split())
            html = " ".join(node["html"].split())
            html = html if len(html) <= 160 else html[:157] + "..."
            lines.append(f"    {node['target']}  {html}\n      {summary}")
    return "\n".join(lines)


class Audit:
    """Runs axe on pages as a test goes, and fails once at the end with every report.

    One run then shows everything that fails in every state, not only the first.
    """

    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, state: str, **pages: Page) -> None:
        """axe on each page (by role name) in the state described."""
        for role, page in pages.items():
            found = violations(page)
            if found:
                where = page.url.split("#")[0]  # not the keys in the fragment
                self.failures.append(report(f"{role}, {state} ({where})", found))

    def expect_none(self) -> None:
        if self.failures:
            pytest.fail("\n\n".join(self.failures), pytrace=False)
