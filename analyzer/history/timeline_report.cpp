#include "analyzer/history/timeline_report.h"

#include <algorithm>
#include <cstdio>

#include "analyzer/history/qualify.h"
#include "analyzer/report/json_writer.h"

namespace mlm {

namespace {

const std::string& name_of(const Timeline& t, const std::string& id) {
  for (const auto& p : t.parameters) {
    if (p.id == id) return p.name;
  }
  return id;
}

std::string describe(const TimelinePoint& p) {
  return utc_date(p.time) + " " + p.commit.substr(0, 12) + (p.label.empty() ? "" : " (" + p.label + ")");
}

}  // namespace

void write_timeline_text(std::ostream& out, const Timeline& t, const std::string& fingerprint) {
  out << "mlmaturity " << MLM_VERSION << "  history of " << sanitize_utf8(t.repository) << ", every "
      << t.selection.every << ", " << t.points.size() << " points, rules " << fingerprint << "\n";
  if (t.partial_history) out << "partial history (shallow clone): earlier points are missing\n";
  if (t.points.empty()) {
    out << "\nNo points in the selected range.\n";
    return;
  }
  // Table: one row per point, one column per parameter (its id; '?' = unknown).
  out << "\n" << std::string(10, ' ') << "  " << std::string(12, ' ') << "  overall";
  for (const auto& p : t.parameters) out << "  " << p.id;
  out << "\n";
  for (const auto& pl : t.points) {
    char head[64];
    snprintf(head, sizeof head, "%-10s  %-12s  %7s", utc_date(pl.point.time).c_str(), pl.point.commit.substr(0, 12).c_str(),
             pl.overall_known ? std::to_string(pl.overall).c_str() : "?");
    out << head;
    for (const auto& p : t.parameters) {
      auto it = pl.levels.find(p.id);
      const std::string v = it == pl.levels.end() ? "?" : std::to_string(it->second);
      out << "  " << std::string(p.id.size() > v.size() ? p.id.size() - v.size() : 0, ' ') << v;
    }
    if (!pl.point.label.empty()) out << "  " << sanitize_utf8(pl.point.label);
    out << "\n";
  }
  out << "\nFirst reached\n";
  if (t.milestones.empty()) out << "  no parameter reached level 1 at any point\n";
  for (const auto& m : t.milestones) {
    out << "  " << name_of(t, m.parameter) << " level " << m.level << ": "
        << (m.at_first_point ? "already at the first point, " : "") << describe(t.points[m.point].point) << "\n";
    size_t shown = 0;
    for (const auto& e : m.evidence) {
      if (shown == 3) {
        out << "      ... " << (m.evidence.size() - shown) << " more (--format json)\n";
        break;
      }
      ++shown;
      out << "      " << (e.is_new && !m.at_first_point ? "new  " : "     ") << e.id << "  "
          << (e.path.empty() ? "(repository)" : sanitize_utf8(e.path) + (e.line ? ":" + std::to_string(e.line) : ""))
          << "  " << sanitize_utf8(e.excerpt) << "\n";
    }
  }
  out << "\n" << t.points.size() << " scans in " << static_cast<int>(t.seconds * 1000) / 1000.0 << " s; parse cache "
      << t.cache_hits << " hits, " << t.cache_misses << " misses (" << t.python_parses << " Python parses); "
      << t.results_replayed << " per-file results replayed\n";
}

void write_timeline_json(std::ostream& os, const Timeline& t, const std::string& fingerprint) {
  JsonWriter w(os);
  w.begin_object();
  w.field("schema_version", kHistorySchemaVersion);
  w.key("tool").begin_object().field("name", "mlmaturity").field("version", MLM_VERSION).end_object();
  w.key("rules").begin_object().field("fingerprint", fingerprint).end_object();
  w.field("repository", t.repository);
  w.key("selection").begin_object();
  w.field("every", t.selection.every).field("rev", t.selection.rev).field("max_points", t.selection.max_points);
  w.end_object();
  w.field("partial_history", t.partial_history);
  w.key("parameters").begin_array();
  for (const auto& p : t.parameters) {
    w.begin_object().field("id", p.id).field("name", p.name).field("technical", p.technical).end_object();
  }
  w.end_array();
  w.key("points").begin_array();
  for (size_t i = 0; i < t.points.size(); ++i) {
    const PointLevels& pl = t.points[i];
    w.begin_object();
    w.field("index", i).field("commit", pl.point.commit).field("time", static_cast<long long>(pl.point.time));
    w.field("date", utc_date(pl.point.time)).field("label", pl.point.label);
    w.key("overall");
    if (pl.overall_known) w.value(pl.overall);
    else w.null();
    w.key("levels").begin_object();
    for (const auto& p : t.parameters) {
      w.key(p.id);
      auto it = pl.levels.find(p.id);
      if (it == pl.levels.end()) w.null();
      else w.value(it->second);
    }
    w.end_object();
    w.field("evidence_count", pl.evidence).field("seconds", pl.seconds);
    w.end_object();
  }
  w.end_array();
  // The same levels as one array per parameter, aligned with `points`: ready for a line chart.
  w.key("series").begin_object();
  w.key("overall").begin_array();
  for (const auto& pl : t.points) {
    if (pl.overall_known) w.value(pl.overall);
    else w.null();
  }
  w.end_array();
  for (const auto& p : t.parameters) {
    w.key(p.id).begin_array();
    for (const auto& pl : t.points) {
      auto it = pl.levels.find(p.id);
      if (it == pl.levels.end()) w.null();
      else w.value(it->second);
    }
    w.end_array();
  }
  w.end_object();
  w.key("milestones").begin_array();
  for (const auto& m : t.milestones) {
    const TimelinePoint& p = t.points[m.point].point;
    w.begin_object();
    w.field("parameter", m.parameter).field("level", m.level).field("point", m.point);
    w.field("commit", p.commit).field("date", utc_date(p.time)).field("time", static_cast<long long>(p.time));
    w.field("at_first_point", m.at_first_point);
    w.key("evidence").begin_array();
    for (const auto& e : m.evidence) {
      w.begin_object().field("id", e.id).field("path", e.path).field("line", e.line).field("excerpt", e.excerpt);
      w.field("new", e.is_new).end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("stats").begin_object();
  w.field("points", t.points.size()).field("seconds", t.seconds);
  w.field("cache_hits", t.cache_hits).field("cache_misses", t.cache_misses);
  w.field("python_parses", t.python_parses).field("results_replayed", t.results_replayed);
  w.end_object();
  w.end_object();
  os << "\n";
}

namespace {

// Paths with control characters, quotes, backslashes or non-ASCII bytes are quoted the way git
// quotes them (core.quotePath): one line per path whatever the file is called.
void append_path(std::string& buf, const std::string& path) {
  bool plain = true;
  for (unsigned char c : path) plain = plain && c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  if (plain) {
    buf += path;
    return;
  }
  buf += '"';
  for (unsigned char c : path) {
    const char* esc = c == '\a' ? "\\a" : c == '\b' ? "\\b" : c == '\t' ? "\\t" : c == '\n' ? "\\n"
                    : c == '\v' ? "\\v" : c == '\f' ? "\\f" : c == '\r' ? "\\r" : c == '"' ? "\\\""
                    : c == '\\' ? "\\\\" : nullptr;
    if (esc) {
      buf += esc;
    } else if (c < 0x20 || c >= 0x7f) {
      char oct[8];
      snprintf(oct, sizeof oct, "\\%03o", c);
      buf += oct;
    } else {
      buf += static_cast<char>(c);
    }
  }
  buf += '"';
}

}  // namespace

void write_changes(std::ostream& out, const History& h) {
  std::string buf;
  for (const CommitPtr& c : h.commits) {
    buf += c->id;
    buf += "\n";
    if (c->changes_listed && !c->changes.empty()) {
      buf += "\n";
      for (const auto& ch : c->changes) {
        buf += ch.status;
        buf += '\t';
        append_path(buf, ch.path);
        buf += '\n';
      }
    }
    if (buf.size() > (1 << 16)) {
      out << buf;
      buf.clear();
    }
  }
  out << buf;
}

}  // namespace mlm
