#!/usr/bin/env python3
"""Checks the Grafana provisioning and the gateway dashboard without Grafana (it has no offline image).

  check-dashboard.py static              the provisioning YAML and the dashboard JSON parse and fit together
                                         (datasource uid, mount paths, the panels the stack needs); no Docker
  check-dashboard.py queries PROM_URL    every PromQL expression of the dashboard (panel targets and template
                                         variable queries), Grafana's variables substituted, evaluated by the
                                         Prometheus at PROM_URL (/api/v1/query); prints a table; every expression
                                         must evaluate without error (ERROR), return data (else EMPTY) and name
                                         only metrics that Prometheus has scraped (else UNKNOWN)

Used by deploy/compose/check-observability.sh, which runs `queries` against the overlay's Prometheus scraping the
compose stack after traffic and a killed instance (so retries and ejections exist). What this cannot tell: how
Grafana renders the panels (units, legends, layout) -- only Grafana itself shows that.

Needs python3 and PyYAML (Debian: python3-yaml, which docker-compose 1.29 depends on anyway).
"""
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

try:
    import yaml
except ImportError:
    sys.exit("PyYAML is missing: apt-get install python3-yaml (or pip install pyyaml)")

DEPLOY = Path(__file__).resolve().parent.parent
GRAFANA = DEPLOY / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "gateway.json"
DATASOURCES = GRAFANA / "provisioning" / "datasources" / "prometheus.yml"
PROVIDERS = GRAFANA / "provisioning" / "dashboards" / "refgateway.yml"
OVERLAY = DEPLOY / "compose" / "observability.yml"

# Grafana's built-in variables, as a 30-minute dashboard at a 5 s scrape interval would roughly give them.
# $__rate_interval is max($__interval + scrape interval, 4 x scrape interval): 1m is a safe stand-in.
BUILTINS = {"__rate_interval": "1m", "__interval": "1m", "__range": "30m", "__interval_ms": "60000",
            "__range_s": "1800", "__range_ms": "1800000"}

# What the dashboard must show (issue 5): a description, and a test on one target's expression.
REQUIRED = [
    ("requests by route and status",
     lambda e: "gateway_requests_total" in e and re.search(r"by \((route, status_class|status_class, route)\)", e)),
    ("p99 latency", lambda e: "gateway_request_duration_seconds{" in e and 'quantile="0.99"' in e),
    ("retries", lambda e: "gateway_upstream_retries_total" in e),
    ("ejections", lambda e: "gateway_upstream_ejections_total" in e),
    ("healthy instances per service",
     lambda e: "gateway_upstream_healthy_instances" in e and re.search(r"by \(service\)", e)),
]


def fail(errors):
    for error in errors:
        print(f"  FAIL {error}")
    return 1 if errors else 0


def panels(dashboard):
    """Every panel, those inside collapsed rows too."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def expressions(dashboard):
    """(where, expression) for every PromQL expression: template variable queries, then panel targets."""
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") == "query":
            query = variable.get("query")
            query = query.get("query") if isinstance(query, dict) else query
            yield f"variable ${variable['name']}", label_values_as_promql(query)
    for panel in panels(dashboard):
        for target in panel.get("targets", []):
            yield f"panel {panel['id']} \"{panel['title']}\" {target.get('refId', '?')}", target.get("expr", "")


def label_values_as_promql(query):
    """label_values(metric, label) is Grafana's, not PromQL: the same question as a query."""
    match = re.fullmatch(r"\s*label_values\((.+),\s*(\w+)\s*\)\s*", query or "")
    return f"count by ({match.group(2)}) ({match.group(1)})" if match else query


def substitute(expression, variables):
    """Grafana's $name, ${name} and [[name]] forms; an unknown variable stays and is reported."""
    def value(match):
        name = match.group(1) or match.group(2) or match.group(3)
        return variables.get(name, match.group(0))
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)", value, expression)


def static_check():
    errors = []
    dashboard = json.loads(DASHBOARD.read_text())
    sources = yaml.safe_load(DATASOURCES.read_text())
    providers = yaml.safe_load(PROVIDERS.read_text())
    overlay = yaml.safe_load(OVERLAY.read_text())
    print(f"  parsed {DASHBOARD.relative_to(DEPLOY)}, {DATASOURCES.relative_to(DEPLOY)}, "
          f"{PROVIDERS.relative_to(DEPLOY)}, {OVERLAY.relative_to(DEPLOY)}")

    # Datasource: the one every panel names, pointing at the overlay's Prometheus service.
    if sources.get("apiVersion") != 1 or providers.get("apiVersion") != 1:
        errors.append("provisioning files must have apiVersion: 1")
    uids = {s.get("uid"): s for s in sources.get("datasources", [])}
    prometheus = overlay["services"]["prometheus"]
    port = prometheus["ports"][0].rsplit(":", 1)[1]
    for uid, source in uids.items():
        if source.get("type") != "prometheus" or source.get("url") != f"http://prometheus:{port}":
            errors.append(f"datasource {uid}: expected type prometheus at http://prometheus:{port}, "
                          f"got {source.get('type')} at {source.get('url')}")
    for panel in panels(dashboard):
        used = [panel.get("datasource")] + [t.get("datasource") for t in panel.get("targets", [])]
        for source in filter(None, used):
            if source.get("uid") not in uids:
                errors.append(f"panel {panel['id']} uses datasource uid {source.get('uid')}, not provisioned")
    for variable in dashboard.get("templating", {}).get("list", []):
        source = variable.get("datasource") or {}
        if variable.get("type") == "query" and source.get("uid") not in uids:
            errors.append(f"variable {variable['name']} uses datasource uid {source.get('uid')}, not provisioned")

    # Mounts: Grafana reads the provisioning folder and the dashboards where the overlay mounts them.
    grafana = overlay["services"]["grafana"]
    mounts = {}
    for volume in grafana["volumes"]:
        source, target = volume.split(":")[:2]
        mounts[target] = (OVERLAY.parent / source).resolve()
    if mounts.get("/etc/grafana/provisioning") != GRAFANA / "provisioning":
        errors.append("observability.yml must mount deploy/grafana/provisioning at /etc/grafana/provisioning")
    for provider in providers.get("providers", []):
        path = provider.get("options", {}).get("path")
        if mounts.get(path) != DASHBOARD.parent:
            errors.append(f"dashboard provider {provider.get('name')}: path {path} is not where observability.yml "
                          f"mounts deploy/grafana/dashboards")
    home = grafana["environment"].get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
    if home:
        folder, name = home.rsplit("/", 1)
        if mounts.get(folder) is None or not (mounts[folder] / name).is_file():
            errors.append(f"GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH {home} is not a mounted file")

    # Structure: unique panel ids, refIds unique per panel, every target with an expression.
    ids = [p.get("id") for p in panels(dashboard)]
    if len(ids) != len(set(ids)):
        errors.append(f"panel ids are not unique: {ids}")
    for panel in panels(dashboard):
        refs = [t.get("refId") for t in panel.get("targets", [])]
        if len(refs) != len(set(refs)) or any(not t.get("expr") for t in panel.get("targets", [])):
            errors.append(f"panel {panel['id']}: targets need an expr and distinct refIds")
        if panel.get("type") != "row" and not panel.get("targets"):
            errors.append(f"panel {panel['id']} \"{panel.get('title')}\" has no query")

    exprs = [e for _, e in expressions(dashboard)]
    for what, test in REQUIRED:
        if not any(test(e) for e in exprs):
            errors.append(f"no panel shows {what}")
    print(f"  {len(ids)} panels, {len(exprs)} expressions; required panels present: "
          + ", ".join(what for what, _ in REQUIRED))
    return fail(errors)


def evaluate(prometheus, expression):
    """('OK', n) with n series, ('EMPTY', 0), or ('ERROR', message)."""
    url = prometheus.rstrip("/") + "/api/v1/query?" + urllib.parse.urlencode({"query": expression})
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body = json.load(response)
    except urllib.error.HTTPError as e:  # 400/422: the expression itself is wrong
        try:
            body = json.load(e)
        except ValueError:
            return "ERROR", f"HTTP {e.code}"
    if body.get("status") != "success":
        return "ERROR", f"{body.get('errorType')}: {body.get('error')}"
    result = body["data"]["result"]
    if body["data"]["resultType"] == "scalar":
        return "OK", 1
    return ("OK", len(result)) if result else ("EMPTY", 0)


def metric_names(expression):
    """The metric names an expression selects: what is left once strings, label matchers, ranges, grouping
    clauses, function calls and keywords are taken out."""
    rest = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)
    rest = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", rest)
    rest = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", rest)
    names = re.findall(r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()", rest)
    return set(names) - {"by", "without", "or", "and", "unless", "bool", "offset", "inf", "nan"}


def queries_check(prometheus):
    dashboard = json.loads(DASHBOARD.read_text())
    variables = dict(BUILTINS)
    for variable in dashboard.get("templating", {}).get("list", []):
        variables[variable["name"]] = variable.get("allValue") or ".*"
    with urllib.request.urlopen(prometheus.rstrip("/") + "/api/v1/label/__name__/values", timeout=30) as r:
        known = set(json.load(r)["data"])

    rows, failed = [], 0
    for where, expression in expressions(dashboard):
        query = substitute(expression, variables)
        leftover = re.search(r"\$\{?\w+|\[\[\w+\]\]", query)
        status, detail = ("ERROR", f"unknown variable {leftover.group(0)}") if leftover else evaluate(prometheus, query)
        # A name Prometheus has never scraped is a misspelt metric (or one never incremented): "or vector(0)" would
        # hide it behind a result, so it fails even then.
        unknown = sorted(n for n in metric_names(query) if n not in known)
        if status != "ERROR" and unknown:
            status, detail = "UNKNOWN", f"metric never scraped: {', '.join(unknown)}"
        elif status == "EMPTY":
            detail = "no series"
        elif status == "OK":
            detail = f"{detail} series of {', '.join(sorted(metric_names(query)))}"
        failed += status != "OK"
        rows.append((status, where, detail, query))

    width = max(len(r[1]) for r in rows)
    print(f"  {'RESULT':<7} {'WHERE':<{width}}  DETAIL / QUERY")
    for status, where, detail, query in rows:
        print(f"  {status:<7} {where:<{width}}  {detail}")
        print(f"  {'':<7} {'':<{width}}    {query}")
    ok = len(rows) - failed
    print(f"  {ok} of {len(rows)} expressions evaluated with data; {failed} empty or failed "
          f"(variables: {', '.join(f'{k}={v}' for k, v in sorted(variables.items()) if not k.startswith('__'))}, "
          f"$__rate_interval={BUILTINS['__rate_interval']})")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "static":
        sys.exit(static_check())
    if len(sys.argv) == 3 and sys.argv[1] == "queries":
        sys.exit(queries_check(sys.argv[2]))
    sys.exit(__doc__)
