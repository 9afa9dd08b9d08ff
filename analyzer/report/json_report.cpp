// The machine-readable report. Its shape is documented in docs/schema/scan-report.schema.json;
// bump kJsonSchemaVersion on any incompatible change.
#include "analyzer/gate/gate.h"
#include "analyzer/report/json_writer.h"
#include "analyzer/report/reports.h"
#include "analyzer/rules/maturity_models.h"
#include "analyzer/rules/score.h"

namespace mlm {

namespace {

void write_indexes(JsonWriter& w, const std::vector<size_t>& idx) {
  w.begin_array();
  for (size_t i : idx) w.value(i);
  w.end_array();
}

// A score keeps two decimals, as the text report shows it; null when unknown.
void write_score(JsonWriter& w, const std::optional<double>& score) {
  w.key("score");
  if (score) w.fixed(*score, 2);
  else w.null();
}

// `weight` is given for a level's own requirements only (what the score counts).
void write_condition(JsonWriter& w, const ConditionOutcome& c, const Condition* requirement = nullptr) {
  w.begin_object();
  w.field("label", c.label).field("met", c.met);
  if (requirement) w.field("weight", requirement->weight);
  if (!c.remediation.empty()) w.field("remediation", c.remediation);
  w.key("evidence");
  write_indexes(w, c.evidence);
  if (!c.met && !c.near.empty()) {
    w.key("near");
    write_indexes(w, c.near);
  }
  if (!c.children.empty()) {
    w.key("children").begin_array();
    for (const auto& ch : c.children) write_condition(w, ch);
    w.end_array();
  }
  w.end_object();
}

void write_parameter(JsonWriter& w, const ParameterOutcome& p) {
  const ParameterRule& r = *p.rule;
  w.begin_object();
  w.field("id", r.id).field("name", r.name).field("technical", r.technical).field("known", p.known);
  if (p.known) {
    w.field("level", p.level).field("summary", level_summary(p));
  } else {
    w.key("level").null();
    w.field("unknown_reason", r.unknown_reason);
  }
  write_score(w, p.score);
  w.key("levels").begin_array();
  for (const auto& lo : p.levels) {
    w.begin_object();
    w.field("level", lo.level).field("met", lo.met);
    w.field("summary", lo.rule->summary).field("scope", lo.rule->scope).field("success", lo.rule->success);
    w.key("deliverables").begin_array();
    for (const auto& d : lo.rule->deliverables) w.value(d);
    w.end_array();
    w.key("requirements").begin_array();
    for (size_t i = 0; i < lo.requirements.size(); ++i) {
      write_condition(w, lo.requirements[i], lo.rule ? &lo.rule->requires[i] : nullptr);
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("caps").begin_array();
  for (const auto& c : p.caps) {
    w.begin_object().field("max", c.max).field("reason", c.reason).field("remediation", c.remediation);
    w.key("evidence");
    write_indexes(w, c.evidence);
    w.end_object();
  }
  w.end_array();
  w.key("next");
  const auto gaps = next_level_gaps(p);
  if (!p.known || p.level >= static_cast<int>(p.levels.size())) {
    w.null();
  } else {
    w.begin_object().field("level", p.level + 1).key("missing").begin_array();
    for (const auto& g : gaps) {
      w.begin_object().field("label", g.label).field("remediation", g.remediation);
      w.key("near");
      write_indexes(w, g.near);
      w.end_object();
    }
    w.end_array().end_object();
  }
  w.key("evidence");
  write_indexes(w, p.evidence);
  w.end_object();
}

// Each derived model: the level reached and, per level, the parameter levels it needs, what
// they are and the evidence (indexes) those parameter levels rest on.
void write_models(JsonWriter& w, const Engine& engine, const Assessment& a) {
  w.key("models").begin_array();
  for (const auto& m : derive_models(engine.maturity_models(), a)) {
    w.begin_object().field("id", m.model->id).field("name", m.model->name).field("source", m.model->source);
    w.field("level", m.level).field("level_name", m.reached().name);
    w.key("levels").begin_array();
    for (const auto& lo : m.levels) {
      w.begin_object().field("level", lo.rule->level).field("name", lo.rule->name).field("summary", lo.rule->summary);
      w.field("met", lo.met).key("requirements").begin_array();
      for (const auto& r : lo.requirements) {
        w.begin_object().field("parameter", r.rule->parameter).field("min", r.rule->min).field("label", r.rule->label);
        w.key("actual");
        if (r.known) w.value(r.actual);
        else w.null();
        w.field("met", r.met).key("evidence");
        write_indexes(w, r.evidence);
        w.end_object();
      }
      w.end_array().end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
}

void write_gate(JsonWriter& w, const GateOutcome& g) {
  w.key("gate").begin_object();
  w.field("passed", g.passed()).field("enforced", g.policy.gating() || g.has_baseline);
  w.field("policy_source", g.policy.source);
  w.key("minimum").begin_object();
  for (const auto& [k, v] : g.policy.minimum) w.field(k, v);
  if (g.policy.minimum_overall) w.field("overall", *g.policy.minimum_overall);
  w.end_object();
  w.key("failures").begin_array();
  for (const auto& f : g.failures) {
    w.begin_object().field("parameter", f.parameter).field("required", f.required);
    if (f.actual >= 0) w.field("actual", f.actual);
    else w.key("actual").null();
    w.field("message", f.message).end_object();
  }
  w.end_array();
  if (g.has_baseline) {
    w.key("baseline").begin_object().field("spec", g.baseline_spec).field("revision", g.baseline_revision).end_object();
  } else {
    w.key("baseline").null();
  }
  w.key("regressions").begin_array();
  for (const auto& r : g.regressions) {
    w.begin_object().field("parameter", r.parameter).field("base_level", r.base_level).field("head_level", r.head_level);
    w.field("message", r.message).key("lost").begin_array();
    for (const auto& l : r.lost) {
      w.begin_object().field("id", l.id).field("path", l.path).field("line", l.line).field("excerpt", l.excerpt);
      w.field("change", l.change).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.key("findings").begin_array();
  for (const auto& f : g.findings) {
    w.begin_object().field("rule_id", f.rule_id).field("parameter", f.parameter).field("level", f.level);
    w.field("label", f.label).field("severity", f.severity).field("blocks_policy", f.blocks_policy);
    w.field("path", f.path).field("line", f.line).field("why", f.why).field("remediation", f.remediation).end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace

void write_json_report(std::ostream& out, const ReportContext& ctx, bool pretty) {
  const ScanResult& r = ctx.result;
  JsonWriter w(out, pretty);
  w.begin_object();
  w.field("schema_version", kJsonSchemaVersion);
  w.key("tool").begin_object().field("name", "mlmaturity").field("version", MLM_VERSION).end_object();
  w.key("rules").begin_object().field("fingerprint", ctx.engine.knowledge().fingerprint());
  w.key("files").begin_array();
  for (const auto& f : ctx.engine.knowledge().files()) w.value(f);
  w.end_array().end_object();
  w.key("source").begin_object();
  w.field("kind", r.source.kind).field("root", r.source.root).field("revision", r.source.revision);
  w.field("rev_spec", r.source.rev_spec).field("is_git", r.source.is_git).field("shallow", r.source.shallow);
  w.end_object();
  const Assessment& a = r.assessment;
  w.key("overall").begin_object();
  if (a.overall_known) w.field("level", a.overall);
  else w.key("level").null();
  write_score(w, a.overall_score);
  w.key("unknown_parameters").begin_array();
  for (const auto& u : a.overall_unknown) w.value(u);
  w.end_array().end_object();
  w.key("parameters").begin_array();
  for (const auto& p : a.parameters) write_parameter(w, p);
  w.end_array();
  write_models(w, ctx.engine, a);
  w.key("evidence").begin_array();
  for (size_t i = 0; i < r.evidence.size(); ++i) {
    const Evidence& e = r.evidence[i];
    w.begin_object();
    w.field("index", i).field("id", e.id);
    w.key("parameters").begin_array();
    for (const auto& p : e.parameters) w.value(p);
    w.end_array();
    w.field("strength", to_string(e.strength)).field("path", e.path).field("line", e.line);
    w.field("excerpt", e.excerpt).field("context", e.context).field("detector", e.detector);
    w.key("attrs").begin_object();
    for (const auto& [k, v] : e.attrs) w.field(k, v);
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.key("skips").begin_array();
  for (const auto& s : r.skips) w.begin_object().field("path", s.path).field("reason", s.reason).field("detail", s.detail).end_object();
  w.end_array();
  w.key("errors").begin_array();
  for (const auto& e : r.errors) {
    w.begin_object().field("path", e.path).field("detector", e.detector).field("message", e.message).end_object();
  }
  w.end_array();
  if (ctx.gate) write_gate(w, *ctx.gate);
  w.key("stats").begin_object();
  w.field("files_listed", r.stats.files_listed).field("files_examined", r.stats.files_examined);
  w.field("files_excluded", r.stats.files_excluded);
  w.field("evidence", r.evidence.size()).field("seconds", r.stats.seconds);
  w.key("detector_seconds").begin_object();
  for (const auto& [id, secs] : r.stats.detector_seconds) w.field(id, secs);
  w.end_object();
  w.end_object();
  w.end_object();
}

}  // namespace mlm
