// `mlmaturity history PATH`: the levels at a series of points in the repository's history and
// when each parameter first reached each level (analyzer/history/timeline.h).
#include <git2.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "analyzer/cli/command.h"
#include "analyzer/cli/common_options.h"
#include "analyzer/history/timeline_report.h"
#include "analyzer/repo/git_hardening.h"

namespace mlm {
namespace {

const std::string kUsage = std::string(R"(Usage: mlmaturity history [PATH] [options]

Evaluates the levels at a series of points in the history of the git repository at PATH (default:
the current folder), each read from the object database, and prints when each parameter first
reached each level: the commit, the date and the evidence that appeared. Unchanged files are
parsed once for all points.

  --every tag|month|N    points: every tag, the last commit of every month (default), or N
                         commits evenly spaced along the first-parent history
  --rev REV              the history to follow (default HEAD)
  --since DATE           leave out points before DATE (YYYY-MM-DD, UTC, or epoch seconds)
  --until DATE           leave out points after DATE
  --max-points N         at most N points, evenly thinned (default 60)
  --jobs N               points scanned at a time (default: the CPUs available); the
                         report does not depend on it
  --format text|json|html  text table (default), JSON (docs/schema/history-report.schema.json)
                         or one self-contained HTML page with a step chart per parameter
  --link-base URL        HTML: link evidence to the source (see `mlmaturity scan --help`)
  --output FILE          write the report to FILE instead of standard output
  --changes              list every commit with its changed paths instead (like
                         `git log --name-status --no-renames --format=%H`); with --first-parent,
                         only the mainline, merges diffed against their first parent
  --first-parent         with --changes: follow first parents only
  --rules DIR            add or override rule files from DIR (repeatable)
  --cache-dir DIR        keep parse results in DIR between runs (see `mlmaturity scan --help`)
  --max-file-size BYTES, --max-notebook-size BYTES   as for scan
)");

bool parse_count(const std::string& s, size_t& out) {
  char* end = nullptr;
  const unsigned long long v = strtoull(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v == 0 || v > 100000) return false;
  out = v;
  return true;
}

int list_changes(const std::string& path, const std::string& rev, bool first_parent, std::ostream& out) {
  HardenedRepo hr;
  std::string error;
  if (!open_hardened(path, hr, error, /*check_workdir=*/false)) {
    std::cerr << "mlmaturity: " << error << "\n";
    return kExitUsage;
  }
  std::string start;
  std::string why;
  {
    git_object* obj = nullptr;
    git_commit* c = nullptr;
    if (git_revparse_single(&obj, hr.repo, rev.c_str()) == 0 &&
        git_object_peel(reinterpret_cast<git_object**>(&c), obj, GIT_OBJECT_COMMIT) == 0) {
      char hex[GIT_OID_HEXSZ + 1];
      git_oid_tostr(hex, sizeof hex, git_commit_id(c));
      start = hex;
    } else {
      why = git_error_text();
    }
    git_commit_free(c);
    git_object_free(obj);
  }
  if (start.empty()) {
    std::cerr << "mlmaturity: " << path << ": cannot resolve revision '" << rev << "': " << why << "\n";
    git_repository_free(hr.repo);
    return kExitUsage;
  }
  WalkOptions wo;
  wo.first_parent = first_parent;
  // As git (2.31 and later) does: along the mainline, a merge lists what it brought in.
  wo.diff_merges = first_parent;
  History h;
  const bool ok = walk_history(hr.repo, start, wo, h, error);
  git_repository_free(hr.repo);
  if (!ok) {
    std::cerr << "mlmaturity: " << path << ": " << error << "\n";
    return kExitUsage;
  }
  write_changes(out, h);
  if (h.partial) std::cerr << "mlmaturity: partial history (shallow clone or missing objects)\n";
  return kExitOk;
}

int run_history_command(const std::vector<std::string>& argv) {
  ArgReader args(argv);
  CommonOptions o;
  PointOptions sel;
  std::string path = ".", format = "text", output, v;
  bool path_set = false, changes = false, first_parent = false;
  unsigned jobs = available_cpus();
  while (!args.done() && !args.failed()) {
    if (args.flag("--help", "-h")) {
      std::cout << kUsage;
      return kExitOk;
    }
    if (args.value("--format", format, "-f") || args.value("--output", output, "-o") ||
        args.value("--rev", sel.rev)) {
      continue;
    }
    if (args.flag("--changes")) {
      changes = true;
    } else if (args.flag("--first-parent")) {
      first_parent = true;
    } else if (args.value("--every", sel.every)) {
      if (!valid_every(sel.every)) args.fail("--every takes tag, month or a number of commits (2 or more)");
    } else if (args.value("--since", v)) {
      if (!parse_date(v, sel.since)) args.fail("--since takes a date (YYYY-MM-DD) or epoch seconds");
    } else if (args.value("--until", v)) {
      if (!parse_date(v, sel.until)) args.fail("--until takes a date (YYYY-MM-DD) or epoch seconds");
    } else if (args.value("--max-points", v)) {
      if (!parse_count(v, sel.max_points)) args.fail("--max-points takes a number from 1 to 100000");
    } else if (read_jobs_option(args, jobs)) {
    } else if (read_common_option(args, o)) {
      // rules, limits, cache
    } else {
      std::string p;
      if (!path_set && args.positional(p)) {
        path = p;
        path_set = true;
        continue;
      }
      args.unknown();
    }
  }
  if (format != "text" && format != "json" && format != "html") args.fail("--format takes text, json or html");
  if (!o.outputs.empty()) args.fail("--format/--output are given once for history (text, json or html)");
  if (args.failed()) {
    std::cerr << "mlmaturity history: " << args.error() << "\n\n" << kUsage;
    return kExitUsage;
  }
  std::ofstream file;
  if (!output.empty()) {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "mlmaturity: cannot write " << output << "\n";
      return kExitUsage;
    }
  }
  std::ostream& out = output.empty() ? std::cout : file;
  if (changes) return list_changes(path, sel.rev, first_parent, out);

  GitInitAhead git_ahead;  // libgit2 starts while the rules load
  Engine engine;
  if (!load_engine(o, engine)) return kExitUsage;
  Timeline t;
  std::string error;
  // Progress on standard error when a person watches it (a terminal), never in logs or pipes.
  const bool show_progress = isatty(STDERR_FILENO) == 1;
  auto progress = [&](size_t done, size_t total) {
    std::cerr << "\r\033[Kmlmaturity: scanned " << done << " of " << total << " points" << std::flush;
  };
  const bool ok = run_timeline(engine, path, sel, o.scan, t, error, jobs,
                               show_progress ? std::function<void(size_t, size_t)>(progress) : nullptr);
  if (show_progress) std::cerr << "\r\033[K" << std::flush;
  if (!ok) {
    std::cerr << "mlmaturity: " << path << ": " << error << "\n";
    return kExitUsage;
  }
  if (format == "json") write_timeline_json(out, t, engine.knowledge().fingerprint());
  else if (format == "html") write_timeline_html(out, t, engine.knowledge().fingerprint(), o.link_base);
  else write_timeline_text(out, t, engine.knowledge().fingerprint());
  out.flush();
  if (!out) {
    std::cerr << "mlmaturity: cannot write " << (output.empty() ? "standard output" : output) << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

MLM_REGISTER_COMMAND(history, "history",
                     "levels over time: when each parameter first reached each level (tags, months, N commits)",
                     kUsage, run_history_command);

}  // namespace mlm
