#!/usr/bin/env python3
"""Runs the `run:` steps of a composite GitHub Action (action.yml) on this machine the way a
runner does: `bash --noprofile --norc -eo pipefail`, step `env:` and `working-directory:`,
GITHUB_OUTPUT / GITHUB_PATH / GITHUB_STEP_SUMMARY files, step outputs feeding later steps, and
`if:` conditions. `uses:` steps are not run (they need the network); their evaluated `with:` is
recorded instead, so a test can check what they would have been given.

Only the expressions the action uses are understood (`inputs.*`, `github.*`, `runner.temp`,
`steps.<id>.outputs.*`, `!cancelled()`, `always()`, `X != ''`, `&&`); anything else is an error,
so the test fails rather than guessing when the action grows a new expression.

Usage: run_action.py ACTION_YML RESULT_JSON --workspace DIR --temp DIR
         [--input NAME=VALUE]... [--github NAME=VALUE]...
Exit status: that of the first failing step (0 when every step succeeded).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class Context:
    def __init__(self, inputs, github, temp):
        self.inputs, self.github, self.temp = inputs, github, temp
        self.steps = {}

    def value(self, ref):
        parts = ref.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return self.inputs.get(parts[1], "")
        if parts[0] == "github" and len(parts) == 2:
            return self.github.get(parts[1], "")
        if ref == "runner.temp":
            return self.temp
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        raise SystemExit(f"run_action.py: unsupported expression '{ref}'")

    def substitute(self, text):
        return EXPR.sub(lambda m: self.value(m.group(1)), str(text))

    def condition(self, text, failed):
        text = text.strip()
        m = EXPR.fullmatch(text)
        if m:
            text = m.group(1)
        if not text:
            return not failed
        result, status_checked = True, False
        for term in (t.strip() for t in text.split("&&")):
            if term in ("!cancelled()", "always()"):
                status_checked = True
            elif term == "success()":
                status_checked, result = True, result and not failed
            elif m := re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'([^']*)'", term):
                equal = self.value(m.group(1)) == m.group(3)
                result = result and (equal if m.group(2) == "==" else not equal)
            else:
                raise SystemExit(f"run_action.py: unsupported condition '{term}'")
        # Like the runner: a condition without a status function implies success().
        return result and (status_checked or not failed)


def read_outputs(path):
    """GITHUB_OUTPUT: NAME=VALUE lines and NAME<<DELIMITER heredocs."""
    outputs, lines = {}, open(path, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            body = []
            i += 1
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            outputs[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("action")
    ap.add_argument("result")
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--temp", required=True)
    ap.add_argument("--input", action="append", default=[])
    ap.add_argument("--github", action="append", default=[])
    a = ap.parse_args()

    action = yaml.safe_load(open(a.action, encoding="utf-8"))
    assert action["runs"]["using"] == "composite", "a composite action"
    github = dict(kv.split("=", 1) for kv in a.github)
    ctx = Context({}, github, a.temp)
    given = dict(kv.split("=", 1) for kv in a.input)
    for name, spec in action.get("inputs", {}).items():
        ctx.inputs[name] = given.pop(name) if name in given else ctx.substitute((spec or {}).get("default", ""))
    if given:
        raise SystemExit(f"run_action.py: the action has no input(s) {sorted(given)}")

    summary = os.path.join(a.temp, "step-summary.md")
    open(summary, "a").close()
    extra_path, failed_rc, record = [], 0, {"steps": [], "uses": []}
    for n, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", f"step{n}")
        if not ctx.condition(str(step.get("if", "")), failed_rc != 0):
            record["steps"].append({"id": sid, "outcome": "skipped"})
            continue
        if "uses" in step:
            record["uses"].append({"id": sid, "uses": step["uses"],
                                   "with": {k: ctx.substitute(v) for k, v in step.get("with", {}).items()}})
            continue
        assert step.get("shell") == "bash", f"step {sid}: composite run steps name their shell"
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join(extra_path + [env.get("PATH", "")])
        env.update({"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": a.workspace, "RUNNER_TEMP": a.temp,
                    "GITHUB_STEP_SUMMARY": summary})
        env.update({k: ctx.substitute(v) for k, v in step.get("env", {}).items()})
        with tempfile.NamedTemporaryFile("w", dir=a.temp, suffix=".sh", delete=False) as script, \
                tempfile.NamedTemporaryFile("w", dir=a.temp, suffix=".out", delete=False) as out, \
                tempfile.NamedTemporaryFile("w", dir=a.temp, suffix=".path", delete=False) as path_file:
            script.write(step["run"])
        env["GITHUB_OUTPUT"], env["GITHUB_PATH"] = out.name, path_file.name
        cwd = os.path.join(a.workspace, ctx.substitute(step.get("working-directory", ".")))
        rc = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", script.name], cwd=cwd, env=env)
        ctx.steps[sid] = read_outputs(out.name)
        extra_path = [p for p in open(path_file.name).read().splitlines() if p] + extra_path
        record["steps"].append({"id": sid, "outcome": "success" if rc == 0 else "failure", "rc": rc,
                                "outputs": ctx.steps[sid]})
        if rc != 0 and failed_rc == 0:
            failed_rc = rc
    record["outputs"] = {k: ctx.substitute(v["value"]) for k, v in action.get("outputs", {}).items()}
    record["summary"] = open(summary, encoding="utf-8").read()
    json.dump(record, open(a.result, "w"), indent=1)
    return failed_rc


if __name__ == "__main__":
    sys.exit(main())
