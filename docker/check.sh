#!/usr/bin/env bash
# Checks the observability files of docker/ without a container engine:
#
#   docker/check.sh            (from the repository root; any working directory works)
#
#   - compose.yaml, prometheus/prometheus.yml and the Grafana provisioning files parse as YAML, and hold what the
#     other files rely on (services, mounts, the scrape job, the datasource uid, the dashboards path);
#   - the two engine services (engine-1, engine-2) form one cluster: cluster on, each bound to its own service name,
#     each listing the other's Hazelcast address, and Prometheus scrapes both;
#   - `promtool check config` on prometheus/prometheus.yml, and `promtool check rules` on every dashboard query
#     (Grafana's $__range / $__rate_interval / $__interval replaced), when promtool is installed (Debian: apt-get
#     install prometheus); otherwise says so and relies on the YAML checks and a bracket check of the queries;
#   - grafana/dashboards/*.json: uid, title, refresh, every panel has a title, a description, the datasource uid
#     `prometheus` and at least one target with an expr, and every callback_* / vertx_* / jvm_* metric name in a
#     query is one the engine exposes (a typo fails).
#
# Needs python3 with PyYAML; when no python3 has it, installs python3-yaml with apt-get (as root) once.
# Prints every problem found and exits 1 if there was any, 0 otherwise.
set -euo pipefail

DOCKER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# ------------------------------------------------------------------------------------------ a python with PyYAML
PYTHON=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' >/dev/null 2>&1; then
    PYTHON="$candidate"
    break
  fi
done
if [[ -z "$PYTHON" ]]; then
  echo "check: PyYAML not importable; installing python3-yaml with apt-get"
  if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "check: FAIL: cannot install python3-yaml (needs root and apt-get); install PyYAML and run again" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-yaml >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-yaml >/dev/null; }
  if /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1; then
    PYTHON=/usr/bin/python3
  else
    echo "check: FAIL: python3-yaml installed but /usr/bin/python3 still cannot import yaml" >&2
    exit 1
  fi
fi

# ------------------------------------------------------------------------------------------ YAML and dashboards
status=0
"$PYTHON" - "$DOCKER_DIR" "$WORK" <<'PY' || status=1
import glob, json, os, re, sys
import yaml

docker_dir, work = sys.argv[1], sys.argv[2]
problems = []

def problem(where, what):
    problems.append(f"{where}: {what}")

def load_yaml(rel):
    path = os.path.join(docker_dir, rel)
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        problem(rel, f"not readable as YAML: {e}")
        return None
    if not isinstance(doc, dict):
        problem(rel, "top level is not a mapping")
        return None
    print(f"check: ok   {rel} parses as YAML")
    return doc

# ---- compose.yaml
compose = load_yaml("compose.yaml")
if compose is not None:
    services = compose.get("services") or {}
    for name in ("postgres", "engine-1", "engine-2", "prometheus", "grafana"):
        if name not in services:
            problem("compose.yaml", f"no service {name!r}")
    def environment(svc):
        env = (svc or {}).get("environment") or {}
        return dict(e.split("=", 1) for e in env if "=" in e) if isinstance(env, list) else env
    engines = sorted(n for n in services if re.fullmatch(r"engine-\d+", n))
    for name in engines:
        env = environment(services[name])
        if str(env.get("CALLBACK_CLUSTER_ENABLED", "")).lower() != "true":
            problem("compose.yaml", f"{name}: CALLBACK_CLUSTER_ENABLED is not true")
        if env.get("CALLBACK_CLUSTER_HOST") != name:
            problem("compose.yaml", f"{name}: CALLBACK_CLUSTER_HOST is not its own service name {name!r}")
        port = str(env.get("CALLBACK_CLUSTER_PORT", "5701"))
        members = [m.strip() for m in str(env.get("CALLBACK_CLUSTER_MEMBERS", "")).split(",") if m.strip()]
        for other in engines:
            other_port = str(environment(services[other]).get("CALLBACK_CLUSTER_PORT", "5701"))
            if other != name and f"{other}:{other_port}" not in members:
                problem("compose.yaml", f"{name}: CALLBACK_CLUSTER_MEMBERS does not list {other}:{other_port}")
        if env.get("CALLBACK_MASTER_KEY") != environment(services[engines[0]]).get("CALLBACK_MASTER_KEY"):
            problem("compose.yaml", f"{name}: CALLBACK_MASTER_KEY differs from {engines[0]}'s: the engines share "
                                    "one database, so they must share its master key")
        if any(str(p).split(":")[-2:-1] == [port] for p in (services[name] or {}).get("ports") or []):
            problem("compose.yaml", f"{name}: the Hazelcast port {port} is published; it belongs on the private "
                                    "network only")
    named_volumes = set((compose.get("volumes") or {}).keys())
    mounts = {}
    for name, svc in services.items():
        for v in (svc or {}).get("volumes") or []:
            if not isinstance(v, str):
                continue
            parts = v.split(":")
            source, target = parts[0], parts[1] if len(parts) > 1 else ""
            mounts.setdefault(name, {})[target] = (source, parts[2:])
            if source.startswith((".", "/")):
                if not os.path.exists(os.path.normpath(os.path.join(docker_dir, source))):
                    problem("compose.yaml", f"service {name}: bind-mount source {source} does not exist")
            elif source not in named_volumes:
                problem("compose.yaml", f"service {name}: volume {source!r} is not declared under volumes:")
    prom = services.get("prometheus") or {}
    if not str(prom.get("image", "")).startswith("prom/prometheus"):
        problem("compose.yaml", "prometheus: image is not prom/prometheus")
    src, opts = mounts.get("prometheus", {}).get("/etc/prometheus/prometheus.yml", (None, []))
    if src != "./prometheus/prometheus.yml" or "ro" not in opts:
        problem("compose.yaml", "prometheus: ./prometheus/prometheus.yml is not mounted read-only "
                                "at /etc/prometheus/prometheus.yml")
    if "9090:9090" not in [str(p) for p in prom.get("ports") or []]:
        problem("compose.yaml", "prometheus: port 9090 is not published")
    graf = services.get("grafana") or {}
    if not str(graf.get("image", "")).startswith("grafana/grafana"):
        problem("compose.yaml", "grafana: image is not grafana/grafana")
    if "3000:3000" not in [str(p) for p in graf.get("ports") or []]:
        problem("compose.yaml", "grafana: port 3000 is not published")
    env = graf.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env if "=" in e)
    if str(env.get("GF_AUTH_ANONYMOUS_ENABLED", "")).lower() != "true":
        problem("compose.yaml", "grafana: GF_AUTH_ANONYMOUS_ENABLED is not true")
    if str(env.get("GF_AUTH_ANONYMOUS_ORG_ROLE", "")) != "Viewer":
        problem("compose.yaml", "grafana: GF_AUTH_ANONYMOUS_ORG_ROLE is not Viewer")
    if env.get("GF_SECURITY_ADMIN_PASSWORD") != "${GRAFANA_ADMIN_PASSWORD:-admin}":
        problem("compose.yaml", "grafana: GF_SECURITY_ADMIN_PASSWORD is not ${GRAFANA_ADMIN_PASSWORD:-admin}")
    gm = mounts.get("grafana", {})
    if gm.get("/etc/grafana/provisioning", (None,))[0] != "./grafana/provisioning":
        problem("compose.yaml", "grafana: ./grafana/provisioning is not mounted at /etc/grafana/provisioning")
    dash_mount = [t for t, (s, _) in gm.items() if s == "./grafana/dashboards"]
    if not dash_mount:
        problem("compose.yaml", "grafana: ./grafana/dashboards is not mounted")
    home = env.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
    if home and not any(home.startswith(t + "/") and os.path.exists(
            os.path.join(docker_dir, "grafana/dashboards", home[len(t) + 1:])) for t in dash_mount):
        problem("compose.yaml", f"grafana: home dashboard {home} is not a mounted dashboard file")
else:
    dash_mount = []

# ---- prometheus.yml (its own content; promtool checks it further when present)
promcfg = load_yaml("prometheus/prometheus.yml")
if promcfg is not None:
    if (promcfg.get("global") or {}).get("scrape_interval") != "5s":
        problem("prometheus/prometheus.yml", "global scrape_interval is not 5s")
    jobs = {j.get("job_name"): j for j in promcfg.get("scrape_configs") or [] if isinstance(j, dict)}
    job = jobs.get("callback-engine")
    if job is None:
        problem("prometheus/prometheus.yml", "no scrape job 'callback-engine'")
    else:
        if job.get("metrics_path", "/metrics") != "/metrics":
            problem("prometheus/prometheus.yml", "job callback-engine: metrics_path is not /metrics")
        if job.get("scrape_interval", "5s") != "5s":
            problem("prometheus/prometheus.yml", "job callback-engine: scrape_interval is not 5s")
        targets = [t for sc in job.get("static_configs") or [] for t in sc.get("targets") or []]
        for name in ("engine-1", "engine-2"):
            if f"{name}:8080" not in targets:
                problem("prometheus/prometheus.yml", f"job callback-engine does not scrape {name}:8080")

# ---- Grafana provisioning
ds_uids = set()
for rel in sorted(glob.glob(os.path.join(docker_dir, "grafana/provisioning/datasources/*.y*ml"))):
    doc = load_yaml(os.path.relpath(rel, docker_dir))
    for ds in (doc or {}).get("datasources") or []:
        ds_uids.add(ds.get("uid"))
        if ds.get("uid") == "prometheus":
            if ds.get("type") != "prometheus" or ds.get("url") != "http://prometheus:9090":
                problem(os.path.relpath(rel, docker_dir), "datasource uid prometheus is not type prometheus "
                                                          "at http://prometheus:9090")
if "prometheus" not in ds_uids:
    problem("grafana/provisioning/datasources", "no datasource with uid 'prometheus'")
provider_paths = []
for rel in sorted(glob.glob(os.path.join(docker_dir, "grafana/provisioning/dashboards/*.y*ml"))):
    doc = load_yaml(os.path.relpath(rel, docker_dir))
    for p in (doc or {}).get("providers") or []:
        provider_paths.append(((p.get("options") or {}).get("path") or "").rstrip("/"))
if not provider_paths:
    problem("grafana/provisioning/dashboards", "no dashboards provider")
elif dash_mount and not set(provider_paths) & set(dash_mount):
    problem("grafana/provisioning/dashboards", f"provider path(s) {provider_paths} are not where compose.yaml "
                                               f"mounts ./grafana/dashboards ({dash_mount})")

# ---- dashboards
HISTOGRAMS = {"callback_attempt_duration_seconds", "callback_delivery_latency_seconds",
              "vertx_http_server_response_time_seconds"}
KNOWN = {
    "callback_events_accepted_total", "callback_deliveries_finished_total", "callback_attempts_total",
    "callback_queue_deliveries", "callback_queue_lag_seconds", "callback_profiles",
    "callback_profiles_auto_disabled_total",
    "vertx_http_server_requests_total", "vertx_eventbus_processed_total", "jvm_memory_used_bytes",
} | {h + s for h in HISTOGRAMS for s in ("_bucket", "_count", "_sum")}
NAME = re.compile(r"(?<![A-Za-z0-9_:])((?:callback|vertx|jvm)_[A-Za-z0-9_:]*)")
GRAFANA_VARS = {"$__range": "1h", "$__rate_interval": "1m", "$__interval": "1m",
                "${__range}": "1h", "${__rate_interval}": "1m", "${__interval}": "1m"}

def brackets_balanced(expr):
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    stack, pairs = [], {")": "(", "]": "[", "}": "{"}
    for c in expr:
        if c in "([{":
            stack.append(c)
        elif c in pairs:
            if not stack or stack.pop() != pairs[c]:
                return False
    return not stack

rules = []
dashboards = sorted(glob.glob(os.path.join(docker_dir, "grafana/dashboards/*.json")))
if not dashboards:
    problem("grafana/dashboards", "no dashboard JSON")
for number, path in enumerate(dashboards, 1):
    rel = os.path.relpath(path, docker_dir)
    try:
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
    except (OSError, ValueError) as e:
        problem(rel, f"not valid JSON: {e}")
        continue
    print(f"check: ok   {rel} parses as JSON")
    if os.path.basename(path) == "callback-engine.json":
        for key, want in (("uid", "callback-engine"), ("title", "Callback Engine"), ("refresh", "10s")):
            if dash.get(key) != want:
                problem(rel, f"{key} is {dash.get(key)!r}, not {want!r}")
    if not isinstance(dash.get("schemaVersion"), int) or dash["schemaVersion"] < 36:
        problem(rel, f"schemaVersion {dash.get('schemaVersion')!r} is missing or older than 36")
    flat = []
    for p in dash.get("panels") or []:
        flat.append(p)
        flat.extend(p.get("panels") or [])   # panels inside a collapsed row
    ids = [p.get("id") for p in flat]
    for dup in sorted({i for i in ids if ids.count(i) > 1}, key=str):
        problem(rel, f"panel id {dup} is used more than once")
    queried = 0
    for p in flat:
        title = p.get("title")
        where = f"{rel}: panel {p.get('id')} {title!r}"
        if not isinstance(title, str) or not title.strip():
            problem(rel, f"panel {p.get('id')} has no title")
        gp = p.get("gridPos") or {}
        if not all(isinstance(gp.get(k), int) for k in ("x", "y", "w", "h")) or gp["x"] + gp["w"] > 24:
            problem(where, f"gridPos {gp} is missing or wider than 24 columns")
        if p.get("type") == "row":
            continue
        if not str(p.get("description") or "").strip():
            problem(where, "no description")
        if (p.get("datasource") or {}).get("uid") != "prometheus":
            problem(where, f"datasource is {p.get('datasource')!r}, not uid 'prometheus'")
        targets = [t for t in p.get("targets") or [] if str(t.get("expr") or "").strip()]
        if not targets:
            problem(where, "no target with an expr")
        for t in p.get("targets") or []:
            if "datasource" in t and (t["datasource"] or {}).get("uid") != "prometheus":
                problem(where, f"target {t.get('refId')}: datasource is not uid 'prometheus'")
        for t in targets:
            queried += 1
            expr = t["expr"]
            for name in NAME.findall(expr):
                if name not in KNOWN:
                    problem(where, f"target {t.get('refId')}: unknown metric {name!r}")
            if not brackets_balanced(expr):
                problem(where, f"target {t.get('refId')}: unbalanced brackets in {expr!r}")
            promql = expr
            for var, value in GRAFANA_VARS.items():
                promql = promql.replace(var, value)
            if "$" in promql:
                problem(where, f"target {t.get('refId')}: unresolved Grafana variable in {expr!r}")
            rules.append({"record": f"check:dashboard_{number}_panel_{p.get('id')}_{t.get('refId')}", "expr": promql,
                          "_where": f"{where} target {t.get('refId')}"})
    rows = sum(1 for p in flat if p.get("type") == "row")
    print(f"check: ok   {rel}: {len(flat) - rows} panels in {rows} rows, {queried} queries looked at")

with open(os.path.join(work, "dashboard-rules.yml"), "w") as f:
    yaml.safe_dump({"groups": [{"name": "dashboard-queries",
                                "rules": [{k: v for k, v in r.items() if k != "_where"} for r in rules]}]}, f)
with open(os.path.join(work, "dashboard-rules.where"), "w") as f:
    f.writelines(f"{r['record']}\t{r['_where']}\n" for r in rules)

for p in problems:
    print(f"check: FAIL {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# ------------------------------------------------------------------------------------------ promtool
if command -v promtool >/dev/null 2>&1; then
  echo "check: promtool found ($(promtool --version 2>&1 | head -n 1)); using it"
  if promtool check config "$DOCKER_DIR/prometheus/prometheus.yml" >"$WORK/promtool.out" 2>&1; then
    echo "check: ok   promtool check config prometheus/prometheus.yml"
  else
    sed 's/^/  /' "$WORK/promtool.out" >&2
    echo "check: FAIL promtool check config prometheus/prometheus.yml" >&2
    status=1
  fi
  if [[ -s "$WORK/dashboard-rules.yml" ]]; then
    if promtool check rules "$WORK/dashboard-rules.yml" >"$WORK/promtool-rules.out" 2>&1; then
      echo "check: ok   promtool check rules: every dashboard query is valid PromQL"
    else
      sed 's/^/  /' "$WORK/promtool-rules.out" >&2
      # name the panels behind the failing recording rules
      while IFS=$'\t' read -r record where; do
        if grep -qF "\"$record\"" "$WORK/promtool-rules.out"; then echo "  $record is $where" >&2; fi
      done <"$WORK/dashboard-rules.where"
      echo "check: FAIL promtool check rules: a dashboard query is not valid PromQL" >&2
      status=1
    fi
  fi
else
  echo "check: promtool not found (Debian: apt-get install prometheus); falling back to the YAML parse of" \
       "prometheus/prometheus.yml and a bracket check of the dashboard queries"
fi

if [[ "$status" -eq 0 ]]; then
  echo "check: all docker/ observability files OK"
else
  echo "check: problems found (see FAIL lines above)" >&2
fi
exit "$status"
