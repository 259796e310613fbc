#!/usr/bin/env python3
"""Turns prometheus-rules.yaml (plain Prometheus `groups:`) into what Azure or prometheus-operator take.

  azure-rules.py --list                       names of the groups, one a line
  azure-rules.py GROUP [--action-group ID]    the `--rules` JSON of `az alerts-management
                                              prometheus-rule-group create` for one group
  azure-rules.py --prometheusrule             one monitoring.coreos.com/v1 PrometheusRule with every group

Azure's rule format differs from Prometheus' in three ways, handled here: `expr` is `expression`,
`for` is an ISO 8601 duration (10m -> PT10M), and severity is a number 0-4 (taken from the
`severity` label: critical 1, warning 2, info 3). Needs PyYAML.
"""
import argparse
import json
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SEVERITY = {"critical": 1, "error": 1, "warning": 2, "info": 3}


def iso_duration(value):
    """Prometheus duration (1h30m, 10m, 90s) to ISO 8601 (PT1H30M, PT10M, PT90S)."""
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", value)
    if not value or not parts:
        raise ValueError(f"unsupported duration {value!r}")
    h, m, s = parts.groups()
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s else "")


def azure_rule(rule, action_group):
    out = {"expression": rule["expr"].strip(), "enabled": True}
    if "record" in rule:
        out["record"] = rule["record"]
        if rule.get("labels"):
            out["labels"] = rule["labels"]
        return out
    out["alert"] = rule["alert"]
    if "for" in rule:
        out["for"] = iso_duration(rule["for"])
    labels = dict(rule.get("labels", {}))
    out["severity"] = SEVERITY.get(labels.get("severity", "warning"), 3)
    out["labels"] = labels
    out["annotations"] = rule.get("annotations", {})
    out["resolveConfiguration"] = {"autoResolved": True, "timeToResolve": "PT10M"}
    if action_group:
        out["actions"] = [{"actionGroupId": action_group}]
    return out


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings (the expressions) as literal blocks, as in the source file."""


_BlockDumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("group", nargs="?")
    ap.add_argument("--file", default=os.path.join(HERE, "prometheus-rules.yaml"))
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--action-group", help="resource id of an Azure Monitor action group to notify")
    ap.add_argument("--prometheusrule", action="store_true")
    ap.add_argument("--namespace", default="durable-diffusion")
    args = ap.parse_args()

    with open(args.file) as f:
        groups = yaml.safe_load(f)["groups"]

    if args.list:
        for g in groups:
            print(g["name"])
    elif args.prometheusrule:
        yaml.dump({
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": "PrometheusRule",
            "metadata": {"name": "durable-diffusion", "namespace": args.namespace,
                         "labels": {"app.kubernetes.io/part-of": "durable-diffusion"}},
            "spec": {"groups": groups},
        }, sys.stdout, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=1000)
    elif args.group:
        match = [g for g in groups if g["name"] == args.group]
        if not match:
            sys.exit(f"no group {args.group!r}; --list shows them")
        json.dump([azure_rule(r, args.action_group) for r in match[0]["rules"]], sys.stdout,
                  ensure_ascii=False)
        print()
    else:
        ap.print_help()
        sys.exit(2)


if __name__ == "__main__":
    main()
