#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, generated from fixtures/ (and rules/ for the rules loader)
into OUT/<target>/. Selector targets get their variant byte in front (see fuzz/targets/*.cpp).
Formats no fixture has (noxfile, Jenkinsfile, a policy file, ...) get one small seed written here.
Usage: fuzz/make_corpus.py OUT"""
import hashlib
import os
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
MAX_SEED = 64 * 1024

# ci_pipeline's paths, in the order of kPaths in fuzz/targets/ci_pipeline.cpp.
CI_PATHS = [".github/workflows/ci.yml", ".github/actions/build/action.yml", ".gitlab-ci.yml", "azure-pipelines.yml",
            "Jenkinsfile", "infra/pipeline_stack.py", "infra/pipeline-stack.ts", "infra/pipeline.tf",
            ".circleci/config.yml", ".travis.yml", "bitbucket-pipelines.yml", "cloudbuild.yaml",
            "deploy/build.yaml", "buildspec.yml", "ci/codebuild.yml", "cfn/pipeline.template", ".drone.yml",
            ".woodpecker.yml", ".buildkite/pipeline.yml", "tekton/pipeline.yaml", "argo/workflow.yaml"]

WRITTEN = {
    "wrapper_files": [b"\x02import nox\n\n@nox.session(python=['3.10'])\ndef tests(session):\n"
                      b"    session.install('-e', '.')\n    session.run('pytest', '--cov')\n",
                      b"\x03[tasks]\ntest = \"pytest\"\nlint = { cmd = \"ruff check .\", depends-on = [\"fmt\"] }\n"
                      b"[feature.ci.tasks]\nbuild = { cmd = \"python -m build\", cwd = \"pkg\" }\n"],
    "ci_pipeline": [bytes([4]) + b"pipeline {\n  agent any\n  triggers { cron('H 2 * * *') }\n  stages {\n"
                    b"    stage('Test') { steps { sh 'pytest tests' } }\n"
                    b"    stage('Train') { when { branch 'main' } steps { sh 'python train.py' } }\n  }\n}\n"],
    "policy_file": [b"minimum:\n  ci: 2\n  testing: 1\noverall: 1\nrequire_known: true\nexclude: ['examples/**']\n"
                    b"rules: [my-rules]\ndisable: [ci.L2.*]\nseverity:\n  - {match: 'ci.*', level: warning}\n"
                    b"baseline: origin/main\n"],
    "people_files": [b"\x00Ada Lovelace <ada@example.com> <ada@old.example.com>\n"
                     b"<ada@example.com> Ada <12345+ada@users.noreply.github.com>\n# comment\nBob <bob@example.com>\n"],
}


def seed(out: Path, target: str, data: bytes) -> None:
    data = data[:MAX_SEED]
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


# How a fixture file's path or text tells its CI system: (test, index into CI_PATHS), first match
# wins; anything else is read as Azure Pipelines (which claims every other YAML file first).
CI_KINDS = [
    (lambda rel, name, text: rel.startswith(".github/workflows/"), 0),
    (lambda rel, name, text: name in ("action.yml", "action.yaml"), 1),
    (lambda rel, name, text: "gitlab-ci" in name, 2),
    (lambda rel, name, text: name.startswith("Jenkinsfile"), 4),
    (lambda rel, name, text: name.endswith(".tf"), 7),
    (lambda rel, name, text: rel.startswith(".circleci/"), 8),
    (lambda rel, name, text: name.startswith(".travis"), 9),
    (lambda rel, name, text: name.startswith("bitbucket-pipelines"), 10),
    (lambda rel, name, text: name.startswith("cloudbuild"), 11),
    (lambda rel, name, text: name.startswith("buildspec"), 13),
    (lambda rel, name, text: name.startswith(".drone"), 16),
    (lambda rel, name, text: rel.startswith(".woodpecker"), 17),
    (lambda rel, name, text: rel.startswith(".buildkite/"), 18),
    (lambda rel, name, text: b"tekton.dev" in text, 19),
    (lambda rel, name, text: b"argoproj.io" in text, 20),
    (lambda rel, name, text: b"AWS::CodePipeline" in text, 15),
]


def ci_index(rel: str, text: bytes) -> int:
    name = rel.rsplit("/", 1)[-1]
    return next((index for test, index in CI_KINDS if test(rel, name, text)), 3)


def git_objects(repo_dir: Path):
    """Raw commit and tree bodies, and loose-object files, of a one-commit repository of repo_dir."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="ada@example.com",
                   GIT_COMMITTER_NAME="Ada", GIT_COMMITTER_EMAIL="ada@example.com",
                   GIT_AUTHOR_DATE="1704880800 +0000", GIT_COMMITTER_DATE="1704880800 +0000")
        run = lambda *a: subprocess.run(["git", "-C", tmp, *a], check=True, env=env, capture_output=True).stdout
        run("init", "-q")
        run("--work-tree", str(repo_dir), "add", "-A", ".")
        run("commit", "-q", "-m", "Add the training pipeline\n\nCo-authored-by: Bob <bob@example.com>")
        commit = run("cat-file", "commit", "HEAD")
        ids = ["HEAD^{tree}"] + [line.split()[2] for line in run("ls-tree", "-r", "-t", "HEAD").decode().splitlines()
                                 if line.split()[1] == "tree"]
        trees = [run("cat-file", "tree", t) for t in ids[:8]]
        return commit, trees


def main() -> None:
    out = Path(sys.argv[1])
    for fixture in sorted(p for p in FIXTURES.iterdir() if (p / "repo").is_dir()):
        repo = fixture / "repo"
        bundle = b""
        for f in sorted(p for p in repo.rglob("*") if p.is_file()):
            rel = f.relative_to(repo).as_posix()
            name = f.name
            text = f.read_bytes()
            ext = f.suffix
            if ext in (".yml", ".yaml") or name.startswith("Jenkinsfile") or ext == ".tf":
                seed(out, "ci_pipeline", bytes([ci_index(rel, text)]) + text)
            if ext in (".yml", ".yaml"):
                seed(out, "yaml_docs", text)
            if ext in (".yml", ".yaml", ".sh", ".tf") or name in (
                    "Makefile", "tox.ini", "noxfile.py", "pixi.toml", "pyproject.toml") or name.startswith("Jenkinsfile"):
                bundle += b"#@@ " + rel.encode() + b"\n" + text
            wrappers = {"Makefile": 0, "tox.ini": 1, "noxfile.py": 2, "pixi.toml": 3, "pyproject.toml": 4}
            if name in wrappers:
                seed(out, "wrapper_files", bytes([wrappers[name]]) + text)
            if ext == ".sh":
                seed(out, "shell_commands", b"\x00" + text)
                seed(out, "shell_commands", b"\x01" + text)
            if ext == ".py":
                seed(out, "python_facts", text)
            if ext == ".ipynb":
                seed(out, "notebook", text)
            if name == ".mailmap":
                seed(out, "people_files", b"\x00" + text)
            if name == "CODEOWNERS":
                seed(out, "people_files", b"\x01" + text)
            if name.startswith(".mlmaturity."):
                seed(out, "policy_file", text)
            if ext in (".py", ".yml", ".json") and len(text) < 16384:
                body = b"blob %d\x00" % len(text) + text
                seed(out, "loose_object", b"\x00" + zlib.compress(body))
                seed(out, "loose_object", b"\x01" + zlib.compress(body))
        if bundle:
            seed(out, "ci_repository", bundle)
        commit, trees = git_objects(repo)
        seed(out, "raw_objects", b"\x00" + commit)
        seed(out, "raw_objects", b"\x01" + commit)
        seed(out, "loose_object", b"\x00" + zlib.compress(b"commit %d\x00" % len(commit) + commit))
        for t in trees:
            seed(out, "raw_objects", b"\x02" + t)
            seed(out, "loose_object", b"\x01" + zlib.compress(b"tree %d\x00" % len(t) + t))
    for rules in sorted((ROOT / "rules").rglob("*.yaml")):
        seed(out, "rules_file", rules.read_bytes())
    for target, seeds in WRITTEN.items():
        for s in seeds:
            seed(out, target, s)
    for target in sorted(p.name for p in out.iterdir()):
        print(f"{target}: {len(list((out / target).iterdir()))} seeds")


if __name__ == "__main__":
    main()
