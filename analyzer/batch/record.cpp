#include "analyzer/batch/record.h"

#include <simdjson.h>

#include <cstdio>
#include <sstream>

#include "analyzer/report/json_writer.h"
#include "analyzer/report/reports.h"

namespace mlm::batch {

namespace {

// The batch fields as the opening of an object, without its closing brace.
std::string batch_fields(const BatchFields& f) {
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.3f", f.seconds);
  std::string s = "{\"input\":\"" + json_escape(f.input) + "\",\"rev\":\"" + json_escape(f.rev) +
                  "\",\"status\":\"" + json_escape(f.status) + "\",\"duration_seconds\":" + secs + ",\"error\":";
  s += f.error.empty() ? std::string("null") : "\"" + json_escape(f.error) + "\"";
  return s;
}

}  // namespace

std::string ok_record(const BatchFields& f, const std::string& report_json) {
  // Splice: the batch fields first (what a person scanning the file looks for), then the
  // report's own members.
  std::string body = report_json;
  while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
  std::string out = batch_fields(f);
  if (body.size() > 2 && body.front() == '{') out += "," + body.substr(1);
  else out += "}";
  out += "\n";
  return out;
}

std::string failure_record(const BatchFields& f, const Knowledge& knowledge) {
  std::ostringstream tail;
  JsonWriter w(tail, false);
  w.begin_object();
  w.field("schema_version", kJsonSchemaVersion);
  w.key("tool").begin_object().field("name", "mlmaturity").field("version", MLM_VERSION).end_object();
  w.key("rules").begin_object().field("fingerprint", knowledge.fingerprint());
  w.key("files").begin_array();
  for (const auto& file : knowledge.files()) w.value(file);
  w.end_array().end_object();
  w.end_object();
  return batch_fields(f) + "," + tail.str().substr(1) + "\n";
}

struct RecordReader::Impl {
  simdjson::dom::parser parser;
};

RecordReader::RecordReader() : impl_(std::make_unique<Impl>()) {}
RecordReader::~RecordReader() = default;

namespace {

bool get_string(simdjson::dom::element obj, const char* key, std::string& out) {
  std::string_view v;
  if (obj[key].get_string().get(v) != simdjson::SUCCESS) return false;
  out.assign(v.data(), v.size());
  return true;
}

// A level: an integer, or null (unknown).
bool get_level(simdjson::dom::element obj, bool& known, int& level) {
  simdjson::dom::element v;
  if (obj["level"].get(v) != simdjson::SUCCESS) return false;
  int64_t n = 0;
  known = v.get_int64().get(n) == simdjson::SUCCESS;
  level = known ? static_cast<int>(n) : 0;
  return known || v.is_null();
}

// A score: a number, or null/absent (unknown, or a record written before scores existed).
std::optional<double> get_score(simdjson::dom::element obj) {
  double v = 0;
  if (obj["score"].get_double().get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

}  // namespace

bool RecordReader::read(const std::string& line, RecordSummary& out, bool full, std::string& error) {
  out = RecordSummary{};
  simdjson::dom::element root;
  if (auto e = impl_->parser.parse(line).get(root); e != simdjson::SUCCESS) {
    error = std::string("not JSON: ") + simdjson::error_message(e);
    return false;
  }
  if (!get_string(root, "input", out.input) || !get_string(root, "status", out.status) ||
      !get_string(root, "rev", out.rev)) {
    error = "not a batch record (input, rev and status are required)";
    return false;
  }
  if (out.status != kStatusOk && out.status != kStatusError && out.status != kStatusTimeout) {
    error = "unknown status '" + out.status + "'";
    return false;
  }
  get_string(root, "error", out.error);
  simdjson::dom::element rules;
  if (root["rules"].get(rules) != simdjson::SUCCESS || !get_string(rules, "fingerprint", out.fingerprint)) {
    error = "no rules fingerprint";
    return false;
  }
  if (!full || out.status != kStatusOk) return true;
  simdjson::dom::element overall;
  if (root["overall"].get(overall) != simdjson::SUCCESS || !get_level(overall, out.overall_known, out.overall)) {
    error = "an ok record without its overall level";
    return false;
  }
  out.overall_score = get_score(overall);
  simdjson::dom::array params;
  if (root["parameters"].get_array().get(params) != simdjson::SUCCESS) {
    error = "an ok record without parameters";
    return false;
  }
  for (simdjson::dom::element p : params) {
    RecordSummary::Parameter rp;
    if (!get_string(p, "id", rp.id) || !get_level(p, rp.known, rp.level)) {
      error = "a parameter without id or level";
      return false;
    }
    rp.score = get_score(p);
    simdjson::dom::array missing;
    if (p["next"]["missing"].get_array().get(missing) == simdjson::SUCCESS) {
      for (simdjson::dom::element m : missing) {
        std::string label;
        if (get_string(m, "label", label)) rp.missing.push_back(std::move(label));
      }
    }
    out.parameters.push_back(std::move(rp));
  }
  return true;
}

}  // namespace mlm::batch
