"""``deploy/prometheus/alerts.yml``: a Prometheus rule file whose every expression names only
metrics that the application really serves at ``/metrics``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .test_metrics import Client, scrape

RULES = Path(__file__).parents[2] / "deploy" / "prometheus" / "alerts.yml"
SEVERITIES = {"warning", "critical"}
DURATION = re.compile(r"^\d+[smhdwy]$")
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")

# What PromQL writes that is not a metric name.
_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"}
_KEYWORDS |= {"and", "or", "unless", "inf", "nan"}
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_GROUPINGS = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENTIFIER = re.compile(r"(?<![\w.])([a-zA-Z_:][\w:]*)(\s*\()?")


def metric_names(expression: str) -> set[str]:
    """The metric names an expression selects (not its functions, keywords or labels)."""
    bare = _GROUPINGS.sub(" ", _RANGES.sub(" ", _MATCHERS.sub(" ", _STRINGS.sub(" ", expression))))
    return {name for name, call in _IDENTIFIER.findall(bare) if not call and name.lower() not in _KEYWORDS}


def exposed_names(exposition: str) -> set[str]:
    """Every metric name of the exposition, with each histogram's series names."""
    names = set()
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            names.add(name)
            if kind == "histogram":
                names.update(name + suffix for suffix in HISTOGRAM_SUFFIXES)
        elif line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def test_the_rule_file_is_well_formed() -> None:
    document = yaml.safe_load(RULES.read_text())
    names = [group["name"] for group in document["groups"]]
    assert len(names) == len(set(names))
    alerts = [rule["alert"] for rule in rules()]
    assert len(alerts) == len(set(alerts))
    for rule in rules():
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert rule["labels"]["severity"] in SEVERITIES, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert DURATION.match(rule.get("for", "0s")), rule["alert"]
        expression = rule["expr"]
        assert expression.count("(") == expression.count(")"), rule["alert"]
        assert metric_names(expression), rule["alert"]


@pytest.mark.parametrize(
    "key",
    [
        'status=~"5.."',
        "503",
        "notifications_failed",
        "notifications_pending",
        "webhook_failures",
        "outbox_backlog",
        "outbox_dead_letters",
        "rate_limit_unchecked",
    ],
)
def test_the_key_signals_have_an_alert(key: str) -> None:
    assert any(key in rule["expr"] for rule in rules())


async def test_every_expression_names_only_metrics_the_app_serves(client: Client) -> None:
    exposed = exposed_names(await scrape(client))

    unknown = {rule["alert"]: metric_names(rule["expr"]) - exposed for rule in rules()}

    assert {alert: names for alert, names in unknown.items() if names} == {}


def test_metric_names_are_told_apart_from_functions_labels_and_keywords() -> None:
    expression = (
        'histogram_quantile(0.95, sum by (le) (rate(a_bucket{route!="/x"}[5m]))) > 1e-3'
        " or on (channel) b_total * 0 unless max without (pid) (c)"
    )

    assert metric_names(expression) == {"a_bucket", "b_total", "c"}
